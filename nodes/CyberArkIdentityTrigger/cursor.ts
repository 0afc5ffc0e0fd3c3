// Where the trigger stands in the tenant's audit log, kept in the workflow's static data. Its size does
// not depend on how many events came: a place, a time, the tenant's clock and at most `maxRecent` short
// hashes. See the README's Trigger section for what it guarantees.
//
// The rules it rests on (pollEvents.ts keeps them):
// - `pos` is a place in the order the trigger reads (millisecond of WhenOccurred, then ID). Every
//   matching event at or before it was emitted, is history (before activation), or is "late": it
//   became visible only after the trigger had passed its place.
// - `mark` is a time on the tenant's logging clock (WhenLogged). Of the events at or before `pos`,
//   an event was emitted (or is history) exactly when it was logged at or before `mark`, or its ID is
//   in `recent`. So the late ones are those logged after `mark` and not in `recent`: no list of every
//   ID emitted is needed, however large a burst.
// - `mark` only moves to times by which every event logged then is visible: the tenant's clock, known
//   from the WhenLogged of rows read and from n8n's clock measuring the time between polls, less a
//   settling allowance.
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { cyberArkTime } from '../shared/dates';
import type { Mark } from './eventQuery';

export interface Cursor {
	v: 2;
	/** A hash of the filters' conditions: other filters, another place. */
	key: string;
	pos: Mark;
	mark: number;
	/** Emitted events logged after `mark`: hash of the ID → WhenLogged − mark (ms). */
	recent: Record<string, number>;
	/** The tenant's clock read at least `t` when n8n's clock read `at`; absent while the log was empty. */
	clock?: { t: number; at: number };
}

/** What the trigger needs of an event row to keep its place. */
export interface EventRef {
	id: string;
	occurredMs: number;
	/** WhenLogged; WhenOccurred when the row has none. */
	loggedMs: number;
}

export interface CursorSettings {
	/** How far before its place each poll looks again for events logged late (ms). */
	windowMs: number;
	/** Events emitted per poll at most (a larger group logged in one millisecond comes whole). */
	maxEvents: number;
	/** Rows per page when reading forward, and when re-reading the window. */
	pageSize: number;
	scanPageSize: number;
	/** Pages the window's re-reading may take in one poll; beyond, the window is narrowed and a warning given. */
	maxScanPages: number;
	/** How long after its WhenLogged an event is assumed to be visible to queries (ms). */
	settleMs: number;
	/** Hashes kept of emitted events logged after `mark` at most; beyond, the rest waits until it settles. */
	maxRecent: number;
	/** Stop reading further pages after this time (n8n's clock, ms) and emit what was read. */
	deadline?: number;
	/** n8n's clock, used only to measure the time between polls. */
	now: () => number;
}

/** A short, fixed-length stand-in for an event ID (66 bits: a collision among 100 is a 1 in 10^17 chance). */
export function idHash(id: string): string {
	return createHash('sha256').update(id).digest('base64url').slice(0, 11);
}

/** The key a cursor is kept under for these filter conditions. */
export function cursorKey(conditions: string): string {
	return idHash(`conditions:${conditions}`);
}

/** The ID and times of an Event row; undefined for a row without them (it cannot be tracked). */
export function eventRef(row: IDataObject): EventRef | undefined {
	const id = row.ID;
	const occurredMs = cyberArkTime(row.WhenOccurred);
	if ((typeof id !== 'string' && typeof id !== 'number') || id === '' || occurredMs === undefined)
		return undefined;
	return { id: String(id), occurredMs, loggedMs: cyberArkTime(row.WhenLogged) ?? occurredMs };
}

/** The tenant's clock now, at least: what was last seen of it plus the time n8n measured since. */
export function clockAt(clock: Cursor['clock'], now: number): number | undefined {
	return clock === undefined ? undefined : clock.t + Math.max(0, now - clock.at);
}

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** The stored cursor, if it is one and belongs to these filters. */
export function readCursor(value: unknown, key: string): Cursor | undefined {
	const c = value as Partial<Cursor> | undefined;
	if (!c || typeof c !== 'object' || c.v !== 2 || c.key !== key || !finite(c.mark)) return undefined;
	if (!c.pos || !finite(c.pos.t) || (c.pos.id !== undefined && typeof c.pos.id !== 'string'))
		return undefined;
	if (!c.recent || typeof c.recent !== 'object' || !Object.values(c.recent).every(finite)) return undefined;
	if (c.clock !== undefined && (!finite(c.clock.t) || !finite(c.clock.at))) return undefined;
	return {
		v: 2,
		key,
		pos: c.pos.id === undefined ? { t: c.pos.t } : { t: c.pos.t, id: c.pos.id },
		mark: c.mark,
		recent: { ...c.recent },
		...(c.clock ? { clock: { t: c.clock.t, at: c.clock.at } } : {}),
	};
}
