// The trigger's first place and each poll, as pure logic over an EventSource: the events to emit,
// oldest first within each kind (those logged late first), and the cursor to keep once they are emitted.
import type { Cursor, CursorSettings, EventRef } from './cursor';
import { clockAt, idHash } from './cursor';
import type { EventSource, Read, WindowScan } from './reading';
import { bucketOf, readForward, scanWindow } from './reading';

/** The rows the first place is taken from (the newest events of any type). */
const SEED_ROWS = 50;

export type PollWarning =
	/** The window could not be re-read whole: events logged late below `fromMs` were not looked for. */
	| { kind: 'window'; fromMs: number; windowFromMs: number; pages: number }
	/** More events logged in one millisecond than Max Events per Poll: emitted together. */
	| { kind: 'group'; loggedMs: number; count: number };

export interface PollResult<T> {
	events: T[];
	cursor: Cursor;
	warnings: PollWarning[];
}

const byId = (a: EventRef, b: EventRef) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

interface LateChoice<T> {
	chosen: Array<Read<T>>;
	/** Found but not yet settled: may be emitted only with a hash kept for each. */
	unsettled: Array<Read<T>>;
	/** Every late event logged at or before this time is among `chosen`. */
	through: number;
	oversized?: { loggedMs: number; count: number };
}

/**
 * Which of the late events found to emit: whole groups of one WhenLogged millisecond, earliest logged
 * first, up to `budget` (a first group larger than that goes whole), so that the mark can move to the
 * last one taken. Events logged after `settled` come only once every settled one is taken.
 */
function chooseLate<T>(found: Array<Read<T>>, settled: number, budget: number): LateChoice<T> {
	const sorted = [...found].sort(
		(a, b) => a.ref.loggedMs - b.ref.loggedMs || a.ref.occurredMs - b.ref.occurredMs || byId(a.ref, b.ref),
	);
	const ready = sorted.filter((f) => f.ref.loggedMs <= settled);
	const choice: LateChoice<T> = { chosen: [], unsettled: [], through: settled };
	for (let i = 0; i < ready.length; ) {
		let j = i;
		while (j < ready.length && ready[j].ref.loggedMs === ready[i].ref.loggedMs) j++;
		if (choice.chosen.length > 0 && choice.chosen.length + (j - i) > budget) {
			choice.through = choice.chosen[choice.chosen.length - 1].ref.loggedMs;
			return choice;
		}
		if (j - i > budget) choice.oversized = { loggedMs: ready[i].ref.loggedMs, count: j - i };
		choice.chosen.push(...ready.slice(i, j));
		i = j;
	}
	choice.unsettled = sorted.filter((f) => f.ref.loggedMs > settled);
	return choice;
}

/** The hashes to keep: those of `recent` still logged after the new mark, as absolute WhenLogged times. */
function stillRecent(cursor: Cursor, mark: number): Map<string, number> {
	const kept = new Map<string, number>();
	for (const [hash, offset] of Object.entries(cursor.recent))
		if (cursor.mark + offset > mark) kept.set(hash, cursor.mark + offset);
	return kept;
}

/**
 * One poll: re-reads the window below the place for events logged late, then reads on from the place.
 * Returns the events to emit and the cursor to keep; a poll that emits nothing may still move the
 * cursor's clock and mark (keeping or dropping that change is equally correct).
 */
export async function pollEvents<T>(
	cursor: Cursor,
	source: EventSource<T>,
	settings: CursorSettings,
	ref: (row: T) => EventRef | undefined,
): Promise<PollResult<T>> {
	const clock = clockAt(cursor.clock, settings.now());
	const settled = clock === undefined ? -Infinity : clock - settings.settleMs;
	const isNew = (r: EventRef) => r.loggedMs > cursor.mark && !(idHash(r.id) in cursor.recent);
	const scan = await scanWindow(source, cursor.pos, isNew, settings, ref);

	const late = chooseLate(scan.found, settled, settings.maxEvents);
	const mark = Math.max(cursor.mark, late.through);
	const recent = stillRecent(cursor, mark);
	let budget = settings.maxEvents - late.chosen.length;
	let room = settings.maxRecent - recent.size;
	const waiting: EventRef[] = [];
	for (const read of late.unsettled) {
		if (budget > 0 && room > 0) {
			late.chosen.push(read);
			budget--;
			room--;
		} else waiting.push(read.ref);
	}
	const forward = await readForward(
		source,
		cursor.pos,
		{
			budget,
			room,
			needsHash: (r) => r.loggedMs > mark,
			clock: Math.max(clock ?? -Infinity, scan.maxLogged),
			until: Math.min(...waiting.map((r) => r.occurredMs + settings.windowMs)),
		},
		settings,
		ref,
	);

	late.chosen.sort((a, b) => a.ref.occurredMs - b.ref.occurredMs || byId(a.ref, b.ref));
	const emitted = [...late.chosen, ...forward.emitted];
	for (const { ref: r } of emitted) if (r.loggedMs > mark) recent.set(idHash(r.id), r.loggedMs);
	const seen = Math.max(clock ?? -Infinity, scan.maxLogged, forward.maxLogged);
	return {
		events: emitted.map((e) => e.row),
		cursor: {
			v: 2,
			key: cursor.key,
			pos: forward.pos,
			mark,
			recent: Object.fromEntries([...recent].map(([hash, logged]) => [hash, logged - mark])),
			...(Number.isFinite(seen) ? { clock: { t: seen, at: settings.now() } } : {}),
		},
		warnings: warningsOf(scan, late, cursor.pos.t - settings.windowMs),
	};
}

function warningsOf<T>(scan: WindowScan<T>, late: LateChoice<T>, windowFromMs: number): PollWarning[] {
	const warnings: PollWarning[] = [];
	if (!scan.complete) warnings.push({ kind: 'window', fromMs: scan.fromMs, windowFromMs, pages: scan.pages });
	if (late.oversized) warnings.push({ kind: 'group', ...late.oversized });
	return warnings;
}

/**
 * The first place: "now" in the tenant's clock, with nothing of the past emitted. It stands at the
 * newest event of any type that is not stamped ahead of the tenant's clock; every event logged by the
 * newest WhenLogged seen there and in the window before it is history. An empty log: everything that
 * appears is new.
 */
export async function seedCursor<T>(
	source: EventSource<T>,
	key: string,
	settings: CursorSettings,
	ref: (row: T) => EventRef | undefined,
): Promise<Cursor> {
	const refs = (await source.newest(SEED_ROWS)).map(ref).filter((r): r is EventRef => r !== undefined);
	if (refs.length === 0) return { v: 2, key, pos: { t: -1 }, mark: 0, recent: {} };
	const newest = Math.max(...refs.map((r) => r.loggedMs));
	const past = refs.filter((r) => r.occurredMs <= newest).map(bucketOf);
	const pos = { t: past.length ? Math.max(...past) : Math.floor(newest) };
	// An event that occurred a little earlier may have been logged later than those: read the window too.
	const window = await scanWindow(source, pos, () => false, settings, ref);
	const clock = Math.max(newest, window.maxLogged);
	return { v: 2, key, pos, mark: clock, recent: {}, clock: { t: clock, at: settings.now() } };
}
