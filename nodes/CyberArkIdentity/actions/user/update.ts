import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import { buildChangeUser, fieldOptions, UPDATABLE_FIELDS } from '../../users/fields';
import type { Operation } from '../../descriptions/common';
import { userLocator } from '../../descriptions/common';
import { PATH, readUser, resolveUserId } from '../../users/lookup';

export const option: Operation['option'] = {
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

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, i);
	const body = buildChangeUser(id, this.getNodeParameter('updateFields', i, {}) as IDataObject);
	await client.request({ path: PATH.change, body, idempotent: true }, i);
	return await readUser(client, id, i, true);
}
