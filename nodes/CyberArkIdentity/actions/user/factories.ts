// Operations that differ only in the calls they send: the state changes (Lock, Unlock, Disable, Enable)
// and role membership (Add to Role, Remove From Role).
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiCall } from '../../../shared/endpoints';
import { ENDPOINT } from '../../../shared/endpoints';
import type { CyberArkClient } from '../../../shared/transport/client';
import { roleLocator, userLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import { resolveRoleId } from '../../roles/directory';
import { membershipCall, setMembership } from '../../roles/membership';
import { membershipSchema, userStateSchema } from '../../schemas/user';
import { stateName } from '../../users/fields';
import { getAttributes, resolveUserId } from '../../users/lookup';
import type { ItemOperation } from '../operation';

/** An operation that changes the user's state with these calls and outputs the state CyberArk then reports. */
export function stateOperation(
	option: ItemOperation['option'],
	calls: (id: string) => ApiCall[],
): ItemOperation {
	return {
		option,
		description: [userLocator],
		options: RUN_OPTIONS,
		endpoints: [
			ENDPOINT.getUserByName,
			ENDPOINT.getUserAttributes,
			...calls('').map((call) => call.endpoint),
		],
		output: userStateSchema,
		async execute(this: IExecuteFunctions, client: CyberArkClient, i: number): Promise<IDataObject> {
			const id = await resolveUserId.call(this, client, i);
			for (const call of calls(id)) await client.request(call, i);
			const attributes = await getAttributes(client, id, i);
			return { id, state: stateName(attributes.State) };
		},
	};
}

/** An operation that makes the user a member of the role, or not; outputs `{id, roleId, member}`. */
export function membershipOperation(option: ItemOperation['option'], member: boolean): ItemOperation {
	return {
		option,
		description: [userLocator, roleLocator],
		options: RUN_OPTIONS,
		endpoints: [ENDPOINT.getUserByName, ENDPOINT.redrockQuery, membershipCall('', '', member).endpoint],
		output: membershipSchema,
		async execute(this: IExecuteFunctions, client: CyberArkClient, i: number): Promise<IDataObject> {
			const id = await resolveUserId.call(this, client, i);
			const roleId = await resolveRoleId.call(this, client, i);
			await setMembership(client, id, roleId, member, i);
			return { id, roleId, member };
		},
	};
}
