import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import type { Operation } from '../../descriptions/common';
import { simplifyField, userLocator } from '../../descriptions/common';
import { readUser, resolveUserId } from '../../users/lookup';

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
