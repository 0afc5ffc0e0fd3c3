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
	let upTo = pos;
	while (upTo.t >= Math.max(start, 0)) {
		if (scan.pages >= settings.maxScanPages || pastDeadline(settings)) return scan;
		const rows = await source.backward(start, upTo, settings.scanPageSize);
		scan.pages++;
		const next = await backwardPage(rows, upTo, start, { source, settings, ref, scan, take });
		if (next === 'stuck') return scan;
		if (next === 'done') break;
		upTo = next;
	}
	scan.complete = true;
	scan.fromMs = start;
	return scan;
}

interface Backward<T> {
	source: EventSource<T>;
	settings: CursorSettings;
	ref: Ref<T>;
	scan: WindowScan<T>;
	take: (reads: Array<Read<T>>, fromMs: number) => void;
}

/** Takes the whole milliseconds of one page read newest first; gives the mark to go on from. */
async function backwardPage<T>(
	rows: T[],
	upTo: Mark,
	start: number,
	b: Backward<T>,
): Promise<Mark | 'done' | 'stuck'> {
	const groups = byMillisecond(rows, b.ref);
	if (rows.length < b.settings.scanPageSize) {
		b.take(
			groups.flatMap((g) => g.reads),
			start,
		);
		return 'done';
	}
	if (groups.length > 1) {
		const last = groups[groups.length - 1];
		b.take(
			groups.slice(0, -1).flatMap((g) => g.reads),
			last.ms + 1,
		);
		return { t: last.ms };
	}
	if (groups.length === 0) return 'stuck'; // rows without an ID or a time: nothing to go on
	// A page of one millisecond: read that millisecond whole, by ID.
	const ms = groups[0].ms;
	const whole = await wholeMillisecond(
		b.source,
		ms,
		upTo.t === ms ? upTo.id : undefined,
		b.settings,
		b.ref,
		b.scan,
	);
	if (!whole) return 'stuck';
	b.take(whole, ms);
	return { t: ms - 1 };
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

interface Reader<T> {
	source: EventSource<T>;
	settings: CursorSettings;
	ref: Ref<T>;
	limit: ForwardLimits;
	out: Forward<T>;
	/** Reading one millisecond by ID (a page of it was full, or it must be cut inside). */
	single?: number;
}

const isAhead = <T>(r: Reader<T>, ms: number) =>
	ms > r.limit.until || ms > Math.max(r.limit.clock ?? -Infinity, r.out.maxLogged);

function emit<T>(r: Reader<T>, reads: Array<Read<T>>, pos: Mark) {
	r.out.emitted.push(...reads);
	r.limit.budget -= reads.length;
	r.limit.room -= reads.filter((read) => r.limit.needsHash(read.ref)).length;
	r.out.pos = pos;
}

/** One page of the millisecond being read by ID; false when reading must stop. */
async function forwardInMillisecond<T>(r: Reader<T>, ms: number): Promise<boolean> {
	const afterId = r.out.pos.t === ms ? r.out.pos.id : undefined;
	const rows = await r.source.millisecond(ms, { afterId }, 1, r.settings.pageSize);
	const reads = byMillisecond(rows, r.ref).flatMap((g) => g.reads);
	r.out.maxLogged = newestLogged(reads, r.out.maxLogged);
	if (reads.length === 0 && rows.length >= r.settings.pageSize) return false; // no ID to page on
	for (const read of reads) {
		const hashed = r.limit.needsHash(read.ref);
		if (isAhead(r, ms) || r.limit.budget <= 0 || (hashed && r.limit.room <= 0)) return false;
		emit(r, [read], { t: ms, id: read.ref.id });
	}
	if (rows.length < r.settings.pageSize) {
		r.out.pos = { t: ms };
		r.single = undefined;
	}
	return true;
}

/** One page sorted by WhenOccurred, used for the milliseconds it holds whole; false when reading must stop. */
async function forwardByTime<T>(r: Reader<T>): Promise<boolean> {
	const rows = await r.source.forward(r.out.pos, r.settings.pageSize);
	const groups = byMillisecond(rows, r.ref);
	r.out.maxLogged = newestLogged(
		groups.flatMap((g) => g.reads),
		r.out.maxLogged,
	);
	if (groups.length === 0) return false;
	const full = rows.length >= r.settings.pageSize;
	const whole = full ? groups.slice(0, -1) : groups;
	if (whole.length === 0) r.single = groups[0].ms; // a page of one millisecond: read it by ID
	for (const group of whole) {
		if (isAhead(r, group.ms)) return false;
		const hashed = group.reads.filter((read) => r.limit.needsHash(read.ref)).length;
		if (group.reads.length > r.limit.budget || hashed > r.limit.room) {
			r.single = group.ms; // cut inside it, in ID order
			return true;
		}
		emit(
			r,
			[...group.reads].sort((a, b) => (a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0)),
			{ t: group.ms },
		);
	}
	return full; // a short page: caught up
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
	const r: Reader<T> = {
		source,
		settings,
		ref,
		limit: { ...limits },
		out: { emitted: [], pos: from, maxLogged: -Infinity },
		single: from.id !== undefined ? from.t : undefined,
	};
	while (r.limit.budget > 0 && !pastDeadline(settings)) {
		const more = r.single !== undefined ? await forwardInMillisecond(r, r.single) : await forwardByTime(r);
		if (!more) break;
	}
	return r.out;
}
