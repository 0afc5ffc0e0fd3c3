import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import type { CyberArkClient } from '../../../shared/transport/client';
import { userLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import { BOOLEAN, itemSchema, STRING } from '../../schemas/schema';
import { resolveUserId } from '../../users/lookup';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Delete',
	description: 'Delete a user from the Cloud Directory',
	action: 'Delete a user',
};

export const description = [userLocator];

export const options = RUN_OPTIONS;

export const endpoints = [ENDPOINT.getUserByName, ENDPOINT.deleteUser];

export const output = itemSchema({ deleted: BOOLEAN, id: STRING }, ['deleted', 'id']);

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, i);
	await client.request({ endpoint: ENDPOINT.deleteUser, body: { ID: id } }, i);
	return { deleted: true, id };
}
