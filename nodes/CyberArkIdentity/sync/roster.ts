// The reads of Create or Update, each done once per run: the roster's users in a few Redrock queries,
// and each relevant role's members in one call per role.
import type { IDataObject } from 'n8n-workflow';

import { ENDPOINT } from '../../shared/endpoints';
import { roleMembers, rolesOfUser, rosterState, userRow, userState } from '../../shared/readers';
import { queryRows } from '../../shared/redrock';
import type { CyberArkClient } from '../../shared/transport/client';
import { IN_LIST_SIZE, usersInQuery } from '../users/queries';
import type { MatchBy, ScopeMember } from './plan';

function chunks<T>(values: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
	return out;
}

/** The users whose login name (or email) is one of `keys` (lower case), by key. */
export async function readRoster(
	client: CyberArkClient,
	matchBy: MatchBy,
	keys: string[],
): Promise<Map<string, IDataObject[]>> {
	const column = matchBy === 'email' ? 'Email' : 'Username';
	const byKey = new Map<string, IDataObject[]>();
	for (const chunk of chunks([...new Set(keys)], IN_LIST_SIZE)) {
		for (const row of await queryRows(client, usersInQuery(column, chunk), undefined)) {
			userRow(row);
			const key = String(row[column] ?? '').toLowerCase();
			byKey.set(key, [...(byKey.get(key) ?? []), row]);
		}
	}
	return byKey;
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

/** The state GetUserAttributes reports, for a user whose Redrock row does not tell it for sure. */
export async function readState(client: CyberArkClient, id: string, itemIndex?: number): Promise<string> {
	const attributes = await client.request(
		{ endpoint: ENDPOINT.getUserAttributes, body: { ID: id } },
		itemIndex,
	);
	return userState(attributes);
}

/** The members with their current state and login name, read in a few Redrock queries by ID. */
export async function usersByIds(client: CyberArkClient, members: ScopeMember[]): Promise<ScopeMember[]> {
	const found = new Map<string, IDataObject>();
	for (const chunk of chunks(
		members.map((m) => m.id),
		IN_LIST_SIZE,
	)) {
		for (const row of await queryRows(client, usersInQuery('ID', chunk), undefined))
			found.set(userRow(row).id, row);
	}
	// A member Redrock does not list (deleted meanwhile) is not deprovisioned.
	const out: ScopeMember[] = [];
	for (const m of members.filter((member) => found.has(member.id))) {
		const row = found.get(m.id)!;
		out.push({
			id: m.id,
			userName: userRow(row).userName,
			state: rosterState(row) ?? (await readState(client, m.id)),
		});
	}
	return out;
}

/** The IDs of the roles a user is in. */
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
