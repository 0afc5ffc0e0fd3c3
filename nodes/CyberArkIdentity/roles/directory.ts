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

/**
 * Role references, names or IDs, as a role parameter holds them: the entries of a role list (each a
 * role picker), one role picker, or what an expression gives (a list, or text separated by commas).
 */
export function roleList(value: unknown): string[] {
	return [
		...new Set(
			roleRefs(value)
				.map((v) => text(v, 'Roles'))
				.filter((v): v is string => v !== undefined),
		),
	];
}

function roleRefs(value: unknown): unknown[] {
	if (value === undefined || value === null || value === '') return [];
	if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? [v] : roleRefs(v)));
	if (typeof value === 'string') return value.split(',');
	if (typeof value === 'object') {
		const { mode, value: picked, role: entries } = value as IDataObject;
		if (mode !== undefined) return roleRefs(picked); // a role picker
		if (Array.isArray(entries)) return entries.flatMap((entry) => roleRefs((entry as IDataObject)?.roleId));
		if (Object.keys(value).length === 0) return []; // a role list without entries
	}
	return [value];
}

/** Whether some role reference was text with a comma, which roleList splits into several. */
function givenAsTextWithCommas(value: unknown): boolean {
	if (typeof value === 'string') return value.includes(',');
	if (Array.isArray(value)) return value.some((v) => typeof v !== 'string' && givenAsTextWithCommas(v));
	if (value === null || typeof value !== 'object') return false;
	const { mode, value: picked, role: entries } = value as IDataObject;
	if (mode !== undefined) return givenAsTextWithCommas(picked);
	return Array.isArray(entries) && entries.some((e) => givenAsTextWithCommas((e as IDataObject)?.roleId));
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
		const split = givenAsTextWithCommas(value)
			? ` ${field} given as text is split at every comma; a role whose name has a comma in it must be given as a list, e.g. {{ ["Sales, EMEA"] }}.`
			: '';
		return [...new Set(roleList(value).map((ref) => this.resolve(ref, field, split)))];
	}

	/** The name of a role, for output; undefined for a role the tenant does not list. */
	nameOf(id: string): string | undefined {
		return this.rows.find((r) => r.id === id)?.name;
	}

	/** A role as outputs give it: its ID beside its name (null for a role the tenant does not list). */
	named(id: string): NamedRole {
		return { id, name: this.nameOf(id) ?? null };
	}
}

/** How an output names a role: `{id, name}` in a list; `roleId` and `roleName` side by side for one. */
export interface NamedRole extends IDataObject {
	id: string;
	name: string | null;
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

/** The role the `roleId` resource locator points at, with its name (the tenant's roles read once per run). */
export async function resolveNamedRole(
	this: IExecuteFunctions,
	client: CyberArkClient,
	itemIndex: number,
): Promise<NamedRole> {
	const id = await resolveRoleId.call(this, client, itemIndex);
	return (await RoleDirectory.of(client)).named(id);
}

/** `roleId` and `roleName` of an output item about one role. */
export function roleFields(role: NamedRole): { roleId: string; roleName: string | null } {
	return { roleId: role.id, roleName: role.name };
}
