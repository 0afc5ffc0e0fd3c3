// The output of every operation as JSON Schema, in the shape of n8n's own `__schema__` files: the
// editor fetches /schemas/<node type>/<version>/<resource>/<operation>.json and offers the fields for
// mapping before a first run. Built from the field table (fields.ts), so a field added there appears
// here too; `npm run build` writes them beside the node (scripts/schemas.js). Not used at run time.
import type { UserField } from '../users/fields';
import { ALWAYS_OUTPUT, RECORD_FIELDS, USER_FIELDS } from '../users/fields';
import { USER_COLUMNS } from '../../shared/redrock';

type JsonType = 'string' | 'boolean' | 'integer' | 'number' | 'object' | 'array' | 'null';

/** The subset of JSON Schema n8n's output schemas use. */
export interface OutputSchema {
	type: JsonType | JsonType[];
	properties?: Record<string, OutputSchema>;
	items?: OutputSchema;
	required?: string[];
}

/** A schema file: an object schema with the schema format version n8n's files carry. */
export interface OutputSchemaFile extends OutputSchema {
	type: 'object';
	properties: Record<string, OutputSchema>;
	version: 1;
}

const STRING: OutputSchema = { type: 'string' };
const BOOLEAN: OutputSchema = { type: 'boolean' };
const NULLABLE_STRING: OutputSchema = { type: ['string', 'null'] };
const STRINGS: OutputSchema = { type: 'array', items: STRING };

function file(properties: Record<string, OutputSchema>, required: string[]): OutputSchemaFile {
	return { type: 'object', properties, required, version: 1 };
}

/** The JSON type of a field's value, from its editor property (string or boolean). */
function fieldType(field: UserField): JsonType {
	return field.property.type === 'boolean' ? 'boolean' : 'string';
}

/**
 * `simplifyUser`'s output: ID and login name, the table's record fields, state and dates. From a
 * Redrock row (`columns` given) only the fields its columns carry.
 */
function simplifiedUser(columns?: string): Record<string, OutputSchema> {
	const selected = columns?.split(',').map((c) => c.trim());
	const has = (...names: string[]) => !selected || names.some((n) => selected.includes(n));
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

const USER_REQUIRED = ['id', 'userName', ...ALWAYS_OUTPUT];

/**
 * Create: the new user's ID and the fields that were set (never the password), or, for an existing
 * user (On Existing User), its simplified record; `roles` when roles were given.
 */
function createdUser(): OutputSchemaFile {
	const properties = simplifiedUser();
	for (const field of USER_FIELDS)
		if (!field.secret && !(field.param in properties)) properties[field.param] = { type: fieldType(field) };
	return file({ ...properties, created: BOOLEAN, updated: BOOLEAN, roles: STRINGS }, [
		'id',
		'userName',
		'created',
	]);
}

/** Create or Update: what was done, and `{field: {from, to}}` for every field sent. */
function syncResult(): OutputSchemaFile {
	const change = (type: JsonType): OutputSchema => ({
		type: 'object',
		properties: { from: { type: [type, 'null'] }, to: { type } },
	});
	const changes: Record<string, OutputSchema> = { userName: change('string') };
	for (const field of USER_FIELDS) changes[field.param] = change(fieldType(field));
	const request: OutputSchema = {
		type: 'object',
		properties: { path: STRING, body: { type: 'object' }, qs: { type: 'object' } },
		required: ['path', 'body'],
	};
	return file(
		{
			action: STRING,
			id: NULLABLE_STRING,
			userName: STRING,
			changes: { type: 'object', properties: changes },
			rolesAdded: STRINGS,
			rolesRemoved: STRINGS,
			// Leavers (Deprovision Missing Users) are extra items with the action taken.
			deprovisionAction: STRING,
			// Dry Run: the requests the row would send.
			dryRun: BOOLEAN,
			requests: { type: 'array', items: request },
		},
		['action', 'id', 'userName'],
	);
}

const userState = file({ id: STRING, state: NULLABLE_STRING }, ['id', 'state']);
const membership = file({ id: STRING, roleId: STRING, member: BOOLEAN }, ['id', 'roleId', 'member']);

/**
 * Every operation's output schema: resource → operation → schema of one output item (with Simplify
 * on, the default, where the operation has it).
 */
export function outputSchemas(): Record<string, Record<string, OutputSchemaFile>> {
	const user = file(simplifiedUser(), USER_REQUIRED);
	return {
		role: {
			getAll: file({ id: STRING, name: STRING, description: NULLABLE_STRING }, ['id', 'name', 'description']),
			getMembers: file({ id: STRING, name: STRING, type: STRING, roleId: STRING }, [
				'id',
				'name',
				'type',
				'roleId',
			]),
		},
		token: {
			get: file(
				{
					access_token: STRING,
					token_type: STRING,
					expires_in: { type: 'integer' },
					expires_at: STRING,
					scope: NULLABLE_STRING,
				},
				['access_token', 'token_type', 'expires_in', 'expires_at', 'scope'],
			),
		},
		user: {
			addToRole: membership,
			create: createdUser(),
			delete: file({ deleted: BOOLEAN, id: STRING }, ['deleted', 'id']),
			disable: userState,
			enable: userState,
			get: user,
			getAll: file(simplifiedUser(USER_COLUMNS), USER_REQUIRED),
			lock: userState,
			removeFromRole: membership,
			resetPassword: file({ id: STRING, passwordReset: BOOLEAN }, ['id', 'passwordReset']),
			unlock: userState,
			update: user,
			upsert: syncResult(),
		},
	};
}

/**
 * The node's schema files: path under the node's folder → content. n8n looks for
 * `<node folder>/__schema__/v<version, padded to x.y.z>/<resource>/<operation>.json`.
 */
export function outputSchemaFiles(nodeVersions: number[] = [1]): Record<string, string> {
	const files: Record<string, string> = {};
	const schemas = outputSchemas();
	for (const version of nodeVersions) {
		const dir = `v${String(version).split('.').concat(['0', '0']).slice(0, 3).join('.')}`;
		for (const [resource, operations] of Object.entries(schemas)) {
			for (const [operation, schema] of Object.entries(operations)) {
				files[`__schema__/${dir}/${resource}/${operation}.json`] = `${JSON.stringify(schema, null, '\t')}\n`;
			}
		}
	}
	return files;
}
