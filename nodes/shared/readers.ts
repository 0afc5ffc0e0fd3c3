// Reading CyberArk's answers. Each reader accepts every form a public client shows for its field
// (docs/cyberark-api.md names them, test/contract/ records them) and, when a field the node needs is
// in none of them, throws an error naming the endpoint and the field: never `undefined`, never a plan
// built on a guess.
import type { IDataObject } from 'n8n-workflow';

import { ENDPOINT as ENDPOINTS } from './endpoints';
import { InvalidInput } from './transport/errors';

/** The paths the readers name in their errors. */
const ENDPOINT = {
	whoami: ENDPOINTS.whoami.path,
	createUser: ENDPOINTS.createUser.path,
	getUserByName: ENDPOINTS.getUserByName.path,
	userAttributes: ENDPOINTS.getUserAttributes.path,
	userRoles: ENDPOINTS.getUserRoles.path,
	roleMembers: ENDPOINTS.getRoleMembers.path,
	redrock: ENDPOINTS.redrockQuery.path,
};

/**
 * The keys of a user's record as GetUserAttributes answers it in the one recorded answer (marcozj
 * golang-sdk, platform/centrify_user.go), plus PasswordNeverExpire, which that SDK decodes from it.
 * GetUser and GetUserByName are read as the same record. No source shows LastLogin or ServiceUser there.
 */
export const USER_RECORD_KEYS = [
	'Uuid',
	'Name',
	'Mail',
	'DisplayName',
	'Description',
	'OfficeNumber',
	'HomeNumber',
	'MobileNumber',
	'ReportsTo',
	'PictureUri',
	'State',
	'CloudState',
	'SubjectToCloudLocks',
	'InEverybodyRole',
	'OauthClient',
	'ForcePasswordChangeNext',
	'PasswordNeverExpire',
	'CreateDate',
	'LastPasswordChangeDate',
	'directoryServiceUuid',
	'Alias',
	'CmaRedirectedUser',
	'CmaRedirectedUserUuid',
	'PreferredCulture',
	'Version',
];

export const SMOKE_HINT =
	'The node reads the answer forms public CyberArk clients show (docs/cyberark-api.md). Run "npm run smoke" with this tenant\'s CYBERARK_* settings and report the lines it marks "not held".';

/** CyberArk answered in a form no public source shows: the node stops rather than guess. */
export class UnexpectedAnswer extends InvalidInput {
	constructor(
		readonly endpoint: string,
		readonly field: string,
		found?: unknown,
	) {
		super(`CyberArk's answer to ${endpoint} has no ${field}${keysOf(found)}`, SMOKE_HINT);
		this.name = 'UnexpectedAnswer';
	}
}

/** The keys (never the values: they may be personal data) of what came back, for the error. */
function keysOf(found: unknown): string {
	if (!isRecord(found))
		return found === undefined ? '' : ` (it answered ${found === null ? 'null' : typeof found})`;
	const keys = Object.keys(found);
	return ` (it answered with ${keys.length ? keys.slice(0, 12).join(', ') : 'an empty object'})`;
}

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first of `keys` holding a non-empty string. */
function firstText(source: unknown, keys: string[]): string | undefined {
	if (!isRecord(source)) return undefined;
	for (const key of keys) {
		const value = source[key];
		if (typeof value === 'string' && value.trim() !== '') return value;
	}
	return undefined;
}

function requiredText(source: unknown, keys: string[], endpoint: string, field: string): string {
	const value = firstText(source, keys);
	if (value === undefined) throw new UnexpectedAnswer(endpoint, field, source);
	return value;
}

interface ResultItem {
	entities: IDataObject[];
	row: IDataObject | undefined;
}

/** `Result.Results[]` of a list answer (Redrock, GetRoleMembers, a user's roles), each item's Entities and Row. */
function resultItems(result: unknown, endpoint: string): ResultItem[] {
	const list = isRecord(result) ? result.Results : undefined;
	if (!Array.isArray(list)) throw new UnexpectedAnswer(endpoint, 'Results list', result);
	return list.map((item) => {
		const entry = isRecord(item) ? item : {};
		const entities = Array.isArray(entry.Entities) ? entry.Entities.filter(isRecord) : [];
		return { entities, row: isRecord(entry.Row) ? entry.Row : undefined };
	});
}

/** One page of a Redrock answer: its rows, and FullCount when the tenant says it. */
export function redrockPage(result: unknown): { rows: IDataObject[]; fullCount: number | undefined } {
	const rows = resultItems(result, ENDPOINT.redrock).map(({ row }) => {
		if (!row) throw new UnexpectedAnswer(ENDPOINT.redrock, 'Results[].Row', row);
		return row;
	});
	const fullCount = (result as IDataObject).FullCount;
	return { rows, fullCount: typeof fullCount === 'number' ? fullCount : undefined };
}

/** A row of Redrock's User table: its ID and login name. */
export function userRow(row: IDataObject): { id: string; userName: string } {
	return {
		id: requiredText(row, ['ID'], ENDPOINT.redrock, 'User.ID'),
		userName: requiredText(row, ['Username'], ENDPOINT.redrock, 'User.Username'),
	};
}

/** A row of Redrock's Role table. */
export function roleRow(row: IDataObject): { id: string; name: string; description: string | null } {
	return {
		id: requiredText(row, ['ID'], ENDPOINT.redrock, 'Role.ID'),
		name: requiredText(row, ['Name'], ENDPOINT.redrock, 'Role.Name'),
		description: typeof row.Description === 'string' ? row.Description : null,
	};
}

/**
 * The role of an entry in a user's roles (GetUsersRolesAndAdministrativeRights): the ID from
 * `Entities[].Key` (CyberArk's Privilege Cloud scripts), else `Row.ID`; the name from `Row.Name`
 * (HashiCorp's Vault plugin), else `Row.RoleName` (CyberArk's identity-sample-java).
 */
export function rolesOfUser(result: unknown): Array<{ id: string; name: string | null }> {
	return resultItems(result, ENDPOINT.userRoles).map(({ entities, row }) => {
		const entity = entities.find((e) => String(e.Type ?? '').toLowerCase() === 'role') ?? entities[0];
		const id = firstText(entity, ['Key']) ?? firstText(row, ['ID']);
		if (id === undefined)
			throw new UnexpectedAnswer(ENDPOINT.userRoles, 'role ID (Results[].Entities[].Key or Row.ID)', row);
		return { id, name: firstText(row, ['Name', 'RoleName']) ?? null };
	});
}

export type MemberType = 'User' | 'Group' | 'Role';
const MEMBER_TYPES: MemberType[] = ['User', 'Group', 'Role'];

/**
 * The members of a role (GetRoleMembers): `Row.Guid` (every SDK), else the entity's Key; `Row.Name`;
 * `Row.Type` (User, Group or Role, in any case). A member of no known type stops the read: treating
 * it as a user could deprovision a group.
 */
export function roleMembers(result: unknown): Array<{ id: string; name: string | null; type: MemberType }> {
	return resultItems(result, ENDPOINT.roleMembers).map(({ entities, row }) => {
		const id = firstText(row, ['Guid']) ?? firstText(entities[0], ['Key']);
		if (id === undefined)
			throw new UnexpectedAnswer(ENDPOINT.roleMembers, 'member ID (Row.Guid or Entities[].Key)', row);
		const given = firstText(row, ['Type'])?.toLowerCase();
		const type = MEMBER_TYPES.find((t) => t.toLowerCase() === given);
		if (type === undefined)
			throw new UnexpectedAnswer(ENDPOINT.roleMembers, 'member type (Row.Type: User, Group or Role)', row);
		return { id, name: firstText(row, ['Name']) ?? null, type };
	});
}

/** A user's ID in a user record (GetUser, GetUserByName, GetUserAttributes: `Uuid`; a Redrock row: `ID`). */
export function userId(record: unknown, endpoint: string): string {
	return requiredText(record, ['Uuid', 'ID'], endpoint, 'user ID (Uuid)');
}

/** CreateUser's Result: the new user's ID. */
export function createdUserId(result: unknown): string {
	if (typeof result === 'string' && result.trim() !== '') return result;
	throw new UnexpectedAnswer(ENDPOINT.createUser, "new user's ID (Result)", result);
}

/** The states SetUserState takes and GetUserAttributes answers. */
const STATES = ['None', 'Disabled', 'Locked', 'Expired'] as const;
export type StateName = (typeof STATES)[number];

/**
 * A State value: one state name, or several separated by commas, as a combination of flags would be
 * written ("Disabled, Locked"; unconfirmed). Disabled wins over the others, and any other over None.
 * Undefined when any part is not a state name: an unknown state is never a reason to write.
 */
export function stateOf(value: unknown): StateName | undefined {
	if (typeof value !== 'string') return undefined;
	const parts = value
		.split(',')
		.map((part) => STATES.find((s) => s.toLowerCase() === part.trim().toLowerCase()));
	if (parts.some((part) => part === undefined)) return undefined;
	if (parts.includes('Disabled')) return 'Disabled';
	return parts.find((part) => part !== 'None') ?? 'None';
}

/** A State or CloudState that is none of the known states: the node stops rather than guess. */
function knownState(value: string, field: string): StateName {
	const state = stateOf(value);
	if (state !== undefined) return state;
	throw new UnexpectedAnswer(
		ENDPOINT.userAttributes,
		`known ${field} (None, Locked, Disabled or Expired; it said "${value.slice(0, 40)}")`,
	);
}

/**
 * A user's state from GetUserAttributes: `State` (None, Locked, Disabled, Expired). A cloud lock may
 * show in `CloudState` while `State` stays None (marcozj golang-sdk's recorded answer has both).
 */
export function userState(attributes: unknown): StateName {
	const state = knownState(requiredText(attributes, ['State'], ENDPOINT.userAttributes, 'State'), 'State');
	const cloud = firstText(attributes, ['CloudState']);
	if (state === 'None' && cloud !== undefined) return knownState(cloud, 'CloudState');
	return state;
}

/** Redrock User.Status values that say the user is not disabled (CyberArk's data dictionary lists them). */
const NOT_DISABLED = ['active', 'invited', 'created', 'not invited'];

/**
 * The state Redrock's User.Status suggests, or undefined when only GetUserAttributes can tell: the
 * data dictionary lists Created, Invited, Active and Suspended, and no public source shows what a
 * disabled, locked or expired user's Status reads. Never the ground for disabling or deleting anyone.
 */
export function rosterState(row: IDataObject): StateName | undefined {
	const status = firstText(row, ['Status']);
	if (status === undefined) return undefined;
	if (NOT_DISABLED.includes(status.toLowerCase())) return 'None';
	return stateOf(status);
}

/** The caller of /Security/whoami: login name and ID. */
export function whoami(result: unknown): { user: string; userUuid: string } {
	return {
		user: requiredText(result, ['User'], ENDPOINT.whoami, 'User'),
		userUuid: requiredText(result, ['UserUuid'], ENDPOINT.whoami, 'UserUuid'),
	};
}
