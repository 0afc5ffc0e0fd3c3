import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import { createdUserId, userId } from '../../../shared/readers';
import type { CyberArkClient } from '../../../shared/transport/client';
import { CyberArkError, UncertainOutcomeError } from '../../../shared/transport/errors';
import { RUN_OPTIONS } from '../../descriptions/options';
import { additionalFields, emailField, rolesField, userNameField } from '../../descriptions/userFields';
import { roleList } from '../../roles/directory';
import { addRoles } from '../../roles/membership';
import { createdUserSchema } from '../../schemas/user';
import type { Attributes } from '../../users/extendedAttributes';
import {
	attributesFrom,
	attributesSchema,
	extendedAttributesField,
	writeExtendedAttributes,
} from '../../users/extendedAttributes';
import { buildChangeUser, buildCreateUser, updatableFrom } from '../../users/requests';
import { simplifyUser } from '../../users/simplify';
import { findUserByName, getUserById } from '../../users/lookup';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Create',
	description: 'Create a user in the CyberArk Cloud Directory',
	action: 'Create a user',
};

export const description: INodeProperties[] = [
	userNameField,
	emailField(
		'E-mail address of the user. Required while "Send Email Invite" is on, which is CyberArk\'s default.',
	),
	additionalFields(
		rolesField('Roles to add the new user to. An expression may give role IDs.'),
		extendedAttributesField,
	),
];

export const options: INodeProperties[] = [
	...RUN_OPTIONS,
	{
		displayName: 'On Existing User',
		name: 'onExisting',
		type: 'options',
		default: 'error',
		description:
			'What to do when a user with this login name already exists, e.g. when an HR system sends the same new hire twice',
		options: [
			{ name: 'Fail', value: 'error', description: "Fail the item with CyberArk's message" },
			{
				name: 'Return Existing User',
				value: 'returnExisting',
				description: 'Output the existing user unchanged',
			},
			{
				name: 'Update Existing User',
				value: 'update',
				description: 'Apply the given fields to the existing user and output it',
			},
		],
	},
];

export const endpoints = [
	ENDPOINT.createUser,
	ENDPOINT.getUserByName,
	ENDPOINT.redrockQuery,
	ENDPOINT.changeUser,
	ENDPOINT.getUser,
	ENDPOINT.updateRole,
	ENDPOINT.getExtendedAttributes,
	ENDPOINT.setExtendedAttributes,
];

const created = createdUserSchema();
export const output = {
	...created,
	properties: { ...created.properties, extendedAttributes: attributesSchema },
};

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
	const attributes = attributesFrom(additionalFields.extendedAttributes);
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
			await client.request({ endpoint: ENDPOINT.changeUser, body: buildChangeUser(outcome.id, fields) }, i);
			record = await getUserById(client, outcome.id, i);
		}
		result = { ...simplifyUser(record), created: false, updated: true };
	}
	if (Object.keys(attributes).length > 0)
		result.extendedAttributes = await setAttributes(
			client,
			result.id as string,
			attributes,
			i,
			outcome.created,
		);
	if (roles.length > 0) result.roles = await addRoles.call(this, client, result.id as string, roles, i);
	return result;
}

/** Sets a created or updated user's extended attributes; a failure says the user exists already. */
async function setAttributes(
	client: CyberArkClient,
	id: string,
	attributes: Attributes,
	i: number,
	created: boolean,
): Promise<IDataObject> {
	try {
		// Dry Run has no user to read for a new one (no ID yet), and it has none to keep.
		const current = client.dryRun && created ? {} : undefined;
		return (await writeExtendedAttributes(client, id, attributes, i, current)).attributes;
	} catch (error) {
		const failure = client.nodeError(error, i);
		failure.message = `The user ${id} exists, but setting its extended attributes failed: ${failure.message}`;
		throw failure;
	}
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
		const id = await client.request({ endpoint: ENDPOINT.createUser, body, secrets }, i);
		// In Dry Run nothing is created, so there is no ID.
		return { id: client.dryRun ? (id as string) : createdUserId(id), created: true };
	} catch (error) {
		const lostAnswer = error instanceof UncertainOutcomeError;
		const refused = error instanceof CyberArkError && acceptExisting;
		if (!lostAnswer && !refused) throw client.nodeError(error, i);
		// A lookup that fails too leaves the create's own error to report (it says whether the user may exist).
		const existing = await findUserByName(client, body.Name as string, i).catch(() => undefined);
		if (!existing) throw client.nodeError(error, i);
		return { id: userId(existing, ENDPOINT.getUserByName.path), created: lostAnswer, existing };
	}
}
