// Engine tests of Create or Update (sync from HR): n8n-core's WorkflowExecute against the sandbox tenant.
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { capturedLogs, CredentialStore, roleEntries, runNode } from '../../harness';
import { writeCount } from '../../writes';

let sandbox: Sandbox;
let store: CredentialStore;
const roleId: Record<string, string> = {};
/** Roles as the output names them: `{id, name}` each. */
const named = (...names: string[]) => names.map((name) => ({ id: roleId[name], name }));

const ROLES = ['Engineering', 'Finance', 'Sales', 'HR Sync', 'VPN'];

beforeEach(async () => {
	sandbox = await startSandbox({ roles: ROLES.map((Name) => ({ Name, Description: '' })) });
	store = new CredentialStore(sandbox.credentials());
	for (const role of sandbox.directory.roles.values()) roleId[role.Name] = role.ID;
});
afterEach(async () => sandbox.close());

/** Write requests the sandbox applied since its counters were reset. */
function writes(): number {
	return writeCount(sandbox.counters.calls);
}

interface Person {
	login: string;
	mail?: string;
	name?: string;
	dept?: string | string[];
	active?: boolean;
	mobile?: string;
	description?: string;
}

const person = (n: number, dept: string | string[] = 'Engineering'): Person => ({
	login: `p${n}@example.com`,
	mail: `p${n}@acme.test`,
	name: `Person ${n}`,
	dept,
});

function parameters(options: Record<string, unknown> = {}, extra: object = {}) {
	const { dryRun, ...rest } = options;
	return {
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
			...extra,
		},
		// These tenants hold a handful of people, so any change is a large share: the percentage limit is
		// sync/safety.test.ts's subject.
		options: {
			scopeRole: 'HR Sync',
			managedRoles: roleEntries('Engineering', 'Finance', 'Sales'),
			maxDeprovisionPercent: 100,
			...rest,
		},
	};
}

async function sync(people: Person[], options: Record<string, unknown> = {}, extra: object = {}) {
	const result = await runNode(store, parameters(options, extra), people as never);
	if (result.error) throw new Error(`${result.error.message} — ${result.error.description ?? ''}`);
	return result.items.map((i) => i.json);
}

const user = (login: string) => sandbox.directory.findByName(login)!;
const rolesOf = (login: string) =>
	sandbox.directory
		.rolesOf(user(login).Uuid)
		.map((r: { Name: string }) => r.Name)
		.filter((n: string) => n !== 'Everybody')
		.sort();

test('joiners are created with their fields and roles, and put in the scope role', async () => {
	const out = await sync(
		[person(1), { ...person(2, 'Finance'), mobile: '+1 555 0102' }],
		{},
		{ mobileNumber: '={{ $json.mobile }}' },
	);
	expect(out).toEqual([
		{
			action: 'created',
			id: user('p1@example.com').Uuid,
			userName: 'p1@example.com',
			changes: {
				userName: { from: null, to: 'p1@example.com' },
				email: { from: null, to: 'p1@acme.test' },
				displayName: { from: null, to: 'Person 1' },
				sendEmailInvite: { from: null, to: false },
			},
			rolesAdded: named('Engineering', 'HR Sync'),
			rolesRemoved: [],
		},
		expect.objectContaining({
			action: 'created',
			id: user('p2@example.com').Uuid,
			rolesAdded: named('Finance', 'HR Sync'),
		}),
	]);
	expect(out[1].changes).toMatchObject({ mobileNumber: { from: null, to: '+1 555 0102' } });
	expect(user('p2@example.com')).toMatchObject({
		Mail: 'p2@acme.test',
		DisplayName: 'Person 2',
		MobileNumber: '+1 555 0102',
	});
	expect(rolesOf('p1@example.com')).toEqual(['Engineering', 'HR Sync']);
	expect(rolesOf('p2@example.com')).toEqual(['Finance', 'HR Sync']);
});

test('the same roster twice: the second run sends zero writes, and few reads per row', async () => {
	const roster = Array.from({ length: 30 }, (_, n) => person(n, n % 2 ? 'Finance' : 'Engineering'));
	await sync(roster);
	sandbox.resetCounters();
	const out = await sync(roster);
	expect(out.map((o) => o.action)).toEqual(roster.map(() => 'unchanged'));
	expect(out.every((o) => Object.keys(o.changes as object).length === 0)).toBe(true);
	expect(writes()).toBe(0);
	// whoami (the caller, never written) + 1 role list + 1 user query + 4 GetRoleMembers (3 managed +
	// scope), whatever the roster's size.
	expect(sandbox.counters.managementRequests).toBe(7);
	expect(sandbox.counters.managementRequests / roster.length).toBeLessThanOrEqual(2);
});

test('a mover changes department: the managed role is swapped, other roles stay, only the changed field is sent', async () => {
	await sync([person(1)]);
	const id = user('p1@example.com').Uuid;
	sandbox.directory.updateRole({ Name: roleId.VPN, Users: { Add: [id] } });
	sandbox.resetCounters();
	const [moved] = await sync([{ ...person(1, 'Sales'), name: 'Person One' }]);
	expect(moved).toEqual({
		action: 'updated',
		id,
		userName: 'p1@example.com',
		changes: { displayName: { from: 'Person 1', to: 'Person One' } },
		rolesAdded: named('Sales'),
		rolesRemoved: named('Engineering'),
	});
	expect(rolesOf('p1@example.com')).toEqual(['HR Sync', 'Sales', 'VPN']);
	expect(writes()).toBe(3); // ChangeUser + add Sales + remove Engineering
	expect(sandbox.counters.calls['/cdirectoryservice/changeuser']).toBe(1);
});

test('a field Redrock does not list (description) is read from GetUser, only for the rows that set it', async () => {
	await sync(
		[{ ...person(1), description: 'Team A' }, person(2)],
		{},
		{ description: '={{ $json.description }}' },
	);
	sandbox.resetCounters();
	const out = await sync(
		[{ ...person(1), description: 'Team B' }, person(2)],
		{},
		{ description: '={{ $json.description }}' },
	);
	expect(out.map((o) => o.action)).toEqual(['updated', 'unchanged']);
	expect(out[0].changes).toEqual({ description: { from: 'Team A', to: 'Team B' } });
	expect(sandbox.counters.calls['/cdirectoryservice/getuser']).toBe(1);
	expect(user('p1@example.com').Description).toBe('Team B');
});

test('a leaver is disabled, a rehire enabled again; an inactive person without an account is skipped', async () => {
	await sync([person(1), person(2)]);
	const [left, stays, never] = await sync([
		{ ...person(1), active: false },
		person(2),
		{ ...person(3), active: false },
	]);
	expect(left).toMatchObject({ action: 'disabled', id: user('p1@example.com').Uuid });
	expect(stays.action).toBe('unchanged');
	expect(never).toEqual({
		action: 'skipped',
		id: null,
		userName: 'p3@example.com',
		changes: {},
		rolesAdded: [],
		rolesRemoved: [],
	});
	expect(sandbox.directory.attributes(user('p1@example.com')).State).toBe('Disabled');
	expect(sandbox.directory.findByName('p3@example.com')).toBeUndefined();

	sandbox.resetCounters();
	const [again] = await sync([{ ...person(1), active: false }, person(2)]);
	expect(again.action).toBe('unchanged');
	expect(writes()).toBe(0);

	const [rehired] = await sync([person(1), person(2)]);
	expect(rehired).toMatchObject({ action: 'enabled', id: user('p1@example.com').Uuid });
	expect(sandbox.directory.attributes(user('p1@example.com')).State).toBe('None');
});

test('match by email: the row finds its user by email and renames the login', async () => {
	sandbox.directory.createUser({
		Name: 'old.name@example.com',
		Mail: 'Jane@Acme.test',
		SendEmailInvite: false,
		DisplayName: 'Jane',
	});
	const id = user('old.name@example.com').Uuid;
	const [out] = await sync(
		[{ login: 'jane.doe@example.com', mail: 'jane@acme.test', name: 'Jane', dept: 'Finance' }],
		{ matchBy: 'email' },
	);
	expect(out).toMatchObject({
		action: 'updated',
		id,
		userName: 'jane.doe@example.com',
		changes: { userName: { from: 'old.name@example.com', to: 'jane.doe@example.com' } },
	});
	expect(out.changes).not.toHaveProperty('email'); // the same address, another case
	expect(sandbox.directory.users.get(id)!.Name).toBe('jane.doe@example.com');
	const missing = await runNode(store, parameters({ matchBy: 'email' }), [
		{ login: 'x@example.com', dept: 'Finance' },
	] as never);
	expect(missing.error?.message).toBe('Email is empty, but items are matched by email');
});

test('deprovisioning: scope members missing from the roster are disabled, after the rows; others and disabled ones are left alone', async () => {
	await sync([person(1), person(2), person(3)]);
	sandbox.directory.createUser({ Name: 'outsider@example.com', SendEmailInvite: false }); // not in the scope role
	const [a, b, leaver] = await sync([person(1), person(2)], { deprovisionMissing: true });
	expect([a.action, b.action]).toEqual(['unchanged', 'unchanged']);
	expect(leaver).toEqual({
		action: 'deprovisioned',
		id: user('p3@example.com').Uuid,
		userName: 'p3@example.com',
		deprovisionAction: 'disable',
		signedOut: true,
	});
	expect(sandbox.signOuts).toEqual([user('p3@example.com').Uuid]);
	expect(sandbox.directory.attributes(user('p3@example.com')).State).toBe('Disabled');
	expect(sandbox.directory.attributes(user('outsider@example.com')).State).toBe('None');

	sandbox.resetCounters();
	expect(await sync([person(1), person(2)], { deprovisionMissing: true })).toHaveLength(2);
	expect(writes()).toBe(0);

	const deleted = await sync([person(1)], { deprovisionMissing: true, deprovisionAction: 'delete' });
	expect(deleted[1]).toMatchObject({
		action: 'deprovisioned',
		userName: 'p2@example.com',
		deprovisionAction: 'delete',
	});
	expect(sandbox.directory.findByName('p2@example.com')).toBeUndefined();
	expect(sandbox.directory.findByName('p3@example.com')).toBeDefined(); // already disabled: left alone
});

test('the deprovisioning limit: the run fails before any write, saying how many and why', async () => {
	await sync(Array.from({ length: 15 }, (_, n) => person(n)));
	sandbox.resetCounters();
	// A truncated export: 3 of 15 people, one of them a mover (who loses a managed role: 12 + 1).
	const result = await runNode(store, parameters({ deprovisionMissing: true }), [
		person(0, 'Sales'),
		person(1),
		person(2),
	] as never);
	expect(result.error?.message).toBe(
		'13 people would lose access, more than Max Deprovision (10); nothing was changed',
	);
	expect(result.error?.description).toContain(
		'12 missing from the input, to be disabled; 1 removed from managed roles',
	);
	expect(result.error?.description).toContain('truncated HR export');
	expect(writes()).toBe(0);
	expect(rolesOf('p0@example.com')).toEqual(['Engineering', 'HR Sync']);

	const allowed = await sync([person(0), person(1), person(2)], {
		deprovisionMissing: true,
		maxDeprovision: 13,
	});
	expect(allowed.filter((o) => o.action === 'deprovisioned')).toHaveLength(12);
});

test('dry run: the plan a real run reports, the requests it would send, and zero writes', async () => {
	await sync([person(1), person(2), person(3)]);
	const roster = [
		{ ...person(1, 'Sales'), name: 'Person One' },
		{ ...person(2), active: false },
		{ ...person(4), password: 'Dry-Run-Passw0rd' },
	];
	sandbox.resetCounters();
	const dry = await sync(
		roster,
		{ deprovisionMissing: true, dryRun: true },
		{ password: '={{ $json.password }}' },
	);
	expect(writes()).toBe(0);
	expect(sandbox.directory.findByName('p4@example.com')).toBeUndefined();
	const id1 = user('p1@example.com').Uuid;
	expect(dry[0]).toMatchObject({
		dryRun: true,
		action: 'updated',
		requests: [
			{ path: '/CDirectoryService/ChangeUser', body: { ID: id1, DisplayName: 'Person One' } },
			{ path: '/Roles/UpdateRole', body: { Name: roleId.Sales, Users: { Add: [id1] } }, batched: true },
			{
				path: '/Roles/UpdateRole',
				body: { Name: roleId.Engineering, Users: { Delete: [id1] } },
				batched: true,
			},
		],
	});
	const id2 = user('p2@example.com').Uuid;
	expect(dry[1]).toMatchObject({
		dryRun: true,
		action: 'disabled',
		signedOut: true,
		requests: [
			{ path: '/CDirectoryService/SetUserState', body: { ID: id2, state: 'Disabled' } },
			{ path: '/UserMgmt/SignOutEverywhere', body: {}, qs: { ID: id2 } },
		],
	});
	expect(Object.keys(dry[2])[0]).toBe('dryRun');
	expect(dry[2]).toMatchObject({
		dryRun: true,
		action: 'created',
		id: '<ID of the new user p4@example.com>',
		changes: { password: { from: null, to: '********' } },
	});
	expect((dry[2].requests as Array<{ body: object }>)[0]).toEqual({
		path: '/CDirectoryService/CreateUser',
		body: {
			Name: 'p4@example.com',
			Mail: 'p4@acme.test',
			DisplayName: 'Person 4',
			SendEmailInvite: false,
			Password: '********',
		},
	});
	const id3 = user('p3@example.com').Uuid;
	expect(dry[3]).toEqual({
		dryRun: true,
		action: 'deprovisioned',
		id: id3,
		userName: 'p3@example.com',
		deprovisionAction: 'disable',
		signedOut: true,
		requests: [
			{ path: '/CDirectoryService/SetUserState', body: { ID: id3, state: 'Disabled' } },
			{ path: '/UserMgmt/SignOutEverywhere', body: {}, qs: { ID: id3 } },
		],
	});
	// The joiner's share of the batched role calls names it, as it has no ID yet.
	expect((dry[2].requests as Array<{ body: object }>).slice(1)).toEqual(
		['Engineering', 'HR Sync'].map((role) => ({
			path: '/Roles/UpdateRole',
			body: { Name: roleId[role], Users: { Add: ['<ID of the new user p4@example.com>'] } },
			batched: true,
		})),
	);
	expect(JSON.stringify(dry) + capturedLogs.join('')).not.toContain('Dry-Run-Passw0rd');

	// The real run reports the same plan.
	const real = await sync(roster, { deprovisionMissing: true }, { password: '={{ $json.password }}' });
	const strip = (o: Record<string, unknown>) => ({
		...o,
		id: o.action === 'created' ? null : o.id,
		dryRun: undefined,
		requests: undefined,
	});
	expect(real.map(strip)).toEqual(dry.map(strip));
	expect(user('p4@example.com').password).toBe('Dry-Run-Passw0rd');
});

test('an unknown role fails its item before anything is written for it; with Continue On Fail the others go on', async () => {
	const bad = await runNode(store, parameters(), [person(1), person(2, 'Marketing')] as never);
	expect(bad.error?.message).toBe('Roles: no role named "Marketing" (or with that ID) exists in the tenant');
	expect(bad.error?.context?.itemIndex).toBe(1);
	expect(sandbox.directory.findByName('p1@example.com')).toBeUndefined();

	const go = await runNode(
		store,
		parameters(),
		[person(1), person(2, 'Marketing'), person(3, ['Finance', roleId.Sales])] as never,
		{ continueOnFail: true },
	);
	expect(go.items.map((i) => i.json.action ?? i.json.error)).toEqual([
		'created',
		'Roles: no role named "Marketing" (or with that ID) exists in the tenant',
		'created',
	]);
	expect(go.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(sandbox.directory.findByName('p2@example.com')).toBeUndefined();
	expect(rolesOf('p3@example.com')).toEqual(['Finance', 'HR Sync', 'Sales']);

	const scope = await runNode(store, parameters({ scopeRole: 'Nope' }), [person(5)] as never);
	expect(scope.error?.message).toBe(
		'Scope Role: no role named "Nope" (or with that ID) exists in the tenant',
	);
	const dup = await runNode(store, parameters(), [person(6), person(6)] as never);
	expect(dup.error?.message).toBe('"p6@example.com" is in the input twice (items 1 and 2)');
	expect(sandbox.directory.findByName('p6@example.com')).toBeUndefined();
});

test('concurrent deliveries of the same joiner end with one user and the same id', async () => {
	const runs = await Promise.all(Array.from({ length: 4 }, () => sync([person(9, 'Finance')])));
	const ids = new Set(runs.map(([out]) => out.id));
	expect(ids.size).toBe(1);
	expect([...sandbox.directory.users.values()].filter((u) => u.Name === 'p9@example.com')).toHaveLength(1);
	expect(ids.has(user('p9@example.com').Uuid)).toBe(true);
	expect(runs.filter(([out]) => out.action === 'created')).toHaveLength(1);
	expect(rolesOf('p9@example.com')).toEqual(['Finance', 'HR Sync']);
});

test('concurrency: many rows applied at once, output in input order', async () => {
	const roster = Array.from({ length: 40 }, (_, n) => person(n));
	const out = await sync(roster, { concurrency: 8 });
	expect(out.map((o) => o.userName)).toEqual(roster.map((p) => p.login));
	expect(sandbox.directory.roles.get(roleId['HR Sync'])!.members.size).toBe(40);
});

test('a joiner whose CreateUser answer is lost (502 after CyberArk applied it) is found, not created twice, and gets its roles', async () => {
	Object.assign(sandbox.knobs, { status502Every: 1, faultPath: '/cdirectoryservice/createuser' });
	const [out] = await sync([person(7, 'Sales')]);
	expect(sandbox.counters.faults['502']).toBe(1);
	expect(out).toMatchObject({
		action: 'created',
		id: user('p7@example.com').Uuid,
		rolesAdded: named('Sales', 'HR Sync'),
	});
	expect(sandbox.counters.calls['/cdirectoryservice/createuser']).toBe(1);
	expect(rolesOf('p7@example.com')).toEqual(['HR Sync', 'Sales']);
});

test("deprovisioning needs a scope role and every row's key; Continue On Fail does not lift the limit", async () => {
	const noScope = await runNode(store, parameters({ scopeRole: '', deprovisionMissing: true }), [
		person(1),
	] as never);
	expect(noScope.error?.message).toBe('"Deprovision Missing Users" needs a Scope Role');
	await sync([person(1), person(2)]);
	const unkeyed = await runNode(
		store,
		parameters({ deprovisionMissing: true }),
		[person(1), { login: 'no-suffix' }] as never,
		{ continueOnFail: true },
	);
	expect(unkeyed.items.map((i) => i.json.error)).toEqual(
		Array(2).fill('Item 2 has no valid login name, so nothing is deprovisioned or changed'),
	);
	expect(unkeyed.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	expect(sandbox.directory.attributes(user('p2@example.com')).State).toBe('None');
	sandbox.resetCounters();
	const limited = await runNode(
		store,
		parameters({ deprovisionMissing: true, maxDeprovision: 0 }),
		[person(1)] as never,
		{ continueOnFail: true },
	);
	expect(limited.items.map((i) => i.json.error)).toEqual([
		'1 person would lose access, more than Max Deprovision (0); nothing was changed',
	]);
	expect(writes()).toBe(0);
});

test("one webhook event: its user's roles are read with one call instead of one call per managed role", async () => {
	await sync([person(1), person(2)]);
	sandbox.resetCounters();
	const [mover] = await sync([person(1, 'Finance')]);
	expect(mover).toMatchObject({
		action: 'updated',
		rolesAdded: named('Finance'),
		rolesRemoved: named('Engineering'),
	});
	expect(sandbox.counters.calls['/roles/getrolemembers']).toBeUndefined();
	sandbox.resetCounters();
	const [same] = await sync([person(1, 'Finance')]);
	expect(same.action).toBe('unchanged');
	// whoami, the role list, the user query, the user's roles.
	expect(sandbox.counters.managementRequests).toBe(4);
	expect(writes()).toBe(0);
});
