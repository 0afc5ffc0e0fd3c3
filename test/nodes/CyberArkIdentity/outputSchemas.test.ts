// The output schemas the editor reads (each operation module's `output`, written into dist/ by
// scripts/build/schemas.js) against real output: every operation runs through n8n-core's WorkflowExecute
// against the sandbox tenant, and every output item must conform (no key the schema lacks, every
// required key, the types); every key a schema lists must also turn up in some output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { CyberArkIdentity, resources } from '../../../nodes/CyberArkIdentity/CyberArkIdentity.node';
import { outputSchemaFiles } from '../../../nodes/CyberArkIdentity/schemas/files';
import type { OutputSchema } from '../../../nodes/CyberArkIdentity/schemas/schema';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { CredentialStore, roleEntries, runNode } from '../../harness';
import { validate } from '../../jsonSchema';

const { writeSchemas, nodeVersions } = require('../../../scripts/build/schemas');

const SCHEMAS = Object.fromEntries(
	Object.entries(resources).map(([resource, operations]) => [
		resource,
		Object.fromEntries(Object.entries(operations).map(([name, operation]) => [name, operation.output])),
	]),
) as Record<string, Record<string, OutputSchema>>;

/** Key paths (`a.b`, `a[].b`) a schema lists, and those seen in output, by "resource/operation". */
function schemaPaths(schema: OutputSchema, prefix = ''): string[] {
	const paths: string[] = [];
	for (const [key, property] of Object.entries(schema.properties ?? {})) {
		paths.push(prefix + key, ...schemaPaths(property, `${prefix}${key}.`));
		if (property.items) paths.push(...schemaPaths(property.items, `${prefix}${key}[].`));
	}
	return paths;
}

function valuePaths(value: unknown, prefix = ''): string[] {
	if (Array.isArray(value)) return value.flatMap((v) => valuePaths(v, `${prefix.slice(0, -1)}[].`));
	if (value === null || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([key, v]) => [prefix + key, ...valuePaths(v, `${prefix}${key}.`)]);
}

const seen = new Map<string, Set<string>>();

/** Keys no run below produces, on purpose (none: every key a schema lists is seen). */
const NEVER_SEEN: Record<string, string[]> = {};

let sandbox: Sandbox;
let store: CredentialStore;
const role: Record<string, string> = {};

beforeAll(async () => {
	sandbox = await startSandbox({});
	store = new CredentialStore(sandbox.credentials());
	for (const r of sandbox.directory.roles.values()) role[r.Name] = r.ID;
});
afterAll(async () => sandbox?.close());

/** Runs the operation and checks every output item against its schema; returns the items' JSON. */
async function conforming(
	parameters: IDataObject,
	input: IDataObject[] = [{}],
	settings: { continueOnFail?: boolean } = {},
): Promise<IDataObject[]> {
	const { resource, operation } = parameters as { resource: string; operation: string };
	const schema = SCHEMAS[resource]?.[operation];
	expect(schema).toBeDefined();
	const result = await runNode(store, parameters, input, settings);
	expect(result.error).toBeUndefined();
	expect(result.items.length).toBeGreaterThan(0);
	const key = `${resource}/${operation}`;
	const paths = seen.get(key) ?? new Set<string>();
	seen.set(key, paths);
	for (const item of result.items) {
		expect({ item: item.json, errors: validate(item.json, schema) }).toEqual({ item: item.json, errors: [] });
		for (const p of valuePaths(item.json)) paths.add(p);
	}
	return result.items.map((i) => i.json);
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const roleById = (value: string) => ({ __rl: true, mode: 'id', value });

const FULL = {
	displayName: 'Jane Doe',
	description: 'Finance lead',
	mobileNumber: '+1 555 0100',
	officeNumber: '+1 555 0101',
	homeNumber: '+1 555 0102',
	passwordNeverExpire: true,
	forcePasswordChangeNext: false,
	serviceUser: false,
	sendEmailInvite: true,
	sendSmsInvite: true,
	inEverybodyRole: true,
	password: 'Str0ng-Passw0rd!',
};

let jane: string;
let manager: string;

describe('every operation outputs what its schema says', () => {
	test('user/create: a new user (every field), On Existing User: Return Existing and Update', async () => {
		[{ userName: manager }] = (await conforming({
			resource: 'user',
			operation: 'create',
			userName: 'boss@example.com',
			email: 'boss@acme.test',
		})) as Array<{ userName: string }>;
		const [created] = await conforming({
			resource: 'user',
			operation: 'create',
			userName: 'jane@example.com',
			email: 'jane@acme.test',
			additionalFields: {
				...FULL,
				reportsTo: manager,
				roles: roleEntries(role.Finance),
				extendedAttributes: { attribute: [{ name: 'EmployeeID', value: 'E-1' }] },
			},
		});
		jane = created.id as string;
		expect(created).toMatchObject({
			created: true,
			sendSmsInvite: true,
			roles: [{ id: role.Finance, name: 'Finance' }],
		});
		sandbox.directory.users.get(jane)!.LastLogin = Date.now();

		const [existing] = await conforming({
			resource: 'user',
			operation: 'create',
			userName: 'jane@example.com',
			email: 'jane@acme.test',
			options: { onExisting: 'returnExisting' },
		});
		expect(existing).toMatchObject({ id: jane, created: false, createdAt: expect.any(String) });
		const [updated] = await conforming({
			resource: 'user',
			operation: 'create',
			userName: 'jane@example.com',
			email: 'jane@acme.test',
			additionalFields: { displayName: 'Jane Q. Doe' },
			options: { onExisting: 'update' },
		});
		expect(updated).toMatchObject({ id: jane, created: false, updated: true, displayName: 'Jane Q. Doe' });
	});

	test('user/get, user/getAll, user/update', async () => {
		const [user] = await conforming({ resource: 'user', operation: 'get', userId: byId(jane) });
		expect(user).toMatchObject({ reportsTo: manager, passwordNeverExpire: true, state: 'active' });
		// A user with no e-mail or display name: those keys are there, null.
		await conforming({
			resource: 'user',
			operation: 'create',
			userName: 'bare@example.com',
			additionalFields: { sendEmailInvite: false },
		});
		const many = await conforming({ resource: 'user', operation: 'getAll', returnAll: true });
		expect(many.find((u) => u.userName === 'bare@example.com')).toMatchObject({
			email: null,
			displayName: null,
		});
		await conforming({
			resource: 'user',
			operation: 'update',
			userId: byId(jane),
			updateFields: {
				description: 'Finance director',
				officeNumber: '+1 555 0199',
				extendedAttributes: { attribute: [{ name: 'CostCenter', value: 'CC-1' }] },
			},
		});
	});

	test('sign-out, invitations, MFA exemption, extended attributes', async () => {
		await conforming({ resource: 'user', operation: 'signOut', userId: byId(jane) });
		await conforming({
			resource: 'user',
			operation: 'sendInvite',
			userId: byId(jane),
			sendBy: 'emailAndSms',
		});
		await conforming({ resource: 'user', operation: 'exemptFromMfa', userId: byId(jane), minutes: 5 });
		await conforming({
			resource: 'user',
			operation: 'setExtendedAttributes',
			userId: byId(jane),
			extendedAttributes: { attribute: [{ name: 'CostCenter', value: 'CC-2' }] },
		});
		const [read] = await conforming({
			resource: 'user',
			operation: 'getExtendedAttributes',
			userId: byId(jane),
		});
		expect(read.attributes).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-2' });
	});

	test('role/create, role/update, role/getApplications, role/delete', async () => {
		const [created] = await conforming({
			resource: 'role',
			operation: 'create',
			roleName: 'Auditors',
			additionalFields: { description: 'External audit' },
		});
		await conforming({
			resource: 'role',
			operation: 'create',
			roleName: 'Auditors',
			additionalFields: { description: 'Audit' },
			options: { onExisting: 'update' },
		});
		await conforming({
			resource: 'role',
			operation: 'update',
			roleId: roleById(created.id as string),
			updateFields: { newName: 'Auditors EMEA' },
		});
		await conforming({ resource: 'role', operation: 'getApplications', roleId: roleById(role.Finance) });
		await conforming({ resource: 'role', operation: 'delete', roleId: roleById(created.id as string) });
	});

	test('user state, roles and password operations', async () => {
		for (const operation of ['lock', 'unlock', 'disable', 'enable']) {
			const [out] = await conforming({ resource: 'user', operation, userId: byId(jane) });
			expect(out.id).toBe(jane);
		}
		await conforming({
			resource: 'user',
			operation: 'addToRole',
			userId: byId(jane),
			roleId: roleById(role.Sales),
		});
		await conforming({
			resource: 'user',
			operation: 'removeFromRole',
			userId: byId(jane),
			roleId: roleById(role.Sales),
		});
		await conforming({
			resource: 'user',
			operation: 'resetPassword',
			userId: byId(jane),
			newPassword: 'An0ther-Passw0rd!',
		});
		const [{ id: temp }] = (await conforming({
			resource: 'user',
			operation: 'create',
			userName: 'temp@example.com',
			email: 'temp@acme.test',
		})) as Array<{ id: string }>;
		const [deleted] = await conforming({ resource: 'user', operation: 'delete', userId: byId(temp) });
		expect(deleted).toEqual({ deleted: true, id: temp });
	});

	test('role/getAll, role/getMembers, token/get', async () => {
		await conforming({ resource: 'role', operation: 'getAll', returnAll: true });
		const members = await conforming({
			resource: 'role',
			operation: 'getMembers',
			roleId: roleById(role.Finance),
			returnAll: true,
		});
		expect(members.map((m) => m.id)).toContain(jane);
		await conforming({ resource: 'token', operation: 'get' });
	});

	test('user/upsert: joiner, mover, leaver, deprovisioned, deprovisionFailed, and Dry Run', async () => {
		const sync = ({ dryRun, ...options }: IDataObject = {}) => ({
			...(dryRun === undefined ? {} : { dryRun }),
			resource: 'user',
			operation: 'upsert',
			userName: '={{ $json.login }}',
			email: '={{ $json.mail }}',
			active: '={{ $json.active !== false }}',
			additionalFields: {
				displayName: '={{ $json.name }}',
				roles: roleEntries('={{ $json.dept }}'),
				sendEmailInvite: false,
				extendedAttributes: {
					attribute: [
						{ name: 'EmployeeID', value: '={{ $json.employeeId }}' },
						{ name: 'CostCenter', value: '={{ $json.costCenter }}' },
					],
				},
			},
			options: {
				scopeRole: 'HR Sync',
				managedRoles: roleEntries('Engineering', 'Finance', 'Sales'),
				maxDeprovisionPercent: 100, // three people: any change is a large share
				...options,
			},
		});
		const people = [
			{
				login: 'p1@example.com',
				mail: 'p1@acme.test',
				name: 'Person 1',
				dept: 'Engineering',
				employeeId: 'E-1',
			},
			{
				login: 'p2@example.com',
				mail: 'p2@acme.test',
				name: 'Person 2',
				dept: 'Finance',
				costCenter: 'CC-2',
			},
			{ login: 'p3@example.com', mail: 'p3@acme.test', name: 'Person 3', dept: 'Sales' },
		];
		const joined = await conforming(sync(), people);
		expect(joined.map((o) => [o.action, o.extendedAttributes])).toEqual([
			['created', { EmployeeID: { from: null, to: 'E-1' } }],
			['created', { CostCenter: { from: null, to: 'CC-2' } }],
			['created', undefined],
		]);
		const moved = await conforming(sync(), [
			{ ...people[0], name: 'Person One', dept: 'Sales', costCenter: 'CC-1' },
			{ ...people[1], active: false },
			people[2],
		]);
		expect(moved.map((o) => [o.action, o.extendedAttributes])).toEqual([
			['updated', { CostCenter: { from: null, to: 'CC-1' } }],
			['disabled', {}],
			['unchanged', undefined],
		]);
		const planned = await conforming(sync({ dryRun: true, deprovisionMissing: true }), [
			people[0],
			{ ...people[1], name: 'Person Two' },
		]);
		expect(planned.map((o) => o.action)).toEqual(['updated', 'enabled', 'deprovisioned']);
		// A leaver CyberArk refuses to disable (the app's scope leaves SetUserState out), then one it disables.
		sandbox.knobs.scopeRestRegexes = ['(?!/?CDirectoryService/SetUserState$).*'];
		const refused = await conforming(
			sync({ deprovisionMissing: true }),
			[people[0], { ...people[1], active: false }],
			{
				continueOnFail: true,
			},
		);
		sandbox.knobs.scopeRestRegexes = null;
		expect(refused.map((o) => o.action)).toEqual(['updated', 'unchanged', 'deprovisionFailed']);
		expect(refused[2].error).toMatch(/SetUserState/);
		const left = await conforming(sync({ deprovisionMissing: true }), [people[0], people[1]]);
		expect(left.map((o) => o.action)).toContain('deprovisioned');
		// A joiner with every field of the table, then a mover changing every field Update can change.
		const everything = {
			...sync(),
			additionalFields: { ...FULL, reportsTo: manager, roles: roleEntries('Finance') },
		};
		const [joiner] = await conforming(everything, [{ login: 'p4@example.com', mail: 'p4@acme.test' }]);
		expect(joiner).toMatchObject({
			action: 'created',
			changes: { password: { from: null, to: '********' } },
		});
		const moves = {
			description: 'Moved',
			mobileNumber: '+1 555 0200',
			officeNumber: '+1 555 0201',
			homeNumber: '+1 555 0202',
			passwordNeverExpire: false,
			forcePasswordChangeNext: true,
			reportsTo: 'jane@example.com',
		};
		const [mover] = await conforming(
			{ ...sync(), additionalFields: { ...moves, displayName: 'P4', roles: roleEntries('Finance') } },
			[{ login: 'p4@example.com', mail: 'p4@acme.test' }],
		);
		expect(Object.keys(mover.changes as IDataObject).sort()).toEqual(
			[...Object.keys(moves), 'displayName'].sort(),
		);
	});
});

describe('the schemas cover the node', () => {
	test('every key a schema lists turns up in some output', () => {
		const unseen: Record<string, string[]> = {};
		for (const [resource, ops] of Object.entries(SCHEMAS)) {
			for (const [operation, schema] of Object.entries(ops)) {
				const key = `${resource}/${operation}`;
				// An operation added without a run here (a new module) is checked once it has one.
				if (!seen.has(key)) continue;
				const missing = schemaPaths(schema).filter(
					(p) => !seen.get(key)?.has(p) && !(NEVER_SEEN[key] ?? []).includes(p),
				);
				if (missing.length > 0) unseen[key] = missing;
			}
		}
		expect(unseen).toEqual({});
	});

	test('the schema files land where n8n looks: __schema__/v1.0.0/<resource>/<operation>.json beside the node', () => {
		const versions = nodeVersions(new CyberArkIdentity().description);
		expect(versions).toEqual([1]);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemas-'));
		try {
			const written: string[] = writeSchemas(outputSchemaFiles(resources, versions), dir);
			expect(written.sort()).toEqual(
				Object.entries(SCHEMAS)
					.flatMap(([resource, ops]) =>
						Object.keys(ops).map((op) => `__schema__/v1.0.0/${resource}/${op}.json`),
					)
					.sort(),
			);
			for (const file of written) {
				const schema = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
				const [, , resource, operation] = file.replace(/\.json$/, '').split('/');
				expect(schema).toEqual(SCHEMAS[resource][operation]);
				// What n8n's editor accepts as a schema: an object with a type and non-empty properties.
				expect(schema).toMatchObject({ type: 'object', version: 1 });
				expect(Object.keys(schema.properties).length).toBeGreaterThan(0);
			}
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('the validator', () => {
	const schema = SCHEMAS.user.get;
	test('finds a key the schema lacks, a missing required key, a wrong type, a bad array item', () => {
		expect(
			validate({ id: 'a', userName: 'b', email: null, displayName: 'c', state: 'active', extra: 1 }, schema),
		).toEqual(['$: key extra is not in the schema']);
		expect(validate({ id: 'a', userName: 'b', email: null, state: 'active' }, schema)).toEqual([
			'$: missing required key displayName',
		]);
		expect(
			validate(
				{
					id: 'a',
					userName: 'b',
					email: null,
					displayName: 'c',
					state: 'active',
					passwordNeverExpire: 'False',
				},
				schema,
			),
		).toEqual(['$.passwordNeverExpire: "False" is not of type boolean']);
		expect(
			validate(
				{ action: 'created', id: null, userName: 'u', rolesAdded: [{ id: 'r', name: null }, 2] },
				SCHEMAS.user.upsert,
			),
		).toEqual(['$.rolesAdded[1]: 2 is not of type object']);
		expect(
			validate(
				{
					access_token: 't',
					token_type: 'Bearer',
					expires_in: 1.5,
					expires_at: 'x',
					scope: null,
					tenantUrl: 'https://t',
				},
				SCHEMAS.token.get,
			),
		).toEqual(['$.expires_in: 1.5 is not of type integer']);
	});
});
