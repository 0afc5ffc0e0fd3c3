// One role as the tenant has it now, read afresh rather than from the run's directory (roles/directory.ts):
// before and after a role is created, renamed or deleted.
import { roleRow } from '../../shared/readers';
import { queryRows, sqlString } from '../../shared/redrock';
import type { CyberArkClient } from '../../shared/transport/client';
import { InvalidInput } from '../../shared/transport/errors';
import { namedRoles, roleQuery } from './directory';

/** A role as the node reads and outputs it. */
export type Role = ReturnType<typeof roleRow>;

export function roleByIdQuery(id: string): string {
	return `Select ID, Name, Description from Role WHERE ID = ${sqlString(id, 'Role ID')}`;
}

/** The role with this ID, or undefined when the tenant has none. */
export async function findRoleById(
	client: CyberArkClient,
	id: string,
	itemIndex: number,
): Promise<Role | undefined> {
	const rows = await queryRows(client, roleByIdQuery(id), 2, itemIndex);
	return rows.map(roleRow).find((r) => r.id === id);
}

/** The role with this name (see namedRoles), or undefined; several such roles are an error. */
export async function findRoleByName(
	client: CyberArkClient,
	name: string,
	itemIndex: number,
): Promise<Role | undefined> {
	const rows = await queryRows(client, roleQuery({ name }), undefined, itemIndex);
	const named = namedRoles(rows.map(roleRow), name);
	if (named.length > 1) {
		throw new InvalidInput(
			`Several roles are named "${name}"`,
			'Rename one of them in the Admin Portal, or work with the role by its ID.',
		);
	}
	return named[0];
}

/** A role that must exist: read afresh, so that a role deleted since is not renamed into nothing. */
export async function existingRole(client: CyberArkClient, id: string, itemIndex: number): Promise<Role> {
	const role = await findRoleById(client, id, itemIndex);
	if (!role) {
		throw new InvalidInput(
			`No role with the ID "${id}" exists in the tenant`,
			'Check the role ID, or pick the role from the list; it may have been deleted.',
		);
	}
	return role;
}
