// Create or Update's rails against what an adversarial review found (run in process, inProcess.ts): the
// caller (the credential's own user) is never written, an e-mail claims only a managed person, a
// decision to disable or delete never rests on Redrock's Status, keys are sent as given, a state naming
// several flags reads as disabled, Roles that resolve to nothing fail their row, and a failed
// deprovision says so.
import type { IDataObject } from 'n8n-workflow';

import type { InProcessTenant, Parameters } from './inProcess';
import type { OptionsSpec, RowSpec, UserSpec } from './scenario';
import { buildTenant, syncParameters, exampleOptions } from './scenario';

const options = exampleOptions;

const row = (n: number, over: Partial<RowSpec> = {}): RowSpec => ({
	login: `p${n}@example.com`,
	email: `p${n}@acme.test`,
	active: true,
	dept: ['Eng'],
	...over,
});

const member = (n: number, over: Partial<UserSpec> = {}): UserSpec => ({
	login: `p${n}@example.com`,
	email: `p${n}@acme.test`,
	state: 'None',
	roles: ['Scope', 'Eng'],
	...over,
});

async function sync(
	tenant: InProcessTenant,
	rows: Array<RowSpec | IDataObject>,
	over: Partial<OptionsSpec> = {},
	parameters: (p: Parameters) => Parameters = (p) => p,
) {
	const o = options(over);
	return await tenant.run(parameters(syncParameters(o)), rows as IDataObject[], {
		continueOnFail: o.continueOnFail,
	});
}

const directory = (tenant: InProcessTenant) => tenant.sandbox.directory;
const user = (tenant: InProcessTenant, login: string) => directory(tenant).findByName(login)!;
const state = (tenant: InProcessTenant, login: string) =>
	directory(tenant).attributes(user(tenant, login)).State;
const json = (outcome: { items: Array<{ json: IDataObject }> }) => outcome.items.map((i) => i.json);

describe('a state that names several flags', () => {
	test('"Disabled, Locked" reads as disabled: not a leaver, not disabled again, enabled on a rehire', async () => {
		const tenant = buildTenant([
			member(0),
			member(1, { state: 'Disabled' }),
			member(2, { state: 'Disabled' }),
		]);
		tenant.rewrite = (path, result) =>
			path === '/usermgmt/getuserattributes' && (result as IDataObject).State === 'Disabled'
				? { ...(result as IDataObject), State: 'Disabled, Locked' }
				: result;
		// p1 is missing (a leaver already disabled), p2's row says Active false: nothing to write.
		const left = await sync(tenant, [row(0), row(2, { active: false })], {
			deprovisionMissing: true,
			deprovisionAction: 'delete',
		});
		expect(left.error).toBeUndefined();
		expect(json(left).map((o) => [o.action, o.userName])).toEqual([
			['unchanged', 'p0@example.com'],
			['unchanged', 'p2@example.com'],
		]);
		expect(left.writes).toEqual([]);
		expect(directory(tenant).findByName('p1@example.com')).toBeDefined();
		const rehired = await sync(tenant, [row(0), row(1), row(2)]);
		expect(json(rehired).map((o) => o.action)).toEqual(['unchanged', 'enabled', 'enabled']);
	});
});

describe('a failed deprovision', () => {
	test('is output as deprovisionFailed with its error, never as deprovisioned', async () => {
		const tenant = buildTenant([member(0), member(1), member(2)]);
		const p2 = user(tenant, 'p2@example.com').Uuid;
		tenant.refuse = (path, body) =>
			path === '/cdirectoryservice/setuserstate' && body.ID === p2 ? 'Access denied' : undefined;
		const outcome = await sync(tenant, [row(0)], { deprovisionMissing: true, continueOnFail: true });
		const leavers = json(outcome).slice(1);
		expect(leavers.map((o) => [o.action, o.userName])).toEqual([
			['deprovisioned', 'p1@example.com'],
			['deprovisionFailed', 'p2@example.com'],
		]);
		expect(leavers[0].error).toBeUndefined();
		expect(leavers[1].error).toContain('Access denied');
		expect(state(tenant, 'p2@example.com')).toBe('None');
	});
});

describe('Roles that resolve to nothing', () => {
	const rolesFrom = (p: Parameters): Parameters => ({
		...p,
		additionalFields: { sendEmailInvite: false, roles: (j: IDataObject) => j.dept },
	});

	test('undefined or null fail the row instead of removing every managed role', async () => {
		const tenant = buildTenant([member(0), member(1), member(2)]);
		const outcome = await sync(
			tenant,
			[row(0), { ...row(1), dept: undefined }, { ...row(2), dept: null }],
			{ continueOnFail: true },
			rolesFrom,
		);
		expect(json(outcome).map((o) => o.error ?? o.action)).toEqual([
			'unchanged',
			expect.stringMatching(/^Roles has no value/),
			expect.stringMatching(/^Roles has no value/),
		]);
		expect(outcome.writes).toEqual([]);
		expect(
			directory(tenant)
				.rolesOf(user(tenant, 'p1@example.com').Uuid)
				.map((r) => r.Name),
		).toContain('Eng');
	});

	test('an empty list or empty text means "no roles": the managed roles are removed', async () => {
		const tenant = buildTenant([member(0), member(1)]);
		const outcome = await sync(tenant, [row(0, { dept: [] }), { ...row(1), dept: '' }], {}, rolesFrom);
		expect(json(outcome).map((o) => o.action)).toEqual(['updated', 'updated']);
		expect(json(outcome)[1].rolesRemoved).toHaveLength(1);
	});

	test('the Roles field not set at all while Managed Roles are: every row fails, nothing is removed', async () => {
		const tenant = buildTenant([member(0)]);
		const outcome = await sync(tenant, [row(0)], {}, (p) => ({
			...p,
			additionalFields: { sendEmailInvite: false },
		}));
		expect(outcome.error?.message).toMatch(/^Roles has no value/);
		expect(outcome.writes).toEqual([]);
		// Without Managed Roles nothing would be removed: no Roles is then no role to add.
		const none = await sync(tenant, [row(0)], { managed: [] }, (p) => ({
			...p,
			additionalFields: { sendEmailInvite: false },
		}));
		expect(json(none).map((o) => o.action)).toEqual(['unchanged']);
	});
});

/** The calls of the last run that name this user ID anywhere (body or query string). */
const callsFor = (tenant: InProcessTenant, id: string) =>
	tenant.calls.filter((c) => JSON.stringify([c.body, c.qs]).toLowerCase().includes(id.toLowerCase()));

const WRITES = [
	'/cdirectoryservice/changeuser',
	'/cdirectoryservice/setuserstate',
	'/cdirectoryservice/deleteuser',
	'/usermgmt/signouteverywhere',
	'/roles/updaterole',
];

describe('the caller: the user the credential signs in as', () => {
	/** A tenant whose service user (the caller) has an e-mail and is, by mistake, in the scope role. */
	function withCallerInScope(users: UserSpec[]) {
		const tenant = buildTenant(users);
		const caller = tenant.sandbox.owner;
		directory(tenant).changeUser({ ID: caller.Uuid, Mail: 'it@acme.test' });
		const scope = [...directory(tenant).roles.values()].find((r) => r.Name === 'Scope')!;
		scope.members.add(caller.Uuid);
		return { tenant, caller: caller as { Uuid: string; Name: string } };
	}

	test('is never a leaver, with Delete neither', async () => {
		const { tenant, caller } = withCallerInScope([member(0), member(1)]);
		const outcome = await sync(tenant, [row(0)], { deprovisionMissing: true, deprovisionAction: 'delete' });
		expect(outcome.error).toBeUndefined();
		expect(json(outcome).map((o) => [o.action, o.userName])).toEqual([
			['unchanged', 'p0@example.com'],
			['deprovisioned', 'p1@example.com'],
		]);
		expect(callsFor(tenant, caller.Uuid).filter((c) => WRITES.includes(c.path))).toEqual([]);
		expect(directory(tenant).users.has(caller.Uuid)).toBe(true);
	});

	test('a row that finds it, by login name or by e-mail, fails: nothing is written for it', async () => {
		const { tenant, caller } = withCallerInScope([member(0)]);
		for (const [matchBy, target] of [
			['userName', { login: caller.Name, email: 'it@acme.test', active: false, dept: [] }],
			['email', { login: 'someone.else@example.com', email: 'IT@acme.test', active: false, dept: [] }],
		] as const) {
			const outcome = await sync(
				tenant,
				[row(0, { dept: [matchBy === 'email' ? 'Sales' : 'Fin'] }), target],
				{
					matchBy,
					continueOnFail: true,
				},
			);
			expect(json(outcome)[0].action).toBe('updated');
			expect(json(outcome)[1].error).toBe(
				`Item 2 is ${caller.Name}, the user this node's credential signs in as`,
			);
			expect(callsFor(tenant, caller.Uuid).filter((c) => WRITES.includes(c.path))).toEqual([]);
			expect(state(tenant, caller.Name)).toBe('None');
			const stopped = await sync(tenant, [row(0, { dept: ['Eng'] }), target], { matchBy });
			expect(stopped.error?.message).toBe(
				`Item 2 is ${caller.Name}, the user this node's credential signs in as`,
			);
			expect(stopped.writes).toEqual([]);
		}
	});

	test('a joiner that turns out to be it (a read that missed it) fails: CreateUser is refused, nothing else sent', async () => {
		const { tenant, caller } = withCallerInScope([member(0)]);
		// A Redrock that does not list the caller (case, replication lag): the row looks like a joiner.
		tenant.rewrite = (path, result) =>
			path === '/redrock/query'
				? {
						...(result as IDataObject),
						Results: ((result as IDataObject).Results as IDataObject[]).filter(
							(r) => (r.Row as IDataObject).ID !== caller.Uuid,
						),
					}
				: result;
		const outcome = await sync(
			tenant,
			[row(0), { login: caller.Name, email: 'x@acme.test', active: true, dept: [] }],
			{
				continueOnFail: true,
			},
		);
		expect(json(outcome)[1].error).toBe(
			`Item 2 is ${caller.Name}, the user this node's credential signs in as`,
		);
		expect(outcome.writes).toEqual(['/cdirectoryservice/createuser']);
		expect(callsFor(tenant, caller.Uuid).filter((c) => WRITES.includes(c.path))).toEqual([]);
	});

	test('a scope role that holds everyone, or the administrators, is refused before anything is written', async () => {
		const tenant = buildTenant([member(0), member(1)]);
		for (const scopeRole of ['Everybody', 'everybody', 'System Administrator', 'sysadmin']) {
			const outcome = await sync(tenant, [row(0)], { deprovisionMissing: true }, (p) => ({
				...p,
				options: { ...(p.options as IDataObject), scopeRole },
			}));
			expect(outcome.error?.message).toMatch(
				/^Scope Role is the built-in role (Everybody|System Administrator)/,
			);
			expect(outcome.error?.constructor.name).toBe('NodeOperationError');
			expect(outcome.writes).toEqual([]);
		}
	});
});

describe('under Match by User Name, an e-mail claims only a person the sync manages', () => {
	test('a user outside the scope role is not renamed: the row is a joiner', async () => {
		const tenant = buildTenant([member(0), member(1, { login: 'admin@example.com', roles: ['Other'] })]);
		const admin = user(tenant, 'admin@example.com').Uuid;
		const outcome = await sync(tenant, [row(0), row(7, { email: 'p1@acme.test' })]);
		expect(outcome.error).toBeUndefined();
		expect(json(outcome).map((o) => [o.action, o.userName])).toEqual([
			['unchanged', 'p0@example.com'],
			['created', 'p7@example.com'],
		]);
		expect(directory(tenant).users.get(admin)!.Name).toBe('admin@example.com');
		expect(callsFor(tenant, admin).filter((c) => WRITES.includes(c.path))).toEqual([]);
	});

	test('the caller is not renamed, even in the scope role: the row is a joiner', async () => {
		const tenant = buildTenant([member(0)]);
		const caller = tenant.sandbox.owner as { Uuid: string; Name: string };
		directory(tenant).changeUser({ ID: caller.Uuid, Mail: 'it@acme.test' });
		[...directory(tenant).roles.values()].find((r) => r.Name === 'Scope')!.members.add(caller.Uuid);
		const outcome = await sync(tenant, [row(0), row(7, { email: 'it@acme.test' })]);
		expect(json(outcome).map((o) => [o.action, o.userName])).toEqual([
			['unchanged', 'p0@example.com'],
			['created', 'p7@example.com'],
		]);
		expect(directory(tenant).users.get(caller.Uuid)!.Name).toBe(caller.Name);
	});

	test('without a scope role nobody is claimed by e-mail', async () => {
		const tenant = buildTenant([member(1)]);
		const outcome = await sync(tenant, [row(7, { email: 'p1@acme.test' })], { scope: false });
		expect(json(outcome).map((o) => o.action)).toEqual(['created']);
		expect(user(tenant, 'p1@example.com')).toBeDefined();
	});

	test('a member of the scope role is renamed, and a rename counts in the budget', async () => {
		const tenant = buildTenant([member(0), member(1), member(2)]);
		const renames = [row(0), row(7, { email: 'p1@acme.test' }), row(8, { email: 'p2@acme.test' })];
		const refused = await sync(tenant, renames, { maxDeprovision: 1 });
		expect(refused.error?.message).toBe(
			'2 people would lose access, more than Max Deprovision (1); nothing was changed',
		);
		expect(refused.error?.description).toContain('2 renamed (their login name changes)');
		expect(refused.writes).toEqual([]);
		const outcome = await sync(tenant, renames, { maxDeprovision: 2 });
		expect(json(outcome).map((o) => [o.action, o.userName])).toEqual([
			['unchanged', 'p0@example.com'],
			['updated', 'p7@example.com'],
			['updated', 'p8@example.com'],
		]);
		expect(json(outcome)[1].changes).toEqual({ userName: { from: 'p1@example.com', to: 'p7@example.com' } });
	});
});

describe("no decision to disable or delete rests on Redrock's Status", () => {
	/** A tenant whose Redrock User.Status reads Active for everyone, disabled users too. */
	function statusSaysActive(users: UserSpec[]) {
		const tenant = buildTenant(users);
		tenant.sandbox.knobs.statusWhenNotActive = 'Active';
		return tenant;
	}
	const attributeReads = (tenant: InProcessTenant) =>
		tenant.calls.filter((c) => c.path === '/usermgmt/getuserattributes').length;

	test('a disabled leaver whose Status reads Active is left alone, with Delete too', async () => {
		const tenant = statusSaysActive([member(0), member(1, { state: 'Disabled' }), member(2)]);
		const outcome = await sync(tenant, [row(0)], { deprovisionMissing: true, deprovisionAction: 'delete' });
		expect(json(outcome).map((o) => [o.action, o.userName])).toEqual([
			['unchanged', 'p0@example.com'],
			['deprovisioned', 'p2@example.com'],
		]);
		expect(directory(tenant).findByName('p1@example.com')).toBeDefined();
		expect(outcome.writes).toEqual(['/usermgmt/signouteverywhere', '/cdirectoryservice/deleteuser']);
	});

	test('a row with Active false for a disabled user whose Status reads Active writes nothing and costs no budget', async () => {
		const tenant = statusSaysActive([member(0, { state: 'Disabled' })]);
		const outcome = await sync(tenant, [row(0, { active: false })], { maxDeprovision: 0 });
		expect(outcome.error).toBeUndefined();
		expect(json(outcome).map((o) => o.action)).toEqual(['unchanged']);
		expect(outcome.writes).toEqual([]);
	});

	test('a state the node does not know fails the row with Active false: nothing is written for it', async () => {
		const tenant = buildTenant([member(0), member(1)]);
		tenant.rewrite = (path, result, body) =>
			path === '/usermgmt/getuserattributes' && body.ID === user(tenant, 'p1@example.com').Uuid
				? { ...(result as IDataObject), State: 'Frozen' }
				: result;
		const outcome = await sync(tenant, [row(0), row(1, { active: false })], { continueOnFail: true });
		expect(json(outcome)[1].error).toMatch(/GetUserAttributes has no known State/);
		expect(outcome.writes).toEqual([]);
	});

	test('an e-mail does not claim a disabled user whose Status reads Active: the row is a joiner', async () => {
		const tenant = statusSaysActive([member(0), member(1, { state: 'Disabled' })]);
		const outcome = await sync(tenant, [row(0), row(7, { email: 'p1@acme.test' })]);
		expect(json(outcome).map((o) => [o.action, o.userName])).toEqual([
			['unchanged', 'p0@example.com'],
			['created', 'p7@example.com'],
		]);
		expect(user(tenant, 'p1@example.com')).toBeDefined();
	});

	test('rows with Active on and nothing to take away read no state; a rehire whose Status reads Active is not seen', async () => {
		const tenant = statusSaysActive([member(0), member(1), member(2, { state: 'Disabled' })]);
		const outcome = await sync(tenant, [row(0), row(1, { dept: ['Fin'] }), row(2)]);
		expect(json(outcome).map((o) => o.action)).toEqual(['unchanged', 'updated', 'unchanged']);
		expect(attributeReads(tenant)).toBe(0);
		// Where Status tells a disabled user apart (the sandbox's Suspended), the rehire is enabled.
		tenant.sandbox.knobs.statusWhenNotActive = 'Suspended';
		const rehired = await sync(tenant, [row(0), row(1, { dept: ['Fin'] }), row(2)]);
		expect(json(rehired).map((o) => o.action)).toEqual(['unchanged', 'unchanged', 'enabled']);
	});
});

describe('keys are sent to Redrock as given and in lower case, and compared ignoring case', () => {
	/** A tenant whose Redrock compares text case-sensitively, with users stored in mixed case. */
	function caseSensitive() {
		const tenant = buildTenant([
			member(0, { login: 'Pat.Doe@Example.com', email: 'Pat.Doe@Acme.test' }),
			member(1, { login: 'lee@example.com', email: 'lee@acme.test' }),
		]);
		tenant.sandbox.knobs.redrockCaseSensitive = true;
		return tenant;
	}
	const roster = [
		{ login: 'Pat.Doe@Example.com', email: 'Pat.Doe@Acme.test', active: true, dept: ['Eng'] },
		{ login: 'LEE@Example.com', email: 'Lee@ACME.test', active: true, dept: ['Eng'] },
	];

	test.each(['userName', 'email'] as const)(
		'match by %s: each row finds its user, nothing is written',
		async (matchBy) => {
			const tenant = caseSensitive();
			const outcome = await sync(tenant, roster, { matchBy, deprovisionMissing: true });
			expect(outcome.error).toBeUndefined();
			expect(json(outcome).map((o) => [o.action, o.id])).toEqual([
				['unchanged', user(tenant, 'Pat.Doe@Example.com').Uuid],
				['unchanged', user(tenant, 'lee@example.com').Uuid],
			]);
			expect(outcome.writes).toEqual([]);
			const query = tenant.calls.find(
				(c) => c.path === '/redrock/query' && /Username IN/.test(String(c.body.Script)),
			);
			expect(query?.body.Script).toContain("'Pat.Doe@Example.com'");
			expect(query?.body.Script).toContain("'pat.doe@example.com'");
		},
	);

	test('120 rows given in upper case: both spellings in lists of at most 100, three queries', async () => {
		const users = Array.from({ length: 120 }, (_, n) => member(n));
		const tenant = buildTenant(users);
		tenant.sandbox.knobs.redrockCaseSensitive = true;
		const rows = users.map((u) => ({
			login: u.login.toUpperCase(),
			email: u.email!.toUpperCase(),
			active: true,
			dept: ['Eng'],
		}));
		const outcome = await sync(tenant, rows);
		expect(json(outcome).every((o) => o.action === 'unchanged')).toBe(true);
		const queries = tenant.calls.filter((c) => /Username IN/.test(String(c.body.Script)));
		expect(queries).toHaveLength(3);
		for (const q of queries)
			for (const list of String(q.body.Script).match(/IN \(([^)]*)\)/g)!)
				expect(list.split(',').length).toBeLessThanOrEqual(100);
	});
});
