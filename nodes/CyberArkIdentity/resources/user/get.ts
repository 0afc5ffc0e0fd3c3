import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CyberArkClient } from '../../client';
import type { Operation } from '../../shared';
import { simplifyField, userLocator } from '../../shared';
import { readUser, resolveUserId } from './lookup';

export const option: Operation['option'] = {
	name: 'Get',
	description: 'Get a user by login name or ID',
	action: 'Get a user',
};

export const description = [userLocator, simplifyField];

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, i);
	return await readUser(client, id, i, this.getNodeParameter('simplify', i, true) as boolean);
}
