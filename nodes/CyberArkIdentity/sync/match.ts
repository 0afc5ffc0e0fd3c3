// Which user each HR row is about, decided from both keys a row carries, so that a person is never
// taken for a leaver: a row is matched by the key of Match By; a row that finds nobody by it but exactly
// one user by its other key (an e-mail that changed under Match by Email, a login name that changed under
// Match by User Name) is that person. An e-mail claims only a user the run may rename (a member of the
// scope role, not the caller, not disabled). CyberArk ignores the case of login names and e-mail
// addresses, and so does every comparison here.
import type { IDataObject } from 'n8n-workflow';

import { userRow } from '../../shared/readers';
import { InvalidInput } from '../../shared/transport/errors';
import { email, loginName } from '../../shared/validate';
import type { MatchBy } from './plan';

/** A row's keys, lower case (the one of Match By is always there), and as the row gives them. */
export interface RowKeys {
	userName?: string;
	email?: string;
	/** Sent to Redrock beside the lower-case keys: no source says whether Redrock ignores case. */
	given: { userName?: string; email?: string };
}

const COLUMN = { userName: 'Username', email: 'Email' } as const;
const LABEL = { userName: 'login name', email: 'e-mail' } as const;

function other(matchBy: MatchBy): MatchBy {
	return matchBy === 'email' ? 'userName' : 'email';
}

/** A key as compared: trimmed, lower case; undefined for anything but non-empty text. */
export function lower(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined;
}

/** A row's keys; fails when the key it is matched by cannot be read. */
export function rowKeys(matchBy: MatchBy, input: { userName: unknown; email: unknown }): RowKeys {
	const read = (key: MatchBy) => {
		if (key === 'userName') return loginName(input.userName);
		const address = email(input.email);
		if (address === undefined) {
			throw new InvalidInput(
				'Email is empty, but items are matched by email',
				'Set Email on every item, or set Options > Match By to User Name.',
			);
		}
		return address;
	};
	const keys: RowKeys = { given: {} };
	const keep = (key: MatchBy, value: string) => {
		keys.given[key] = value;
		keys[key] = value.toLowerCase();
	};
	keep(matchBy, read(matchBy));
	try {
		keep(other(matchBy), read(other(matchBy)));
	} catch {
		// The other key only ever widens who a row is: the row's own checks report a bad value.
	}
	return keys;
}

/** The user a row is about, or why the row cannot be applied. */
export interface RowMatch {
	user?: IDataObject;
	error?: InvalidInput;
}

function indexBy(users: IDataObject[], key: MatchBy): Map<string, IDataObject[]> {
	const index = new Map<string, IDataObject[]>();
	for (const user of users) {
		const value = lower(user[COLUMN[key]]);
		if (value !== undefined) index.set(value, [...(index.get(value) ?? []), user]);
	}
	return index;
}

/**
 * Each row's user among `users` (everyone the roster's keys found). A user belongs to the row that
 * finds it by the Match By key; failing that, to the row that finds it by the other key: by login name
 * (unique: a second row claiming the same user fails), or by e-mail when exactly one user whom
 * `claimable` allows has that address and no other row claims them (else the row is a joiner).
 */
export function matchRows(
	rows: Array<RowKeys | undefined>,
	users: IDataObject[],
	matchBy: MatchBy,
	claimable: (user: IDataObject) => boolean,
): RowMatch[] {
	const results: RowMatch[] = rows.map(() => ({}));
	const owner = new Map<string, number>(); // user ID → the row it belongs to
	const claim = (i: number, found: IDataObject[], key: MatchBy) => {
		const value = rows[i]![key]!;
		if (key === 'email' && key !== matchBy) {
			// E-mail addresses are not unique, and get reused: only the one user with this address whom
			// no other row claims, and whom the sync may rename, is a renamed person.
			found = found.filter((u) => !owner.has(userRow(u).id) && claimable(u));
			if (found.length !== 1) return;
		}
		if (found.length > 1) {
			results[i].error = ambiguous(found.length, key, value);
			return;
		}
		const { id, userName } = userRow(found[0]);
		const first = owner.get(id);
		if (first !== undefined) {
			results[i].error = new InvalidInput(
				`Item ${i + 1} is the same person as item ${first + 1} (${LABEL[key]} "${value}")`,
				`Both items find the user ${userName}. Each person must appear once per run: correct the ${LABEL[key]} in the HR data.`,
			);
			return;
		}
		owner.set(id, i);
		results[i].user = found[0];
	};
	const byKey = indexBy(users, matchBy);
	rows.forEach((keys, i) => {
		const found = keys ? (byKey.get(keys[matchBy]!) ?? []) : [];
		if (found.length > 0) claim(i, found, matchBy);
	});
	const byOther = indexBy(users, other(matchBy));
	rows.forEach((keys, i) => {
		if (!keys || results[i].user || results[i].error || keys[other(matchBy)] === undefined) return;
		const found = byOther.get(keys[other(matchBy)]!) ?? [];
		if (found.length > 0) claim(i, found, other(matchBy));
	});
	const byName = indexBy(users, 'userName');
	rows.forEach((keys, i) => {
		const error = renameConflict(keys, results[i].user, byName, i);
		if (error) results[i] = { error };
	});
	return results;
}

/** A row that would rename its user to a login name another user has: it cannot be applied. */
function renameConflict(
	keys: RowKeys | undefined,
	user: IDataObject | undefined,
	byName: Map<string, IDataObject[]>,
	i: number,
): InvalidInput | undefined {
	if (!keys?.userName || !user) return undefined;
	const holder = (byName.get(keys.userName) ?? []).find((u) => userRow(u).id !== userRow(user).id);
	if (!holder) return undefined;
	return new InvalidInput(
		`Item ${i + 1} would rename ${userRow(user).userName} to "${keys.userName}", a login name another user has`,
		'The item finds its user by e-mail, but its login name belongs to someone else. Correct the login name or the e-mail in the HR data.',
	);
}

function ambiguous(count: number, key: MatchBy, value: string): InvalidInput {
	return new InvalidInput(
		`${count} users have the ${LABEL[key]} "${value}"`,
		key === 'email'
			? 'The item cannot tell which one it is about. Match by User Name, or give the users distinct e-mail addresses.'
			: 'The item cannot tell which one it is about.',
	);
}

/**
 * Whether a user is found by any row's login name or e-mail: such a user is never a leaver, whatever
 * the rows were matched by (a person whose e-mail or login name changed is still in the roster).
 */
export function foundByAnyRow(
	rows: Array<RowKeys | undefined>,
): (user: { userName?: unknown; email?: unknown }) => boolean {
	const names = new Set(rows.map((keys) => keys?.userName).filter((k) => k !== undefined));
	const emails = new Set(rows.map((keys) => keys?.email).filter((k) => k !== undefined));
	return (user) => {
		const name = lower(user.userName);
		const address = lower(user.email);
		return (name !== undefined && names.has(name)) || (address !== undefined && emails.has(address));
	};
}
