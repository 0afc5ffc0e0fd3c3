import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import type { Operation } from '../../descriptions/common';
import { userLocator } from '../../descriptions/common';
import { PATH, resolveUserId } from '../../users/lookup';

export const option: Operation['option'] = {
	name: 'Delete',
	description: 'Delete a user from the Cloud Directory',
	action: 'Delete a user',
};

export const description = [userLocator];

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, i);
	await client.request({ path: PATH.delete, body: { ID: id }, idempotent: false }, i);
	return { deleted: true, id };
}
