import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import type { CyberArkClient } from '../../../shared/transport/client';
import { InvalidInput, UncertainOutcomeError } from '../../../shared/transport/errors';
import { roleLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import type { Role } from '../../roles/current';
import { existingRole, findRoleById } from '../../roles/current';
import { resolveRoleId } from '../../roles/directory';
import { roleSchema } from '../../schemas/role';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Delete',
	description: 'Delete a role; its members lose what the role gave them',
	action: 'Delete a role',
};

export const description = [roleLocator];

export const options = RUN_OPTIONS;

export const endpoints = [ENDPOINT.redrockQuery, ENDPOINT.deleteRole];

export const output = roleSchema({ deleted: true });

/**
 * The tenant's built-in roles, never deleted by this node: the System Administrator role's ID is
 * `sysadmin` (marcozj golang-sdk grants permissions to PrincipalId "sysadmin"); the Everybody role holds
 * every user.
 */
export function isBuiltIn(role: Pick<Role, 'id' | 'name'>): boolean {
	const name = role.name.toLowerCase();
	return role.id === 'sysadmin' || name === 'system administrator' || name === 'everybody';
}

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveRoleId.call(this, client, i);
	const role = await existingRole(client, id, i);
	if (isBuiltIn(role))
		throw new InvalidInput(
			`"${role.name}" is one of the tenant's built-in roles; the node does not delete it`,
			'Pick another role.',
		);
	try {
		// cyberark/idsec-sdk-golang and marcozj golang-sdk: the role's ID in Name.
		await client.request({ endpoint: ENDPOINT.deleteRole, body: { Name: id } }, i);
	} catch (error) {
		// The answer was lost: the role is gone or it is not; sending it again would be refused either way.
		if (!(error instanceof UncertainOutcomeError) || (await findRoleById(client, id, i)))
			throw client.nodeError(error, i);
	}
	return { ...role, deleted: true };
}
