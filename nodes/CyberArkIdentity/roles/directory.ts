// The tenant's roles, and the one way a role given by name or ID becomes a role ID.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { queryRows, sqlContains } from '../../shared/redrock';
import type { CyberArkClient } from '../../shared/transport/client';
import { InvalidInput } from '../../shared/transport/errors';
import { roleRow } from '../../shared/readers';
import { text } from '../../shared/validate';
import { locatorValue } from '../descriptions/locators';

/** The Redrock script for the roles (whose name contains `filters.name`, when given). */
export function roleQuery(filters: IDataObject): string {
	const where =
		filters.name !== undefined && filters.name !== ''
			? ` WHERE Name LIKE ${sqlContains(filters.name, 'Name')}`
			: '';
	return `Select ID, Name, Description from Role${where} ORDER BY Name`;
}

/** Role references from a multi-select or an expression: a list, or text separated by commas. */
export function roleList(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return [...new Set(list.map((v) => text(v, 'Roles')).filter((v): v is string => v !== undefined))];
}

export function simplifyRole(row: IDataObject): IDataObject {
	return roleRow(row);
}

/** The roles with this name: those named exactly so, or, when none is, those named so ignoring case. */
export function namedRoles<Role extends { name: string }>(roles: Role[], name: string): Role[] {
	const exact = roles.filter((r) => r.name === name);
	if (exact.length > 0) return exact;
	return roles.filter((r) => r.name.toLowerCase() === name.toLowerCase());
}

/**
 * The tenant's roles, read once per run: resolves role IDs and names. A name matches exactly, or, when
 * no role has that exact name, ignoring case if that leaves one role.
 */
export class RoleDirectory {
	private constructor(private readonly rows: Array<{ id: string; name: string }>) {}

	/** The run's directory: read on first use, shared by every item of the run. */
	static async of(client: CyberArkClient): Promise<RoleDirectory> {
		return await client.once(
			'roles',
			async () => new RoleDirectory((await queryRows(client, roleQuery({}), undefined)).map(roleRow)),
		);
	}

	/** The role ID for an ID or a name; `advice` is added to the description of a role not found. */
	resolve(ref: string, field: string, advice = ''): string {
		if (this.rows.some((r) => r.id === ref)) return ref;
		const named = namedRoles(this.rows, ref);
		if (named.length === 1) return named[0].id;
		if (named.length === 0) {
			throw new InvalidInput(
				`${field}: no role named "${ref}" (or with that ID) exists in the tenant`,
				`Check the role name in ${field}, or pick the role from the list.${advice}`,
			);
		}
		throw new InvalidInput(
			`${field}: several roles are named "${ref}"`,
			`Give the role's ID in ${field} instead of its name.`,
		);
	}

	/**
	 * Role IDs for a list, or for text separated by commas, of role IDs or names. Text is split at every
	 * comma: a role whose name has one can only be given in a list.
	 */
	resolveAll(value: unknown, field: string): string[] {
		const split =
			typeof value === 'string' && value.includes(',')
				? ` ${field} given as text is split at every comma; a role whose name has a comma in it must be given as a list, e.g. {{ ["Sales, EMEA"] }}.`
				: '';
		return [...new Set(roleList(value).map((ref) => this.resolve(ref, field, split)))];
	}

	/** The name of a role, for output; undefined for a role the tenant does not list. */
	nameOf(id: string): string | undefined {
		return this.rows.find((r) => r.id === id)?.name;
	}
}

/** The ID of the role the `roleId` resource locator points at (looked up when given by name). */
export async function resolveRoleId(
	this: IExecuteFunctions,
	client: CyberArkClient,
	itemIndex: number,
): Promise<string> {
	const { mode, value } = locatorValue(this, 'roleId', itemIndex);
	const given = text(value, 'Role');
	if (given === undefined)
		throw new InvalidInput('No role is selected', 'Pick a role from the list, or give its name or ID.');
	if (mode !== 'name') return given;
	return (await RoleDirectory.of(client)).resolve(given, 'Role');
}
