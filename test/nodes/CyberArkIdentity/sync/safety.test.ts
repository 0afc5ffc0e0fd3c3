// Create or Update's safety rails (issue 17): one budget for everything that takes access away,
// matching that cannot mistake a person for a leaver, switches that fail closed, no deprovisioning
// without input. Engine tests: n8n-core's WorkflowExecute against the sandbox tenant.
import { person, Tenant } from './helpers';

let t: Tenant;
beforeEach(async () => (t = await Tenant.start()));
afterEach(async () => t.close());

const people = (count: number, from = 0) => Array.from({ length: count }, (_, n) => person(from + n));

describe('one budget for taking access away', () => {
	test('25 people turned inactive with Max Deprovision 10: the run fails before any write', async () => {
		const roster = people(25);
		t.seed(roster);
		t.sandbox.resetCounters();
		const result = await t.run(
			roster.map((p) => ({ ...p, active: false })),
			{ maxDeprovision: 10, maxDeprovisionPercent: 100 },
		);
		expect(result.error?.message).toBe(
			'25 people would lose access, more than Max Deprovision (10); nothing was changed',
		);
		expect(result.error?.description).toContain('25 disabled (Active is false)');
		expect(result.error?.description).toContain('Max Deprovision');
		expect(result.error?.description).toContain('Dry Run');
		expect(t.writes()).toBe(0);
		expect(roster.map((p) => t.state(p.login!))).toEqual(roster.map(() => 'None'));
	});

	test('the percentage of the scope role: 7 of 30 (23 %) is over the default 20 %', async () => {
		const roster = people(30);
		t.seed(roster);
		t.sandbox.resetCounters();
		const inactive = roster.map((p, n) => (n < 7 ? { ...p, active: false } : p));
		const result = await t.run(inactive, {});
		expect(result.error?.message).toBe(
			'7 people would lose access, 23.3 % of the 30 people the sync manages, more than Max Deprovision Percent (20 %); nothing was changed',
		);
		expect(t.writes()).toBe(0);
		// 6 of 30 is 20 %: within the limit.
		const out = await t.sync(roster.map((p, n) => (n < 6 ? { ...p, active: false } : p)));
		expect(out.filter((o) => o.action === 'disabled')).toHaveLength(6);
	});

	test('removing managed roles counts, once per person however much is taken', async () => {
		const roster = people(12);
		t.seed(roster);
		t.sandbox.resetCounters();
		// An export whose department column went empty: everyone would lose their department role.
		const result = await t.run(
			roster.map((p) => ({ ...p, dept: [] })),
			{ maxDeprovisionPercent: 100 },
		);
		expect(result.error?.message).toBe(
			'12 people would lose access, more than Max Deprovision (10); nothing was changed',
		);
		expect(result.error?.description).toContain('12 removed from managed roles');
		expect(t.writes()).toBe(0);
		// 10 people disabled, signed out and moved to another department: 10, within Max Deprovision 10.
		const out = await t.sync(
			roster.map((p, n) => (n < 10 ? { ...p, dept: 'Sales', active: false } : p)),
			{ maxDeprovisionPercent: 100 },
		);
		expect(out.filter((o) => o.action === 'disabled')).toHaveLength(10);
	});

	test('leavers and inactive rows share the budget', async () => {
		const roster = people(20);
		t.seed(roster);
		const result = await t.run(
			roster.slice(4).map((p, n) => (n < 7 ? { ...p, active: false } : p)),
			{ deprovisionMissing: true, maxDeprovisionPercent: 100 },
		);
		expect(result.error?.message).toBe(
			'11 people would lose access, more than Max Deprovision (10); nothing was changed',
		);
		expect(result.error?.description).toContain('4 missing from the input, to be disabled');
		expect(result.error?.description).toContain('7 disabled (Active is false)');
	});
});

describe('matching cannot mistake a person for a leaver', () => {
	test('match by email: a person whose e-mail changed is updated, never deprovisioned', async () => {
		const [p1, p2] = people(2);
		const [id1] = t.seed([p1, p2]);
		for (const deprovisionAction of ['disable', 'delete']) {
			const moved = { ...p1, mail: `new.${deprovisionAction}@acme.test` };
			const out = await t.sync([moved, p2], {
				matchBy: 'email',
				deprovisionMissing: true,
				deprovisionAction,
			});
			expect(out.map((o) => [o.action, o.userName])).toEqual([
				['updated', 'p0@example.com'],
				['unchanged', 'p1@example.com'],
			]);
			expect(out[0].id).toBe(id1);
			expect(out[0].changes).toMatchObject({ email: { to: moved.mail } });
			expect(t.user('p0@example.com').Mail).toBe(moved.mail);
			expect(t.state('p0@example.com')).toBe('None');
		}
	});

	test('match by user name: a renamed login with the same e-mail is the same person', async () => {
		const [p1, p2] = people(2);
		const [id1] = t.seed([p1, p2]);
		const renamed = { ...p1, login: 'p0.renamed@example.com' };
		// A rename counts in the budget: 1 of 2 people is over the default 20 %.
		const out = await t.sync([renamed, p2], { deprovisionMissing: true, maxDeprovisionPercent: 50 });
		expect(out.map((o) => [o.action, o.id])).toEqual([
			['updated', id1],
			['unchanged', t.user('p1@example.com').Uuid],
		]);
		expect(out[0].changes).toEqual({
			userName: { from: 'p0@example.com', to: 'p0.renamed@example.com' },
		});
		expect(t.sandbox.directory.users.get(id1)!.Name).toBe('p0.renamed@example.com');
		expect(t.sandbox.directory.users.size).toBe(3 + 2); // the sandbox's own accounts, and these two
	});

	test('two rows claiming one person: the second fails, and nobody is deprovisioned', async () => {
		const [p1] = people(1);
		const [id] = t.seed([{ ...p1, mail: 'old@acme.test' }]);
		// Item 1 finds p0 by its e-mail (and renames it); item 2 finds the same p0 by its login name.
		const result = await t.run(
			[
				{ ...p1, login: 'p0.new@example.com', mail: 'old@acme.test' },
				{ ...p1, mail: 'b@acme.test' },
			],
			{ matchBy: 'email', deprovisionMissing: true, maxDeprovisionPercent: 100 },
			{},
			{ continueOnFail: true },
		);
		expect(result.items.map((i) => i.json.action ?? i.json.error)).toEqual([
			'updated',
			'Item 2 is the same person as item 1 (login name "p0@example.com")',
		]);
		expect(t.sandbox.directory.users.get(id)!.Name).toBe('p0.new@example.com');
		expect(t.state('p0.new@example.com')).toBe('None');
		// The same login name in two rows is two people claiming one account, whatever Match By says.
		const twice = await t.run(
			[
				{ ...p1, login: 'x@example.com', mail: 'a@acme.test' },
				{ ...p1, login: 'X@example.com', mail: 'b@acme.test' },
			],
			{ matchBy: 'email' },
		);
		expect(twice.error?.message).toBe('"x@example.com" is in the input twice (items 1 and 2)');
	});
});

describe('switches that guard a write fail closed', () => {
	const raw = { parameters: { active: '={{ $json.active }}' } };

	test('Active that is neither true nor false fails the item before anything is sent', async () => {
		const [p1] = people(1);
		t.seed([p1]);
		t.sandbox.directory.setState(t.user('p0@example.com').Uuid, 'Disabled');
		for (const active of ['', 'yes', null, 1]) {
			t.sandbox.resetCounters();
			const result = await t.run([{ ...p1, active }], {}, {}, raw);
			expect(result.error?.message).toMatch(/^Active must be true or false, but the value is /);
			expect(t.writes()).toBe(0);
			expect(t.state('p0@example.com')).toBe('Disabled');
		}
		const out = await t.sync([{ ...p1, active: 'true' }], {}, {});
		expect(out[0].action).toBe('enabled');
	});

	test('Deprovision Missing Users and Sign Out Everywhere take true, false, "true", "false" and nothing else', async () => {
		const [p1, p2] = people(2);
		t.seed([p1, p2]);
		for (const [name, value] of [
			['deprovisionMissing', 'yes'],
			['deprovisionMissing', ''],
			['signOut', 'no'],
		]) {
			const result = await t.run([p1], { [name]: value });
			expect(result.error?.message).toMatch(/must be true or false, but the value is/);
			expect(t.writes()).toBe(0);
		}
		const out = await t.sync([p1], { deprovisionMissing: 'true', maxDeprovisionPercent: 100 });
		expect(out.map((o) => [o.action, o.userName])).toEqual([
			['unchanged', 'p0@example.com'],
			['deprovisioned', 'p1@example.com'],
		]);
	});
});
