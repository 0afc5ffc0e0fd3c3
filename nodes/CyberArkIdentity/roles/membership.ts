// Role membership: one call makes a user a member of a role, or not.
import type { ApiCall } from '../../shared/endpoints';
import { ENDPOINT } from '../../shared/endpoints';
import type { CyberArkClient } from '../../shared/transport/client';
import { RoleDirectory } from './directory';

/** Makes a user a member of a role, or not: adding a member twice, or removing a non-member, is no error. */
export function membershipCall(roleId: string, userId: string | null, member: boolean): ApiCall {
	const users = member ? { Add: [userId] } : { Delete: [userId] };
	return { endpoint: ENDPOINT.updateRole, body: { Name: roleId, Users: users } };
}

export async function setMembership(
	client: CyberArkClient,
	userId: string,
	roleId: string,
	member: boolean,
	itemIndex: number,
): Promise<void> {
	await client.request(membershipCall(roleId, userId, member), itemIndex);
}

/** Adds a new user to roles (IDs, from the run's role directory, which names them in an error). */
export async function addRoles(
	client: CyberArkClient,
	userId: string,
	roleIds: string[],
	itemIndex: number,
): Promise<void> {
	const directory = await RoleDirectory.of(client);
	for (const roleId of roleIds) {
		try {
			await setMembership(client, userId, roleId, true, itemIndex);
		} catch (error) {
			const failure = client.nodeError(error, itemIndex);
			const role = directory.nameOf(roleId) ?? roleId;
			failure.message = `The user ${userId} exists, but adding it to role ${role} failed: ${failure.message}`;
			throw failure;
		}
	}
}
