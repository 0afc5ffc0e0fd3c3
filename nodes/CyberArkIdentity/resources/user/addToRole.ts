import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CyberArkClient } from '../../client';
import type { Operation } from '../../shared';
import { roleLocator, userLocator } from '../../shared';
import { resolveRoleId, setMembership } from '../role/lookup';
import { resolveUserId } from './lookup';

export const option: Operation['option'] = {
	name: 'Add to Role',
	description: 'Make a user a member of a role (no error when it already is)',
	action: 'Add a user to a role',
};

export const description = [userLocator, roleLocator];

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, i);
	const roleId = await resolveRoleId.call(this, client, i);
	await setMembership(client, id, roleId, true, i);
	return { id, roleId, member: true };
}
