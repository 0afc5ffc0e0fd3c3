// The shapes most user operations share: act on the user the User picker points at (userOperation),
// change its state with some calls (Lock, Unlock, Disable, Enable), or its role membership.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ApiCall, Endpoint } from '../../../shared/endpoints';
import { ENDPOINT } from '../../../shared/endpoints';
import { userState } from '../../../shared/readers';
import type { CyberArkClient } from '../../../shared/transport/client';
import { roleLocator, userLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import { resolveRoleId } from '../../roles/directory';
import { membershipCall, setMembership } from '../../roles/membership';
import { membershipSchema, userStateSchema } from '../../schemas/user';
import { stateName } from '../../users/fields';
import { getAttributes, resolveUserId } from '../../users/lookup';
import type { ItemOperation } from '../operation';

/**
 * An operation on the user the User picker points at (by login name, ID or from the list): the picker
 * first, then its own parameters; `run` gets the user's ID.
 */
export function userOperation(spec: {
	option: ItemOperation['option'];
	parameters?: INodeProperties[];
	/** The endpoints `run` calls (finding the user by login name, and confirming a not-found, are added). */
	endpoints: readonly Endpoint[];
	output: ItemOperation['output'];
	run(this: IExecuteFunctions, client: CyberArkClient, id: string, itemIndex: number): Promise<IDataObject>;
}): ItemOperation {
	return {
		option: spec.option,
		description: [userLocator, ...(spec.parameters ?? [])],
		options: RUN_OPTIONS,
		endpoints: [ENDPOINT.getUserByName, ENDPOINT.redrockQuery, ...spec.endpoints],
		output: spec.output,
		async execute(this: IExecuteFunctions, client: CyberArkClient, i: number): Promise<IDataObject> {
			return await spec.run.call(this, client, await resolveUserId.call(this, client, i), i);
		},
	};
}

/** An operation that changes the user's state with these calls and outputs the state CyberArk then reports. */
export function stateOperation(
	option: ItemOperation['option'],
	calls: (id: string) => ApiCall[],
): ItemOperation {
	return userOperation({
		option,
		endpoints: [...calls('').map((call) => call.endpoint), ENDPOINT.getUserAttributes],
		output: userStateSchema,
		async run(client, id, i) {
			for (const call of calls(id)) await client.request(call, i);
			const attributes = await getAttributes(client, id, i);
			return { id, state: stateName(userState(attributes)) };
		},
	});
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
