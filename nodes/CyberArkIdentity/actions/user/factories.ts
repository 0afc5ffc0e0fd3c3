// The shapes most user operations share: act on the user the User picker points at (userOperation),
// change its state with some calls (Lock, Unlock, Disable, Enable), or its role membership over the
// whole input (Add to Role, Remove From Role).
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Settled } from '../../../shared/concurrency';
import { mapConcurrent } from '../../../shared/concurrency';
import type { ApiCall, Endpoint } from '../../../shared/endpoints';
import { ENDPOINT } from '../../../shared/endpoints';
import { userState } from '../../../shared/readers';
import type { CyberArkClient } from '../../../shared/transport/client';
import { roleLocator, userLocator } from '../../descriptions/locators';
import { concurrencyOf, RUN_OPTIONS } from '../../descriptions/options';
import type { MembershipChange } from '../../roles/bulkMembership';
import { applyMembershipChanges } from '../../roles/bulkMembership';
import { resolveRoleId, RoleDirectory, roleFields } from '../../roles/directory';
import { membershipSchema, signedOutStateSchema, userStateSchema } from '../../schemas/user';
import { stateName } from '../../users/simplify';
import { getAttributes, resolveUserId } from '../../users/lookup';
import { signOutCall, signOutOption, signsOut } from '../../users/signOut';
import { dryRunItem } from '../dryRun';
import type { ItemOperation, RunOperation } from '../operation';
import { inputKey, settledItems } from '../router';

/**
 * An operation on the user the User picker points at (by login name, ID or from the list): the picker
 * first, then its own parameters; `run` gets the user's ID.
 */
export function userOperation(spec: {
	option: ItemOperation['option'];
	parameters?: INodeProperties[];
	/** Entries of its Options collection besides the run's. */
	options?: INodeProperties[];
	/** The endpoints `run` calls (finding the user by login name, and confirming a not-found, are added). */
	endpoints: readonly Endpoint[];
	output: ItemOperation['output'];
	run(this: IExecuteFunctions, client: CyberArkClient, id: string, itemIndex: number): Promise<IDataObject>;
}): ItemOperation {
	return {
		option: spec.option,
		description: [userLocator, ...(spec.parameters ?? [])],
		options: [...RUN_OPTIONS, ...(spec.options ?? [])],
		endpoints: [ENDPOINT.getUserByName, ENDPOINT.redrockQuery, ...spec.endpoints],
		output: spec.output,
		async execute(this: IExecuteFunctions, client: CyberArkClient, i: number): Promise<IDataObject> {
			return await spec.run.call(this, client, await resolveUserId.call(this, client, i), i);
		},
	};
}

/**
 * An operation that changes the user's state with these calls and outputs the state CyberArk then
 * reports. One that takes access away (`takesAway`: the state reached, e.g. "disabled") then signs the
 * user out everywhere unless its Sign Out Everywhere option is off: a state change alone leaves the
 * user the sessions they have.
 */
export function stateOperation(
	option: ItemOperation['option'],
	calls: (id: string) => ApiCall[],
	takesAway?: string,
): ItemOperation {
	return userOperation({
		option,
		options: takesAway ? [signOutOption] : [],
		endpoints: [
			...calls('').map((call) => call.endpoint),
			ENDPOINT.getUserAttributes,
			...(takesAway ? [ENDPOINT.signOutEverywhere] : []),
		],
		output: takesAway ? signedOutStateSchema : userStateSchema,
		async run(client, id, i) {
			// Read before any write: an option that cannot be read stops the item.
			const signOut = takesAway !== undefined && signsOut(this, i);
			for (const call of calls(id)) await client.request(call, i);
			// After the state change, so that no new session can start in between.
			if (signOut) {
				try {
					await client.request(signOutCall(id), i);
				} catch (error) {
					const failure = client.nodeError(error, i);
					failure.message = `The user ${id} is ${takesAway}, but signing them out everywhere failed: ${failure.message}`;
					throw failure;
				}
			}
			const attributes = await getAttributes(client, id, i);
			const result: IDataObject = { id, state: stateName(userState(attributes)) };
			if (takesAway) result.signedOut = signOut;
			return result;
		},
	});
}

/**
 * An operation that makes each item's user a member of its role, or not; outputs `{id, roleId,
 * roleName, member}` per item. It runs over the whole input: every item's user and role are resolved first (a bad item
 * fails before anything is sent, unless Continue On Fail), then the changes go out in batches per role.
 */
export function membershipOperation(
	option: RunOperation['option'],
	member: boolean,
	action: string,
): RunOperation {
	return {
		option,
		description: [userLocator, roleLocator],
		options: RUN_OPTIONS,
		endpoints: [ENDPOINT.getUserByName, ENDPOINT.redrockQuery, ENDPOINT.updateRole],
		output: membershipSchema,
		async executeAll(
			this: IExecuteFunctions,
			client: CyberArkClient,
			items: INodeExecutionData[],
		): Promise<INodeExecutionData[]> {
			const concurrency = concurrencyOf(this.getNodeParameter('options', 0, {}) as IDataObject);
			const resolved = await mapConcurrent(
				items.length,
				concurrency,
				async (i): Promise<MembershipChange> => {
					const userId = await resolveUserId.call(this, client, i);
					return { userId, roleId: await resolveRoleId.call(this, client, i), member, itemIndex: i };
				},
				!this.continueOnFail(),
			);
			const changes = resolved.flatMap((r) => (r?.ok ? [r.value] : []));
			const stopped = changes.length < items.length && !this.continueOnFail();
			const applied = stopped ? [] : await applyMembershipChanges(client, changes, concurrency);
			const roles = applied.length > 0 ? await RoleDirectory.of(client) : undefined;
			const settled = resolved.map((r): Settled<IDataObject> | undefined => (r && !r.ok ? r : undefined));
			applied.forEach((outcome, n) => {
				const { userId: id, roleId, itemIndex } = changes[n];
				const result = { id, ...roleFields(roles!.named(roleId)), member };
				settled[itemIndex] = outcome.ok
					? { ok: true, value: client.dryRun ? dryRunItem(client, action, result, itemIndex) : result }
					: outcome;
			});
			return settledItems(this, settled, (i) => inputKey(this, i));
		},
	};
}
