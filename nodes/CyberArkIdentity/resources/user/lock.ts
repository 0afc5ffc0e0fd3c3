import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CyberArkClient } from '../../client';
import type { Operation } from '../../shared';
import { userLocator } from '../../shared';
import { changeState, PATH } from './lookup';

export const option: Operation['option'] = {
	name: 'Lock',
	description: 'Lock a user out (cloud lock) until unlocked',
	action: 'Lock a user',
};

export const description = [userLocator];

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	return await changeState.call(this, client, i, (id) => [
		{ path: PATH.cloudLock, qs: { user: id, lockuser: 'true' } },
	]);
}
