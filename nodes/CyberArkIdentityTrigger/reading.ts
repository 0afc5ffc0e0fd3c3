// Reading the Event table in the trigger's order (millisecond of WhenOccurred, then ID) without ever
// relying on the order of rows that tie: a page sorted by WhenOccurred is only used for the
// milliseconds it holds whole; a millisecond that fills a page is read on its own, sorted by ID.
import type { CursorSettings, EventRef } from './cursor';
import type { Mark } from './eventQuery';

/** The millisecond an event is read in (WhenOccurred as Redrock answers it, in whole ms). */
export function bucketOf(ref: EventRef): number {
	return Math.floor(ref.occurredMs);
}

/** The Event table, filtered by the trigger's conditions (the node's is built on Redrock, tests' on the sandbox). */
export interface EventSource<T> {
	/** Page 1 of the events after `after`, oldest first. */
	forward(after: Mark, pageSize: number): Promise<T[]>;
	/** Page 1 of the events from `fromMs` up to `upTo`, newest first. */
	backward(fromMs: number, upTo: Mark, pageSize: number): Promise<T[]>;
	/** One page (1-based) of the events of millisecond `ms` by ID: after `afterId`, or up to `upToId`. */
	millisecond(
		ms: number,
		ids: { afterId?: string; upToId?: string },
		page: number,
		pageSize: number,
	): Promise<T[]>;
	/** The newest events of any type, newest first. */
	newest(pageSize: number): Promise<T[]>;
}

export interface Read<T> {
	row: T;
	ref: EventRef;
}

type Ref<T> = (row: T) => EventRef | undefined;

interface Millisecond<T> {
	ms: number;
	reads: Array<Read<T>>;
}

/** Rows grouped by millisecond, in the order the page gives them; rows that cannot be tracked are left out. */
function byMillisecond<T>(rows: T[], ref: Ref<T>): Array<Millisecond<T>> {
	const groups: Array<Millisecond<T>> = [];
	for (const row of rows) {
		const r = ref(row);
		if (!r) continue;
		const ms = bucketOf(r);
		if (groups.length === 0 || groups[groups.length - 1].ms !== ms) groups.push({ ms, reads: [] });
		groups[groups.length - 1].reads.push({ row, ref: r });
	}
	return groups;
}

const pastDeadline = (s: Pick<CursorSettings, 'deadline' | 'now'>) =>
	s.deadline !== undefined && s.now() >= s.deadline;

const newestLogged = <T>(reads: Array<Read<T>>, from: number) =>
	reads.reduce((max, r) => Math.max(max, r.ref.loggedMs), from);

export interface WindowScan<T> {
	/** The events in the window that `isNew` picked. */
	found: Array<Read<T>>;
	/** Re-read down to this millisecond (inclusive): the window's start when complete. */
	fromMs: number;
	complete: boolean;
	pages: number;
	/** The newest WhenLogged among the rows read (-Infinity for none). */
	maxLogged: number;
}

/**
 * Re-reads the events of the window below the trigger's place, newest first, and picks those `isNew`
 * says were not emitted. Stops at `maxScanPages` pages or the deadline: then the part of the window
 * below `fromMs` was not read this poll.
 */
export async function scanWindow<T>(
	source: EventSource<T>,
	pos: Mark,
	isNew: (ref: EventRef) => boolean,
	settings: CursorSettings,
	ref: Ref<T>,
): Promise<WindowScan<T>> {
	const start = pos.t - settings.windowMs;
	const scan: WindowScan<T> = {
		found: [],
		fromMs: pos.t + 1,
		complete: false,
		pages: 0,
		maxLogged: -Infinity,
	};
	const take = (reads: Array<Read<T>>, fromMs: number) => {
		scan.found.push(...reads.filter((r) => isNew(r.ref)));
		scan.maxLogged = newestLogged(reads, scan.maxLogged);
		scan.fromMs = fromMs;
	};
	const spent = () => scan.pages >= settings.maxScanPages || pastDeadline(settings);
	let upTo = pos;
	while (upTo.t >= Math.max(start, 0)) {
		if (spent()) return scan;
		const rows = await source.backward(start, upTo, settings.scanPageSize);
		scan.pages++;
		const groups = byMillisecond(rows, ref);
		if (rows.length < settings.scanPageSize) {
			take(
				groups.flatMap((g) => g.reads),
				start,
			);
			break;
		}
		if (groups.length > 1) {
			const last = groups[groups.length - 1];
			take(
				groups.slice(0, -1).flatMap((g) => g.reads),
				last.ms + 1,
			);
			upTo = { t: last.ms };
			continue;
		}
		if (groups.length === 0) return scan; // a page of rows without an ID or a time: nothing to go on
		// A page of one millisecond: read that millisecond whole, by ID.
		const ms = groups[0].ms;
		const whole = await wholeMillisecond(
			source,
			ms,
			upTo.t === ms ? upTo.id : undefined,
			settings,
			ref,
			scan,
		);
		if (!whole) return scan;
		take(whole, ms);
		upTo = { t: ms - 1 };
	}
	scan.complete = true;
	scan.fromMs = start;
	return scan;
}

/**
 * Every event of one millisecond (up to `upToId`), page by page in ID order. Pages by number are safe
 * here: the order is total, and an event logged meanwhile can only repeat a row, which is dropped.
 */
async function wholeMillisecond<T>(
	source: EventSource<T>,
	ms: number,
	upToId: string | undefined,
	settings: CursorSettings,
	ref: Ref<T>,
	scan: { pages: number },
): Promise<Array<Read<T>> | undefined> {
	const reads = new Map<string, Read<T>>();
	for (let page = 1; ; page++) {
		if (scan.pages >= settings.maxScanPages || pastDeadline(settings)) return undefined;
		const rows = await source.millisecond(ms, { upToId }, page, settings.scanPageSize);
		scan.pages++;
		for (const read of byMillisecond(rows, ref).flatMap((g) => g.reads))
			if (!reads.has(read.ref.id)) reads.set(read.ref.id, read);
		if (rows.length < settings.scanPageSize) return [...reads.values()];
	}
}

export interface ForwardLimits {
	/** Events that may still be emitted. */
	budget: number;
	/** Events needing a hash (see `needsHash`) that may still be emitted. */
	room: number;
	needsHash: (ref: EventRef) => boolean;
	/** The tenant's clock at least (undefined: not known yet); events stamped later wait for it. */
	clock: number | undefined;
	/** The place may not move past this millisecond (so a late event still to emit stays in the window). */
	until: number;
}

export interface Forward<T> {
	emitted: Array<Read<T>>;
	pos: Mark;
	maxLogged: number;
}

/**
 * Reads on from the trigger's place, oldest first, and emits events while the limits allow, stopping
 * before an event stamped ahead of the tenant's clock or past `until`. The place moves past what was
 * emitted only.
 */
export async function readForward<T>(
	source: EventSource<T>,
	from: Mark,
	limits: ForwardLimits,
	settings: CursorSettings,
	ref: Ref<T>,
): Promise<Forward<T>> {
	const out: Forward<T> = { emitted: [], pos: from, maxLogged: -Infinity };
	const limit = { ...limits };
	const ahead = (ms: number) => ms > limit.until || ms > Math.max(limit.clock ?? -Infinity, out.maxLogged);
	const emit = (reads: Array<Read<T>>) => {
		out.emitted.push(...reads);
		limit.budget -= reads.length;
		limit.room -= reads.filter((r) => limit.needsHash(r.ref)).length;
	};
	let single: number | undefined = from.id !== undefined ? from.t : undefined;
	while (limit.budget > 0 && !pastDeadline(settings)) {
		if (single !== undefined) {
			const ms = single;
			const afterId = out.pos.t === ms ? out.pos.id : undefined;
			const rows = await source.millisecond(ms, { afterId }, 1, settings.pageSize);
			const reads = byMillisecond(rows, ref).flatMap((g) => g.reads);
			out.maxLogged = newestLogged(reads, out.maxLogged);
			if (reads.length === 0 && rows.length >= settings.pageSize) return out; // no ID to page on
			for (const read of reads) {
				const hashed = limit.needsHash(read.ref);
				if (ahead(ms) || limit.budget <= 0 || (hashed && limit.room <= 0)) return out;
				emit([read]);
				out.pos = { t: ms, id: read.ref.id };
			}
			if (rows.length < settings.pageSize) {
				out.pos = { t: ms };
				single = undefined;
			}
			continue;
		}
		const rows = await source.forward(out.pos, settings.pageSize);
		const groups = byMillisecond(rows, ref);
		out.maxLogged = newestLogged(
			groups.flatMap((g) => g.reads),
			out.maxLogged,
		);
		const full = rows.length >= settings.pageSize;
		if (groups.length === 0) return out;
		const whole = full ? groups.slice(0, -1) : groups;
		if (whole.length === 0) single = groups[0].ms; // a page of one millisecond: read it by ID
		for (const group of whole) {
			if (ahead(group.ms)) return out;
			const hashed = group.reads.filter((r) => limit.needsHash(r.ref)).length;
			if (group.reads.length > limit.budget || hashed > limit.room) {
				single = group.ms; // cut inside it, in ID order
				break;
			}
			emit([...group.reads].sort((a, b) => (a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0)));
			out.pos = { t: group.ms };
		}
		if (!full && single === undefined) return out;
	}
	return out;
}
