import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import type { CyberArkClient } from '../../../shared/transport/client';
import { simplifyField } from '../../descriptions/common';
import { userLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import { simplifiedUserSchema } from '../../schemas/user';
import { readUser, resolveUserId } from '../../users/lookup';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Get',
	description: 'Get a user by login name or ID',
	action: 'Get a user',
};

export const description = [userLocator, simplifyField];

export const options = RUN_OPTIONS;

export const endpoints = [ENDPOINT.getUserByName, ENDPOINT.getUser, ENDPOINT.getUserAttributes];

export const output = simplifiedUserSchema();

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, i);
	return await readUser(client, id, i, this.getNodeParameter('simplify', i, true) as boolean);
}
