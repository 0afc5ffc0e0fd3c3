import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import type { CyberArkClient } from '../../../shared/transport/client';
import { InvalidInput } from '../../../shared/transport/errors';
import { password } from '../../../shared/validate';
import { userLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import { BOOLEAN, itemSchema, STRING } from '../../schemas/schema';
import { resolveUserId } from '../../users/lookup';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Reset Password',
	description: "Set a new password for a user (must meet the tenant's password policy)",
	action: 'Reset a user password',
};

export const description: INodeProperties[] = [
	userLocator,
	{
		displayName: 'New Password',
		name: 'newPassword',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: "Must meet the tenant's password policy. Never appears in the output.",
	},
];

export const options = RUN_OPTIONS;

export const endpoints = [ENDPOINT.getUserByName, ENDPOINT.resetPassword];

export const output = itemSchema({ id: STRING, passwordReset: BOOLEAN }, ['id', 'passwordReset']);

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, i);
	const newPassword = password(this.getNodeParameter('newPassword', i, ''), 'New Password');
	if (newPassword === undefined)
		throw new InvalidInput(
			'New Password is empty',
			"Set New Password to a password that meets the tenant's password policy.",
		);
	await client.request(
		{ endpoint: ENDPOINT.resetPassword, body: { ID: id, newPassword }, secrets: [newPassword] },
		i,
	);
	return { id, passwordReset: true };
}
