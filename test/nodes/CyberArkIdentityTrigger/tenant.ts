// A simulated tenant for the trigger's cursor tests: the sandbox's Event table and Redrock engine
// (ties in a different, seeded-random order on every query), with a tenant clock the test moves and an
// n8n clock that runs at the same pace from elsewhere (n8n's clock only measures time between polls).
import type { IDataObject } from 'n8n-workflow';

import type { Cursor, CursorSettings } from '../../../nodes/CyberArkIdentityTrigger/cursor';
import { cursorKey, eventRef, readCursor } from '../../../nodes/CyberArkIdentityTrigger/cursor';
import { eventConditions } from '../../../nodes/CyberArkIdentityTrigger/eventQuery';
import { eventSource } from '../../../nodes/CyberArkIdentityTrigger/events';
import type { PollWarning } from '../../../nodes/CyberArkIdentityTrigger/pollEvents';
import { pollEvents, seedCursor } from '../../../nodes/CyberArkIdentityTrigger/pollEvents';
import { EventLog } from '../../../sandbox/events';
import { runQuery } from '../../../sandbox/redrock';

export const MIN = 60_000;
/** The tenant's clock starts years away from this machine's, so nothing can lean on Date.now(). */
export const T0 = Date.parse('2031-03-01T12:00:00Z');

/** A small deterministic random source (mulberry32). */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class Tenant {
	now = T0;
	/** n8n's clock reads the tenant's plus this (any amount: only differences count). */
	n8nOffset = -3 * 365 * 24 * 60 * MIN;
	log = new EventLog({ now: () => this.now });
	queries = 0;
	private n = 0;

	constructor(readonly random: () => number = seeded(1)) {}

	/** Records an event; `loggedAt` defaults to now (or when it occurred, if later), `visibleAt` to `loggedAt`. */
	event(
		type: string,
		occurredAt: number,
		loggedAt = Math.max(occurredAt, this.now),
		extra: IDataObject = {},
	) {
		return this.log.record({
			id: `ev-${String(++this.n).padStart(6, '0')}`,
			type,
			user: 'jane@acme.example',
			occurredAt,
			loggedAt,
			...extra,
		}) as IDataObject & { ID: string };
	}

	/** `count` events of one type that occurred in the same millisecond. */
	burst(count: number, occurredAt: number, loggedAt?: number, type = 'Cloud.Core.LoginFail') {
		return Array.from({ length: count }, () => this.event(type, occurredAt, loggedAt).ID);
	}

	source(conditions: string) {
		return eventSource(async (script, page, pageSize) => {
			this.queries++;
			const result = runQuery(
				{ Event: () => ({ rows: this.log.rows(), entity: 'Event' }) },
				script,
				{ PageNumber: page, PageSize: pageSize },
				{ random: this.random },
			);
			return result.Results.map((r) => r.Row as IDataObject);
		}, conditions);
	}

	settings(over: Partial<CursorSettings> = {}): CursorSettings {
		return {
			windowMs: 5 * MIN,
			maxEvents: 500,
			pageSize: 50,
			scanPageSize: 100,
			maxScanPages: 1000,
			settleMs: MIN,
			maxRecent: 100,
			now: () => this.now + this.n8nOffset,
			...over,
		};
	}
}

export const FAIL = eventConditions({ types: ['Cloud.Core.LoginFail'] });

/**
 * A trigger as n8n runs it: the cursor kept in static data as JSON, stored after every poll (n8n 2.x)
 * or, with `keepQuietPolls` off, only after polls that emit (n8n 1.x).
 */
export class Trigger {
	stored: string | undefined;
	emitted: string[] = [];
	polls: string[][] = [];
	warnings: PollWarning[] = [];
	sizes: number[] = [];

	constructor(
		private tenant: Tenant,
		readonly settings: CursorSettings = tenant.settings(),
		private conditions = FAIL,
		private keepQuietPolls = true,
	) {}

	async poll(): Promise<string[]> {
		const source = this.tenant.source(this.conditions);
		const key = cursorKey(this.conditions);
		const cursor = readCursor(this.stored === undefined ? undefined : JSON.parse(this.stored), key);
		if (!cursor) {
			this.store(await seedCursor(source, key, this.settings, eventRef));
			return [];
		}
		const result = await pollEvents(cursor, source, this.settings, eventRef);
		this.warnings.push(...result.warnings);
		if (result.events.length || this.keepQuietPolls) this.store(result.cursor);
		const ids = result.events.map((e) => String(e.ID));
		this.emitted.push(...ids);
		this.polls.push(ids);
		return ids;
	}

	/** n8n restarts: a new trigger from the static data as stored. */
	restart(): Trigger {
		const next = new Trigger(this.tenant, this.settings, this.conditions, this.keepQuietPolls);
		next.stored = this.stored;
		next.emitted = this.emitted;
		next.warnings = this.warnings;
		next.sizes = this.sizes;
		return next;
	}

	cursor(): Cursor {
		return JSON.parse(this.stored!) as Cursor;
	}

	private store(cursor: Cursor) {
		this.stored = JSON.stringify(cursor);
		this.sizes.push(Buffer.byteLength(this.stored));
	}
}

/** Each of `ids` emitted exactly once, and nothing else. */
export function expectOnce(trigger: Trigger, ids: string[]) {
	const counts = new Map<string, number>();
	for (const id of trigger.emitted) counts.set(id, (counts.get(id) ?? 0) + 1);
	expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
	expect([...trigger.emitted].sort()).toEqual([...ids].sort());
}
