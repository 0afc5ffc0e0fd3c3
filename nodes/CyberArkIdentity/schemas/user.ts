// The output schemas of the user operations, built from the field table (users/fields.ts): a field added
// there appears in every schema that shows users.
import type { UserField } from '../users/fields';
import { RECORD_FIELDS, USER_FIELDS } from '../users/fields';
import { ALWAYS_OUTPUT } from '../users/simplify';
import { USER_RECORD_KEYS } from '../../shared/readers';
import type { JsonType, OutputSchema, OutputSchemaFile } from './schema';
import { BOOLEAN, itemSchema, NAMED_ROLES, NULLABLE_STRING, STRING } from './schema';

/** The JSON type of a field's value, from its editor property (string or boolean). */
function fieldType(field: UserField): JsonType {
	return field.property.type === 'boolean' ? 'boolean' : 'string';
}

/**
 * `simplifyUser`'s output: ID and login name, the table's record fields, state and dates: those a
 * user's record carries (GetUser, as the sources show it), or, from a Redrock row (`columns` given),
 * those its columns carry.
 */
function simplifiedUserProperties(columns = USER_RECORD_KEYS.join(',')): Record<string, OutputSchema> {
	const selected = columns.split(',').map((c) => c.trim());
	const has = (...names: string[]) => names.some((n) => selected.includes(n));
	const properties: Record<string, OutputSchema> = { id: STRING, userName: STRING };
	for (const field of RECORD_FIELDS) {
		if (has(field.cyberArk, ...(field.aliases ?? [])) || ALWAYS_OUTPUT.includes(field.param))
			properties[field.param] = { type: fieldType(field) };
	}
	properties.state = STRING;
	if (has('CreateDate')) properties.createdAt = STRING;
	if (has('LastLogin')) properties.lastLoginAt = STRING;
	// Keys that are there even without a value: null.
	for (const key of ALWAYS_OUTPUT) properties[key] = { type: [properties[key].type as JsonType, 'null'] };
	return properties;
}

/** A simplified user (Get, Update); from a Redrock User query's `columns` (Get Many). */
export function simplifiedUserSchema(columns?: string): OutputSchemaFile {
	return itemSchema(simplifiedUserProperties(columns), ['id', 'userName', ...ALWAYS_OUTPUT]);
}

/**
 * Create: the new user's ID and the fields that were set (never the password), or, for an existing
 * user (On Existing User), its simplified record; `roles` when roles were given. `created` is null when
 * CyberArk's answer was lost and the user exists: this call may have created it, or it existed before.
 */
export function createdUserSchema(): OutputSchemaFile {
	const properties = simplifiedUserProperties();
	for (const field of USER_FIELDS)
		if (!field.secret && !(field.param in properties)) properties[field.param] = { type: fieldType(field) };
	const created: OutputSchema = { type: ['boolean', 'null'] };
	return itemSchema({ ...properties, created, updated: BOOLEAN, roles: NAMED_ROLES }, [
		'id',
		'userName',
		'created',
	]);
}

/**
 * Create or Update: what was done, `{field: {from, to}}` for every field sent, and, for a row that gives
 * extended attributes, `{name: {from, to}}` for those written (their names are the tenant's).
 */
export function syncResultSchema(): OutputSchemaFile {
	const change = (type: JsonType): OutputSchema => ({
		type: 'object',
		properties: { from: { type: [type, 'null'] }, to: { type } },
	});
	const changes: Record<string, OutputSchema> = { userName: change('string') };
	for (const field of USER_FIELDS) changes[field.param] = change(fieldType(field));
	const request: OutputSchema = {
		type: 'object',
		properties: { path: STRING, body: { type: 'object' }, qs: { type: 'object' }, batched: BOOLEAN },
		required: ['path', 'body'],
	};
	return itemSchema(
		{
			action: STRING,
			id: NULLABLE_STRING,
			userName: STRING,
			changes: { type: 'object', properties: changes },
			rolesAdded: NAMED_ROLES,
			rolesRemoved: NAMED_ROLES,
			extendedAttributes: { type: 'object' },
			// Leavers (Deprovision Missing Users) are extra items with the action taken:
			// deprovisioned, or deprovisionFailed with the error (Continue On Fail).
			deprovisionAction: STRING,
			error: STRING,
			// Disabled or deprovisioned users are signed out everywhere (unless the option is off).
			signedOut: BOOLEAN,
			// Dry Run: the requests the row would send (its part of a batched role call marked batched).
			dryRun: BOOLEAN,
			requests: { type: 'array', items: request },
		},
		['action', 'id', 'userName'],
	);
}

/** Unlock, Enable: the state CyberArk reports afterwards. */
export const userStateSchema = itemSchema({ id: STRING, state: NULLABLE_STRING }, ['id', 'state']);

/** Lock, Disable: the state CyberArk reports afterwards, and whether the user was signed out everywhere. */
export const signedOutStateSchema = itemSchema({ id: STRING, state: NULLABLE_STRING, signedOut: BOOLEAN }, [
	'id',
	'state',
	'signedOut',
]);

/** Add to Role, Remove From Role. */
export const membershipSchema = itemSchema(
	{ id: STRING, roleId: STRING, roleName: NULLABLE_STRING, member: BOOLEAN },
	['id', 'roleId', 'roleName', 'member'],
);
