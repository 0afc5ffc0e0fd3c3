// The reads of Create or Update, each done once per run: the roster's users in a few Redrock queries,
// each relevant role's members in one call per role (or each user's roles, for a handful of people),
// the leavers' records, and the size of the tenant when a percentage needs it.
import type { IDataObject } from 'n8n-workflow';

import { mapConcurrent } from '../../shared/concurrency';
import { ENDPOINT } from '../../shared/endpoints';
import type { StateName } from '../../shared/readers';
import { redrockPage, roleMembers, rolesOfUser, userRow, userState } from '../../shared/readers';
import { queryRows } from '../../shared/redrock';
import type { CyberArkClient } from '../../shared/transport/client';
import { IN_LIST_SIZE, usersInQuery } from '../users/queries';
import type { RowKeys } from './match';
import type { ScopeMember } from './plan';

function chunks<T>(values: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
	return out;
}

/** A key of every row, as given and in lower case, each once (no source says Redrock ignores case). */
function spellings(rows: RowKeys[], key: 'userName' | 'email'): string[] {
	const given = rows.flatMap((k) =>
		k.given[key] === undefined ? [] : [k.given[key], k.given[key].toLowerCase()],
	);
	return [...new Set(given)];
}

/**
 * Every user whose login name or e-mail is one of the rows' (by either key, whatever Match By says), as
 * given or in lower case: one query per IN_LIST_SIZE values of each. The caller compares ignoring case.
 */
export async function readRoster(client: CyberArkClient, rows: RowKeys[]): Promise<IDataObject[]> {
	const names = chunks(spellings(rows, 'userName'), IN_LIST_SIZE);
	const emails = chunks(spellings(rows, 'email'), IN_LIST_SIZE);
	const users = new Map<string, IDataObject>();
	for (let n = 0; n < Math.max(names.length, emails.length); n++) {
		const script = usersInQuery({ Username: names[n] ?? [], Email: emails[n] ?? [] });
		for (const row of await queryRows(client, script, undefined)) users.set(userRow(row).id, row);
	}
	return [...users.values()];
}

/** The user members of each role, one GetRoleMembers call per role (the SDKs' form: `{"Name": roleId}`). */
export async function readRoleMembers(
	client: CyberArkClient,
	roleIds: string[],
): Promise<Map<string, ScopeMember[]>> {
	const members = new Map<string, ScopeMember[]>();
	for (const roleId of roleIds) {
		const result = await client.request({ endpoint: ENDPOINT.getRoleMembers, body: { Name: roleId } });
		members.set(
			roleId,
			roleMembers(result)
				.filter((m) => m.type === 'User')
				.map((m) => ({ id: m.id, userName: m.name ?? '', state: undefined })),
		);
	}
	return members;
}

/** A user's state as GetUserAttributes reports it: what a decision to disable, delete or rename rests on. */
export async function readState(client: CyberArkClient, id: string, itemIndex?: number): Promise<StateName> {
	const attributes = await client.request(
		{ endpoint: ENDPOINT.getUserAttributes, body: { ID: id } },
		itemIndex,
	);
	return userState(attributes);
}

/** The states of these users (lower-case ID → state), `concurrency` reads at a time; any failure fails. */
export async function readStates(
	client: CyberArkClient,
	ids: string[],
	concurrency: number,
): Promise<Map<string, StateName>> {
	const reads = await mapConcurrent(
		ids.length,
		concurrency,
		async (n) => await readState(client, ids[n]),
		true,
	);
	const states = new Map<string, StateName>();
	for (const [n, read] of reads.entries()) {
		if (!read?.ok) throw read?.error ?? new Error('A state read did not run');
		states.set(ids[n].toLowerCase(), read.value);
	}
	return states;
}

/** The members with their login name and e-mail, read in a few Redrock queries by ID (state not read). */
export async function usersByIds(client: CyberArkClient, members: ScopeMember[]): Promise<ScopeMember[]> {
	const found = new Map<string, IDataObject>();
	for (const chunk of chunks(
		members.map((m) => m.id),
		IN_LIST_SIZE,
	)) {
		for (const row of await queryRows(client, usersInQuery({ ID: chunk }), undefined))
			found.set(userRow(row).id.toLowerCase(), row);
	}
	// A member Redrock does not list (deleted meanwhile) is not deprovisioned.
	const out: ScopeMember[] = [];
	for (const m of members) {
		const row = found.get(m.id.toLowerCase());
		if (!row) continue;
		out.push({
			id: m.id,
			userName: userRow(row).userName,
			email: typeof row.Email === 'string' ? row.Email : undefined,
			state: undefined,
		});
	}
	return out;
}

/** The IDs of the roles a user is in (readers.ts: `Entities[].Key`, else `Row.ID`). */
export async function readUserRoles(
	client: CyberArkClient,
	id: string,
	itemIndex: number,
): Promise<string[]> {
	const result = await client.request(
		{
			endpoint: ENDPOINT.getUserRoles,
			qs: { ID: id },
			body: { Args: { PageNumber: 1, PageSize: 1000, Limit: 1000, Caching: -1 } },
		},
		itemIndex,
	);
	return rolesOfUser(result).map((r) => r.id);
}

/**
 * How many users the tenant has: Redrock's FullCount of the User table (one row read), or, when the
 * answer has no FullCount, every ID counted (a percentage must never be of a guessed number).
 */
export async function tenantUserCount(client: CyberArkClient): Promise<number> {
	const script = 'Select ID from User';
	const result = await client.request({
		endpoint: ENDPOINT.redrockQuery,
		body: { Script: script, Args: { PageNumber: 1, PageSize: 1, Limit: 0, Caching: -1 } },
	});
	return redrockPage(result).fullCount ?? (await queryRows(client, script, undefined)).length;
}
