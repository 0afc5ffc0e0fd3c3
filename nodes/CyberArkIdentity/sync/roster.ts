// The reads of Create or Update, each done once per run: the roster's users in a few Redrock queries,
// each relevant role's members in one call per role (or each user's roles, for a handful of people),
// the leavers' records, and the size of the tenant when a percentage needs it.
import type { IDataObject } from 'n8n-workflow';

import { ENDPOINT } from '../../shared/endpoints';
import { queryPage, queryRows } from '../../shared/redrock';
import type { CyberArkClient } from '../../shared/transport/client';
import { IN_LIST_SIZE, usersInQuery } from '../users/queries';
import type { RowKeys } from './match';
import type { ScopeMember } from './plan';

function chunks<T>(values: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
	return out;
}

function defined(values: Array<string | undefined>): string[] {
	return [...new Set(values.filter((v): v is string => v !== undefined))];
}

/**
 * Every user whose login name or e-mail is one of the rows' (by either key, whatever Match By says): one
 * query per IN_LIST_SIZE rows.
 */
export async function readRoster(client: CyberArkClient, rows: RowKeys[]): Promise<IDataObject[]> {
	const users = new Map<string, IDataObject>();
	for (const chunk of chunks(rows, IN_LIST_SIZE)) {
		const script = usersInQuery({
			Username: defined(chunk.map((k) => k.userName)),
			Email: defined(chunk.map((k) => k.email)),
		});
		for (const row of await queryRows(client, script, undefined)) users.set(String(row.ID), row);
	}
	return [...users.values()];
}

/** The user members of each role, one GetRoleMembers call per role (`{Name: roleId}` in the body). */
export async function readRoleMembers(
	client: CyberArkClient,
	roleIds: string[],
): Promise<Map<string, ScopeMember[]>> {
	const members = new Map<string, ScopeMember[]>();
	for (const roleId of roleIds) {
		const result = (await client.request({
			endpoint: ENDPOINT.getRoleMembers,
			body: { Name: roleId },
		})) as {
			Results?: Array<{ Row?: IDataObject }>;
		} | null;
		const rows = (result?.Results ?? [])
			.map((r) => r.Row ?? {})
			.filter((row) => String(row.Type ?? 'User').toLowerCase() === 'user');
		members.set(
			roleId,
			rows.map((row) => ({
				id: String(row.Guid ?? row.ID),
				userName: String(row.Name ?? ''),
				state: undefined,
			})),
		);
	}
	return members;
}

/** The members with their login name, e-mail and current state, read in a few Redrock queries by ID. */
export async function usersByIds(client: CyberArkClient, members: ScopeMember[]): Promise<ScopeMember[]> {
	const found = new Map<string, IDataObject>();
	for (const chunk of chunks(
		members.map((m) => m.id),
		IN_LIST_SIZE,
	)) {
		for (const row of await queryRows(client, usersInQuery({ ID: chunk }), undefined))
			found.set(String(row.ID).toLowerCase(), row);
	}
	// A member Redrock does not list (deleted meanwhile) is not deprovisioned.
	return members.flatMap((m) => {
		const row = found.get(m.id.toLowerCase());
		if (!row) return [];
		const email = typeof row.Email === 'string' ? row.Email : undefined;
		return [{ id: m.id, userName: String(row.Username ?? m.userName), email, state: row.Status }];
	});
}

/**
 * The IDs of the roles a user is in: each result's entity key (pspete/IdentityCommand `Get-IDUserRole`,
 * hashicorp/vault-plugin-auth-centrify), else its row's ID.
 */
export async function readUserRoles(
	client: CyberArkClient,
	id: string,
	itemIndex: number,
): Promise<string[]> {
	const result = (await client.request(
		{
			endpoint: ENDPOINT.getUserRoles,
			qs: { ID: id },
			body: { Args: { PageNumber: 1, PageSize: 1000, Limit: 1000, Caching: -1 } },
		},
		itemIndex,
	)) as { Results?: Array<{ Entities?: Array<{ Key?: unknown }>; Row?: IDataObject }> } | null;
	return (result?.Results ?? []).map((r) => String(r.Entities?.[0]?.Key ?? r.Row?.ID));
}

/** How many users the tenant has (Redrock's FullCount of the User table; one row read). */
export async function tenantUserCount(client: CyberArkClient): Promise<number> {
	return (await queryPage(client, 'Select ID from User', 1, 1)).fullCount;
}
