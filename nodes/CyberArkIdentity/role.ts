import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeParameterResourceLocator,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { Handler } from './batch';
import { queryPage, queryRows, resultLimit, roleQuery, SEARCH_PAGE_SIZE, sqlString } from './query';
import { cyberArkRequest, toNodeError } from './transport';
import { InvalidInput, text } from './validate';

/** Role IDs from a multi-select or an expression: a list, or text separated by commas. */
export function roleList(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return [...new Set(list.map((v) => text(v, 'Roles')).filter((v): v is string => v !== undefined))];
}

/** The role with this exact name; a name must match one role only. */
async function roleIdByName(this: IExecuteFunctions, name: string, itemIndex: number): Promise<string> {
	const { rows } = await queryPage.call(this, `Select ID, Name from Role WHERE Name = ${sqlString(name, 'Role')}`, 1, 2, itemIndex);
	if (rows.length === 0) throw new InvalidInput(`No role named "${name}" exists in the tenant`, 'Check the role name, or pick the role from the list.');
	if (rows.length > 1) throw new InvalidInput(`Several roles are named "${name}"`, 'Pick the role from the list, or give its ID.');
	return rows[0].ID as string;
}

/** The ID of the role the `roleId` resource locator points at (looked up when given by name). */
export async function resolveRoleId(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	const locator = this.getNodeParameter('roleId', itemIndex) as INodeParameterResourceLocator | string;
	const { mode, value } = typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator };
	const given = text(value, 'Role');
	if (given === undefined) throw new InvalidInput('No role is selected', 'Pick a role from the list, or give its name or ID.');
	return mode === 'name' ? await roleIdByName.call(this, given, itemIndex) : given;
}

/** Makes a user a member of a role or not; adding a member twice is no error. */
export async function setMembership(this: IExecuteFunctions, userId: string, roleId: string, member: boolean, itemIndex: number): Promise<void> {
	const users = member ? { Add: [userId] } : { Delete: [userId] };
	await cyberArkRequest.call(this, { path: '/Roles/UpdateRole', body: { Name: roleId, Users: users }, idempotent: true }, itemIndex);
}

/** Adds a new user to roles; returns the role IDs. */
export async function addRoles(this: IExecuteFunctions, userId: string, roleIds: string[], itemIndex: number): Promise<string[]> {
	for (const roleId of roleIds) {
		try {
			await setMembership.call(this, userId, roleId, true, itemIndex);
		} catch (error) {
			const failure = toNodeError(this.getNode(), error, itemIndex);
			failure.message = `The user ${userId} exists, but adding it to role ${roleId} failed: ${failure.message}`;
			throw failure;
		}
	}
	return roleIds;
}

function simplifyRole(row: IDataObject): IDataObject {
	return { id: row.ID, name: row.Name, description: row.Description ?? null };
}

async function getAll(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const rows = await queryRows.call(this, roleQuery(this.getNodeParameter('filters', i, {}) as IDataObject), resultLimit.call(this, i), i);
	return this.getNodeParameter('simplify', i, true) ? rows.map(simplifyRole) : rows;
}

async function getMembers(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const roleId = await resolveRoleId.call(this, i);
	const result = (await cyberArkRequest.call(this, { path: '/Roles/GetRoleMembers', qs: { name: roleId }, idempotent: true }, i)) as {
		Results?: Array<{ Row?: IDataObject }>;
	} | null;
	const rows = (result?.Results ?? []).map((r) => r.Row ?? {});
	const limited = rows.slice(0, resultLimit.call(this, i));
	if (!this.getNodeParameter('simplify', i, true)) return limited;
	return limited.map((row) => ({ id: row.Guid ?? row.ID, name: row.Name, type: row.Type, roleId }));
}

export const roleHandlers: Record<string, Handler> = { getAll, getMembers };

/** Roles for the "From list" mode of the role locator. */
export async function searchRoles(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) || 1;
	const { rows, fullCount } = await queryPage.call(this, roleQuery(filter ? { name: filter } : {}), page, SEARCH_PAGE_SIZE);
	return {
		results: rows.map((row) => ({ name: row.Name as string, value: row.ID as string, description: (row.Description as string) || undefined })),
		paginationToken: page * SEARCH_PAGE_SIZE < fullCount ? String(page + 1) : undefined,
	};
}

/** All roles, for Create User's role list. */
export async function getRoles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await queryRows.call(this, roleQuery({}), 1000);
	return rows.map((row) => ({ name: row.Name as string, value: row.ID as string, description: (row.Description as string) || undefined }));
}
