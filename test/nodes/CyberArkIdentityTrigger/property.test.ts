// Property tests (fast-check) of the trigger's cursor over random audit logs: ties, bursts, events logged
// late, rows that show up a while after their WhenLogged, events stamped ahead of the clock, restarts of
// n8n, n8n 1.x dropping the cursor of quiet polls, random page sizes and limits, tied rows in a different
// order on every query. Fixed seed; TRIGGER_PROPERTY_RUNS=5000 (and TRIGGER_PROPERTY_SEED) run it longer.
import fc from 'fast-check';

import { MIN, seeded, T0, Tenant, Trigger } from './tenant';

const RUNS = Number(process.env.TRIGGER_PROPERTY_RUNS ?? 100);
const SEED = Number(process.env.TRIGGER_PROPERTY_SEED ?? 20261126);
const MAX_STEP = 40_000;
const SETTLE = MIN;

const eventArb = fc.record({
	kind: fc.constantFrom('now', 'now', 'now', 'tie', 'tie', 'late', 'late', 'late', 'ahead', 'other'),
	/** For "late": how long before it became visible it occurred, as a share of what is guaranteed. */
	share: fc.double({ min: 0, max: 1, noNaN: true }),
	/** How long after its WhenLogged it shows up, as a share of the settling time. */
	lag: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.9, noNaN: true })),
	aheadMs: fc.integer({ min: 1, max: 3 * MIN }),
});

const stepArb = fc.record({
	advance: fc.integer({ min: 0, max: MAX_STEP }),
	events: fc.oneof(
		{ weight: 6, arbitrary: fc.array(eventArb, { maxLength: 4 }) },
		{ weight: 1, arbitrary: fc.array(eventArb, { minLength: 20, maxLength: 60 }) },
	),
	restart: fc.boolean(),
	poll: fc.boolean(),
});

const scenarioArb = fc.record({
	windowMinutes: fc.constantFrom(5, 8, 12),
	maxEvents: fc.integer({ min: 1, max: 40 }),
	pageSize: fc.integer({ min: 2, max: 12 }),
	scanPageSize: fc.integer({ min: 2, max: 15 }),
	maxRecent: fc.integer({ min: 1, max: 20 }),
	keepQuietPolls: fc.boolean(),
	history: fc.integer({ min: 0, max: 6 }),
	shuffleSeed: fc.integer(),
	steps: fc.array(stepArb, { minLength: 1, maxLength: 25 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

interface Expected {
	id: string;
	/** Must be emitted: logged late by no more than the guarantee allows (or not late). */
	guaranteed: boolean;
}

async function run(s: Scenario) {
	const tenant = new Tenant(seeded(s.shuffleSeed));
	const settings = tenant.settings({
		windowMs: s.windowMinutes * MIN,
		maxEvents: s.maxEvents,
		pageSize: s.pageSize,
		scanPageSize: s.scanPageSize,
		maxScanPages: 100_000,
		settleMs: SETTLE,
		maxRecent: s.maxRecent,
	});
	const history = Array.from(
		{ length: s.history },
		(_, i) => tenant.event('Cloud.Core.LoginFail', T0 - i * 7000).ID,
	);
	let trigger = new Trigger(tenant, settings, undefined, s.keepQuietPolls);
	await trigger.poll();
	// Late by at most this (occurred → visible) is guaranteed: the window less settling and a few polls.
	const guarantee = s.windowMinutes * MIN - SETTLE - 4 * MAX_STEP;
	const expected: Expected[] = [];
	let last = T0;
	for (const step of s.steps) {
		tenant.now += step.advance;
		for (const e of step.events) {
			const lag = Math.floor(e.lag * SETTLE * 0.9);
			const visible = tenant.now + lag;
			const logged = tenant.now;
			let occurred = tenant.now;
			if (e.kind === 'tie') occurred = last;
			if (e.kind === 'late') occurred = visible - Math.floor(e.share * guarantee);
			if (e.kind === 'ahead') occurred = tenant.now + e.aheadMs;
			last = Math.min(occurred, tenant.now);
			const type = e.kind === 'other' ? 'Cloud.Core.Login' : 'Cloud.Core.LoginFail';
			const row = tenant.event(type, occurred, logged, { visibleAt: visible });
			// Logged in the millisecond the trigger was activated in: history or not, either is right.
			const afterActivation = logged > T0;
			if (type === 'Cloud.Core.LoginFail')
				expected.push({ id: row.ID, guaranteed: afterActivation && visible - occurred <= guarantee });
		}
		if (step.restart) trigger = trigger.restart();
		if (step.poll) await trigger.poll();
	}
	// Then time goes on with nothing new, until the trigger has been quiet for 10 minutes.
	for (let i = 0, quiet = 0; quiet < 15 && i < 5000; i++) {
		tenant.now += MAX_STEP;
		quiet = (await trigger.poll()).length ? 0 : quiet + 1;
	}
	return { trigger, expected, history };
}

test('every event exactly once, no history, the cursor under 4 KB: random logs, limits, restarts and tie orders', async () => {
	await fc.assert(
		fc.asyncProperty(scenarioArb, async (scenario) => {
			const { trigger, expected, history } = await run(scenario);
			const counts = new Map<string, number>();
			for (const id of trigger.emitted) counts.set(id, (counts.get(id) ?? 0) + 1);
			const twice = [...counts].filter(([, n]) => n > 1);
			const known = new Set(expected.map((e) => e.id));
			const strangers = trigger.emitted.filter((id) => !known.has(id));
			const missing = expected.filter((e) => e.guaranteed && !counts.has(e.id)).map((e) => e.id);
			expect({ twice, strangers, missing }).toEqual({ twice: [], strangers: [], missing: [] });
			expect(trigger.emitted.filter((id) => history.includes(id))).toEqual([]);
			expect(Math.max(...trigger.sizes)).toBeLessThan(4096);
		}),
		{ numRuns: RUNS, seed: SEED },
	);
});
