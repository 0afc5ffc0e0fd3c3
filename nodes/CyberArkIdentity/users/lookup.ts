// Finding the user an item is about, and reading it back.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { PATH } from '../../shared/endpoints';
import type { ApiCall, CyberArkClient } from '../../shared/transport/client';
import { CyberArkError, InvalidInput } from '../../shared/transport/errors';
import { simplifyUser, stateName } from './fields';
import type { Operation } from '../descriptions/common';
import { locatorValue, roleLocator, userLocator } from '../descriptions/common';
import { resolveRoleId, setMembership } from '../roles/lookup';
import { loginName, UUID, uuid } from '../../shared/validate';

export { PATH };

/** The user with this login name, or undefined when CyberArk has none. */
export async function findUserByName(
	client: CyberArkClient,
	name: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	try {
		return (await client.request(
			{ path: PATH.getByName, body: { username: name }, idempotent: true },
			itemIndex,
		)) as IDataObject;
	} catch (error) {
		if (error instanceof CyberArkError) return undefined;
		throw client.nodeError(error, itemIndex);
	}
}

/** The UUID of the user the `userId` resource locator points at (looked up when given by login name). */
export async function resolveUserId(
	this: IExecuteFunctions,
	client: CyberArkClient,
	itemIndex: number,
): Promise<string> {
	const { mode, value } = locatorValue(this, 'userId', itemIndex);
	if (mode === 'userName') {
		if (typeof value === 'string' && UUID.test(value.trim())) {
			throw new InvalidInput(
				`"${value.trim()}" looks like a user ID, not a login name`,
				'Switch User to "By ID" for this value, or give the login name (name@suffix).',
			);
		}
		const name = loginName(value, 'User');
		const user = await findUserByName(client, name, itemIndex);
		if (!user) {
			throw new InvalidInput(
				`No user with the login name "${name}" exists in the tenant`,
				'Check the login name (name@suffix), or pick the user from the list.',
			);
		}
		return user.Uuid as string;
	}
	const id = uuid(value, 'User ID');
	if (id === undefined)
		throw new InvalidInput(
			'No user is selected',
			'Pick a user from the list, or give a login name or a user ID.',
		);
	return id;
}

export async function getUserById(
	client: CyberArkClient,
	id: string,
	itemIndex: number,
): Promise<IDataObject> {
	return (await client.request(
		{ path: PATH.get, body: { ID: id }, idempotent: true },
		itemIndex,
	)) as IDataObject;
}

export async function getAttributes(
	client: CyberArkClient,
	id: string,
	itemIndex: number,
): Promise<IDataObject> {
	return ((await client.request({ path: PATH.attributes, body: { ID: id }, idempotent: true }, itemIndex)) ??
		{}) as IDataObject;
}

/** The user as the read operations output it: simplified, or CyberArk's raw record. */
export async function readUser(
	client: CyberArkClient,
	id: string,
	itemIndex: number,
	simplify: boolean,
): Promise<IDataObject> {
	const user = await getUserById(client, id, itemIndex);
	if (!simplify) return user;
	return simplifyUser(user, await getAttributes(client, id, itemIndex));
}

/** An operation that changes the user's state with these calls and outputs the state CyberArk then reports. */
export function stateOperation(
	option: Operation['option'],
	calls: (id: string) => Array<Omit<ApiCall, 'idempotent'>>,
): Operation {
	return {
		option,
		description: [userLocator],
		async execute(this: IExecuteFunctions, client: CyberArkClient, i: number): Promise<IDataObject> {
			return await changeState.call(this, client, i, calls);
		},
	};
}

/** An operation that makes the user a member of the role, or not; outputs `{id, roleId, member}`. */
export function membershipOperation(option: Operation['option'], member: boolean): Operation {
	return {
		option,
		description: [userLocator, roleLocator],
		async execute(this: IExecuteFunctions, client: CyberArkClient, i: number): Promise<IDataObject> {
			const id = await resolveUserId.call(this, client, i);
			const roleId = await resolveRoleId.call(this, client, i);
			await setMembership(client, id, roleId, member, i);
			return { id, roleId, member };
		},
	};
}

/** Changes the user's state with the given calls, then reads back the state CyberArk reports. */
export async function changeState(
	this: IExecuteFunctions,
	client: CyberArkClient,
	itemIndex: number,
	calls: (id: string) => Array<Omit<ApiCall, 'idempotent'>>,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, itemIndex);
	for (const call of calls(id)) await client.request({ ...call, idempotent: true }, itemIndex);
	const attributes = await getAttributes(client, id, itemIndex);
	return { id, state: stateName(attributes.State) };
}
