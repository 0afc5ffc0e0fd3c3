import type { IDataObject } from 'n8n-workflow';

import { ENDPOINT } from './endpoints';
import { redrockPage } from './readers';
import type { CyberArkClient } from './transport/client';
import { InvalidInput } from './transport/errors';
import { text } from './validate';

/**
 * Redrock builds SQL by string concatenation on the server, so every value put into a script is
 * checked and quoted here, and nowhere else. A backslash is refused: in some SQL dialects it escapes
 * the quote that follows it (`\'` would end the string), and which dialect Redrock's strings follow is
 * not known (docs/cyberark-api.md). Login names, e-mail addresses and event types never contain one.
 */
export function sqlString(value: unknown, field: string): string {
	const checked = text(value, field);
	if (checked === undefined)
		throw new InvalidInput(`${field} is empty`, `Set ${field}, or remove the filter.`);
	if (checked.includes('\\'))
		throw new InvalidInput(
			`${field} contains a backslash (\\), which this node does not put into a CyberArk query`,
			`Remove the backslash from ${field}. If the value really has one (e.g. a DOMAIN\\user name), search for the part after it.`,
		);
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
	const result = await client.request(
		{
			endpoint: ENDPOINT.redrockQuery,
			body: { Script: script, Args: { PageNumber: page, PageSize: pageSize, Limit: 0, Caching: -1 } },
		},
		itemIndex,
	);
	const { rows, fullCount } = redrockPage(result);
	// Without FullCount, a full page may be followed by another: the caller pages until a short one.
	const known = (page - 1) * pageSize + rows.length;
	return { rows, fullCount: fullCount ?? (rows.length < pageSize ? known : Number.MAX_SAFE_INTEGER) };
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
