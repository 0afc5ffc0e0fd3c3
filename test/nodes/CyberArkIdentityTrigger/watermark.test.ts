// The trigger's place in the audit log, run against the sandbox's Event table and Redrock engine with a
// simulated tenant clock: late-logged events, identical timestamps, bursts, restarts, skewed clocks.
import type { IDataObject } from 'n8n-workflow';

import { eventConditions, eventsAfterScript, newestEventsScript } from '../../../nodes/shared/redrock';
import type { Cursor, EventSource, WindowSettings } from '../../../nodes/CyberArkIdentityTrigger/watermark';
import {
	advance,
	eventRef,
	lowerBound,
	pollWindow,
	prune,
	readCursor,
	reach,
	seed,
} from '../../../nodes/CyberArkIdentityTrigger/watermark';
import { EventLog } from '../../../sandbox/events';
import { runQuery } from '../../../sandbox/redrock';

const MIN = 60_000;
const T0 = Date.parse('2031-03-01T12:00:00Z'); // the tenant's clock: years away from this machine's

/** A tenant whose clock the test moves; its Event table answered by the sandbox's Redrock engine. */
class Tenant {
	now = T0;
	log = new EventLog({ now: () => this.now });
	queries = 0;
	private n = 0;

	event(
		type: string,
		occurredAt: number,
		loggedAt = Math.max(occurredAt, this.now),
		extra: IDataObject = {},
	) {
		return this.log.record({
			id: `ev-${String(++this.n).padStart(5, '0')}`,
			type,
			user: 'jane@acme.example',
			occurredAt,
			loggedAt,
			...extra,
		}) as IDataObject;
	}

	source(conditions: string): EventSource<IDataObject> {
		const query = (script: string, page: number, pageSize: number) => {
			this.queries++;
			const result = runQuery({ Event: () => ({ rows: this.log.rows(), entity: 'Event' }) }, script, {
				PageNumber: page,
				PageSize: pageSize,
			});
			return { rows: result.Results.map((r: { Row: IDataObject }) => r.Row), fullCount: result.FullCount };
		};
		return {
			after: async (afterMs, page, pageSize) => query(eventsAfterScript(conditions, afterMs), page, pageSize),
			newest: async (page, pageSize, filtered) =>
				query(newestEventsScript(filtered ? conditions : ''), page, pageSize),
		};
	}
}

const FAIL = eventConditions({ types: ['Cloud.Core.LoginFail'] });
const settings = (over: Partial<WindowSettings> = {}): WindowSettings => ({
	overlapMs: 5 * MIN,
	maxEvents: 500,
	pageSize: 50,
	maxSeen: 5000,
	...over,
});

/** A trigger as n8n runs it: the cursor kept in static data (JSON), changed only when events are emitted. */
class Trigger {
	stored: string | undefined;
	emitted: string[] = [];
	polls: string[][] = [];

	constructor(
		private tenant: Tenant,
		private conditions = FAIL,
		private s = settings(),
	) {}

	async poll(): Promise<string[]> {
		const source = this.tenant.source(this.conditions);
		const cursor = readCursor(
			this.stored === undefined ? undefined : JSON.parse(this.stored),
			this.conditions,
		);
		if (!cursor) {
			this.stored = JSON.stringify(await seed(source, this.conditions, this.s, eventRef));
			return [];
		}
		const result = await pollWindow(cursor, source, this.s, eventRef);
		if (!result) return [];
		this.stored = JSON.stringify(result.cursor);
		const ids = result.events.map((e) => String(e.ID));
		this.emitted.push(...ids);
		this.polls.push(ids);
		return ids;
	}

	cursor(): Cursor {
		return JSON.parse(this.stored!);
	}
}

function expectOnce(trigger: Trigger, ids: string[]) {
	expect([...trigger.emitted].sort()).toEqual([...ids].sort());
	expect(new Set(trigger.emitted).size).toBe(trigger.emitted.length);
}

describe('first activation', () => {
	test('starts from the newest matching event: no history, not even within the overlap, but all that follows', async () => {
		const tenant = new Tenant();
		for (let i = 10; i > 0; i--) tenant.event('Cloud.Core.LoginFail', T0 - i * MIN);
		const trigger = new Trigger(tenant);
		expect(await trigger.poll()).toEqual([]);
		expect(trigger.cursor()).toMatchObject({ watermark: T0 - MIN, floor: T0 - 6 * MIN });
		expect(Object.keys(trigger.cursor().seen)).toHaveLength(5); // T0-5..T0-1 min: after the floor

		tenant.now += MIN;
		const fresh = tenant.event('Cloud.Core.LoginFail', tenant.now - 1000);
		// Occurred before activation, logged after it: new to the trigger.
		const late = tenant.event('Cloud.Core.LoginFail', T0 - 3 * MIN - 500);
		expect(await trigger.poll()).toEqual([late.ID, fresh.ID]);
		expect(await trigger.poll()).toEqual([]);
	});

	test('with no matching event, it starts at the newest event of any type (the tenant clock, not n8n)', async () => {
		const tenant = new Tenant();
		tenant.event('Cloud.Core.Login', T0 - 2 * MIN);
		const trigger = new Trigger(tenant);
		await trigger.poll();
		expect(trigger.cursor()).toMatchObject({ watermark: T0 - 2 * MIN, floor: T0 - 2 * MIN, seen: {} });
		tenant.now += MIN;
		const fail = tenant.event('Cloud.Core.LoginFail', tenant.now);
		tenant.event('Cloud.Core.Login', tenant.now);
		expect(await trigger.poll()).toEqual([fail.ID]);
	});

	test('an empty log: everything that appears is new', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		expect(trigger.cursor()).toMatchObject({ watermark: 0, floor: 0 });
		const first = tenant.event('Cloud.Core.LoginFail', T0);
		expect(await trigger.poll()).toEqual([first.ID]);
	});

	test('other filters are another place: the trigger starts afresh instead of flooding', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		tenant.event('Cloud.Core.Login', T0);
		const stored = trigger.cursor();
		expect(readCursor(stored, FAIL)).toEqual(stored);
		expect(readCursor(stored, eventConditions({ types: ['*'] }))).toBeUndefined();
		expect(readCursor({ ...stored, v: 2 }, FAIL)).toBeUndefined();
		expect(readCursor('garbage', FAIL)).toBeUndefined();
	});
});

describe('late-logged events', () => {
	test('an event logged after newer ones were emitted, within the overlap, is emitted once', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now - 20_000);
		const b = tenant.event('Cloud.Core.LoginFail', tenant.now - 10_000);
		expect(await trigger.poll()).toEqual([a.ID, b.ID]);
		tenant.now += 3 * MIN;
		// Occurred before a and b, logged 4 minutes after it occurred.
		const late = tenant.event('Cloud.Core.LoginFail', tenant.now - 4 * MIN, tenant.now);
		expect(await trigger.poll()).toEqual([late.ID]);
		expect(await trigger.poll()).toEqual([]);
		expectOnce(trigger, [a.ID, b.ID, late.ID] as string[]);
	});

	test('a wider window catches a later log; beyond the window an event is out of reach (the documented limit)', async () => {
		for (const [overlap, found] of [
			[5, false],
			[15, true],
		] as const) {
			const tenant = new Tenant();
			const trigger = new Trigger(tenant, FAIL, settings({ overlapMs: overlap * MIN }));
			await trigger.poll();
			tenant.now += MIN;
			const a = tenant.event('Cloud.Core.LoginFail', tenant.now);
			expect(await trigger.poll()).toEqual([a.ID]);
			// Logged now, 10 minutes and a second before the newest event emitted so far.
			const late = tenant.event('Cloud.Core.LoginFail', tenant.now - 10 * MIN - 1000, tenant.now);
			expect(await trigger.poll()).toEqual(found ? [late.ID] : []);
		}
	});
});

describe('identical timestamps and bursts', () => {
	test('events sharing one millisecond, split by the per-poll limit and pages: each once, in order', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, FAIL, settings({ maxEvents: 3, pageSize: 2 }));
		await trigger.poll();
		tenant.now += MIN;
		const same = Array.from(
			{ length: 10 },
			() => tenant.event('Cloud.Core.LoginFail', tenant.now - 5000).ID as string,
		);
		const polls = [
			await trigger.poll(),
			await trigger.poll(),
			await trigger.poll(),
			await trigger.poll(),
			await trigger.poll(),
		];
		expect(polls.map((p) => p.length)).toEqual([3, 3, 3, 1, 0]);
		expect(trigger.emitted).toEqual(same);
	});

	test('a burst larger than a page is read page by page, oldest first, the rest next poll', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant, FAIL, settings({ maxEvents: 300, pageSize: 50 }));
		await trigger.poll();
		tenant.now += MIN;
		const burst = Array.from(
			{ length: 700 },
			(_, i) => tenant.event('Cloud.Core.LoginFail', tenant.now - 50_000 + i * 50).ID as string,
		);
		const before = tenant.queries;
		expect((await trigger.poll()).length).toBe(300);
		expect(tenant.queries - before).toBe(6);
		expect((await trigger.poll()).length).toBe(300);
		expect((await trigger.poll()).length).toBe(100);
		expect(await trigger.poll()).toEqual([]);
		expect(trigger.emitted).toEqual(burst);
	});

	test('a poll past its deadline emits what it read and leaves the rest for the next', async () => {
		const tenant = new Tenant();
		const s = settings({ pageSize: 10 });
		const trigger = new Trigger(tenant, FAIL, s);
		await trigger.poll();
		tenant.now += MIN;
		const all = Array.from(
			{ length: 35 },
			(_, i) => tenant.event('Cloud.Core.LoginFail', tenant.now - 40_000 + i).ID as string,
		);
		const result = await pollWindow(
			trigger.cursor(),
			tenant.source(FAIL),
			{ ...s, deadline: 0, now: () => 1 },
			eventRef,
		);
		expect(result!.events.map((e) => e.ID)).toEqual(all.slice(0, 10));
	});
});

describe('restarts and clocks', () => {
	test('a restart between polls (cursor from static data as JSON) loses nothing and repeats nothing', async () => {
		const tenant = new Tenant();
		const first = new Trigger(tenant);
		await first.poll();
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now - 1000).ID as string;
		await first.poll();
		// n8n stops; events arrive; n8n starts with the stored cursor.
		tenant.now += 2 * MIN;
		const b = tenant.event('Cloud.Core.LoginFail', tenant.now - 1000).ID as string;
		const late = tenant.event('Cloud.Core.LoginFail', tenant.now - 3 * MIN, tenant.now).ID as string;
		const second = new Trigger(tenant);
		second.stored = first.stored;
		expect(await second.poll()).toEqual([late, b]);
		expect([...first.emitted, ...second.emitted]).toEqual([a, late, b]);
	});

	test('a failed poll (the tenant unreachable) leaves the cursor, and the next poll gets everything', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		const stored = trigger.stored;
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now).ID as string;
		const broken: EventSource<IDataObject> = {
			after: async () => Promise.reject(new Error('HTTP 503')),
			newest: async () => Promise.reject(new Error('HTTP 503')),
		};
		await expect(pollWindow(trigger.cursor(), broken, settings(), eventRef)).rejects.toThrow('HTTP 503');
		expect(trigger.stored).toBe(stored);
		expect(await trigger.poll()).toEqual([a]);
	});

	test("n8n's clock plays no part: the tenant runs years ahead of this machine, and nothing is lost", async () => {
		expect(Math.abs(Date.now() - T0)).toBeGreaterThan(60 * 24 * MIN);
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		tenant.now += MIN;
		const a = tenant.event('Cloud.Core.LoginFail', tenant.now).ID as string;
		expect(await trigger.poll()).toEqual([a]);
	});

	test('an event stamped in the future (a skewed source clock) does not push the window past events still to come', async () => {
		const tenant = new Tenant();
		const trigger = new Trigger(tenant);
		await trigger.poll();
		tenant.now += MIN;
		const skewed = tenant.event('Cloud.Core.LoginFail', tenant.now + 24 * 60 * MIN, tenant.now);
		expect(await trigger.poll()).toEqual([skewed.ID]);
		expect(trigger.cursor().watermark).toBe(tenant.now);
		tenant.now += MIN;
		const next = tenant.event('Cloud.Core.LoginFail', tenant.now).ID as string;
		expect(await trigger.poll()).toEqual([next]);
		expect(await trigger.poll()).toEqual([]); // the skewed one stays remembered while it is in reach
	});

	test('random late logging, ties, bursts and restarts: every event exactly once, each poll oldest first', async () => {
		let seedValue = 42;
		const random = () => (seedValue = (seedValue * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const tenant = new Tenant();
		const s = settings({ maxEvents: 40, pageSize: 16, overlapMs: 5 * MIN });
		let trigger = new Trigger(tenant, FAIL, s);
		await trigger.poll();
		const expected: string[] = [];
		const emitted: string[] = [];
		const occurredOf = new Map<string, number>();
		for (let step = 0; step < 120; step++) {
			tenant.now += Math.floor(random() * 20_000);
			const count = random() < 0.1 ? 50 : Math.floor(random() * 4);
			for (let i = 0; i < count; i++) {
				const delay = random() < 0.3 ? Math.floor(random() * 4 * MIN) : 0;
				const occurred = random() < 0.2 ? tenant.now - 7000 : tenant.now - delay; // ties on purpose
				const type = random() < 0.8 ? 'Cloud.Core.LoginFail' : 'Cloud.Core.Login';
				const logged = tenant.now + (random() < 0.2 ? Math.floor(random() * 30_000) : 0); // some appear later
				const row = tenant.event(type, occurred, logged);
				occurredOf.set(row.ID as string, occurred);
				if (type === 'Cloud.Core.LoginFail') expected.push(row.ID as string);
			}
			if (random() < 0.1) {
				emitted.push(...trigger.emitted);
				const restarted = new Trigger(tenant, FAIL, s);
				restarted.stored = trigger.stored;
				trigger = restarted;
			}
			const ids = await trigger.poll();
			const times = ids.map((id) => occurredOf.get(id)!);
			expect(times).toEqual([...times].sort((x, y) => x - y));
		}
		tenant.now += MIN;
		for (let i = 0; i < 20; i++) await trigger.poll();
		emitted.push(...trigger.emitted);
		expect(emitted.length).toBe(expected.length);
		expect(new Set(emitted).size).toBe(emitted.length);
		expect([...emitted].sort()).toEqual([...expected].sort());
	});
});

describe('cursor bookkeeping', () => {
	const base: Cursor = { v: 1, conditions: FAIL, watermark: 1000 * MIN, floor: 990 * MIN, seen: {} };

	test('the lower bound is the watermark minus the overlap, never below the floor', () => {
		expect(lowerBound(base, 5 * MIN)).toBe(995 * MIN);
		expect(lowerBound(base, 60 * MIN)).toBe(990 * MIN);
	});

	test('advance moves the watermark to the newest event emitted and forgets IDs out of reach', () => {
		const next = advance(
			{ ...base, seen: { old: 991 * MIN, kept: 998 * MIN } },
			[{ id: 'n', occurredMs: 1004 * MIN, loggedMs: 1004 * MIN }],
			{ overlapMs: 5 * MIN, maxSeen: 10 },
		);
		expect(next).toEqual({
			v: 1,
			conditions: FAIL,
			watermark: 1004 * MIN,
			floor: 999 * MIN,
			seen: { n: 1004 * MIN },
		});
		// An older late event does not move it back.
		expect(
			advance(next, [{ id: 'l', occurredMs: 1000 * MIN }], { overlapMs: 5 * MIN, maxSeen: 10 }).watermark,
		).toBe(1004 * MIN);
	});

	test('at most maxSeen IDs are kept: the floor rises to the newest forgotten one', () => {
		const seen = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`e${i}`, 991 * MIN + i]));
		const pruned = prune({ ...base, seen }, 5);
		expect(Object.keys(pruned.seen)).toEqual(['e3', 'e4', 'e5', 'e6', 'e7']);
		expect(pruned.floor).toBe(991 * MIN + 2);
	});

	test('reach: when an event occurred, but never past when it was logged', () => {
		expect(reach({ id: 'a', occurredMs: 5, loggedMs: 9 })).toBe(5);
		expect(reach({ id: 'a', occurredMs: 50, loggedMs: 9 })).toBe(9);
		expect(reach({ id: 'a', occurredMs: 50 })).toBe(50);
	});

	test('rows without an ID or a readable time cannot be tracked', () => {
		expect(
			eventRef({ ID: 'x', WhenOccurred: '/Date(1700000000000)/', WhenLogged: '/Date(1700000001000)/' }),
		).toEqual({ id: 'x', occurredMs: 1700000000000, loggedMs: 1700000001000 });
		expect(eventRef({ ID: 'x', WhenOccurred: 'soon' })).toBeUndefined();
		expect(eventRef({ WhenOccurred: '/Date(1)/' })).toBeUndefined();
	});
});
