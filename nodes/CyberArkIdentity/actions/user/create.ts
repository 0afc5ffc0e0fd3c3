import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import { CyberArkError, UncertainOutcomeError } from '../../../shared/transport/errors';
import {
	buildChangeUser,
	buildCreateUser,
	fieldOptions,
	simplifyUser,
	updatableFrom,
	USER_FIELDS,
} from '../../users/fields';
import type { Operation } from '../../descriptions/common';
import { addRoles, roleList } from '../../roles/lookup';
import { findUserByName, getUserById, PATH } from '../../users/lookup';

export const option: Operation['option'] = {
	name: 'Create',
	description: 'Create a user in the CyberArk Cloud Directory',
	action: 'Create a user',
};

export const rolesField: INodeProperties = {
	displayName: 'Role Names or IDs',
	name: 'roles',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getRoles' },
	default: [],
	description:
		'Roles to add the new user to. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const userNameField: INodeProperties = {
	displayName: 'User Name',
	name: 'userName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. jane.doe@acme.example',
	description:
		"Login name in the form name@suffix. Letters, digits and + - _ . before the @; the suffix must be one of the tenant's login suffixes.",
};

export const description: INodeProperties[] = [
	userNameField,
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'e.g. jane.doe@acme.example',
		description:
			'E-mail address of the user. Required while "Send Email Invite" is on, which is CyberArk\'s default.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [...fieldOptions(USER_FIELDS.filter((f) => f.param !== 'email')), rolesField].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	},
];

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const additionalFields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const { body, summary, secrets } = buildCreateUser({
		userName: this.getNodeParameter('userName', i),
		email: this.getNodeParameter('email', i, ''),
		additionalFields,
	});
	const roles = roleList(additionalFields.roles);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const onExisting = (options.onExisting as string | undefined) ?? 'error';
	let result: IDataObject;
	const outcome = await createOrFind(client, body, secrets, i, onExisting !== 'error');
	if (outcome.created) {
		result = { id: outcome.id, ...summary, created: true };
	} else if (onExisting === 'returnExisting') {
		return { ...simplifyUser(outcome.existing!), created: false };
	} else {
		const fields = updatableFrom(summary);
		let record = outcome.existing!;
		if (Object.keys(fields).length > 0) {
			await client.request(
				{ path: PATH.change, body: buildChangeUser(outcome.id, fields), idempotent: true },
				i,
			);
			record = await getUserById(client, outcome.id, i);
		}
		result = { ...simplifyUser(record), created: false, updated: true };
	}
	if (roles.length > 0) result.roles = await addRoles.call(this, client, result.id as string, roles, i);
	return result;
}

/**
 * Sends CreateUser and returns the user that exists afterwards. A lost answer (the user may exist
 * now) is resolved by looking the login name up; so is a refusal when `acceptExisting` is set (the
 * user may have existed before, e.g. an HR system delivering the same joiner twice at once).
 */
export async function createOrFind(
	client: CyberArkClient,
	body: IDataObject,
	secrets: string[],
	i: number,
	acceptExisting: boolean,
): Promise<{ id: string; created: boolean; existing?: IDataObject }> {
	try {
		const id = await client.request({ path: PATH.create, body, idempotent: false, secrets }, i);
		return { id: id as string, created: true };
	} catch (error) {
		const lostAnswer = error instanceof UncertainOutcomeError;
		const refused = error instanceof CyberArkError && acceptExisting;
		if (!lostAnswer && !refused) throw client.nodeError(error, i);
		const existing = await findUserByName(client, body.Name as string, i);
		if (!existing) throw client.nodeError(error, i);
		return { id: existing.Uuid as string, created: lostAnswer, existing };
	}
}
