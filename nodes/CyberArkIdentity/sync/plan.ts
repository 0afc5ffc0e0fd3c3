// The diff planner of Create or Update: a pure function from what CyberArk holds (a user's record,
// state and role memberships) and what HR says (one row, its roles) to the changes to send. It reads
// the same table of user fields as Create and Update (fields.ts), and sends nothing itself.
import type { IDataObject } from 'n8n-workflow';

import type { ApiCall } from '../../shared/endpoints';
import { ENDPOINT } from '../../shared/endpoints';

import { MASK } from '../../shared/transport/dryRun';
import type { MembershipChange } from '../roles/bulkMembership';
import { signOutCall } from '../users/signOut';
import type { UserField } from '../users/fields';
import { UPDATABLE_FIELDS, USER_FIELDS } from '../users/fields';
import { buildCreateUser, checkedFields } from '../users/requests';
import { recordValue, stateName } from '../users/simplify';
import { loginName, requiredFlag } from '../../shared/validate';

type Value = string | boolean;

export type SyncAction = 'created' | 'updated' | 'unchanged' | 'disabled' | 'enabled' | 'skipped';

export type MatchBy = 'userName' | 'email';

/** One HR row, checked: what the person's account must look like. */
export interface HrRow {
	userName: string;
	/** Profile fields the row sets (parameter name → value); absent or empty fields are left alone. */
	values: Record<string, Value>;
	/** The HR status: false disables the user, true enables a disabled one. Never guessed. */
	active: boolean;
	/** IDs of the roles the person must be in. */
	roles: string[];
}

/** A user as CyberArk holds it, as far as the planner needs it. */
export interface CurrentUser {
	id: string;
	userName: string;
	/** CyberArk's record: GetUser fields, or the columns of a Redrock User row (which say Email for Mail). */
	record: IDataObject;
	/** CyberArk's state: None/Active, Disabled, Locked, Expired (any spelling `stateName` reads). */
	state: unknown;
	/** IDs of the roles the user is in, among the roles the run looked at. */
	roles: string[];
}

/** The roles a sync owns: removed from users when their row does not list them. */
export interface RoleScope {
	managed: string[];
	/** Every synced user is put in it. */
	scope?: string;
}

export interface Change {
	from: Value | null;
	to: Value;
}

export interface Plan {
	action: SyncAction;
	/** CreateUser's body, for a joiner. */
	create?: IDataObject;
	/** Values CreateUser's body carries that must never be echoed. */
	secrets: string[];
	/** ChangeUser's fields (without ID): the changed fields only. */
	change?: IDataObject;
	/** SetUserState's state. */
	state?: 'Disabled' | 'None';
	/** `{field: {from, to}}` for exactly the fields sent; secrets masked. */
	changes: Record<string, Change>;
	rolesAdded: string[];
	rolesRemoved: string[];
}

/** Checks one HR row's inputs (role references are resolved by the caller). */
export function checkRow(input: {
	userName: unknown;
	email: unknown;
	active: unknown;
	additionalFields: IDataObject;
}): Omit<HrRow, 'roles'> {
	const userName = loginName(input.userName);
	const fields: IDataObject = { ...input.additionalFields, email: input.email as IDataObject[string] };
	delete fields.roles;
	const values = checkedFields(USER_FIELDS, fields);
	return { userName, values, active: requiredFlag(input.active, 'Active') };
}

/** Values CyberArk treats as the same: login names, e-mail addresses and user IDs ignore case. */
function same(field: Pick<UserField, 'param'> | undefined, current: Value | null, wanted: Value): boolean {
	if (current === null) return false;
	if (typeof wanted === 'boolean' || typeof current === 'boolean') return current === wanted;
	if (!field || ['email', 'reportsTo'].includes(field.param))
		return current.toLowerCase() === wanted.toLowerCase();
	return current === wanted;
}

function hasField(field: UserField, record: IDataObject): boolean {
	return [field.cyberArk, ...(field.aliases ?? [])].some((key) => key in record);
}

/** The record fields a row needs to be diffed against, that `record` lacks (the caller reads the full user). */
export function missingFields(values: Record<string, Value>, record: IDataObject): string[] {
	return UPDATABLE_FIELDS.filter((f) => values[f.param] !== undefined && !hasField(f, record)).map(
		(f) => f.cyberArk,
	);
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}

/**
 * What to do for one HR row: create the person, change only the fields that differ (the login name
 * too, when the row found its user by e-mail), disable a leaver, enable a rehire, add the roles they
 * lack and remove the managed roles they should not have. `keepAccess` plans nothing that takes access
 * away (for a joiner found to exist only when it was created: the run's budget did not count it).
 */
export function planUser(
	row: HrRow,
	current: CurrentUser | undefined,
	roles: RoleScope,
	keepAccess = false,
): Plan {
	const wantedRoles = unique([...row.roles, ...(roles.scope ? [roles.scope] : [])]);
	if (!current) {
		if (!row.active) return { action: 'skipped', secrets: [], changes: {}, rolesAdded: [], rolesRemoved: [] };
		const { body, secrets } = buildCreateUser({
			userName: row.userName,
			email: row.values.email,
			additionalFields: row.values,
		});
		const changes: Record<string, Change> = { userName: { from: null, to: row.userName } };
		for (const field of USER_FIELDS) {
			const value = row.values[field.param];
			if (value !== undefined) changes[field.param] = { from: null, to: field.secret ? MASK : value };
		}
		return { action: 'created', create: body, secrets, changes, rolesAdded: wantedRoles, rolesRemoved: [] };
	}

	const change: IDataObject = {};
	const changes: Record<string, Change> = {};
	if (!same(undefined, current.userName, row.userName)) {
		change.Name = row.userName;
		changes.userName = { from: current.userName, to: row.userName };
	}
	for (const field of UPDATABLE_FIELDS) {
		const wanted = row.values[field.param];
		if (wanted === undefined) continue;
		if (!hasField(field, current.record))
			throw new Error(`The record of ${current.userName} lacks ${field.cyberArk}: read the full user first`);
		const from = recordValue(field, current.record);
		if (same(field, from, wanted)) continue;
		change[field.cyberArk] = wanted;
		changes[field.param] = { from, to: wanted };
	}

	const state = stateName(current.state);
	let newState: Plan['state'];
	if (row.active && state === 'disabled') newState = 'None';
	if (!row.active && state !== 'disabled' && !keepAccess) newState = 'Disabled';

	const has = new Set(current.roles);
	const rolesAdded = wantedRoles.filter((r) => !has.has(r));
	const rolesRemoved = keepAccess
		? []
		: unique(roles.managed).filter((r) => has.has(r) && !wantedRoles.includes(r));

	let action: SyncAction = 'unchanged';
	if (newState === 'Disabled') action = 'disabled';
	else if (newState === 'None') action = 'enabled';
	else if (Object.keys(change).length > 0 || rolesAdded.length > 0 || rolesRemoved.length > 0)
		action = 'updated';
	const plan: Plan = { action, secrets: [], changes, rolesAdded, rolesRemoved };
	if (Object.keys(change).length > 0) plan.change = change;
	if (newState) plan.state = newState;
	return plan;
}

/**
 * The writes of a plan for one user besides CreateUser and its roles: the changed fields, the state,
 * and signing a disabled user out everywhere.
 */
export function userCalls(plan: Plan, id: string, signOut: boolean): ApiCall[] {
	const calls: ApiCall[] = [];
	if (plan.change) calls.push({ endpoint: ENDPOINT.changeUser, body: { ID: id, ...plan.change } });
	if (plan.state) calls.push({ endpoint: ENDPOINT.setUserState, body: { ID: id, state: plan.state } });
	if (plan.state === 'Disabled' && signOut) calls.push(signOutCall(id));
	return calls;
}

/** A plan's role changes for the user `id`, as the item's share of the run's batched role calls. */
export function membershipChanges(plan: Plan, id: string, itemIndex: number): MembershipChange[] {
	return [
		...plan.rolesAdded.map((roleId) => ({ roleId, userId: id, member: true, itemIndex })),
		...plan.rolesRemoved.map((roleId) => ({ roleId, userId: id, member: false, itemIndex })),
	];
}

/** What a user not created yet is called in Dry Run's requests, where its ID would be. */
export function newUserId(userName: string): string {
	return `<ID of the new user ${userName}>`;
}

export type DeprovisionAction = 'disable' | 'delete';

/** A member of the scope role, as far as deprovisioning needs it. */
export interface ScopeMember {
	id: string;
	userName: string;
	email?: string;
	state: unknown;
}

/** The writes that deprovision a leaver: signed out (unless turned off), then disabled or deleted. */
export function leaverCalls(action: DeprovisionAction, id: string, signOut: boolean): ApiCall[] {
	const out = signOut ? [signOutCall(id)] : [];
	if (action === 'delete') return [...out, { endpoint: ENDPOINT.deleteUser, body: { ID: id } }];
	return [{ endpoint: ENDPOINT.setUserState, body: { ID: id, state: 'Disabled' } }, ...out];
}
