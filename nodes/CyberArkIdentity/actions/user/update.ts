import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import type { CyberArkClient } from '../../../shared/transport/client';
import { userLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import { simplifiedUserSchema } from '../../schemas/user';
import { buildChangeUser, fieldOptions, UPDATABLE_FIELDS } from '../../users/fields';
import { readUser, resolveUserId } from '../../users/lookup';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Update',
	description: "Change a user's fields, e.g. when HR data changes",
	action: 'Update a user',
};

export const description: INodeProperties[] = [
	userLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: fieldOptions(UPDATABLE_FIELDS),
	},
];

export const options = RUN_OPTIONS;

export const endpoints = [
	ENDPOINT.getUserByName,
	ENDPOINT.changeUser,
	ENDPOINT.getUser,
	ENDPOINT.getUserAttributes,
];

export const output = simplifiedUserSchema();

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, i);
	const body = buildChangeUser(id, this.getNodeParameter('updateFields', i, {}) as IDataObject);
	await client.request({ endpoint: ENDPOINT.changeUser, body }, i);
	return await readUser(client, id, i, true);
}
