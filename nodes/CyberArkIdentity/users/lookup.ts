// Finding the user an item is about, and reading it back.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ENDPOINT } from '../../shared/endpoints';
import { queryPage, sqlString } from '../../shared/redrock';
import { userId } from '../../shared/readers';
import type { CyberArkClient } from '../../shared/transport/client';
import { CyberArkError, InvalidInput } from '../../shared/transport/errors';
import { loginName, UUID, uuid } from '../../shared/validate';
import { locatorValue } from '../descriptions/locators';
import { simplifyUser } from './simplify';

/**
 * The user with this login name, or undefined when CyberArk has none. GetUserByName answers
 * success:false both for an unknown name and for anything else (a missing right, a locked directory)
 * with wording that is not documented; a Redrock query for the name, zero rows for an unknown one (how
 * CyberArk's own SDK looks a user up by name), tells them apart. Any other refusal surfaces as it is.
 * An operation that calls this declares both endpoints.
 */
export async function findUserByName(
	client: CyberArkClient,
	name: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	try {
		return (await client.request(
			{ endpoint: ENDPOINT.getUserByName, body: { username: name } },
			itemIndex,
		)) as IDataObject;
	} catch (error) {
		if (error instanceof CyberArkError && !(await nameExists(client, name, itemIndex))) return undefined;
		throw client.nodeError(error, itemIndex);
	}
}

/** Whether a user with this login name exists, by a query whose "no" is unambiguous: zero rows. */
async function nameExists(client: CyberArkClient, name: string, itemIndex: number): Promise<boolean> {
	const script = `Select ID from User WHERE Username = ${sqlString(name, 'Login Name')}`;
	try {
		return (await queryPage(client, script, 1, 1, itemIndex)).rows.length > 0;
	} catch {
		// The query failed too: keep the lookup's own refusal rather than claim the user is missing.
		return true;
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
		return userId(user, ENDPOINT.getUserByName.path);
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
	return (await client.request({ endpoint: ENDPOINT.getUser, body: { ID: id } }, itemIndex)) as IDataObject;
}

export async function getAttributes(
	client: CyberArkClient,
	id: string,
	itemIndex: number,
): Promise<IDataObject> {
	return ((await client.request({ endpoint: ENDPOINT.getUserAttributes, body: { ID: id } }, itemIndex)) ??
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
