// Dry Run on every operation that writes: inputs checked, users and roles resolved, the requests
// that would be sent output (passwords masked), and nothing written.
import type { IDataObject } from 'n8n-workflow';

import { ENDPOINT } from '../../../nodes/shared/endpoints';
import { plannedRequest } from '../../../nodes/shared/transport/dryRun';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { capturedLogs, CredentialStore, roleEntries, runNode } from '../../harness';

let sandbox: Sandbox;
let store: CredentialStore;
let id: string;
let financeId: string;

beforeEach(async () => {
	sandbox = await startSandbox({ roles: [{ Name: 'Finance', Description: '' }] });
	store = new CredentialStore(sandbox.credentials());
	id = sandbox.directory.createUser({
		Name: 'jane@example.com',
		Mail: 'jane@acme.test',
		DisplayName: 'Jane',
		SendEmailInvite: false,
	});
	financeId = [...sandbox.directory.roles.values()].find((r) => r.Name === 'Finance')!.ID;
	sandbox.resetCounters();
});
afterEach(async () => sandbox.close());

const byName = (value: string) => ({ __rl: true, mode: 'userName', value });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const finance = () => ({ __rl: true, mode: 'name', value: 'Finance' });

const READS = [
	'/security/whoami',
	'/cdirectoryservice/getuser',
	'/cdirectoryservice/getuserbyname',
	'/usermgmt/getuserattributes',
	'/redrock/query',
	'/roles/getrolemembers',
];
const writesSeen = () => Object.keys(sandbox.counters.calls).filter((p) => !READS.includes(p));

async function dry(parameters: object) {
	const result = await runNode(store, { resource: 'user', ...parameters, dryRun: true });
	if (result.error) throw new Error(`${result.error.message} — ${result.error.description ?? ''}`);
	expect(writesSeen()).toEqual([]);
	return result.items.map((i) => i.json);
}

const snapshot = () => JSON.stringify(sandbox.state().users) + JSON.stringify(sandbox.state().roles);

test.each([
	[
		'create',
		{
			userName: 'new@example.com',
			email: 'new@acme.test',
			additionalFields: { password: 'Dry-Passw0rd-1', roles: roleEntries('$finance') },
		},
		'<ID of the new user new@example.com>',
		[
			{
				path: '/CDirectoryService/CreateUser',
				body: { Name: 'new@example.com', Mail: 'new@acme.test', Password: '********' },
			},
			// The user to be created is named where its ID would go.
			{
				path: '/Roles/UpdateRole',
				body: { Name: '$finance', Users: { Add: ['<ID of the new user new@example.com>'] } },
			},
		],
	],
	[
		'update',
		{ userId: byName('jane@example.com'), updateFields: { displayName: 'Jane Smith' } },
		'$id',
		[{ path: '/CDirectoryService/ChangeUser', body: { ID: '$id', DisplayName: 'Jane Smith' } }],
	],
	[
		'delete',
		{ userId: byName('jane@example.com') },
		'$id',
		[{ path: '/CDirectoryService/DeleteUser', body: { ID: '$id' } }],
	],
	[
		'lock',
		{ userId: byId('$id') },
		'$id',
		[
			{ path: '/UserMgmt/SetCloudLock', body: {}, qs: { user: '$id', lockuser: 'true' } },
			{ path: '/UserMgmt/SignOutEverywhere', body: {}, qs: { ID: '$id' } },
		],
	],
	[
		'unlock',
		{ userId: byId('$id') },
		'$id',
		[
			{ path: '/UserMgmt/SetCloudLock', body: {}, qs: { user: '$id', lockuser: 'false' } },
			{ path: '/CDirectoryService/SetUserState', body: { ID: '$id', state: 'None' } },
		],
	],
	[
		'disable',
		{ userId: byId('$id') },
		'$id',
		[
			{ path: '/CDirectoryService/SetUserState', body: { ID: '$id', state: 'Disabled' } },
			{ path: '/UserMgmt/SignOutEverywhere', body: {}, qs: { ID: '$id' } },
		],
	],
	[
		'enable',
		{ userId: byId('$id') },
		'$id',
		[{ path: '/CDirectoryService/SetUserState', body: { ID: '$id', state: 'None' } }],
	],
	[
		'resetPassword',
		{ userId: byId('$id'), newPassword: 'Dry-Passw0rd-2' },
		'$id',
		[{ path: '/UserMgmt/ResetUserPassword', body: { ID: '$id', newPassword: '********' } }],
	],
	[
		'addToRole',
		{ userId: byName('jane@example.com'), roleId: finance() },
		'$id',
		[{ path: '/Roles/UpdateRole', body: { Name: '$finance', Users: { Add: ['$id'] } } }],
	],
	[
		'removeFromRole',
		{ userId: byName('jane@example.com'), roleId: finance() },
		'$id',
		[{ path: '/Roles/UpdateRole', body: { Name: '$finance', Users: { Delete: ['$id'] } } }],
	],
])(
	'%s: outputs the requests it would send and writes nothing',
	async (operation, parameters, expectedId, requests) => {
		const fill = (value: unknown) =>
			JSON.parse(JSON.stringify(value).split('$id').join(id).split('$finance').join(financeId));
		const before = snapshot();
		const [out] = await dry(fill({ operation, ...parameters }));
		expect(out).toMatchObject({ dryRun: true, action: operation, requests: fill(requests) });
		// The table's first column says it.
		expect(Object.keys(out)[0]).toBe('dryRun');
		expect(out.id).toBe(fill(expectedId));
		expect(snapshot()).toBe(before);
		expect(JSON.stringify(out) + capturedLogs.join('')).not.toMatch(/Dry-Passw0rd/);
	},
);

/** The hints n8n shows above the node's output. */
function hintsOf(result: Awaited<ReturnType<typeof runNode>>): Array<{ message: string; type?: string }> {
	return Object.values(result.run.data.resultData.runData).flatMap((runs) =>
		runs.flatMap((task) => (task.hints ?? []) as Array<{ message: string; type?: string }>),
	);
}

test('a dry run says so above its output, where n8n would only say the node ran; a real run does not', async () => {
	const dryRun = await runNode(store, {
		resource: 'user',
		operation: 'disable',
		userId: byName('jane@example.com'),
		dryRun: true,
	});
	expect(hintsOf(dryRun)).toEqual([
		expect.objectContaining({
			message: expect.stringMatching(/^Dry Run: nothing was changed in CyberArk\./),
			type: 'info',
			location: 'outputPane',
		}),
	]);
	const real = await runNode(store, {
		resource: 'user',
		operation: 'disable',
		userId: byName('jane@example.com'),
	});
	expect(real.error).toBeUndefined();
	expect(hintsOf(real)).toEqual([]);
});

test('input is still checked and users and roles still resolved in a dry run', async () => {
	const missing = await runNode(store, {
		resource: 'user',
		operation: 'delete',
		userId: byName('ghost@example.com'),
		dryRun: true,
	});
	expect(missing.error?.message).toBe('No user with the login name "ghost@example.com" exists in the tenant');
	const noRole = await runNode(store, {
		resource: 'user',
		operation: 'addToRole',
		userId: byId(id),
		roleId: { __rl: true, mode: 'name', value: 'Nope' },
		dryRun: true,
	});
	expect(noRole.error?.message).toBe('Role: no role named "Nope" (or with that ID) exists in the tenant');
	const nothing = await runNode(store, {
		resource: 'user',
		operation: 'update',
		userId: byId(id),
		updateFields: {},
		dryRun: true,
	});
	expect(nothing.error?.message).toBe('Nothing to update');
	expect(writesSeen()).toEqual([]);
});

test('Dry Run off: the same operation writes', async () => {
	await runNode(store, {
		resource: 'user',
		operation: 'disable',
		userId: byId(id),
		dryRun: false,
	});
	expect(sandbox.directory.attributes(sandbox.directory.users.get(id)).State).toBe('Disabled');
});

test('passwords are masked by name and by value', () => {
	expect(
		plannedRequest({
			endpoint: ENDPOINT.changeUser,
			body: { Password: 'a', confirmPassword: 'b', Nested: [{ token: 'Secret-1' }], Name: 'n' },
			secrets: ['Secret-1'],
		}),
	).toEqual({
		path: '/CDirectoryService/ChangeUser',
		body: { Password: '********', confirmPassword: '********', Nested: [{ token: '********' }], Name: 'n' },
	});
});

describe('Dry Run fails closed', () => {
	const disable = (dryRun: IDataObject[string], input?: object[]) =>
		runNode(store, { resource: 'user', operation: 'disable', userId: byId(id), dryRun }, input as never);
	const state = () => sandbox.directory.attributes(sandbox.directory.users.get(id)).State;

	test.each([[true], ['true'], ['TRUE'], [' true ']])('%j from an expression is a dry run', async (value) => {
		const result = await disable(value);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ dryRun: true, action: 'disable' });
		expect(writesSeen()).toEqual([]);
		expect(state()).not.toBe('Disabled');
	});

	test.each([['yes'], ['1'], [''], [1], [null], [['true']], [{}]])(
		'%j is refused before anything is sent',
		async (value) => {
			const result = await disable(value);
			expect(result.error?.message).toMatch(/^Dry Run must be true or false/);
			expect(result.error?.description).toMatch(/Nothing was sent to CyberArk/);
			expect(Object.keys(sandbox.counters.calls)).toEqual([]);
			expect(state()).not.toBe('Disabled');
		},
	);

	test('an expression is read for every item: one item saying "true" makes the whole run dry', async () => {
		const result = await disable('={{ $json.dry }}', [{ dry: 'false' }, { dry: 'true' }]);
		expect(result.items.map((i) => i.json.dryRun)).toEqual([true, true]);
		expect(writesSeen()).toEqual([]);
	});

	test('an item whose expression gives something else fails the run before anything is sent', async () => {
		const result = await disable('={{ $json.dry }}', [{ dry: false }, { dry: 'maybe' }]);
		expect(result.error?.message).toBe('Dry Run must be true or false, but the value is the text "maybe"');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(Object.keys(sandbox.counters.calls)).toEqual([]);
	});

	test('Create User and Create or Update given the text "true" write nothing', async () => {
		const create = await runNode(store, {
			resource: 'user',
			operation: 'create',
			dryRun: 'true',
			userName: 'text@example.com',
			email: 'text@acme.test',
		});
		expect(create.items[0].json).toMatchObject({ dryRun: true, action: 'create' });
		const upsert = await runNode(store, {
			resource: 'user',
			operation: 'upsert',
			dryRun: '={{ "true" }}',
			userName: 'text@example.com',
			email: 'text@acme.test',
		});
		expect(upsert.items[0].json).toMatchObject({ dryRun: true, action: 'created' });
		expect(writesSeen()).toEqual([]);
		expect(sandbox.directory.findByName('text@example.com')).toBeUndefined();
	});
});
