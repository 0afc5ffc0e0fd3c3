// A user as the read operations output it with Simplify on: flat, readable names, ISO dates, real booleans.
import type { IDataObject } from 'n8n-workflow';

import { cyberArkDate } from '../../shared/dates';
import { stateOf, userId, userState } from '../../shared/readers';
import type { UserField, Value } from './fields';
import { RECORD_FIELDS } from './fields';

function bool(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
	return null;
}

const STATE_NAMES: Record<string, string> = {
	None: 'active',
	Locked: 'locked',
	Disabled: 'disabled',
	Expired: 'expired',
	Active: 'active',
};

/** A state as output: active, locked, disabled, expired (a combination of flags as the one that counts). */
export function stateName(raw: unknown): string | null {
	if (typeof raw !== 'string' || !raw) return null;
	return STATE_NAMES[stateOf(raw) ?? raw] ?? raw.toLowerCase();
}

/** A record field's value as CyberArk gave it (under its name or an alias), made readable. */
export function recordValue(field: UserField, raw: IDataObject): Value | null {
	const value = [field.cyberArk, ...(field.aliases ?? [])]
		.map((k) => raw[k])
		.find((v) => v !== undefined && v !== null);
	if (value === undefined) return null;
	return field.property.type === 'boolean' ? bool(value) : (value as Value);
}

/** Keys of the simplified user that are output even when CyberArk has no value for them. */
export const ALWAYS_OUTPUT = ['state', 'email', 'displayName'];

/** A flat, readable user from CyberArk's raw record (GetUser, optionally merged with GetUserAttributes). */
export function simplifyUser(raw: IDataObject, attributes: IDataObject = {}): IDataObject {
	const user: IDataObject = {
		id: userId({ ...attributes, ...raw }, 'the user record (GetUser, GetUserByName or Redrock User)'),
		userName: raw.Name ?? raw.Username ?? null,
	};
	for (const field of RECORD_FIELDS) user[field.param] = recordValue(field, raw);
	user.state = stateName(attributes.State !== undefined ? userState(attributes) : (raw.State ?? raw.Status));
	user.createdAt = cyberArkDate(attributes.CreateDate ?? raw.CreateDate);
	user.lastLoginAt = cyberArkDate(attributes.LastLogin ?? raw.LastLogin);
	for (const key of Object.keys(user))
		if (user[key] === null && !ALWAYS_OUTPUT.includes(key)) delete user[key];
	return user;
}
