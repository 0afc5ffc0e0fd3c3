// Engine tests of the user lifecycle and roles: n8n-core's WorkflowExecute against the sandbox tenant.
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { capturedLogs, CredentialStore, roleEntries, runNode } from '../../harness';

let sandbox: Sandbox;
let store: CredentialStore;
let financeId: string;

beforeEach(async () => {
	sandbox = await startSandbox({
		roles: [
			{ Name: 'Finance', Description: 'Finance team' },
			{ Name: "R&D's Lab", Description: '' },
		],
	});
	store = new CredentialStore(sandbox.credentials());
	financeId = [...sandbox.directory.roles.values()].find((r) => r.Name === 'Finance')!.ID;
});
afterEach(async () => sandbox.close());

const byName = (value: string) => ({ __rl: true, mode: 'userName', value });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const role = (mode: string, value: string) => ({ __rl: true, mode, value });

async function ok(parameters: object, input: object[] = [{}]) {
	const result = await runNode(store, { resource: 'user', ...parameters }, input as never);
	if (result.error) throw new Error(`${result.error.message} — ${result.error.description ?? ''}`);
	return result.items.map((i) => i.json);
}

describe('the lifecycle, from hire to departure: one test per operation', () => {
	let id: string;
	beforeEach(async () => {
		const [created] = await ok({
			operation: 'create',
			userName: 'jane.doe@example.com',
			email: 'jane@acme.test',
			additionalFields: { displayName: 'Jane Doe' },
		});
		id = created.id as string;
		expect(sandbox.directory.users.get(id)).toMatchObject({
			Name: 'jane.doe@example.com',
			Mail: 'jane@acme.test',
			DisplayName: 'Jane Doe',
		});
	});
	afterEach(() => expect(sandbox.counters.tokensIssued).toBe(1));
	const member = () => sandbox.directory.roles.get(financeId)!.members.has(id);

	test('get by login name', async () => {
		const [got] = await ok({ operation: 'get', userId: byName('jane.doe@example.com') });
		expect(got).toMatchObject({
			id,
			userName: 'jane.doe@example.com',
			email: 'jane@acme.test',
			displayName: 'Jane Doe',
			state: 'active',
			forcePasswordChangeNext: true,
		});
		expect(got.createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
	});

	test('get many by search', async () => {
		expect(await ok({ operation: 'getAll', filters: { search: 'jane' } })).toEqual([
			expect.objectContaining({ id, userName: 'jane.doe@example.com', state: 'active' }),
		]);
	});

	test('update', async () => {
		const [updated] = await ok({
			operation: 'update',
			userId: byId(id),
			updateFields: { displayName: 'Jane Smith', mobileNumber: '+1 555 0100', passwordNeverExpire: true },
		});
		expect(updated).toMatchObject({
			id,
			displayName: 'Jane Smith',
			mobileNumber: '+1 555 0100',
			passwordNeverExpire: true,
		});
		expect(sandbox.directory.users.get(id)).toMatchObject({
			DisplayName: 'Jane Smith',
			MobileNumber: '+1 555 0100',
			PasswordNeverExpire: true,
		});
	});

	test('add to role, by name and by ID (twice is no error)', async () => {
		// The role by its name beside its ID, however it was given.
		expect(await ok({ operation: 'addToRole', userId: byId(id), roleId: role('name', 'Finance') })).toEqual([
			{ id, roleId: financeId, roleName: 'Finance', member: true },
		]);
		expect(await ok({ operation: 'addToRole', userId: byId(id), roleId: role('id', financeId) })).toEqual([
			{ id, roleId: financeId, roleName: 'Finance', member: true },
		]);
		expect(member()).toBe(true);
	});

	test('remove from role', async () => {
		sandbox.directory.updateRole({ Name: financeId, Users: { Add: [id] } });
		expect(
			await ok({ operation: 'removeFromRole', userId: byId(id), roleId: role('list', financeId) }),
		).toEqual([{ id, roleId: financeId, roleName: 'Finance', member: false }]);
		expect(member()).toBe(false);
	});

	test('lock', async () => {
		expect(await ok({ operation: 'lock', userId: byId(id) })).toEqual([
			{ id, state: 'locked', signedOut: true },
		]);
		expect(sandbox.directory.users.get(id)!.cloudLocked).toBe(true);
	});

	test('unlock', async () => {
		sandbox.directory.setCloudLock(id, true);
		expect(await ok({ operation: 'unlock', userId: byId(id) })).toEqual([{ id, state: 'active' }]);
		expect(sandbox.directory.users.get(id)!.cloudLocked).toBe(false);
	});

	test('disable, and find the disabled user by state', async () => {
		expect(await ok({ operation: 'disable', userId: byId(id) })).toEqual([
			{ id, state: 'disabled', signedOut: true },
		]);
		expect((await ok({ operation: 'getAll', filters: { status: 'Suspended' } })).map((u) => u.id)).toEqual([
			id,
		]);
	});

	test('enable', async () => {
		sandbox.directory.setState(id, 'Disabled');
		expect(await ok({ operation: 'enable', userId: byId(id) })).toEqual([{ id, state: 'active' }]);
		expect(sandbox.directory.users.get(id)!.State).toBe('None');
	});

	test('reset password: applied, never in the output or a log', async () => {
		const reset = await runNode(store, {
			resource: 'user',
			operation: 'resetPassword',
			userId: byId(id),
			newPassword: 'Brand-New-Passw0rd',
		});
		expect(reset.items.map((i) => i.json)).toEqual([{ id, passwordReset: true }]);
		expect(sandbox.directory.users.get(id)!.password).toBe('Brand-New-Passw0rd');
		expect(
			JSON.stringify(reset.run.data.resultData.runData['CyberArk Identity'][0].data) + capturedLogs.join(''),
		).not.toContain('Brand-New-Passw0rd');
	});

	test('delete, after which the user is gone by ID and by login name', async () => {
		expect(await ok({ operation: 'delete', userId: byName('jane.doe@example.com') })).toEqual([
			{ deleted: true, id },
		]);
		expect(sandbox.directory.users.has(id)).toBe(false);
		const gone = await runNode(store, { resource: 'user', operation: 'get', userId: byId(id) });
		expect(gone.error?.message).toBe(`User ${id} not found.`);
		const goneByName = await runNode(store, {
			resource: 'user',
			operation: 'get',
			userId: byName('jane.doe@example.com'),
		});
		expect(goneByName.error?.message).toBe(
			'No user with the login name "jane.doe@example.com" exists in the tenant',
		);
	});
});

test('Simplify off returns the raw CyberArk record', async () => {
	const [created] = await ok({ operation: 'create', userName: 'raw@example.com', email: 'raw@acme.test' });
	const [raw] = await ok({ operation: 'get', userId: byId(created.id as string), simplify: false });
	expect(raw).toMatchObject({
		Uuid: created.id,
		Name: 'raw@example.com',
		Mail: 'raw@acme.test',
		ForcePasswordChangeNext: 'True',
		CreateDate: expect.stringMatching(/^\/Date\(\d+\)\/$/),
	});
	const rows = await ok({ operation: 'getAll', filters: { userName: 'raw@example.com' }, simplify: false });
	expect(rows).toEqual([
		expect.objectContaining({ ID: created.id, Username: 'raw@example.com', Status: 'Active' }),
	]);
});

test('Get Many pages through 1,200 users without loading them in one response', async () => {
	for (let i = 0; i < 1200; i++)
		sandbox.directory.createUser({
			Name: `bulk${String(i).padStart(4, '0')}@example.com`,
			SendEmailInvite: false,
		});
	const all = await ok({ operation: 'getAll', returnAll: true, filters: { search: 'bulk' } });
	expect(all).toHaveLength(1200);
	expect(new Set(all.map((u) => u.id)).size).toBe(1200);
	expect(all[0].userName).toBe('bulk0000@example.com');
	expect(all[1199].userName).toBe('bulk1199@example.com');
	expect(sandbox.counters.calls['/redrock/query']).toBe(3);

	const limited = await ok({
		operation: 'getAll',
		returnAll: false,
		limit: 120,
		filters: { search: 'bulk' },
	});
	expect(limited.map((u) => u.userName)).toEqual(all.slice(0, 120).map((u) => u.userName));
});

test.each(["' OR 1=1 --", "' OR '1'='1", "x' OR Username LIKE '%", "'; DELETE FROM User; --"])(
	'injection %j in every filter returns nothing',
	async (attack) => {
		await ok({ operation: 'create', userName: 'victim@example.com', email: 'v@acme.test' });
		const usersBefore = [...sandbox.directory.users.keys()].sort();
		for (const filters of [{ search: attack }, { userName: attack }, { email: attack }]) {
			const result = await runNode(store, {
				resource: 'user',
				operation: 'getAll',
				returnAll: true,
				filters,
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toEqual([]);
		}
		const roles = await runNode(store, {
			resource: 'role',
			operation: 'getAll',
			returnAll: true,
			filters: { name: attack },
		});
		expect(roles.items).toEqual([]);
		const roleByName = await runNode(store, {
			resource: 'user',
			operation: 'addToRole',
			userId: byName('victim@example.com'),
			roleId: role('name', attack),
		});
		expect(roleByName.error?.message).toBe(
			`Role: no role named "${attack}" (or with that ID) exists in the tenant`,
		);
		// The tenant is untouched: the same users as before, the victim among them.
		expect([...sandbox.directory.users.keys()].sort()).toEqual(usersBefore);
		expect(sandbox.directory.findByName('victim@example.com')).toBeDefined();
	},
);

test('a user ID typed into "By Login Name" gets a hint to switch to "By ID", before anything is sent', async () => {
	const id = sandbox.directory.createUser({ Name: 'someone@example.com', SendEmailInvite: false });
	const result = await runNode(store, { resource: 'user', operation: 'get', userId: byName(id) });
	expect(result.error?.message).toBe(`"${id}" looks like a user ID, not a login name`);
	expect(result.error?.description).toMatch(/By ID/);
	expect(sandbox.counters.managementRequests).toBe(0);
});

test('a failed item carries the login name or user ID it was about, so a table shows who failed', async () => {
	const result = await runNode(
		store,
		{
			resource: 'user',
			operation: 'get',
			userId:
				'={{ $json.by === "name" ? { __rl: true, mode: "userName", value: $json.v } : { __rl: true, mode: "id", value: $json.v } }}',
		},
		[
			{ by: 'name', v: 'nobody@example.com' },
			{ by: 'id', v: '00000000-0000-4000-8000-000000000000' },
		],
		{ continueOnFail: true },
	);
	expect(result.items.map((i) => i.json)).toEqual([
		{
			userName: 'nobody@example.com',
			error: 'No user with the login name "nobody@example.com" exists in the tenant',
		},
		{
			// By ID: under `id`, the column a successful item starts with.
			id: '00000000-0000-4000-8000-000000000000',
			error: 'User 00000000-0000-4000-8000-000000000000 not found.',
		},
	]);
	const created = await runNode(
		store,
		{ resource: 'user', operation: 'create', userName: 'x@unknown.example', email: 'x@acme.test' },
		[{}],
		{ continueOnFail: true },
	);
	expect(created.items[0].json).toEqual({
		userName: 'x@unknown.example',
		error: 'The login suffix unknown.example is not valid for this tenant.',
	});
});

test('On Error "Continue (using error output)": the failed items go to the error output, the others on', async () => {
	const result = await runNode(
		store,
		{ resource: 'user', operation: 'create', userName: '={{ $json.login }}', email: '={{ $json.email }}' },
		[
			{ login: 'ok.one@example.com', email: 'one@acme.test' },
			{ login: 'bad name@example.com', email: 'two@acme.test' },
			{ login: 'ok.three@example.com', email: 'not-an-email' },
		],
		{ onError: 'continueErrorOutput' },
	);
	expect(result.items.map((i) => i.json.userName)).toEqual(['ok.one@example.com']);
	// Only the error: n8n routes nothing else, and in a workflow adds the input item's fields itself.
	expect(result.errorOutput.map((i) => [i.pairedItem, i.json])).toEqual([
		[{ item: 1 }, { error: expect.stringMatching(/^User Name "bad name@example.com" contains characters/) }],
		[{ item: 2 }, { error: 'Email "not-an-email" is not an e-mail address' }],
	]);
});

test('a role given by name is looked up once per run, not once per item', async () => {
	const ids = ['a', 'b', 'c', 'd', 'e'].map((n) =>
		sandbox.directory.createUser({ Name: `${n}@example.com`, SendEmailInvite: false }),
	);
	const result = await runNode(
		store,
		{ resource: 'user', operation: 'addToRole', userId: '={{ $json.id }}', roleId: role('name', 'Finance') },
		ids.map((id) => ({ id })),
	);
	expect(result.items.map((i) => i.json)).toEqual(
		ids.map((id) => ({ id, roleId: financeId, roleName: 'Finance', member: true })),
	);
	expect(sandbox.counters.calls['/redrock/query']).toBe(1);
});

test('Get Token reads the credential once and mints one token for every item', async () => {
	const result = await runNode(store, { resource: 'token', operation: 'get' }, [{}, {}, {}]);
	expect(result.items).toHaveLength(3);
	expect(new Set(result.items.map((i) => i.json.access_token)).size).toBe(1);
	expect(store.reads).toBe(1);
	expect(sandbox.counters.tokensIssued).toBe(1);
});

test('unknown users and roles: clear errors, one per item with Continue On Fail', async () => {
	const [user] = await ok({ operation: 'create', userName: 'known@example.com', email: 'k@acme.test' });
	const result = await runNode(
		store,
		{
			resource: 'user',
			operation: 'addToRole',
			userId: byId('={{ $json.user }}'),
			roleId: role('id', '={{ $json.role }}'),
		},
		[
			{ user: user.id, role: financeId },
			{ user: '00000000-0000-0000-0000-000000000000', role: financeId },
			{ user: user.id, role: 'no-such-role' },
			{ user: 'not-a-uuid', role: financeId },
		],
		{ continueOnFail: true },
	);
	expect(result.items.map((i) => [i.pairedItem, i.json.error ?? i.json.member])).toEqual([
		[{ item: 0 }, true],
		[{ item: 1 }, 'User 00000000-0000-0000-0000-000000000000 not found.'],
		[{ item: 2 }, 'The role no-such-role does not exist.'],
		[{ item: 3 }, 'User ID "not-a-uuid" is not a CyberArk user ID'],
	]);
});

test('Create User adds the new user to the roles given by ID or name, and names them', async () => {
	const [created] = await ok({
		operation: 'create',
		userName: 'fin@example.com',
		email: 'fin@acme.test',
		additionalFields: { roles: roleEntries(financeId, "R&D's Lab") },
	});
	const lab = [...sandbox.directory.roles.values()].find((r) => r.Name === "R&D's Lab")!.ID;
	expect(created.roles).toEqual([
		{ id: financeId, name: 'Finance' },
		{ id: lab, name: "R&D's Lab" },
	]);
	expect(sandbox.directory.roles.get(financeId)!.members.has(created.id as string)).toBe(true);
	const failed = await runNode(store, {
		resource: 'user',
		operation: 'create',
		userName: 'fin2@example.com',
		email: 'f@acme.test',
		additionalFields: { roles: roleEntries('no-such-role') },
	});
	// Resolved before CreateUser: nothing is created.
	expect(failed.error?.message).toBe(
		'Roles: no role named "no-such-role" (or with that ID) exists in the tenant',
	);
	expect(sandbox.directory.findByName('fin2@example.com')).toBeUndefined();
});

describe('roles', () => {
	test('Get Many lists roles, filtered by name', async () => {
		const all = await runNode(store, { resource: 'role', operation: 'getAll', returnAll: true });
		expect(all.items.map((i) => i.json.name)).toEqual([
			'Everybody',
			'Finance',
			"R&D's Lab",
			'System Administrator',
		]);
		const filtered = await runNode(store, {
			resource: 'role',
			operation: 'getAll',
			returnAll: true,
			filters: { name: "d's" },
		});
		expect(filtered.items.map((i) => i.json)).toEqual([
			{ id: expect.any(String), name: "R&D's Lab", description: '' },
		]);
		const limited = await runNode(store, { resource: 'role', operation: 'getAll', limit: 2 });
		expect(limited.items).toHaveLength(2);
	});

	test('Get Members lists the users in a role', async () => {
		const [a] = await ok({
			operation: 'create',
			userName: 'a@example.com',
			email: 'a@acme.test',
			additionalFields: { roles: roleEntries(financeId) },
		});
		const members = await runNode(store, {
			resource: 'role',
			operation: 'getMembers',
			roleId: role('name', 'Finance'),
			returnAll: true,
		});
		expect(members.items.map((i) => i.json)).toEqual([
			{ id: a.id, name: 'a@example.com', type: 'User', roleId: financeId, roleName: 'Finance' },
		]);
	});
});

describe('lists in the editor (listSearch)', () => {
	/** The context n8n gives list methods: credentials and an authenticated request helper. */
	async function editorContext() {
		const { exchangeToken } = await import('../../../nodes/shared/transport/token');
		const credentials = sandbox.credentials();
		const token = await exchangeToken(
			{
				httpRequest: async (o) => {
					const r = await fetch(o.url, {
						method: o.method,
						headers: o.headers as Record<string, string>,
						body: o.body as string,
					});
					return { statusCode: r.status, body: await r.text() };
				},
			},
			credentials,
		);
		return {
			getNode: () => ({ name: 'CyberArk Identity' }),
			getCredentials: async () => credentials,
			helpers: {
				httpRequestWithAuthentication: async (
					_type: string,
					o: { url: string; body: object; qs?: Record<string, string> },
				) => {
					const url = new URL(o.url);
					for (const [k, v] of Object.entries(o.qs ?? {})) url.searchParams.set(k, v);
					const r = await fetch(url, {
						method: 'POST',
						headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
						body: JSON.stringify(o.body),
					});
					return await r.json();
				},
			},
		} as never;
	}

	test('searchUsers finds by display name and pages by 50', async () => {
		const { searchUsers } = await import('../../../nodes/CyberArkIdentity/methods/listSearch');
		for (let i = 0; i < 60; i++)
			sandbox.directory.createUser({
				Name: `s${String(i).padStart(2, '0')}@example.com`,
				DisplayName: `Searchable ${i}`,
				SendEmailInvite: false,
			});
		const context = await editorContext();
		const first = await searchUsers.call(context, 'searchable');
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({
			name: 'Searchable 0 (s00@example.com)',
			value: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});
		expect(first.paginationToken).toBe('2');
		const second = await searchUsers.call(context, 'searchable', '2');
		expect(second.results).toHaveLength(10);
		expect(second.paginationToken).toBeUndefined();
		expect((await searchUsers.call(context, "' OR 1=1 --")).results).toEqual([]);
	});

	test('searchRoles', async () => {
		const { searchRoles } = await import('../../../nodes/CyberArkIdentity/methods/listSearch');
		const context = await editorContext();
		expect((await searchRoles.call(context, 'fin')).results).toEqual([
			{ name: 'Finance — Finance team', value: financeId, description: 'Finance team' },
		]);
		expect((await searchRoles.call(context, 'lab')).results).toEqual([
			{ name: "R&D's Lab", value: expect.any(String) },
		]);
		expect((await searchRoles.call(context)).results.map((o) => o.name)).toEqual([
			'Everybody — All users',
			'Finance — Finance team',
			"R&D's Lab",
			'System Administrator — Tenant administrators',
		]);
	});
});
