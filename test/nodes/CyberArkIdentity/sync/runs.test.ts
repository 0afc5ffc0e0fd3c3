// Create or Update run in process against the sandbox's tenant (inProcess.ts): an empty input, signing
// leavers out, role memberships in batches, and how a refused membership is reported.
import type { IDataObject } from 'n8n-workflow';

import { InProcessTenant } from './inProcess';
import type { OptionsSpec, RowSpec } from './scenario';
import { buildTenant, ROLES, syncParameters, exampleOptions } from './scenario';

const options = exampleOptions;

const row = (n: number, over: Partial<RowSpec> = {}): RowSpec => ({
	login: `p${n}@example.com`,
	email: `p${n}@acme.test`,
	active: true,
	dept: [['Eng', 'Fin', 'Sales'][n % 3]],
	...over,
});

async function sync(
	tenant: InProcessTenant,
	rows: RowSpec[],
	over: Partial<OptionsSpec> = {},
	dryRun = false,
) {
	const o = options(over);
	return await tenant.run(syncParameters(o, dryRun), rows as unknown as IDataObject[], {
		continueOnFail: o.continueOnFail,
	});
}

const idOf = (tenant: InProcessTenant, login: string) => tenant.sandbox.directory.findByName(login)!.Uuid;
const roleId = (tenant: InProcessTenant, name: string) =>
	[...tenant.sandbox.directory.roles.values()].find((r) => r.Name === name)!.ID;

test('no input items with Deprovision Missing Users: refused before anything is sent', async () => {
	const tenant = buildTenant([{ login: 'p0@example.com', email: null, state: 'None', roles: ['Scope'] }]);
	const refused = await sync(tenant, [], { deprovisionMissing: true });
	expect(refused.error?.message).toBe('No input items, so nobody is deprovisioned');
	expect(refused.error?.description).toContain('with no input at all, that is everyone');
	expect(refused.sent).toEqual([]);
	expect(
		tenant.sandbox.directory.attributes(tenant.sandbox.directory.findByName('p0@example.com')!).State,
	).toBe('None');
	const nothing = await sync(tenant, []);
	expect([nothing.error, nothing.items]).toEqual([undefined, []]);
});

test('a 40-person first run: CreateUser for each, then one UpdateRole per role (44 writes, 1.1 per person)', async () => {
	const tenant = new InProcessTenant(ROLES);
	const outcome = await sync(
		tenant,
		Array.from({ length: 40 }, (_, n) => row(n)),
		{ concurrency: 4 },
	);
	expect(outcome.error).toBeUndefined();
	expect(outcome.items.map((i) => i.json.action)).toEqual(Array(40).fill('created'));
	expect(outcome.writes.filter((p) => p === '/cdirectoryservice/createuser')).toHaveLength(40);
	expect(outcome.writes.filter((p) => p === '/roles/updaterole')).toHaveLength(4);
	expect(tenant.sandbox.directory.roles.get(roleId(tenant, 'Scope'))!.members.size).toBe(40);
	expect(tenant.sandbox.directory.roles.get(roleId(tenant, 'Fin'))!.members.size).toBe(13);
});

test('leavers and inactive rows are signed out everywhere after being disabled; deleted ones before; not when turned off', async () => {
	const users = [0, 1, 2, 3].map((n) => ({
		login: `p${n}@example.com`,
		email: `p${n}@acme.test`,
		state: 'None' as const,
		roles: ['Scope', ['Eng', 'Fin', 'Sales'][n % 3]],
	}));
	const tenant = buildTenant(users);
	const [p0, p1, p2, p3] = users.map((u) => idOf(tenant, u.login));
	const outcome = await sync(tenant, [row(0, { active: false }), row(1)], { deprovisionMissing: true });
	expect(outcome.items.map((i) => [i.json.action, i.json.id, i.json.signedOut])).toEqual([
		['disabled', p0, true],
		['unchanged', p1, undefined],
		['deprovisioned', p2, true],
		['deprovisioned', p3, true],
	]);
	expect(tenant.sandbox.signOuts.sort()).toEqual([p0, p2, p3].sort());
	expect(outcome.writes.slice(0, 2)).toEqual([
		'/cdirectoryservice/setuserstate',
		'/usermgmt/signouteverywhere',
	]);

	const deleting = buildTenant(users);
	const leaver = idOf(deleting, 'p3@example.com');
	const deleted = await sync(
		deleting,
		[0, 1, 2].map((n) => row(n)),
		{
			deprovisionMissing: true,
			deprovisionAction: 'delete',
		},
	);
	expect(deleted.writes).toEqual(['/usermgmt/signouteverywhere', '/cdirectoryservice/deleteuser']);
	expect(deleting.sandbox.signOuts).toEqual([leaver]);

	const quiet = buildTenant(users);
	const off = await sync(quiet, [row(0, { active: false }), row(1)], {
		deprovisionMissing: true,
		signOut: false,
	});
	expect(off.items.map((i) => i.json.signedOut)).toEqual([undefined, undefined, undefined, undefined]);
	expect(off.writes).not.toContain('/usermgmt/signouteverywhere');
	expect(quiet.sandbox.signOuts).toEqual([]);
});

test('a membership CyberArk refuses fails only its own row, which says what was done; the batch goes on', async () => {
	/** A tenant that refuses to add p3 to Eng. */
	const refusing = () => {
		const tenant = new InProcessTenant(ROLES);
		tenant.refuse = (path, body) => {
			const add = ((body.Users as IDataObject | undefined)?.Add ?? []) as string[];
			const p3 = tenant.sandbox.directory.findByName('p3@example.com')?.Uuid;
			if (path !== '/roles/updaterole' || body.Name !== roleId(tenant, 'Eng') || !add.includes(p3 ?? ''))
				return undefined;
			return `User ${p3} cannot be added to this role.`;
		};
		return tenant;
	};
	const tenant = refusing();
	const eng = roleId(tenant, 'Eng');
	const outcome = await sync(
		tenant,
		Array.from({ length: 8 }, (_, n) => row(n, { dept: ['Eng'] })),
		{ continueOnFail: true },
	);
	const p3 = idOf(tenant, 'p3@example.com');
	expect(outcome.items.map((i) => i.json.action ?? i.json.error)).toEqual([
		'created',
		'created',
		'created',
		`p3@example.com: adding it to role Eng failed: User ${p3} cannot be added to this role.`,
		'created',
		'created',
		'created',
		'created',
	]);
	expect(outcome.items[3].json.userName).toBe('p3@example.com');
	expect(outcome.items.map((i) => i.pairedItem)).toEqual(Array.from({ length: 8 }, (_, item) => ({ item })));
	const members = tenant.sandbox.directory.roles.get(eng)!.members;
	expect(members.size).toBe(7);
	expect(members.has(p3)).toBe(false);
	// 1 refused batch of 8, halves 4 + 4 (one refused), then 2 + 2, then 1 + 1; and the scope role's one call.
	expect(outcome.writes.filter((p) => p === '/roles/updaterole')).toHaveLength(8);

	// Without Continue On Fail the run fails with that item's error, after the writes already sent.
	const failed = await sync(refusing(), [row(3, { dept: ['Eng'] })]);
	expect(failed.error?.message).toMatch(/^p3@example.com: adding it to role Eng failed/);
	expect(failed.error?.description).toContain('The user was created with its other changes');
});

test('Dry Run: each row lists its own requests, its share of the batched role calls marked, a joiner named', async () => {
	const tenant = buildTenant([
		{ login: 'p1@example.com', email: 'p1@acme.test', state: 'None', roles: ['Scope', 'Eng'] },
	]);
	const p1 = idOf(tenant, 'p1@example.com');
	const outcome = await sync(tenant, [row(0), row(1, { dept: ['Fin'] })], {}, true);
	expect(outcome.writes).toEqual([]);
	const [joiner, mover] = outcome.items.map((i) => i.json);
	expect(joiner).toMatchObject({
		dryRun: true,
		action: 'created',
		id: '<ID of the new user p0@example.com>',
	});
	expect((joiner.requests as IDataObject[]).map((r) => [r.path, r.body, r.batched])).toEqual([
		[
			'/CDirectoryService/CreateUser',
			{ Name: 'p0@example.com', Mail: 'p0@acme.test', SendEmailInvite: false },
			undefined,
		],
		[
			'/Roles/UpdateRole',
			{ Name: roleId(tenant, 'Eng'), Users: { Add: ['<ID of the new user p0@example.com>'] } },
			true,
		],
		[
			'/Roles/UpdateRole',
			{ Name: roleId(tenant, 'Scope'), Users: { Add: ['<ID of the new user p0@example.com>'] } },
			true,
		],
	]);
	// In the order the batches go out: role by role.
	expect(mover.requests).toEqual([
		{
			path: '/Roles/UpdateRole',
			body: { Name: roleId(tenant, 'Eng'), Users: { Delete: [p1] } },
			batched: true,
		},
		{ path: '/Roles/UpdateRole', body: { Name: roleId(tenant, 'Fin'), Users: { Add: [p1] } }, batched: true },
	]);
});
