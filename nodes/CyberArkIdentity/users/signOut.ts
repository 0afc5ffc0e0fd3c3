import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ApiCall } from '../../shared/endpoints';
import { ENDPOINT } from '../../shared/endpoints';
import { requiredFlag } from '../../shared/validate';

/**
 * Ends every session of the user (IdentityCommand `Clear-IDUserSession`: the user's ID in the query
 * string). Taking access away without it leaves a disabled user the sessions they have.
 */
export function signOutCall(userId: string): ApiCall {
	return { endpoint: ENDPOINT.signOutEverywhere, qs: { ID: userId } };
}

/**
 * The option of the operations that take access away (Disable, Lock): on unless turned off. Named as
 * Create or Update's option of the same purpose.
 */
export const signOutOption: INodeProperties = {
	displayName: 'Sign Out Everywhere',
	name: 'signOut',
	type: 'boolean',
	default: true,
	description:
		'Whether to also end every session the user has, so that browsers and apps logged in before lose access too. On unless turned off here.',
};

/**
 * Whether the item signs the user out: on when the option is not set. Fails closed: a value that is
 * not true or false (an expression gone wrong) stops the item before anything is sent.
 */
export function signsOut(context: IExecuteFunctions, itemIndex: number): boolean {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.signOut === undefined) return true;
	return requiredFlag(options.signOut, 'Sign Out Everywhere');
}
