// The operation modules own their facts: what the editor offers, Dry Run, the output schemas and the
// endpoints an operation may call are derived from them. These tests run the real modules against the
// sandbox, and a fixture operation through the same derivation, so a fact a module gets wrong fails here.
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CyberArkIdentityApi } from '../../../credentials/CyberArkIdentityApi.credentials';
import type { ItemOperation, Resources } from '../../../nodes/CyberArkIdentity/actions/operation';
import { route } from '../../../nodes/CyberArkIdentity/actions/router';
import { CyberArkIdentity, resources } from '../../../nodes/CyberArkIdentity/CyberArkIdentity.node';
import { userLocator } from '../../../nodes/CyberArkIdentity/descriptions/locators';
import { resourceParameters } from '../../../nodes/CyberArkIdentity/descriptions/operations';
import { RUN_OPTIONS } from '../../../nodes/CyberArkIdentity/descriptions/options';
import { outputSchemaFiles } from '../../../nodes/CyberArkIdentity/schemas/files';
import { itemSchema, STRING } from '../../../nodes/CyberArkIdentity/schemas/schema';
import { resolveUserId } from '../../../nodes/CyberArkIdentity/users/lookup';
import { ENDPOINT } from '../../../nodes/shared/endpoints';
import type { CyberArkClient } from '../../../nodes/shared/transport/client';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { CredentialStore, roleEntries, runNode } from '../../harness';
import { validate } from '../../jsonSchema';

const { createEngine } = require('../../../scripts/engine');

const { properties } = new CyberArkIdentity().description;

let sandbox: Sandbox;
let store: CredentialStore;
let id: string;

beforeEach(async () => {
	sandbox = await startSandbox({ roles: [{ Name: 'Finance', Description: '' }] });
	store = new CredentialStore(sandbox.credentials());
	id = sandbox.directory.createUser({
		Name: 'jane@example.com',
		Mail: 'jane@acme.test',
		SendEmailInvite: false,
	});
	const finance = [...sandbox.directory.roles.values()].find((r) => r.Name === 'Finance')!.ID;
	sandbox.directory.updateRole({ Name: finance, Users: { Add: [id] } });
	sandbox.resetCounters();
});
afterEach(async () => sandbox.close());

const byName = (value: string) => ({ __rl: true, mode: 'userName', value });

/** Parameters that make each operation do its work against the sandbox's Jane and Finance role. */
const finance = { __rl: true, mode: 'name', value: 'Finance' };
const RUNS: Record<string, IDataObject> = {
	'customApiCall:call': { path: '/Security/whoami' },
	'role:create': { roleName: 'Auditors', additionalFields: { description: 'External audit' } },
	'role:delete': { roleId: finance },
	'role:getAll': {},
	'role:getApplications': { roleId: finance },
	'role:getMembers': { roleId: finance },
	'role:update': { roleId: finance, updateFields: { newName: 'Finance EMEA', description: 'Money' } },
	'token:get': {},
	'user:addToRole': {
		userId: byName('jane@example.com'),
		roleId: { __rl: true, mode: 'name', value: 'Finance' },
	},
	'user:create': {
		userName: 'new@example.com',
		email: 'new@acme.test',
		additionalFields: { roles: roleEntries('$finance') },
	},
	'user:delete': { userId: byName('jane@example.com') },
	'user:disable': { userId: byName('jane@example.com') },
	'user:enable': { userId: byName('jane@example.com') },
	'user:exemptFromMfa': { userId: byName('jane@example.com'), minutes: 30 },
	'user:get': { userId: byName('jane@example.com') },
	'user:getAll': { returnAll: true },
	'user:getExtendedAttributes': { userId: byName('jane@example.com') },
	'user:lock': { userId: byName('jane@example.com') },
	'user:removeFromRole': {
		userId: byName('jane@example.com'),
		roleId: { __rl: true, mode: 'name', value: 'Finance' },
	},
	'user:resetPassword': { userId: byName('jane@example.com'), newPassword: 'Probe-Passw0rd-1' },
	'user:sendInvite': { userId: byName('jane@example.com') },
	'user:setExtendedAttributes': {
		userId: byName('jane@example.com'),
		extendedAttributes: { attribute: [{ name: 'EmployeeID', value: 'E-1' }] },
	},
	'user:signOut': { userId: byName('jane@example.com') },
	'user:unlock': { userId: byName('jane@example.com') },
	'user:update': { userId: byName('jane@example.com'), updateFields: { displayName: 'Jane S.' } },
	'user:upsert': {
		userName: 'jane@example.com',
		email: 'jane@acme.test',
		additionalFields: { displayName: 'Jane Upserted', roles: roleEntries('Finance') },
	},
};

const OPERATIONS = Object.entries(resources).flatMap(([resource, operations]) =>
	Object.entries(operations).map(([name, operation]) => ({
		key: `${resource}:${name}`,
		resource,
		name,
		operation,
	})),
);

/** Calls a run may make besides its operation's own: none but the token exchange, which is not a management call. */
const TRANSPORT = ['/security/whoami'];

test('the editor offers every operation module, in alphabetical order, each with an action', () => {
	const offered = (properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[]).flatMap(
		({ value: resource }) => {
			const list = properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
			)!.options as INodePropertyOptions[];
			expect(list.map((o) => o.name)).toEqual(list.map((o) => o.name).sort((a, b) => a.localeCompare(b)));
			for (const option of list) expect(option.action).toBeTruthy();
			return list.map(({ value }) => `${String(resource)}:${String(value)}`);
		},
	);
	expect(offered.sort()).toEqual(OPERATIONS.map((o) => o.key).sort());
});

test('every run below names an operation of the node', () => {
	for (const key of Object.keys(RUNS)) expect(OPERATIONS.map((o) => o.key)).toContain(key);
});

// An operation added later without a run here is only checked for its Dry Run switch.
describe.each(OPERATIONS)('$key', ({ key, resource, name, operation }) => {
	test('is offered Dry Run exactly when it declares a write', () => {
		const dryRunShown = properties.some(
			(p) =>
				p.name === 'dryRun' &&
				p.displayOptions?.show?.resource?.includes(resource) &&
				p.displayOptions?.show?.operation?.includes(name),
		);
		expect(dryRunShown).toBe(operation.endpoints.some((e) => e.kind === 'write'));
	});

	(RUNS[key] ? test : test.skip)(
		'calls no endpoint it does not declare; its output fits its schema',
		async () => {
			const parameters = JSON.parse(
				JSON.stringify(RUNS[key])
					.split('$finance')
					.join([...sandbox.directory.roles.values()].find((r) => r.Name === 'Finance')!.ID),
			);
			const result = await runNode(store, { resource, operation: name, ...parameters });
			expect(result.error).toBeUndefined();
			const declared = operation.endpoints.map((e) => e.path.toLowerCase());
			const called = Object.keys(sandbox.counters.calls).filter((p) => !TRANSPORT.includes(p));
			expect(called.filter((p) => !declared.includes(p))).toEqual([]);
			expect(result.items.length).toBeGreaterThan(0);
			for (const item of result.items) expect(validate(item.json, operation.output)).toEqual([]);
		},
	);
});

describe('a new operation is one module and one line', () => {
	// A write operation written as a module, added to a resource: nothing else changes.
	const probe: ItemOperation = {
		option: { name: 'Probe', description: 'Rename a user to Probed', action: 'Probe a user' },
		description: [userLocator],
		options: RUN_OPTIONS,
		endpoints: [ENDPOINT.getUserByName, ENDPOINT.changeUser],
		output: itemSchema({ id: STRING, probed: STRING }, ['id', 'probed']),
		async execute(this: IExecuteFunctions, client: CyberArkClient, i: number): Promise<IDataObject> {
			const userId = await resolveUserId.call(this, client, i);
			await client.request({ endpoint: ENDPOINT.changeUser, body: { ID: userId, DisplayName: 'Probed' } }, i);
			return { id: userId, probed: 'yes' };
		},
	};
	const extended: Resources = { ...resources, user: { ...resources.user, probe } };

	class ProbeNode extends CyberArkIdentity {
		constructor() {
			super();
			this.description = {
				...this.description,
				properties: [
					properties.find((p) => p.name === 'resource')!,
					...resourceParameters('token', extended.token, 'get'),
					...resourceParameters('user', extended.user, 'create'),
					...resourceParameters('role', extended.role, 'getAll'),
				],
			};
		}

		async execute(this: IExecuteFunctions) {
			return await route.call(this, extended);
		}
	}
	const engine = createEngine({ NodeClass: ProbeNode, CredentialClass: CyberArkIdentityApi });

	test('it is offered with Dry Run and Options, and has its output schema file', () => {
		const probeProperties = new ProbeNode().description.properties.filter((p: INodeProperties) =>
			p.displayOptions?.show?.operation?.includes('probe'),
		);
		expect(probeProperties.map((p) => p.name)).toEqual(['dryRun', 'userId', 'options']);
		expect(outputSchemaFiles(extended)['__schema__/v1.0.0/user/probe.json']).toContain('"probed"');
	});

	test('its Dry Run holds the write back and reports it; without, it writes', async () => {
		const dry = await engine.run(store, {
			resource: 'user',
			operation: 'probe',
			dryRun: true,
			userId: byName('jane@example.com'),
		});
		expect(dry.items[0].json).toEqual({
			dryRun: true,
			action: 'probe',
			id,
			requests: [{ path: '/CDirectoryService/ChangeUser', body: { ID: id, DisplayName: 'Probed' } }],
		});
		expect(sandbox.counters.calls['/cdirectoryservice/changeuser']).toBeUndefined();
		const real = await engine.run(store, {
			resource: 'user',
			operation: 'probe',
			userId: byName('jane@example.com'),
		});
		expect(real.items[0].json).toEqual({ id, probed: 'yes' });
		expect(sandbox.directory.users.get(id)!.DisplayName).toBe('Probed');
	});
});
