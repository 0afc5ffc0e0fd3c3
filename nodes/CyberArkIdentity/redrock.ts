import type { IDataObject } from 'n8n-workflow';

import type { CyberArkClient } from './client';
import { InvalidInput } from './errors';
import { text } from './validate';

/**
 * Redrock builds SQL by string concatenation on the server, so every value put into a script is
 * checked and quoted here, and nowhere else.
 */
export function sqlString(value: unknown, field: string): string {
	const checked = text(value, field);
	if (checked === undefined) throw new InvalidInput(`${field} is empty`, `Set ${field}, or remove the filter.`);
	return `'${checked.replace(/'/g, "''")}'`;
}

/** A LIKE pattern matching values that contain the text. */
export function sqlContains(value: unknown, field: string): string {
	const quoted = sqlString(value, field);
	return `'%${quoted.slice(1, -1)}%'`;
}

export interface UserFilters {
	search?: string;
	userName?: string;
	email?: string;
	state?: string;
}

const STATUS: Record<string, string> = { active: 'Active', locked: 'Locked', disabled: 'Disabled', expired: 'Expired' };

export const USER_COLUMNS = 'ID, Username, DisplayName, Email, MobileNumber, LastLogin, Status';

/** The Redrock script for Get Many users. */
export function userQuery(filters: IDataObject): string {
	const where: string[] = [];
	if (filters.search !== undefined && filters.search !== '') {
		const like = sqlContains(filters.search, 'Search');
		where.push(`(Username LIKE ${like} OR DisplayName LIKE ${like} OR Email LIKE ${like})`);
	}
	if (filters.userName !== undefined && filters.userName !== '') where.push(`Username = ${sqlString(filters.userName, 'Login Name')}`);
	if (filters.email !== undefined && filters.email !== '') where.push(`Email = ${sqlString(filters.email, 'Email')}`);
	if (filters.state !== undefined && filters.state !== '') {
		const status = STATUS[String(filters.state)];
		if (!status) throw new InvalidInput(`State "${String(filters.state)}" is not one of active, locked, disabled, expired`, 'Pick a state from the list.');
		where.push(`Status = '${status}'`);
	}
	return `Select ${USER_COLUMNS} from User${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY Username`;
}

/** The Redrock script for Get Many roles. */
export function roleQuery(filters: IDataObject): string {
	const where = filters.name !== undefined && filters.name !== '' ? ` WHERE Name LIKE ${sqlContains(filters.name, 'Name')}` : '';
	return `Select ID, Name, Description from Role${where} ORDER BY Name`;
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
		{ path: '/Redrock/query', body: { Script: script, Args: { PageNumber: page, PageSize: pageSize, Limit: 0, Caching: -1 } }, idempotent: true },
		itemIndex,
	)) as RedrockResult | null;
	return { rows: (result?.Results ?? []).map((r) => r.Row ?? {}), fullCount: Number(result?.FullCount ?? 0) };
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
		if (found.length < size || rows.length >= fullCount || (limit !== undefined && rows.length >= limit)) break;
	}
	return limit === undefined ? rows : rows.slice(0, limit);
}

/** What Create or Update reads of a user in bulk: enough to match a roster row and diff its common fields. */
export const SYNC_USER_COLUMNS = 'ID, Username, DisplayName, Email, MobileNumber, Status';

/** At most this many values go into one `IN (...)` list: a roster is read in a few queries, not one per row. */
export const IN_LIST_SIZE = 100;

/** The Redrock script for the users whose login name, email or ID is one of `values` (at most IN_LIST_SIZE). */
export function usersInQuery(column: 'Username' | 'Email' | 'ID', values: string[]): string {
	if (values.length === 0 || values.length > IN_LIST_SIZE) throw new Error(`usersInQuery takes 1 to ${IN_LIST_SIZE} values`);
	return `Select ${SYNC_USER_COLUMNS} from User WHERE ${column} IN (${values.map((v) => sqlString(v, column)).join(', ')})`;
}
