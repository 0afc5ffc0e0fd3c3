// Properties of Create or Update over random tenants (users, states, roles, e-mails in any case, shared
// e-mails), random rosters (renames, changed e-mails, duplicates, inactive rows, missing people) and
// random options, run in process against the sandbox's tenant (inProcess.ts). A fixed seed in npm test;
// SYNC_PROPERTY_RUNS and SYNC_PROPERTY_SEED run longer or elsewhere, e.g.
//   SYNC_PROPERTY_RUNS=20000 SYNC_PROPERTY_SEED=$RANDOM npx jest test/nodes/CyberArkIdentity/sync/properties
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { WRITE_PATHS } from '../../../writes';
import type { InProcessTenant, Outcome } from './inProcess';
import type { Scenario, UserPicture } from './scenario';
import {
	applyPlan,
	buildTenant,
	cleanScenarios,
	named,
	picture,
	runScenario,
	scenarios,
	users,
} from './scenario';

const RUNS = Number(process.env.SYNC_PROPERTY_RUNS ?? 1000);
const SEED = Number(process.env.SYNC_PROPERTY_SEED ?? 20261126);
const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : undefined);

/** The users (before the run) whom some row's login name or e-mail finds. */
function foundByRows(before: UserPicture[], scenario: Scenario): Set<string> {
	const names = new Set(scenario.rows.map((r) => lower(r.login)));
	const emails = new Set(scenario.rows.map((r) => lower(r.email)).filter((e) => e !== undefined));
	return new Set(
		before.filter((u) => names.has(lower(u.name)) || emails.has(lower(u.mail) ?? '')).map((u) => u.id),
	);
}

/**
 * Who lost access in a run, as the tenant shows it: deleted, disabled, removed from a role, signed out,
 * renamed (the old login name stops working).
 */
function lostAccess(before: UserPicture[], after: UserPicture[], signOuts: string[]): Set<string> {
	const now = new Map(after.map((u) => [u.id, u]));
	const lost = new Set(signOuts);
	for (const user of before) {
		const later = now.get(user.id);
		if (!later) lost.add(user.id);
		else if (user.state !== 'Disabled' && later.state === 'Disabled') lost.add(user.id);
		else if (user.roles.some((r) => !later.roles.includes(r))) lost.add(user.id);
		else if (lower(user.name) !== lower(later.name)) lost.add(user.id);
	}
	return lost;
}

const json = (outcome: Outcome) => outcome.items.map((i) => i.json);

test('no run takes access from more people than Max Deprovision or Max Deprovision Percent allow', async () => {
	await fc.assert(
		fc.asyncProperty(scenarios, async (scenario) => {
			const tenant = buildTenant(scenario.users);
			const before = users(tenant);
			const scope = tenant.sandbox.state().roles.find((r) => r.Name === 'Scope')!.members;
			const outcome = await runScenario(tenant, scenario);
			const lost = lostAccess(before, users(tenant), tenant.sandbox.signOuts);
			const { maxDeprovision, maxDeprovisionPercent, scope: hasScope } = scenario.options;
			expect(lost.size).toBeLessThanOrEqual(maxDeprovision);
			const population = hasScope
				? new Set([...scope, ...foundByRows(before, scenario)]).size
				: before.length;
			expect(lost.size * 100).toBeLessThanOrEqual(maxDeprovisionPercent * population);
			if (/would lose access/.test(outcome.error?.message ?? '')) expect(outcome.writes).toEqual([]);
		}),
		settings,
	);
});

test('nobody a row finds by login name or e-mail is deprovisioned, or disabled but by their own row', async () => {
	await fc.assert(
		fc.asyncProperty(scenarios, async (scenario) => {
			const tenant = buildTenant(scenario.users);
			const before = users(tenant);
			const found = foundByRows(before, scenario);
			const outcome = await runScenario(tenant, scenario);
			const after = new Map(users(tenant).map((u) => [u.id, u]));
			const items = json(outcome);
			const disabledByRow = new Set(items.filter((o) => o.action === 'disabled').map((o) => o.id));
			for (const id of found) {
				expect(after.has(id)).toBe(true);
				expect(items.filter((o) => o.action === 'deprovisioned').map((o) => o.id)).not.toContain(id);
				const was = before.find((u) => u.id === id)!;
				if (was.state !== 'Disabled' && after.get(id)!.state === 'Disabled')
					expect(disabledByRow).toContain(id);
			}
		}),
		settings,
	);
});

test('Dry Run sends only reads and changes nothing, also when its switch is the text "true"', async () => {
	await fc.assert(
		fc.asyncProperty(scenarios, fc.constantFrom<unknown>(true, 'true', 'TRUE'), async (scenario, dryRun) => {
			const tenant = buildTenant(scenario.users);
			const before = picture(tenant, []);
			const outcome = await runScenario(tenant, scenario, dryRun as never);
			expect(outcome.writes).toEqual([]);
			expect(picture(tenant, [])).toEqual(before);
			for (const item of json(outcome)) if (item.error === undefined) expect(item.dryRun).toBe(true);
		}),
		settings,
	);
});

test('the same roster twice: a run that applied every row writes nothing the second time', async () => {
	await fc.assert(
		fc.asyncProperty(cleanScenarios, async (scenario) => {
			const tenant = buildTenant(scenario.users);
			const first = await runScenario(tenant, scenario);
			fc.pre(first.error === undefined && json(first).every((o) => o.error === undefined));
			const second = await runScenario(tenant, scenario);
			expect(second.error).toBeUndefined();
			expect(second.writes).toEqual([]);
			expect(json(second).every((o) => o.action === 'unchanged' || o.action === 'skipped')).toBe(true);
		}),
		settings,
	);
});

/** How a run failed as a whole: thrown, or (Continue On Fail) the same error on every item. */
function runFailure(outcome: Outcome): string | undefined {
	if (outcome.error) return outcome.error.message;
	const errors = new Set(json(outcome).map((o) => o.error));
	return errors.size === 1 && outcome.items.length > 0 ? ([...errors][0] as string | undefined) : undefined;
}

test("a run's outcome is its own Dry Run plan applied", async () => {
	await fc.assert(
		fc.asyncProperty(scenarios, async (scenario) => {
			const dryTenant = buildTenant(scenario.users);
			const dryBefore = users(dryTenant);
			const dry = await runScenario(dryTenant, scenario, true);
			const real = buildTenant(scenario.users);
			const realBefore = users(real);
			const outcome = await runScenario(real, scenario);
			// Every Dry Run that ends says it changed nothing; one over the budget also warns, first.
			if (!dry.error) expect(dry.hints.at(-1)?.message).toMatch(/^Dry Run: nothing was changed/);
			const warnings = dry.hints.filter((hint) => hint.type === 'warning');
			if (warnings.length > 0) {
				// Over the budget: the Dry Run says so and shows the list; the run refuses before any write.
				const refusal = runFailure(outcome)!.replace('; nothing was changed', '');
				expect(warnings[0].message).toContain(refusal);
				expect(outcome.writes).toEqual([]);
				return;
			}
			// What stops a Dry Run (an option, a bad item without Continue On Fail) stops the run before any write.
			expect(outcome.error?.message).toBe(dry.error?.message);
			if (outcome.error) return expect(outcome.writes).toEqual([]);
			const strip = ({ dryRun, requests, ...rest }: IDataObject) => ({
				...rest,
				id: rest.action === 'created' ? null : rest.id,
			});
			expect(named(real, realBefore, json(outcome).map(strip))).toEqual(
				named(dryTenant, dryBefore, json(dry).map(strip)),
			);
			const planned = buildTenant(scenario.users);
			const plannedBefore = users(planned);
			applyPlan(planned, named(dryTenant, dryBefore, json(dry)));
			expect(picture(real, realBefore)).toEqual(picture(planned, plannedBefore));
		}),
		settings,
	);
});

/** The writes of a run that take access away, by whom they name (login name before the run). */
function takenAway(tenant: InProcessTenant, before: UserPicture[]): string[] {
	const names = new Map(before.map((u) => [u.id.toLowerCase(), u.name.toLowerCase()]));
	const target = (c: { body: IDataObject; qs: IDataObject }) => {
		const id = String(c.body.ID ?? c.qs.ID ?? '').toLowerCase();
		return names.get(id) ?? id;
	};
	return tenant.calls
		.filter(
			(c) =>
				(c.path === '/cdirectoryservice/setuserstate' && c.body.state === 'Disabled') ||
				c.path === '/cdirectoryservice/deleteuser' ||
				c.path === '/usermgmt/signouteverywhere',
		)
		.map((c) => `${c.path} ${target(c)}`)
		.sort();
}

test("no decision to disable, delete or sign out rests on Redrock's Status: a Status that reads Active for everyone changes none", async () => {
	await fc.assert(
		fc.asyncProperty(scenarios, fc.constantFrom('Active', 'Invited', 'Created'), async (scenario, status) => {
			const truthful = buildTenant(scenario.users);
			const truthfulBefore = users(truthful);
			const told = await runScenario(truthful, scenario);
			const lying = buildTenant(scenario.users);
			lying.sandbox.knobs.statusWhenNotActive = status;
			const lyingBefore = users(lying);
			const outcome = await runScenario(lying, scenario);
			expect(outcome.error?.message).toBe(told.error?.message);
			expect(takenAway(lying, lyingBefore)).toEqual(takenAway(truthful, truthfulBefore));
			// Nobody disabled before the run is disabled again, deleted or signed out.
			const disabled = new Set(
				lyingBefore.filter((u) => u.state === 'Disabled').map((u) => u.name.toLowerCase()),
			);
			for (const write of takenAway(lying, lyingBefore)) expect(disabled).not.toContain(write.split(' ')[1]);
		}),
		settings,
	);
});

/** A scenario, with the caller (the user the credential signs in as) in reach of its rows. */
const callerScenarios = fc.record({
	scenario: scenarios,
	inScope: fc.boolean(),
	mail: fc.option(
		fc.integer({ min: 0, max: 5 }).map((n) => `m${n}@acme.test`),
		{ nil: null },
	),
	rows: fc.array(fc.record({ byLogin: fc.boolean(), active: fc.boolean(), upper: fc.boolean() }), {
		maxLength: 2,
	}),
});

test('the caller is never written, whatever the tenant, the roster and the options', async () => {
	await fc.assert(
		fc.asyncProperty(callerScenarios, async ({ scenario, inScope, mail, rows }) => {
			const tenant = buildTenant(scenario.users);
			const d = tenant.sandbox.directory;
			const caller = tenant.sandbox.owner as { Uuid: string; Name: string };
			if (mail) d.changeUser({ ID: caller.Uuid, Mail: mail });
			if (inScope) [...d.roles.values()].find((r) => r.Name === 'Scope')!.members.add(caller.Uuid);
			const before = users(tenant).find((u) => u.id === caller.Uuid);
			const extra = rows.map((r, n) => {
				const login = r.byLogin ? caller.Name : `caller.claim${n}@example.com`;
				return {
					login: r.upper ? login.toUpperCase() : login,
					email: mail ?? '',
					active: r.active,
					dept: [],
				};
			});
			await runScenario(tenant, { ...scenario, rows: [...scenario.rows, ...extra] });
			const named = tenant.calls.filter(
				(c) =>
					WRITE_PATHS.includes(c.path) &&
					JSON.stringify([c.body, c.qs]).toLowerCase().includes(caller.Uuid.toLowerCase()),
			);
			expect(named).toEqual([]);
			expect(users(tenant).find((u) => u.id === caller.Uuid)).toEqual(before);
			expect(tenant.sandbox.signOuts).not.toContain(caller.Uuid);
		}),
		settings,
	);
});

/** Scenarios whose rows often give a tenant user's login name exactly as it is stored (in any case). */
const spelledScenarios = fc
	.tuple(scenarios, fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: 8, maxLength: 8 }))
	.map(([scenario, picks]) => ({
		...scenario,
		rows: scenario.rows.map((row, i) => {
			const pick = picks[i];
			if (pick === undefined || scenario.users.length === 0) return row;
			return { ...row, login: scenario.users[pick % scenario.users.length].login };
		}),
	}));

test('case variants of a key match the same person, whether or not Redrock ignores case', async () => {
	await fc.assert(
		fc.asyncProperty(spelledScenarios, fc.boolean(), async (scenario, caseSensitive) => {
			const tenant = buildTenant(scenario.users);
			tenant.sandbox.knobs.redrockCaseSensitive = caseSensitive;
			const before = users(tenant);
			const found = foundByRows(before, scenario);
			const outcome = await runScenario(tenant, scenario);
			const items = json(outcome);
			const deprovisioned = items.filter((o) => o.action === 'deprovisioned').map((o) => o.id);
			for (const id of found) expect(deprovisioned).not.toContain(id);
			if (scenario.options.matchBy !== 'userName') return;
			scenario.rows.forEach((row, i) => {
				const item = items[i];
				const holder = before.find((u) => lower(u.name) === lower(row.login));
				if (!item || item.error !== undefined || !holder) return;
				// Redrock is sent the row's login name as given and in lower case: a user stored either way
				// is found by the query; one stored in a third spelling only when Redrock ignores case.
				const queried = !caseSensitive || [row.login, row.login.toLowerCase()].includes(holder.name);
				if (queried) expect(item.action).not.toMatch(/^(created|skipped)$/);
				if (item.action !== 'skipped') expect(item.id).toBe(holder.id);
			});
		}),
		settings,
	);
});
