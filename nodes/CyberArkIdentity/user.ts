import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeParameterResourceLocator,
} from 'n8n-workflow';

import type { Handler } from './batch';
import { queryPage, queryRows, resultLimit, SEARCH_PAGE_SIZE, userQuery } from './query';
import { addRoles, resolveRoleId, roleList, setMembership } from './role';
import { CyberArkError, cyberArkRequest, toNodeError, UncertainOutcomeError } from './transport';
import { email, flag, InvalidInput, loginName, password, phone, text, uuid } from './validate';

/** Create User's inputs as the node reads them from its parameters. */
export interface CreateUserInput {
	userName: unknown;
	email: unknown;
	additionalFields: IDataObject;
}

export interface CreateUserRequest {
	/** Body of /CDirectoryService/CreateUser. */
	body: IDataObject;
	/** What the node outputs about the new user besides its ID: only what was set, never the password. */
	summary: IDataObject;
}

/** The Create User fields: node parameter name → CyberArk field, and how each is checked. */
const CREATE_FIELDS: Array<[string, string, (value: unknown, field: string) => unknown, string]> = [
	['displayName', 'DisplayName', (v, f) => text(v, f), 'Display Name'],
	['description', 'Description', (v, f) => text(v, f, 1024), 'Description'],
	['mobileNumber', 'MobileNumber', phone, 'Mobile Number'],
	['officeNumber', 'OfficeNumber', phone, 'Office Number'],
	['homeNumber', 'HomeNumber', phone, 'Home Number'],
	['reportsTo', 'ReportsTo', uuid, 'Reports To'],
	['forcePasswordChangeNext', 'ForcePasswordChangeNext', flag, 'Force Password Change at Next Login'],
	['passwordNeverExpire', 'PasswordNeverExpire', flag, 'Password Never Expires'],
	['sendEmailInvite', 'SendEmailInvite', flag, 'Send Email Invite'],
	['sendSmsInvite', 'SendSmsInvite', flag, 'Send SMS Invite'],
	['inEverybodyRole', 'InEverybodyRole', flag, 'In Everybody Role'],
	['serviceUser', 'ServiceUser', flag, 'Service User'],
];

/**
 * Checks Create User's inputs and builds the request. Only what the user set is sent, so
 * CyberArk's own defaults apply to the rest (invite by e-mail on, Everybody role on, ...).
 */
export function buildCreateUser(input: CreateUserInput): CreateUserRequest {
	const name = loginName(input.userName);
	const mail = email(input.email);
	const fields = input.additionalFields ?? {};
	const body: IDataObject = { Name: name };
	const summary: IDataObject = { userName: name };
	if (mail !== undefined) {
		body.Mail = mail;
		summary.email = mail;
	}
	for (const [param, field, check, label] of CREATE_FIELDS) {
		const value = check(fields[param], label);
		if (value === undefined) continue;
		body[field] = value as string | boolean;
		summary[param] = value as string | boolean;
	}
	const secret = password(fields.password);
	if (secret !== undefined) body.Password = secret;

	if (body.SendEmailInvite !== false && mail === undefined) {
		throw new InvalidInput(
			'Email is required while "Send Email Invite" is on',
			'CyberArk e-mails an invitation to every new user by default. Set Email, or add "Send Email Invite" under Additional Fields and turn it off.',
		);
	}
	if (body.SendSmsInvite === true && body.MobileNumber === undefined) {
		throw new InvalidInput('"Send SMS Invite" needs a Mobile Number', 'Add Mobile Number under Additional Fields, or turn "Send SMS Invite" off.');
	}
	if (body.ServiceUser === true && body.InEverybodyRole === true) {
		throw new InvalidInput(
			'A service user cannot be in the Everybody role',
			'CyberArk keeps service users out of the Everybody role. Turn off "In Everybody Role" or "Service User".',
		);
	}
	return { body, summary };
}

/** ChangeUser fields: node parameter name → CyberArk field, and how each is checked. */
const UPDATE_FIELDS: Array<[string, string, (value: unknown, field: string) => unknown, string]> = [
	['displayName', 'DisplayName', (v, f) => text(v, f), 'Display Name'],
	['email', 'Mail', (v, f) => email(v, f), 'Email'],
	['description', 'Description', (v, f) => text(v, f, 1024), 'Description'],
	['mobileNumber', 'MobileNumber', phone, 'Mobile Number'],
	['officeNumber', 'OfficeNumber', phone, 'Office Number'],
	['homeNumber', 'HomeNumber', phone, 'Home Number'],
	['reportsTo', 'ReportsTo', uuid, 'Reports To'],
	['passwordNeverExpire', 'PasswordNeverExpire', flag, 'Password Never Expires'],
	['forcePasswordChangeNext', 'ForcePasswordChangeNext', flag, 'Force Password Change at Next Login'],
];

/** Body of /CDirectoryService/ChangeUser for the fields given; throws when nothing would change. */
export function buildChangeUser(id: string, fields: IDataObject): IDataObject {
	const body: IDataObject = { ID: id };
	for (const [param, field, check, label] of UPDATE_FIELDS) {
		if (!(param in fields)) continue;
		const value = check(fields[param], label);
		if (value !== undefined) body[field] = value as string | boolean;
	}
	if (Object.keys(body).length === 1) {
		throw new InvalidInput('Nothing to update', 'Add at least one field under "Update Fields" with a value.');
	}
	return body;
}

/** The Create User fields that Update can also change, to apply on "On Existing User: Update". */
export function updatableFrom(summary: IDataObject): IDataObject {
	const fields: IDataObject = {};
	for (const [param] of UPDATE_FIELDS) if (summary[param] !== undefined) fields[param] = summary[param];
	return fields;
}

/** "/Date(1700000000000)/" → ISO 8601; anything else is passed through. */
export function cyberArkDate(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	const match = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(String(value));
	if (match) return new Date(Number(match[1])).toISOString();
	return String(value);
}

function bool(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
	return null;
}

const STATE_NAMES: Record<string, string> = { None: 'active', Locked: 'locked', Disabled: 'disabled', Expired: 'expired', Active: 'active' };

export function stateName(raw: unknown): string | null {
	if (typeof raw !== 'string' || !raw) return null;
	return STATE_NAMES[raw] ?? raw.toLowerCase();
}

/** A flat, readable user from CyberArk's raw record (GetUser, optionally merged with GetUserAttributes). */
export function simplifyUser(raw: IDataObject, attributes: IDataObject = {}): IDataObject {
	const user: IDataObject = {
		id: raw.Uuid ?? raw.ID ?? attributes.Uuid ?? null,
		userName: raw.Name ?? raw.Username ?? null,
		email: raw.Mail ?? raw.Email ?? null,
		displayName: raw.DisplayName ?? null,
		description: raw.Description ?? null,
		mobileNumber: raw.MobileNumber ?? null,
		officeNumber: raw.OfficeNumber ?? null,
		homeNumber: raw.HomeNumber ?? null,
		reportsTo: raw.ReportsTo ?? null,
		state: stateName(attributes.State ?? raw.State ?? raw.Status),
		passwordNeverExpire: bool(raw.PasswordNeverExpire),
		forcePasswordChangeNext: bool(raw.ForcePasswordChangeNext),
		serviceUser: bool(raw.ServiceUser),
		createdAt: cyberArkDate(attributes.CreateDate ?? raw.CreateDate),
		lastLoginAt: cyberArkDate(attributes.LastLogin ?? raw.LastLogin),
	};
	for (const key of Object.keys(user)) if (user[key] === null && !['state', 'email', 'displayName'].includes(key)) delete user[key];
	return user;
}


const PATH = {
	create: '/CDirectoryService/CreateUser',
	get: '/CDirectoryService/GetUser',
	getByName: '/CDirectoryService/GetUserByName',
	attributes: '/UserMgmt/GetUserAttributes',
	change: '/CDirectoryService/ChangeUser',
	delete: '/CDirectoryService/DeleteUser',
	setState: '/CDirectoryService/SetUserState',
	cloudLock: '/UserMgmt/SetCloudLock',
	reset: '/UserMgmt/ResetUserPassword',
};

/** The user with this login name, or undefined when CyberArk has none. */
export async function findUserByName(this: IExecuteFunctions, name: string, itemIndex: number): Promise<IDataObject | undefined> {
	try {
		return (await cyberArkRequest.call(this, { path: PATH.getByName, body: { username: name }, idempotent: true }, itemIndex)) as IDataObject;
	} catch (error) {
		if (error instanceof CyberArkError) return undefined;
		throw toNodeError(this.getNode(), error, itemIndex);
	}
}

/** The UUID of the user the `userId` resource locator points at (looked up when given by login name). */
export async function resolveUserId(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	const locator = this.getNodeParameter('userId', itemIndex) as INodeParameterResourceLocator | string;
	const { mode, value } = typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator };
	if (mode === 'userName') {
		const name = loginName(value, 'User');
		const user = await findUserByName.call(this, name, itemIndex);
		if (!user) {
			throw new InvalidInput(`No user with the login name "${name}" exists in the tenant`, 'Check the login name (name@suffix), or pick the user from the list.');
		}
		return user.Uuid as string;
	}
	const id = uuid(value, 'User ID');
	if (id === undefined) throw new InvalidInput('No user is selected', 'Pick a user from the list, or give a login name or a user ID.');
	return id;
}

async function getUserById(this: IExecuteFunctions, id: string, itemIndex: number): Promise<IDataObject> {
	return (await cyberArkRequest.call(this, { path: PATH.get, body: { ID: id }, idempotent: true }, itemIndex)) as IDataObject;
}

async function getAttributes(this: IExecuteFunctions, id: string, itemIndex: number): Promise<IDataObject> {
	return ((await cyberArkRequest.call(this, { path: PATH.attributes, body: { ID: id }, idempotent: true }, itemIndex)) ?? {}) as IDataObject;
}

/** The user as the read operations output it: simplified, or CyberArk's raw record. */
async function readUser(this: IExecuteFunctions, id: string, itemIndex: number, simplify: boolean): Promise<IDataObject> {
	const user = await getUserById.call(this, id, itemIndex);
	if (!simplify) return user;
	return simplifyUser(user, await getAttributes.call(this, id, itemIndex));
}

async function create(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const additionalFields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const { body, summary } = buildCreateUser({
		userName: this.getNodeParameter('userName', i),
		email: this.getNodeParameter('email', i, ''),
		additionalFields,
	});
	const roles = roleList(additionalFields.roles);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const onExisting = (options.onExisting as string | undefined) ?? 'error';
	let result: IDataObject;
	try {
		const id = await cyberArkRequest.call(this, { path: PATH.create, body, idempotent: false, secrets: [body.Password as string] }, i);
		result = { id: id as string, ...summary, created: true };
	} catch (error) {
		// A lost answer: the user may exist now. A refusal: the user may have existed before.
		const lostAnswer = error instanceof UncertainOutcomeError;
		const refused = error instanceof CyberArkError && onExisting !== 'error';
		if (!lostAnswer && !refused) throw toNodeError(this.getNode(), error, i);
		const existing = await findUserByName.call(this, body.Name as string, i);
		if (!existing) throw toNodeError(this.getNode(), error, i);
		if (lostAnswer) {
			result = { id: existing.Uuid as string, ...summary, created: true };
		} else if (onExisting === 'returnExisting') {
			return { ...simplifyUser(existing), created: false };
		} else {
			const fields = updatableFrom(summary);
			if (Object.keys(fields).length > 0) {
				await cyberArkRequest.call(this, { path: PATH.change, body: buildChangeUser(existing.Uuid as string, fields), idempotent: true }, i);
			}
			result = { ...simplifyUser(await getUserById.call(this, existing.Uuid as string, i)), created: false, updated: true };
		}
	}
	if (roles.length > 0) result.roles = await addRoles.call(this, result.id as string, roles, i);
	return result;
}

async function get(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = await resolveUserId.call(this, i);
	return await readUser.call(this, id, i, this.getNodeParameter('simplify', i, true) as boolean);
}

async function getAll(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const rows = await queryRows.call(this, userQuery(filters), resultLimit.call(this, i), i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	return simplify ? rows.map((row) => simplifyUser(row)) : rows;
}

async function update(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = await resolveUserId.call(this, i);
	const body = buildChangeUser(id, this.getNodeParameter('updateFields', i, {}) as IDataObject);
	await cyberArkRequest.call(this, { path: PATH.change, body, idempotent: true }, i);
	return await readUser.call(this, id, i, true);
}

async function remove(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = await resolveUserId.call(this, i);
	await cyberArkRequest.call(this, { path: PATH.delete, body: { ID: id }, idempotent: false }, i);
	return { deleted: true, id };
}

/** Changes the user's state, then reads back the state CyberArk reports. */
function stateChange(calls: (id: string) => Array<{ path: string; body?: IDataObject; qs?: IDataObject }>): Handler {
	return async function (this: IExecuteFunctions, i: number) {
		const id = await resolveUserId.call(this, i);
		for (const call of calls(id)) await cyberArkRequest.call(this, { ...call, idempotent: true }, i);
		const attributes = await getAttributes.call(this, id, i);
		return { id, state: stateName(attributes.State) };
	};
}

const lock = stateChange((id) => [{ path: PATH.cloudLock, qs: { user: id, lockuser: 'true' } }]);
const unlock = stateChange((id) => [
	{ path: PATH.cloudLock, qs: { user: id, lockuser: 'false' } },
	{ path: PATH.setState, body: { ID: id, state: 'None' } },
]);
const disable = stateChange((id) => [{ path: PATH.setState, body: { ID: id, state: 'Disabled' } }]);
const enable = stateChange((id) => [{ path: PATH.setState, body: { ID: id, state: 'None' } }]);

async function resetPassword(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = await resolveUserId.call(this, i);
	const newPassword = password(this.getNodeParameter('newPassword', i, ''), 'New Password');
	if (newPassword === undefined) throw new InvalidInput('New Password is empty', "Set New Password to a password that meets the tenant's password policy.");
	await cyberArkRequest.call(this, { path: PATH.reset, body: { ID: id, newPassword }, idempotent: true, secrets: [newPassword] }, i);
	return { id, passwordReset: true };
}

function membership(member: boolean): Handler {
	return async function (this: IExecuteFunctions, i: number) {
		const id = await resolveUserId.call(this, i);
		const roleId = await resolveRoleId.call(this, i);
		await setMembership.call(this, id, roleId, member, i);
		return { id, roleId, member };
	};
}

export const userHandlers: Record<string, Handler> = {
	create,
	get,
	getAll,
	update,
	delete: remove,
	lock,
	unlock,
	disable,
	enable,
	resetPassword,
	addToRole: membership(true),
	removeFromRole: membership(false),
};

/** Users for the "From list" mode of the user locator, searched by login name, display name or e-mail. */
export async function searchUsers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) || 1;
	const { rows, fullCount } = await queryPage.call(this, userQuery(filter ? { search: filter } : {}), page, SEARCH_PAGE_SIZE);
	return {
		results: rows.map((row) => ({
			name: row.DisplayName ? `${row.DisplayName as string} (${row.Username as string})` : (row.Username as string),
			value: row.ID as string,
		})),
		paginationToken: page * SEARCH_PAGE_SIZE < fullCount ? String(page + 1) : undefined,
	};
}
