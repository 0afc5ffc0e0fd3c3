// Dry Run on every operation that writes: inputs checked, users and roles resolved, the requests
// that would be sent output (passwords masked), and nothing written.
import type { INodeProperties } from 'n8n-workflow';

import { CyberArkIdentity } from '../../../nodes/CyberArkIdentity/CyberArkIdentity.node';
import { isWriteCall, plannedRequest, WRITE_OPERATIONS } from '../../../nodes/shared/transport/dryRun';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { capturedLogs, CredentialStore, runNode } from '../../harness';

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
	const result = await runNode(store, { resource: 'user', ...parameters, options: { dryRun: true } });
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
			additionalFields: { password: 'Dry-Passw0rd-1', roles: ['$finance'] },
		},
		undefined,
		[
			{
				path: '/CDirectoryService/CreateUser',
				body: { Name: 'new@example.com', Mail: 'new@acme.test', Password: '********' },
			},
			{ path: '/Roles/UpdateRole', body: { Name: '$finance', Users: { Add: [null] } } },
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
		[{ path: '/UserMgmt/SetCloudLock', body: {}, qs: { user: '$id', lockuser: 'true' } }],
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
		[{ path: '/CDirectoryService/SetUserState', body: { ID: '$id', state: 'Disabled' } }],
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
		if (expectedId) expect(out.id).toBe(fill(expectedId));
		expect(snapshot()).toBe(before);
		expect(JSON.stringify(out) + capturedLogs.join('')).not.toMatch(/Dry-Passw0rd/);
	},
);

test('every write operation offers Dry Run; no read operation does', () => {
	const { properties } = new CyberArkIdentity().description;
	const option = (properties.find((p) => p.name === 'options')!.options as INodeProperties[]).find(
		(o) => o.name === 'dryRun',
	)!;
	expect(option.displayOptions?.show?.['/operation']).toEqual(WRITE_OPERATIONS.user);
	expect(WRITE_OPERATIONS.user).toEqual(
		expect.arrayContaining([
			'create',
			'upsert',
			'update',
			'delete',
			'lock',
			'unlock',
			'disable',
			'enable',
			'resetPassword',
			'addToRole',
			'removeFromRole',
		]),
	);
	expect(WRITE_OPERATIONS.user).not.toContain('get');
	expect(WRITE_OPERATIONS.user).not.toContain('getAll');
});

test('input is still checked and users and roles still resolved in a dry run', async () => {
	const missing = await runNode(store, {
		resource: 'user',
		operation: 'delete',
		userId: byName('ghost@example.com'),
		options: { dryRun: true },
	});
	expect(missing.error?.message).toBe('No user with the login name "ghost@example.com" exists in the tenant');
	const noRole = await runNode(store, {
		resource: 'user',
		operation: 'addToRole',
		userId: byId(id),
		roleId: { __rl: true, mode: 'name', value: 'Nope' },
		options: { dryRun: true },
	});
	expect(noRole.error?.message).toBe('No role named "Nope" exists in the tenant');
	const nothing = await runNode(store, {
		resource: 'user',
		operation: 'update',
		userId: byId(id),
		updateFields: {},
		options: { dryRun: true },
	});
	expect(nothing.error?.message).toBe('Nothing to update');
	expect(writesSeen()).toEqual([]);
});

test('Dry Run off: the same operation writes', async () => {
	await runNode(store, {
		resource: 'user',
		operation: 'disable',
		userId: byId(id),
		options: { dryRun: false },
	});
	expect(sandbox.directory.attributes(sandbox.directory.users.get(id)).State).toBe('Disabled');
});

test('reads are allowed, anything else is held back; passwords are masked by name and by value', () => {
	expect(isWriteCall('/Redrock/query')).toBe(false);
	expect(isWriteCall('/cdirectoryservice/getuser')).toBe(false);
	expect(isWriteCall('/CDirectoryService/ChangeUser')).toBe(true);
	expect(isWriteCall('/Some/NewEndpoint')).toBe(true);
	expect(
		plannedRequest({
			path: '/X',
			body: { Password: 'a', confirmPassword: 'b', Nested: [{ token: 'Secret-1' }], Name: 'n' },
			secrets: ['Secret-1'],
		}),
	).toEqual({
		path: '/X',
		body: { Password: '********', confirmPassword: '********', Nested: [{ token: '********' }], Name: 'n' },
	});
});
