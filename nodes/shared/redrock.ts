import type { IDataObject } from 'n8n-workflow';

import { ENDPOINT } from './endpoints';
import type { CyberArkClient } from './transport/client';
import { InvalidInput } from './transport/errors';
import { text } from './validate';

/**
 * Redrock builds SQL by string concatenation on the server, so every value put into a script is
 * checked and quoted here, and nowhere else.
 */
export function sqlString(value: unknown, field: string): string {
	const checked = text(value, field);
	if (checked === undefined)
		throw new InvalidInput(`${field} is empty`, `Set ${field}, or remove the filter.`);
	return `'${checked.replace(/'/g, "''")}'`;
}

/**
 * The escape character of every LIKE pattern the node sends. Not the backslash: whether Redrock's
 * strings treat a backslash specially is not known (docs/cyberark-api.md), and `!` means nothing in
 * any SQL dialect's string literals.
 */
export const LIKE_ESCAPE = '!';

/**
 * A LIKE pattern (with its ESCAPE clause) matching values that contain the text as typed: `%` and `_`
 * are wildcards in every SQL dialect and `[` opens a character class in some (SQL Server's), so each
 * of them, and the escape character itself, is escaped.
 */
export function sqlContains(value: unknown, field: string): string {
	const quoted = sqlString(value, field).slice(1, -1);
	const escaped = quoted.replace(/[!%[_]/g, (c) => `${LIKE_ESCAPE}${c}`);
	return `'%${escaped}%' ESCAPE '${LIKE_ESCAPE}'`;
}

interface RedrockResult {
	FullCount?: number;
	Results?: Array<{ Row?: IDataObject }>;
}

export const PAGE_SIZE = 500;
export const SEARCH_PAGE_SIZE = 50;

/** One page (1-based) of a Redrock query: its rows and how many rows match in all. */
export async function queryPage(
	client: CyberArkClient,
	script: string,
	page: number,
	pageSize: number,
	itemIndex?: number,
): Promise<{ rows: IDataObject[]; fullCount: number }> {
	const result = (await client.request(
		{
			endpoint: ENDPOINT.redrockQuery,
			body: { Script: script, Args: { PageNumber: page, PageSize: pageSize, Limit: 0, Caching: -1 } },
		},
		itemIndex,
	)) as RedrockResult | null;
	const rows = (result?.Results ?? []).map((r) => r.Row ?? {});
	return { rows, fullCount: Number(result?.FullCount ?? rows.length) };
}

/**
 * Runs a Redrock query page by page until `limit` rows (or all, for `limit` undefined) are read,
 * so a large tenant never comes back in one response.
 */
export async function queryRows(
	client: CyberArkClient,
	script: string,
	limit: number | undefined,
	itemIndex?: number,
	pageSize = PAGE_SIZE,
): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	// Pages keep one size: PageNumber counts in pages of that size.
	const size = limit === undefined ? pageSize : Math.min(pageSize, limit);
	for (let page = 1; ; page++) {
		const { rows: found, fullCount } = await queryPage(client, script, page, size, itemIndex);
		rows.push(...found);
		if (found.length < size || rows.length >= fullCount || (limit !== undefined && rows.length >= limit))
			break;
	}
	return limit === undefined ? rows : rows.slice(0, limit);
}

// ---------------------------------------------------------------------------------------------
// Audit events (CyberArk Identity Trigger): Redrock's `Event` table. Every value goes through
// sqlString or a stricter check here, like the user and role queries above.
// ---------------------------------------------------------------------------------------------

/** The Event columns the trigger reads (those Cortex XSOAR's CyberArk Identity collector selects). */
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

/**
 * The conditions of the trigger's filters (without the time bound), checked and quoted; empty for
 * every event of every user. Also the key under which the trigger keeps its place: other filters,
 * another place.
 */
export function eventConditions(filters: EventFilters): string {
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
	const where: string[] = [];
	if (!chosen.includes(ALL_EVENTS)) {
		const names = [
			...new Set(
				chosen.map((t) => eventType(t, custom.includes(t as string) ? 'Other Event Types' : 'Event')),
			),
		].sort();
		where.push(`EventType IN (${names.map((n) => sqlString(n, 'Event')).join(', ')})`);
	}
	if (filters.userContains !== undefined && filters.userContains !== '')
		where.push(`NormalizedUser LIKE ${sqlContains(filters.userContains, 'User Contains')}`);
	if (filters.userEquals !== undefined && filters.userEquals !== '')
		where.push(`NormalizedUser = ${sqlString(filters.userEquals, 'User Is')}`);
	if (filters.sourceIp !== undefined && filters.sourceIp !== '') {
		const ip = text(filters.sourceIp, 'Source IP', 45);
		if (ip === undefined || !IP_ADDRESS.test(ip)) {
			throw new InvalidInput(
				`Source IP "${String(filters.sourceIp)}" is not an IP address`,
				'Set Source IP to an IPv4 or IPv6 address such as 203.0.113.7, or remove the filter.',
			);
		}
		where.push(`FromIPAddress = ${sqlString(ip, 'Source IP')}`);
	}
	return where.join(' AND ');
}

/** A time as Redrock's date literal: UTC, milliseconds, no zone (the form Cortex XSOAR sends). */
export function redrockDate(ms: number): string {
	if (!Number.isFinite(ms))
		throw new InvalidInput(
			'An event time is not a number',
			'This is a bug in the trigger; deactivate and activate the workflow.',
		);
	return `'${new Date(Math.max(ms, 0)).toISOString().slice(0, -1)}'`;
}

/** Events that occurred after `afterMs` and pass the conditions, oldest first. */
export function eventsAfterScript(conditions: string, afterMs: number): string {
	const where = [`WhenOccurred > ${redrockDate(afterMs)}`, ...(conditions ? [conditions] : [])].join(' AND ');
	return `Select ${EVENT_COLUMNS.join(', ')} from Event WHERE ${where} ORDER BY WhenOccurred ASC`;
}

/** The newest events that pass the conditions (all events for ''), newest first. */
export function newestEventsScript(conditions: string): string {
	return `Select ${EVENT_COLUMNS.join(', ')} from Event${conditions ? ` WHERE ${conditions}` : ''} ORDER BY WhenOccurred DESC`;
}
