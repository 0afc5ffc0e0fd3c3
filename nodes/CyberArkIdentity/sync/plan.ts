// The diff planner of Create or Update: a pure function from what CyberArk holds (a user's record,
// state and role memberships) and what HR says (one row, its roles) to the changes to send. It reads
// the same table of user fields as Create and Update (fields.ts), and sends nothing itself.
import type { IDataObject } from 'n8n-workflow';

import type { ApiCall } from '../../shared/endpoints';
import { ENDPOINT } from '../../shared/endpoints';

import { MASK } from '../../shared/transport/dryRun';
import { membershipCall } from '../roles/membership';
import { InvalidInput } from '../../shared/transport/errors';
import type { UserField } from '../users/fields';
import {
	buildCreateUser,
	checkedFields,
	recordValue,
	stateName,
	UPDATABLE_FIELDS,
	USER_FIELDS,
} from '../users/fields';
import { email, flag, loginName } from '../../shared/validate';

type Value = string | boolean;

export type SyncAction = 'created' | 'updated' | 'unchanged' | 'disabled' | 'enabled' | 'skipped';

export type MatchBy = 'userName' | 'email';

/** One HR row, checked: what the person's account must look like. */
export interface HrRow {
	userName: string;
	/** Profile fields the row sets (parameter name → value); absent or empty fields are left alone. */
	values: Record<string, Value>;
	/** The HR status: false disables the user, true enables a disabled one. */
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
	const active = flag(input.active, 'Active');
	return { userName, values, active: active ?? true };
}

/** The key a row is matched by, in the case CyberArk ignores. */
export function rowKey(matchBy: MatchBy, input: { userName: unknown; email: unknown }): string {
	if (matchBy === 'userName') return loginName(input.userName).toLowerCase();
	const address = email(input.email);
	if (address === undefined) {
		throw new InvalidInput(
			'Email is empty, but items are matched by email',
			'Set Email on every item, or set Options > Match By to User Name.',
		);
	}
	return address.toLowerCase();
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
 * What to do for one HR row: create the person, change only the fields that differ, disable a
 * leaver, enable a rehire, add the roles they lack and remove the managed roles they should not have.
 */
export function planUser(
	row: HrRow,
	current: CurrentUser | undefined,
	roles: RoleScope,
	matchBy: MatchBy = 'userName',
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
	if (matchBy === 'email' && !same(undefined, current.userName, row.userName)) {
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
	if (!row.active && state !== 'disabled') newState = 'Disabled';

	const has = new Set(current.roles);
	const rolesAdded = wantedRoles.filter((r) => !has.has(r));
	const rolesRemoved = unique(roles.managed).filter((r) => has.has(r) && !wantedRoles.includes(r));

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

/** The write calls of a plan after CreateUser (which the caller sends itself), for the user `id`. */
export function planCalls(plan: Plan, id: string | null): ApiCall[] {
	const calls: ApiCall[] = [];
	if (plan.change) calls.push({ endpoint: ENDPOINT.changeUser, body: { ID: id, ...plan.change } });
	if (plan.state) calls.push({ endpoint: ENDPOINT.setUserState, body: { ID: id, state: plan.state } });
	for (const role of plan.rolesAdded) calls.push(membershipCall(role, id, true));
	for (const role of plan.rolesRemoved) calls.push(membershipCall(role, id, false));
	return calls;
}

/** Every write call of a plan, CreateUser first: what Dry Run shows. */
export function allPlanCalls(plan: Plan, id: string | null): ApiCall[] {
	const create: ApiCall[] = plan.create
		? [{ endpoint: ENDPOINT.createUser, body: plan.create, secrets: plan.secrets }]
		: [];
	return [...create, ...planCalls(plan, id)];
}

export type DeprovisionAction = 'disable' | 'delete';

export interface ScopeMember {
	id: string;
	userName: string;
	state: unknown;
}

/** Members of the scope role that no input row matched, less those already disabled. */
export function deprovisionCandidates(members: ScopeMember[], present: Set<string>): ScopeMember[] {
	return members.filter((m) => !present.has(m.id) && stateName(m.state) !== 'disabled');
}

export function deprovisionCall(action: DeprovisionAction, id: string): ApiCall {
	return action === 'delete'
		? { endpoint: ENDPOINT.deleteUser, body: { ID: id } }
		: { endpoint: ENDPOINT.setUserState, body: { ID: id, state: 'Disabled' } };
}

/** Fails when more users would be deprovisioned than the limit allows: checked before any write. */
export function checkDeprovisionLimit(
	count: number,
	max: number,
	action: DeprovisionAction,
	rows: number,
): void {
	if (count <= max) return;
	const verb = action === 'delete' ? 'deleted' : 'disabled';
	throw new InvalidInput(
		`${count} users would be deprovisioned (${verb}), more than Max Deprovision (${max}); nothing was changed`,
		`They are members of the scope role missing from the ${rows} input item(s). The limit exists so that a truncated or empty HR export cannot ${action} the company. Check that the input holds the whole roster; if ${count} is right, raise Options > Max Deprovision for this run (and turn Dry Run on first to see the list).`,
	);
}
