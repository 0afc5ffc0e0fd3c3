import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import { createdUserId, userId } from '../../../shared/readers';
import type { CyberArkClient } from '../../../shared/transport/client';
import { CyberArkError, UncertainOutcomeError } from '../../../shared/transport/errors';
import { RUN_OPTIONS } from '../../descriptions/options';
import { additionalFields, emailField, rolesField, userNameField } from '../../descriptions/userFields';
import { RoleDirectory, roleList } from '../../roles/directory';
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
import { newUserId } from '../../sync/plan';
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
		rolesField('Roles to add the new user to, checked before the user is created'),
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
	const attributes = attributesFrom(additionalFields.extendedAttributes);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const onExisting = (options.onExisting as string | undefined) ?? 'error';
	// Before the first write: a role that cannot be resolved fails the item with nothing created.
	const roles = await resolveRoles(client, additionalFields.roles);
	const outcome = await createOrFind(client, body, secrets, i, onExisting !== 'error');
	let result: IDataObject;
	if (outcome.created) result = { id: outcome.id, ...summary, created: true };
	else {
		// Under Fail only a lost answer gets here. Then this call may have created the user, or it existed
		// before: `created` is null, and nothing is written to a user that may not be this item's.
		const created = outcome.answerLost ? null : false;
		const more = roles.length > 0 || Object.keys(attributes).length > 0;
		if (onExisting === 'error' && more) throw lostAnswerError(client, outcome, i);
		if (onExisting !== 'update') return { ...simplifyUser(outcome.existing), created };
		result = { ...(await updateExisting(client, outcome, summary, i)), created, updated: true };
	}
	if (Object.keys(attributes).length > 0)
		result.extendedAttributes = await setAttributes(
			client,
			result.id as string,
			attributes,
			i,
			outcome.created,
		);
	if (roles.length > 0) {
		await addRoles(client, result.id as string, roles, i);
		const directory = await RoleDirectory.of(client);
		result.roles = roles.map((id) => directory.named(id));
	}
	return result;
}

/** Applies Create's fields that Update can change to an existing user; returns the user as it is then. */
async function updateExisting(
	client: CyberArkClient,
	found: FoundUser,
	summary: IDataObject,
	i: number,
): Promise<IDataObject> {
	const fields = updatableFrom(summary);
	if (Object.keys(fields).length === 0) return simplifyUser(found.existing);
	await client.request({ endpoint: ENDPOINT.changeUser, body: buildChangeUser(found.id, fields) }, i);
	return simplifyUser(await getUserById(client, found.id, i));
}

/** Role IDs for the roles given by name or ID, read from the run's role directory only when some are given. */
async function resolveRoles(client: CyberArkClient, value: unknown): Promise<string[]> {
	if (roleList(value).length === 0) return [];
	return (await RoleDirectory.of(client)).resolveAll(value, 'Roles');
}

/**
 * A lost answer under On Existing User: Fail, for an item that would go on to set roles or extended
 * attributes. The user named so exists, but whether this call created it or it was there before cannot
 * be known: nothing more is written to it.
 */
function lostAnswerError(client: CyberArkClient, outcome: FoundUser, i: number): Error {
	const failure = client.nodeError(outcome.error, i);
	const cause = failure.message;
	failure.message = `CyberArk's answer to ${ENDPOINT.createUser.path} was lost, and a user named "${outcome.name}" exists now: this call may have created it, or it existed before`;
	failure.description = `Its roles and extended attributes were not set, and nothing else was changed (${cause}). Check the user in CyberArk; if it is the one meant, run the item again with Options > On Existing User set to Update Existing User to finish it.`;
	return failure;
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

/** A user CreateUser did not create: it existed, or the answer was lost and it exists now. */
export interface FoundUser {
	id: string;
	created: false;
	/** Its record as GetUserByName gives it. */
	existing: IDataObject;
	name: string;
	/** CreateUser's answer was lost: this call may have created the user. */
	answerLost: boolean;
	/** Why CreateUser did not say: its refusal, or the lost answer. */
	error: unknown;
}

export type CreateOutcome = { id: string; created: true } | FoundUser;

/**
 * Sends CreateUser and returns the user that exists afterwards. `created` only when CyberArk said so. A
 * lost answer (the user may exist now) is resolved by looking the login name up; so is a refusal when
 * `acceptExisting` is set (the user may have existed before, e.g. an HR system delivering the same
 * joiner twice at once).
 */
export async function createOrFind(
	client: CyberArkClient,
	body: IDataObject,
	secrets: string[],
	i: number,
	acceptExisting: boolean,
): Promise<CreateOutcome> {
	try {
		const id = await client.request({ endpoint: ENDPOINT.createUser, body, secrets }, i);
		// In Dry Run nothing is created: the user is named where its ID would go.
		return { id: client.dryRun ? newUserId(String(body.Name)) : createdUserId(id), created: true };
	} catch (error) {
		const answerLost = error instanceof UncertainOutcomeError;
		const refused = error instanceof CyberArkError && acceptExisting;
		if (!answerLost && !refused) throw client.nodeError(error, i);
		const name = body.Name as string;
		// A lookup that fails too leaves the create's own error to report (it says whether the user may exist).
		const existing = await findUserByName(client, name, i).catch(() => undefined);
		if (!existing) throw client.nodeError(error, i);
		const id = userId(existing, ENDPOINT.getUserByName.path);
		return { id, created: false, existing, name, answerLost, error };
	}
}
