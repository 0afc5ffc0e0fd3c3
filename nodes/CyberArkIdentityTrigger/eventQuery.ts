// The trigger's Redrock scripts over the `Event` table. Every value put into a script is checked and
// quoted here (event types, filters, IDs) or comes from the shared quoting in nodes/shared/redrock.ts.
//
// The scripts only use forms public collectors send (docs/cyberark-api.md, "Event table"): one ORDER BY
// column, `<`, `>=` and `>` on WhenOccurred with a date literal, `=`, AND, OR and parentheses. The trigger
// pages by position, never by page number over a sort that can tie: events of one millisecond are
// ordered by ID alone, the rest by WhenOccurred alone, whole milliseconds at a time.
import { InvalidInput } from '../shared/transport/errors';
import { sqlContains, sqlString } from '../shared/redrock';
import { text } from '../shared/validate';

/** The Event columns the trigger reads: all of them among those Cortex XSOAR's collector selects. */
export const EVENT_COLUMNS = [
	'ID',
	'EventType',
	'WhenOccurred',
	'WhenLogged',
	'Level',
	'NormalizedUser',
	'UserGuid',
	'FromIPAddress',
	'RequestHostName',
	'RequestDeviceOS',
	'RequestIsMobileDevice',
	'AuthMethod',
	'ApplicationName',
	'EntityName',
	'EntityType',
	'EntityUuid',
	'OldEntity',
	'NewEntity',
	'Tenant',
	'DirectoryServiceUuid',
	'ImpersonatorUuid',
];

/** The "all events" choice of the trigger's event list. */
export const ALL_EVENTS = '*';

const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
const IP_ADDRESS = /^[0-9A-Fa-f.:]{2,45}$/;

/** A CyberArk event type name such as Cloud.Core.LoginFail. */
export function eventType(value: unknown, field = 'Event'): string {
	const name = text(value, field, 128);
	if (name === undefined || !EVENT_TYPE.test(name)) {
		throw new InvalidInput(
			`${field} "${String(value)}" is not a CyberArk event type name`,
			'Event type names are letters, digits, dots, dashes and underscores, starting with a letter, e.g. Cloud.Core.LoginFail.',
		);
	}
	return name;
}

export interface EventFilters {
	/** Event type names, or ALL_EVENTS among them for every type. */
	types: unknown[];
	/** Comma-separated further type names. */
	customEventTypes?: unknown;
	userContains?: unknown;
	userEquals?: unknown;
	sourceIp?: unknown;
}

function typeCondition(filters: EventFilters): string | undefined {
	const custom = String(filters.customEventTypes ?? '')
		.split(',')
		.map((t) => t.trim())
		.filter((t) => t !== '');
	const chosen = [...filters.types, ...custom];
	if (chosen.length === 0)
		throw new InvalidInput(
			'No event type is selected',
			'Pick at least one event in Event, "All Events", or name one in Other Event Types.',
		);
	if (chosen.includes(ALL_EVENTS)) return undefined;
	const names = [
		...new Set(chosen.map((t) => eventType(t, custom.includes(t as string) ? 'Other Event Types' : 'Event'))),
	].sort();
	return `(${names.map((n) => `EventType = ${sqlString(n, 'Event')}`).join(' OR ')})`;
}

function sourceIpCondition(value: unknown): string {
	const ip = text(value, 'Source IP', 45);
	if (ip === undefined || !IP_ADDRESS.test(ip)) {
		throw new InvalidInput(
			`Source IP "${String(value)}" is not an IP address`,
			'Set Source IP to an IPv4 or IPv6 address such as 203.0.113.7, or remove the filter.',
		);
	}
	return `FromIPAddress = ${sqlString(ip, 'Source IP')}`;
}

/**
 * The conditions of the trigger's filters (without a time bound), checked and quoted; empty for
 * every event of every user. Also what the trigger keeps its place under: other filters, another place.
 */
export function eventConditions(filters: EventFilters): string {
	const where: string[] = [];
	const types = typeCondition(filters);
	if (types) where.push(types);
	if (filters.userContains !== undefined && filters.userContains !== '')
		where.push(`NormalizedUser LIKE ${sqlContains(filters.userContains, 'User Contains')}`);
	if (filters.userEquals !== undefined && filters.userEquals !== '')
		where.push(`NormalizedUser = ${sqlString(filters.userEquals, 'User Is')}`);
	if (filters.sourceIp !== undefined && filters.sourceIp !== '')
		where.push(sourceIpCondition(filters.sourceIp));
	return where.join(' AND ');
}

const LATEST_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A time as Redrock's date literal the way Cortex XSOAR's collector writes it
 * (`%Y-%m-%dT%H:%M:%S.%f`): UTC, six fractional digits, no zone.
 */
export function redrockDate(ms: number): string {
	if (!Number.isFinite(ms))
		throw new InvalidInput(
			'An event time is not a number',
			'This is a bug in the trigger; deactivate and activate the workflow.',
		);
	const iso = new Date(Math.min(Math.max(Math.floor(ms), 0), LATEST_DATE)).toISOString();
	return `'${iso.slice(0, -1)}000'`;
}

/**
 * A place in the order the trigger reads events in: by the millisecond they occurred, then by ID.
 * Without `id`, every event of millisecond `t` is at or before it; with `id`, those of ID up to `id`.
 */
export interface Mark {
	t: number;
	id?: string;
}

const eventId = (id: string) => sqlString(id, 'Event ID');

/** Events after the mark. */
export function afterMark(mark: Mark): string {
	const next = `WhenOccurred >= ${redrockDate(mark.t + 1)}`;
	if (mark.id === undefined) return next;
	return `(${next} OR (WhenOccurred >= ${redrockDate(mark.t)} AND ID > ${eventId(mark.id)}))`;
}

/** Events at or before the mark. */
export function upToMark(mark: Mark): string {
	const through = `WhenOccurred < ${redrockDate(mark.t + 1)}`;
	if (mark.id === undefined) return through;
	return `(WhenOccurred < ${redrockDate(mark.t)} OR (${through} AND ID <= ${eventId(mark.id)}))`;
}

function script(bounds: string[], conditions: string, orderBy: string): string {
	const where = [...bounds, ...(conditions ? [`(${conditions})`] : [])].join(' AND ');
	return `Select ${EVENT_COLUMNS.join(', ')} from Event${where ? ` WHERE ${where}` : ''} ORDER BY ${orderBy}`;
}

/** The events after a mark, oldest first (ties on WhenOccurred in any order). */
export function forwardScript(conditions: string, after: Mark): string {
	return script([afterMark(after)], conditions, 'WhenOccurred ASC');
}

/** The events from `fromMs` up to a mark, newest first (ties on WhenOccurred in any order). */
export function backwardScript(conditions: string, fromMs: number, upTo: Mark): string {
	return script([`WhenOccurred >= ${redrockDate(fromMs)}`, upToMark(upTo)], conditions, 'WhenOccurred DESC');
}

/** The events of one millisecond by ID: those after `afterId`, or those up to `upToId`. */
export function millisecondScript(
	conditions: string,
	ms: number,
	ids: { afterId?: string; upToId?: string },
): string {
	const bounds = [`WhenOccurred >= ${redrockDate(ms)}`, `WhenOccurred < ${redrockDate(ms + 1)}`];
	if (ids.afterId !== undefined) bounds.push(`ID > ${eventId(ids.afterId)}`);
	if (ids.upToId !== undefined) bounds.push(`ID <= ${eventId(ids.upToId)}`);
	return script(bounds, conditions, 'ID ASC');
}

/** The newest events passing the conditions (every event for ''), newest first. */
export function newestScript(conditions: string): string {
	return script([], conditions, 'WhenOccurred DESC');
}
