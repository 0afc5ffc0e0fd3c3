// Role membership: one call makes a user a member of a role, or not.
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ApiCall } from '../../shared/endpoints';
import { ENDPOINT } from '../../shared/endpoints';
import type { CyberArkClient } from '../../shared/transport/client';
import { toNodeError } from '../../shared/transport/errors';

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

/** Adds a new user to roles; returns the role IDs. */
export async function addRoles(
	this: IExecuteFunctions,
	client: CyberArkClient,
	userId: string,
	roleIds: string[],
	itemIndex: number,
): Promise<string[]> {
	for (const roleId of roleIds) {
		try {
			await setMembership(client, userId, roleId, true, itemIndex);
		} catch (error) {
			const failure = toNodeError(this.getNode(), error, itemIndex);
			failure.message = `The user ${userId} exists, but adding it to role ${roleId} failed: ${failure.message}`;
			throw failure;
		}
	}
	return roleIds;
}
