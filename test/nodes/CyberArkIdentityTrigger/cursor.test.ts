// The trigger's place in the audit log, run against the sandbox's Event table and Redrock engine (ties in
// a different order on every query) with a simulated tenant clock: first activation, events logged late,
// identical timestamps, bursts larger than a poll and than the remembered hashes, restarts, skewed clocks.
import type { IDataObject } from 'n8n-workflow';

import type { Cursor } from '../../../nodes/CyberArkIdentityTrigger/cursor';
import {
	clockAt,
	cursorKey,
	eventRef,
	idHash,
	readCursor,
} from '../../../nodes/CyberArkIdentityTrigger/cursor';
import { eventConditions } from '../../../nodes/CyberArkIdentityTrigger/eventQuery';
import { pollEvents } from '../../../nodes/CyberArkIdentityTrigger/pollEvents';
import type { EventSource } from '../../../nodes/CyberArkIdentityTrigger/reading';
import { expectOnce, FAIL, MIN, T0, Tenant, Trigger } from './tenant';

/**
 * Polls, moving the tenant's clock `step` ms before each, until `quiet` polls in a row emit nothing;
 * gives the number of polls that emitted something.
 */
async function drain(trigger: Trigger, tenant: Tenant, step = MIN, quiet = 2) {
	let emitting = 0;
	for (let i = 0, still = 0; still < quiet; i++) {
		if (i > 500) throw new Error('the trigger did not drain');
		tenant.now += step;
		if ((await trigger.poll()).length === 0) still++;
		else [still, emitting] = [0, emitting + 1];
	}
	return emitting;
}

describe('first activation', () => {
	test('starts at the newest event: no history, not even within the window, but all that follows', async () => {
		const tenant = new Tenant();
		for (let i = 10; i > 0; i--) tenant.event('Cloud.Core.LoginFail', T0 - i * MIN);
		tenant.event('Cloud.Core.Login', T0 - 30_000);
		const trigger = new Trigger(tenant);
		expect(await trigger.poll()).toEqual([]);
		expect(trigger.cursor()).toMatchObject({ v: 2, pos: { t: T0 - 30_000 }, mark: T0, recent: {} });

		tenant.now += MIN;
		const fresh = tenant.event('Cloud.Core.LoginFail', tenant.now - 1000);
		// Occurred before activation, logged after it: new to the trigger.
		const late = tenant.event('Cloud.Core.LoginFail', T0 - 3 * MIN - 500);
		expect(await trigger.poll()).toEqual([late.ID, fresh.ID]);
		expect(await drain(trigger, tenant)).toBe(0);
	});

	test('history is what was logged by activation, also events that occurred a little before the newest ones', async () => {
		const tenant = new Tenant();
		// The newest by WhenOccurred were logged 10 s ago; one that occurred 2 minutes ago was logged just now.
		for (let i = 0; i < 60; i++) tenant.event('Cloud.Core.Login', T0 - 10_000 + i, T0 - 10_000 + i);
		const older = tenant.event('Cloud.Core.LoginFail', T0 - 2 * MIN, T0);
		const trigger = new Trigger(tenant);
		await trigger.poll();
		expect(trigger.cursor().mark).toBe(T0);
		await drain(trigger, tenant);
		expect(trigger.emitted).not.toContain(older.ID);
	});

	test('an empty log: everything that appears is new', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		expect(trigger.cursor()).toEqual({ v: 2, key: cursorKey(FAIL), pos: { t: -1 }, mark: 0, recent: {} });
		const first = tenant.event('Cloud.Core.LoginFail', T0);
		expect(await trigger.poll()).toEqual([first.ID]);
		expect(trigger.cursor().clock).toBeDefined();
	});

	test('an event stamped ahead of the tenant clock does not become the place', async () => {
		const tenant = new Tenant();
		tenant.event('Cloud.Core.Login', T0 - MIN);
		const skewed = tenant.event('Cloud.Core.LoginFail', T0 + 24 * 60 * MIN, T0);
		const trigger = new Trigger(tenant);
		await trigger.poll();
		expect(trigger.cursor().pos).toEqual({ t: T0 - MIN });
		tenant.now += MIN;
		const next = tenant.event('Cloud.Core.LoginFail', tenant.now);
		expect(await trigger.poll()).toEqual([next.ID]);
		expect(trigger.emitted).not.toContain(skewed.ID);
	});

	test('other filters are another place: the trigger starts afresh instead of flooding', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		const stored = trigger.cursor();
		expect(readCursor(stored, cursorKey(FAIL))).toEqual(stored);
		expect(readCursor(stored, cursorKey(eventConditions({ types: ['*'] })))).toBeUndefined();
		expect(readCursor({ ...stored, v: 1 }, cursorKey(FAIL))).toBeUndefined();
		expect(readCursor({ ...stored, recent: { a: 'x' } }, cursorKey(FAIL))).toBeUndefined();
		expect(readCursor('garbage', cursorKey(FAIL))).toBeUndefined();
	});
});

describe('events logged late', () => {
	test('an event logged after newer ones were emitted, within the window, is emitted once', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now - 20_000);
		const b = tenant.event('Cloud.Core.LoginFail', tenant.now - 10_000);
		expect(await trigger.poll()).toEqual([a.ID, b.ID]);
		tenant.now += 3 * MIN;
		const late = tenant.event('Cloud.Core.LoginFail', tenant.now - 4 * MIN, tenant.now);
		expect(await trigger.poll()).toEqual([late.ID]);
		await drain(trigger, tenant);
		expectOnce(trigger, [a.ID, b.ID, late.ID]);
	});

	test('more late events than Max Events per Poll: the rest come with the next polls, earliest logged first', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, tenant.settings({ maxEvents: 5 }));
		await trigger.poll();
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now);
		await drain(trigger, tenant);
		const occurred = Number(eventRef(a)!.occurredMs);
		const late = Array.from(
			{ length: 12 },
			(_, i) => tenant.event('Cloud.Core.LoginFail', occurred - MIN - i, tenant.now + i).ID,
		);
		tenant.now += 5 * MIN; // all settled
		expect([await trigger.poll(), await trigger.poll(), await trigger.poll()]).toEqual([
			late.slice(0, 5).reverse(),
			late.slice(5, 10).reverse(),
			late.slice(10).reverse(),
		]);
		expectOnce(trigger, [a.ID, ...late]);
	});

	test('a wider window catches a later log; beyond the window an event is out of reach (the documented limit)', async () => {
		for (const [minutes, found] of [
			[5, false],
			[15, true],
		] as const) {
			const tenant = new Tenant();
			const trigger = new Trigger(tenant, tenant.settings({ windowMs: minutes * MIN }));
			await trigger.poll();
			tenant.now += 2 * MIN;
			const a = tenant.event('Cloud.Core.LoginFail', tenant.now);
			await drain(trigger, tenant);
			// Logged now, having occurred 6.5 minutes before the newest event the trigger passed.
			const late = tenant.event(
				'Cloud.Core.LoginFail',
				Number(eventRef(a)!.occurredMs) - 6.5 * MIN,
				tenant.now,
			);
			await drain(trigger, tenant);
			expectOnce(trigger, found ? [a.ID, late.ID] : [a.ID]);
		}
	});

	test('a row that becomes visible a while after its WhenLogged (within the settling time) is not lost', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		tenant.now += MIN;
		const hidden = tenant.event('Cloud.Core.LoginFail', tenant.now - 2000, tenant.now - 2000, {
			visibleAt: tenant.now + 50_000,
		});
		const shown = tenant.event('Cloud.Core.LoginFail', tenant.now - 1000);
		expect(await trigger.poll()).toEqual([shown.ID]);
		await drain(trigger, tenant, 20_000, 6);
		expectOnce(trigger, [hidden.ID, shown.ID]);
	});
});

describe('ties and bursts', () => {
	test('a burst of ties larger than Max Events per Poll, tied rows in a different order on each query: each once', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, tenant.settings({ maxEvents: 100, pageSize: 30 }));
		await trigger.poll();
		tenant.now += 2 * MIN;
		const ties = tenant.burst(410, tenant.now - 90_000, tenant.now - 90_000);
		await drain(trigger, tenant);
		expect(trigger.polls.map((p) => p.length).slice(0, 5)).toEqual([100, 100, 100, 100, 10]);
		expectOnce(trigger, ties);
		// Within a millisecond, events come in ID order; the place is the last ID emitted.
		expect(trigger.polls[0]).toEqual([...trigger.polls[0]].sort());
	});

	test('ties spanning the end of a page, among other milliseconds, with a window larger than a poll', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, tenant.settings({ maxEvents: 40, pageSize: 16, scanPageSize: 7 }));
		await trigger.poll();
		tenant.now += 3 * MIN;
		const ids: string[] = [];
		for (let ms = 0; ms < 30; ms++) ids.push(...tenant.burst(1 + (ms % 7) * 3, tenant.now - 2 * MIN + ms));
		await drain(trigger, tenant);
		expectOnce(trigger, ids);
	});

	test('a burst larger than the remembered-hash cap: the rest waits until it settles, each once, the cursor small', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, tenant.settings({ maxRecent: 100 }));
		await trigger.poll();
		tenant.now += MIN;
		const burst = tenant.burst(1000, tenant.now - 100); // logged just now: not settled yet
		expect(await trigger.poll()).toHaveLength(100);
		expect(Object.keys(trigger.cursor().recent)).toHaveLength(100);
		expect(await trigger.poll()).toEqual([]); // no room, nothing settled
		await drain(trigger, tenant);
		expectOnce(trigger, burst);
		expect(Math.max(...trigger.sizes)).toBeLessThan(4096);
	});

	test('a 10,000-event burst in one millisecond: each once, the cursor under 4 KB throughout', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, tenant.settings({ pageSize: 200, scanPageSize: 1000 }));
		await trigger.poll();
		tenant.now += MIN;
		const burst = tenant.burst(10_000, tenant.now - 1000);
		await drain(trigger, tenant);
		expectOnce(trigger, burst);
		expect(trigger.polls.length).toBeGreaterThanOrEqual(21);
		const biggest = Math.max(...trigger.sizes);
		expect(biggest).toBeLessThan(4096);
		process.stdout.write(
			`cursor after a 10,000-event burst: ${trigger.sizes.at(-1)} bytes, at most ${biggest}\n`,
		);
	});

	test('a late event inside the window during a burst larger than the old 5,000-ID cap is emitted once', async () => {
		const tenant = new Tenant();
		tenant.event('Cloud.Core.Login', T0 - MIN);
		const trigger = new Trigger(tenant, tenant.settings({ pageSize: 200, scanPageSize: 1000 }));
		await trigger.poll();
		tenant.now += 2 * MIN;
		const burst = tenant.burst(6000, tenant.now - 30_000, tenant.now - 30_000);
		tenant.now += MIN;
		await trigger.poll();
		tenant.now += MIN;
		await trigger.poll();
		expect(trigger.emitted).toHaveLength(1000);
		// Occurred 90 s before the burst, logged now, while the trigger is in the middle of it.
		const late = tenant.event('Cloud.Core.LoginFail', tenant.now - 2 * MIN, tenant.now);
		await drain(trigger, tenant);
		expectOnce(trigger, [...burst, late.ID]);
		expect(Math.max(...trigger.sizes)).toBeLessThan(4096);
	});

	test('a late event waiting to settle keeps the place within the window while a backlog is read', async () => {
		const tenant = new Tenant();
		tenant.event('Cloud.Core.Login', T0);
		// No room for hashes: an event logged late waits until it settles (a minute), polls come every 20 s.
		const trigger = new Trigger(tenant, tenant.settings({ windowMs: 2 * MIN, maxEvents: 50, maxRecent: 0 }));
		await trigger.poll();
		tenant.now += 20 * MIN;
		const backlog = Array.from(
			{ length: 600 },
			(_, i) => tenant.event('Cloud.Core.LoginFail', T0 + 2000 * (i + 1)).ID,
		);
		tenant.now += 2 * MIN;
		await trigger.poll();
		const late = tenant.event('Cloud.Core.LoginFail', trigger.cursor().pos.t - 1000, tenant.now);
		await drain(trigger, tenant, 20_000, 5);
		expectOnce(trigger, [...backlog, late.ID]);
	});

	test('a restart in the middle of a burst (the cursor from static data as JSON) loses nothing and repeats nothing', async () => {
		const tenant = new Tenant();
		let trigger = new Trigger(tenant, tenant.settings({ maxEvents: 70, pageSize: 25 }));
		await trigger.poll();
		tenant.now += MIN;
		const burst = tenant.burst(300, tenant.now - 5000);
		tenant.now += MIN;
		await trigger.poll();
		expect(trigger.cursor().pos.id).toBeDefined(); // inside the millisecond
		trigger = trigger.restart();
		const late = tenant.event('Cloud.Core.LoginFail', tenant.now - 3 * MIN, tenant.now);
		await trigger.poll();
		trigger = trigger.restart();
		await drain(trigger, tenant);
		expectOnce(trigger, [...burst, late.ID]);
	});
});

describe('when the window cannot be honoured, the poll says so', () => {
	test('a window holding more events than the poll may re-read: a warning naming how far it got', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, tenant.settings({ scanPageSize: 10, maxScanPages: 3 }));
		await trigger.poll();
		tenant.now += MIN;
		for (let i = 0; i < 60; i++) tenant.event('Cloud.Core.LoginFail', tenant.now - 60_000 + i * 1000);
		await drain(trigger, tenant);
		expect(trigger.warnings).toEqual(
			expect.arrayContaining([expect.objectContaining({ kind: 'window', pages: 3 })]),
		);
		const warning = trigger.warnings.find((w) => w.kind === 'window') as {
			fromMs: number;
			windowFromMs: number;
		};
		expect(warning.fromMs).toBeGreaterThan(warning.windowFromMs);
	});

	test('more late events logged in one millisecond than Max Events per Poll come together, with a warning', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, tenant.settings({ maxEvents: 5 }));
		await trigger.poll();
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now);
		await drain(trigger, tenant);
		const group = Array.from(
			{ length: 12 },
			(_, i) =>
				tenant.event('Cloud.Core.LoginFail', Number(eventRef(a)!.occurredMs) - 2 * MIN + i, tenant.now).ID,
		);
		tenant.now += 2 * MIN;
		expect(await trigger.poll()).toHaveLength(12);
		expect(trigger.warnings).toEqual([{ kind: 'group', loggedMs: tenant.now - 2 * MIN, count: 12 }]);
		await drain(trigger, tenant);
		expectOnce(trigger, [a.ID, ...group]);
	});
});

describe('clocks and failures', () => {
	test("n8n's clock only measures time between polls: it may run years away from the tenant's", async () => {
		const tenant = new Tenant();
		expect(Math.abs(tenant.settings().now() - T0)).toBeGreaterThan(365 * 24 * 60 * MIN);
		const trigger = new Trigger(tenant);
		await trigger.poll();
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now);
		expect(await trigger.poll()).toEqual([a.ID]);
		expect(clockAt({ t: 1000, at: 50 }, 80)).toBe(1030);
		expect(clockAt({ t: 1000, at: 50 }, 20)).toBe(1000); // n8n's clock went back: no credit
	});

	test('an event stamped in the future waits for the tenant clock, and holds back nothing before it', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		tenant.now += MIN;
		const skewed = tenant.event('Cloud.Core.LoginFail', tenant.now + 10 * MIN, tenant.now);
		const now = tenant.event('Cloud.Core.LoginFail', tenant.now - 1000);
		expect(await trigger.poll()).toEqual([now.ID]);
		tenant.now += MIN;
		const next = tenant.event('Cloud.Core.LoginFail', tenant.now);
		expect(await trigger.poll()).toEqual([next.ID]);
		await drain(trigger, tenant, MIN, 12);
		expectOnce(trigger, [now.ID, next.ID, skewed.ID]);
	});

	test('a failed poll (the tenant unreachable) leaves the cursor, and the next poll gets everything', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		const stored = trigger.stored;
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now).ID;
		const broken: EventSource<IDataObject> = {
			forward: async () => Promise.reject(new Error('HTTP 503')),
			backward: async () => Promise.reject(new Error('HTTP 503')),
			millisecond: async () => Promise.reject(new Error('HTTP 503')),
			newest: async () => Promise.reject(new Error('HTTP 503')),
		};
		await expect(pollEvents(trigger.cursor(), broken, trigger.settings, eventRef)).rejects.toThrow(
			'HTTP 503',
		);
		expect(trigger.stored).toBe(stored);
		expect(await trigger.poll()).toEqual([a]);
	});

	test('n8n 1.x keeps the cursor only with the executions it starts: quiet polls forgotten, nothing lost or repeated', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, tenant.settings({ maxEvents: 30 }), FAIL, false);
		await trigger.poll();
		const ids: string[] = [];
		for (let i = 0; i < 20; i++) {
			tenant.now += 20_000;
			ids.push(...tenant.burst(i % 4 === 0 ? 25 : 2, tenant.now - 40_000 + i));
			await trigger.poll();
		}
		await drain(trigger, tenant);
		expectOnce(trigger, ids);
	});
});

describe('cursor bookkeeping', () => {
	test('rows without an ID or a readable time cannot be tracked; WhenLogged stands in by WhenOccurred', () => {
		expect(
			eventRef({ ID: 'x', WhenOccurred: '/Date(1700000000000)/', WhenLogged: '/Date(1700000001000)/' }),
		).toEqual({ id: 'x', occurredMs: 1700000000000, loggedMs: 1700000001000 });
		expect(eventRef({ ID: 'x', WhenOccurred: '/Date(5)/' })).toEqual({ id: 'x', occurredMs: 5, loggedMs: 5 });
		expect(eventRef({ ID: 'x', WhenOccurred: 'soon' })).toBeUndefined();
		expect(eventRef({ WhenOccurred: '/Date(1)/' })).toBeUndefined();
	});

	test('hashes are short and fixed-length; recent times are kept relative to the mark', async () => {
		expect(idHash('a')).toHaveLength(11);
		expect(idHash('a')).not.toBe(idHash('b'));
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now - 100);
		await trigger.poll();
		const cursor: Cursor = trigger.cursor();
		expect(cursor.recent).toEqual({ [idHash(a.ID)]: tenant.now - cursor.mark });
	});
});
