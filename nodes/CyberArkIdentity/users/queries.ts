// The Redrock scripts that read users: Get Many's search, the list picker, and Create or Update's
// bulk reads. Every value goes through redrock.ts's quoting.
import type { IDataObject } from 'n8n-workflow';

import { sqlContains, sqlString } from '../../shared/redrock';
import { InvalidInput } from '../../shared/transport/errors';

/**
 * The values of Redrock's User.Status that CyberArk's data dictionary documents. What a disabled,
 * locked or expired user's Status reads is in no public source, so the filter offers none of those
 * (Get reads a user's state from GetUserAttributes).
 */
export const USER_STATUSES = ['Active', 'Created', 'Invited', 'Suspended'];

export const USER_COLUMNS = 'ID, Username, DisplayName, Email, MobileNumber, LastLogin, Status';

/** The Redrock script for Get Many users. */
export function userQuery(filters: IDataObject): string {
	const where: string[] = [];
	if (filters.search !== undefined && filters.search !== '') {
		const like = sqlContains(filters.search, 'Search');
		where.push(`(Username LIKE ${like} OR DisplayName LIKE ${like} OR Email LIKE ${like})`);
	}
	if (filters.userName !== undefined && filters.userName !== '')
		where.push(`Username = ${sqlString(filters.userName, 'Login Name')}`);
	if (filters.email !== undefined && filters.email !== '')
		where.push(`Email = ${sqlString(filters.email, 'Email')}`);
	if (filters.status !== undefined && filters.status !== '') {
		const status = USER_STATUSES.find((s) => s.toLowerCase() === String(filters.status).toLowerCase());
		if (!status)
			throw new InvalidInput(
				`Status "${String(filters.status)}" is not one of ${USER_STATUSES.join(', ')}`,
				'Pick a status from the list.',
			);
		where.push(`Status = '${status}'`);
	}
	return `Select ${USER_COLUMNS} from User${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY Username`;
}

/** What Create or Update reads of a user in bulk: enough to match a roster row and diff its common fields. */
export const SYNC_USER_COLUMNS = 'ID, Username, DisplayName, Email, MobileNumber, Status';

/** At most this many values go into one `IN (...)` list: a roster is read in a few queries, not one per row. */
export const IN_LIST_SIZE = 100;

/**
 * The Redrock script for the users whose login name, e-mail or ID is one of the values given for that
 * column (any column matching is enough; at most IN_LIST_SIZE values per column).
 */
export function usersInQuery(lists: Partial<Record<'Username' | 'Email' | 'ID', string[]>>): string {
	const conditions = Object.entries(lists)
		.filter(([, values]) => values.length > 0)
		.map(([column, values]) => {
			if (values.length > IN_LIST_SIZE) throw new Error(`usersInQuery takes at most ${IN_LIST_SIZE} values`);
			return `${column} IN (${values.map((v) => sqlString(v, column)).join(', ')})`;
		});
	if (conditions.length === 0) throw new Error('usersInQuery needs at least one value');
	return `Select ${SYNC_USER_COLUMNS} from User WHERE ${conditions.join(' OR ')}`;
}
