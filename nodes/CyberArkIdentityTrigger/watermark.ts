import type { IDataObject } from 'n8n-workflow';

/**
 * Where the trigger stands in the tenant's audit log, and how it moves on. Pure logic: the node
 * feeds it pages of Redrock's Event table; tests feed it a simulated log.
 *
 * The rules:
 * - Times are the tenant's (event timestamps), never n8n's clock.
 * - CyberArk logs some events after they occur (WhenLogged after WhenOccurred). Each poll asks for
 *   the events that occurred after `watermark - overlap` (never below `floor`), so an event logged
 *   up to `overlap` late is still found; the IDs already emitted in that window are in `seen` and
 *   are dropped.
 * - The cursor only changes when events are emitted (and when it is first made).
 * - An event stamped later than it was logged (a skewed clock) moves the watermark only to its
 *   logging time, so it cannot push the window past events still to come.
 */

/** What the trigger needs of an event row to keep its place. */
export interface EventRef {
	id: string;
	occurredMs: number;
	loggedMs?: number;
}

export interface Cursor {
	v: 1;
	/** The filters this place belongs to (their Redrock conditions); other filters start afresh. */
	conditions: string;
	/** The latest event time emitted (tenant clock, ms). */
	watermark: number;
	/** Events that occurred at or before this time are done with. */
	floor: number;
	/** IDs emitted that occurred after `floor`, with the time they occurred. */
	seen: Record<string, number>;
}

export interface Page<T> {
	rows: T[];
	fullCount: number;
}

export interface EventSource<T> {
	/** One page (1-based) of the events that occurred after `afterMs` and pass the filters, oldest first. */
	after(afterMs: number, page: number, pageSize: number): Promise<Page<T>>;
	/** One page of the newest events, newest first: those passing the filters, or every event (`filtered` false). */
	newest(page: number, pageSize: number, filtered: boolean): Promise<Page<T>>;
}

export interface WindowSettings {
	/** How late an event may be logged and still be found (ms). */
	overlapMs: number;
	/** Events emitted per poll at most; the rest come with the next poll. */
	maxEvents: number;
	pageSize: number;
	/** IDs remembered at most; beyond, the oldest are forgotten and the floor rises to them. */
	maxSeen: number;
	/** Stop reading further pages after this time (ms since the epoch) and emit what was read. */
	deadline?: number;
	now?: () => number;
}

export const DEFAULT_MAX_SEEN = 5000;
const SEED_PAGES = 20;

const DATE = /^\/Date\((-?\d+)\)\/$/;

/** Milliseconds of a CyberArk date (`/Date(ms)/`, an ISO string or a number); undefined when unreadable. */
export function cyberArkTime(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || value === '') return undefined;
	const match = DATE.exec(value);
	if (match) return Number(match[1]);
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : undefined;
}

/** The ID and times of an Event row; undefined for a row without them (it cannot be tracked). */
export function eventRef(row: IDataObject): EventRef | undefined {
	const id = row.ID;
	const occurredMs = cyberArkTime(row.WhenOccurred);
	if ((typeof id !== 'string' && typeof id !== 'number') || id === '' || occurredMs === undefined)
		return undefined;
	return { id: String(id), occurredMs, loggedMs: cyberArkTime(row.WhenLogged) };
}

/** How far an event moves the watermark: when it occurred, but never past when it was logged. */
export function reach(ref: EventRef): number {
	return ref.loggedMs === undefined ? ref.occurredMs : Math.min(ref.occurredMs, ref.loggedMs);
}

/** Events that occurred after this time are asked for. */
export function lowerBound(cursor: Cursor, overlapMs: number): number {
	return Math.max(cursor.floor, cursor.watermark - overlapMs);
}

/** The stored cursor, if it is one and belongs to these filters. */
export function readCursor(value: unknown, conditions: string): Cursor | undefined {
	const c = value as Cursor | undefined;
	if (!c || typeof c !== 'object' || c.v !== 1 || c.conditions !== conditions) return undefined;
	if (!Number.isFinite(c.watermark) || !Number.isFinite(c.floor) || !c.seen || typeof c.seen !== 'object')
		return undefined;
	return { v: 1, conditions: c.conditions, watermark: c.watermark, floor: c.floor, seen: { ...c.seen } };
}

/** Forgets IDs that can no longer come back, and the oldest beyond `maxSeen`. */
export function prune(cursor: Cursor, maxSeen: number): Cursor {
	let floor = cursor.floor;
	let entries = Object.entries(cursor.seen).filter(([, occurred]) => occurred > floor);
	if (entries.length > maxSeen) {
		entries.sort((a, b) => a[1] - b[1]);
		floor = Math.max(floor, entries[entries.length - maxSeen - 1][1]);
		entries = entries.filter(([, occurred]) => occurred > floor);
	}
	return { ...cursor, floor, seen: Object.fromEntries(entries) };
}

/** The cursor after these events were emitted. */
export function advance(
	cursor: Cursor,
	emitted: EventRef[],
	settings: Pick<WindowSettings, 'overlapMs' | 'maxSeen'>,
): Cursor {
	const seen = { ...cursor.seen };
	let watermark = cursor.watermark;
	for (const ref of emitted) {
		seen[ref.id] = ref.occurredMs;
		watermark = Math.max(watermark, reach(ref));
	}
	return prune(
		{ ...cursor, watermark, floor: Math.max(cursor.floor, watermark - settings.overlapMs), seen },
		settings.maxSeen,
	);
}

/**
 * The first cursor: "now" in the tenant's clock, with nothing of the past emitted. It stands at the
 * newest event passing the filters and remembers the IDs within the overlap before it, so those are
 * not emitted later as new. With no such event, it stands at the newest event of any type (or at the
 * beginning, for an empty log): everything after that is new.
 */
export async function seed<T>(
	source: EventSource<T>,
	conditions: string,
	settings: Pick<WindowSettings, 'overlapMs' | 'pageSize' | 'maxSeen'>,
	ref: (row: T) => EventRef | undefined,
): Promise<Cursor> {
	const seen: Record<string, number> = {};
	let floor: number | undefined;
	let watermark = -Infinity;
	let last: number | undefined;
	let complete = false;
	for (let page = 1; page <= SEED_PAGES && !complete; page++) {
		const { rows } = await source.newest(page, settings.pageSize, true);
		for (const row of rows) {
			const r = ref(row);
			if (!r) continue;
			floor ??= reach(r) - settings.overlapMs;
			if (r.occurredMs <= floor) {
				complete = true;
				break;
			}
			seen[r.id] = r.occurredMs;
			watermark = Math.max(watermark, reach(r));
			last = r.occurredMs;
		}
		if (rows.length < settings.pageSize) complete = true;
	}
	if (floor === undefined) {
		const { rows } = await source.newest(1, 1, false);
		const newest = rows.length ? ref(rows[0]) : undefined;
		const start = newest ? reach(newest) : 0;
		return { v: 1, conditions, watermark: start, floor: start, seen: {} };
	}
	// More events within the overlap than the seed reads: what it did not read is the past.
	if (!complete && last !== undefined) floor = Math.max(floor, last);
	return prune({ v: 1, conditions, watermark, floor, seen }, settings.maxSeen);
}

/**
 * One poll: reads the events after the lower bound page by page, oldest first, drops those already
 * emitted, and stops at `maxEvents` new ones (the rest come next poll), at the last page, or at the
 * deadline. Returns the new events oldest first and the cursor to store once they are emitted;
 * undefined when there is nothing new (the cursor stays as it is).
 */
export async function pollWindow<T>(
	cursor: Cursor,
	source: EventSource<T>,
	settings: WindowSettings,
	ref: (row: T) => EventRef | undefined,
): Promise<{ events: T[]; cursor: Cursor } | undefined> {
	const now = settings.now ?? (() => Date.now());
	const from = lowerBound(cursor, settings.overlapMs);
	const fresh: Array<{ row: T; ref: EventRef }> = [];
	const taken = new Set<string>();
	// Enough rows to get past every event already emitted in the window, plus the new ones.
	const maxRows = Object.keys(cursor.seen).length + settings.maxEvents + 2 * settings.pageSize;
	let read = 0;
	for (let page = 1; ; page++) {
		const { rows, fullCount } = await source.after(from, page, settings.pageSize);
		for (const row of rows) {
			read++;
			const r = ref(row);
			if (!r || cursor.seen[r.id] !== undefined || taken.has(r.id)) continue;
			taken.add(r.id);
			fresh.push({ row, ref: r });
			if (fresh.length >= settings.maxEvents) break;
		}
		if (
			fresh.length >= settings.maxEvents ||
			rows.length < settings.pageSize ||
			page * settings.pageSize >= fullCount ||
			read >= maxRows
		)
			break;
		if (settings.deadline !== undefined && now() >= settings.deadline) break;
	}
	if (fresh.length === 0) return undefined;
	fresh.sort(
		(a, b) => a.ref.occurredMs - b.ref.occurredMs || (a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0),
	);
	const refs = fresh.map((f) => f.ref);
	return { events: fresh.map((f) => f.row), cursor: advance(cursor, refs, settings) };
}
