import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { cyberArkDate } from '../../shared/dates';
import { InvalidInput } from '../../shared/transport/errors';
import { email, flag, loginName, password, phone, text, UUID } from '../../shared/validate';
import { userId, userState } from '../../shared/readers';

export { cyberArkDate };

type Value = string | boolean;

/** One profile field of a CyberArk user, in every place the node deals with it. */
export interface UserField {
	/** Node parameter name, and the key in the simplified output. */
	param: string;
	/** CyberArk's field in CreateUser, ChangeUser and GetUser. */
	cyberArk: string;
	/** Other names CyberArk gives the field (Redrock's User table says Email where GetUser says Mail). */
	aliases?: string[];
	label: string;
	/** Checks a value from the workflow; undefined when absent or empty. */
	check: (value: unknown, label: string) => Value | undefined;
	/** CyberArk only takes it at creation (invites, Everybody role, service user, initial password). */
	createOnly?: boolean;
	/** Not part of the record CyberArk gives back: never read back, diffed or output. */
	writeOnly?: boolean;
	/** Never output or echoed in an error. */
	secret?: boolean;
	/** The editor property, less what the table already says (name, label). */
	property: Omit<INodeProperties, 'name' | 'displayName'>;
}

const textOf = (max?: number) => (v: unknown, f: string) => text(v, f, max);

/**
 * The manager, by login name: public clients send ReportsTo as a login name (marcozj golang-sdk's
 * CreateUser and ChangeUser bodies, terraform-provider-centrify's manager_username); no public source
 * shows CyberArk accepting a user ID there.
 */
export function managerLogin(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string' && UUID.test(value.trim())) {
		throw new InvalidInput(
			`${field} "${value.trim()}" is a user ID; CyberArk takes the manager's login name`,
			`Set ${field} to the manager's login name (name@suffix), e.g. with an expression that reads it from a Get User operation ("userName").`,
		);
	}
	return loginName(value, field);
}

export const USER_FIELDS: UserField[] = [
	{
		param: 'email',
		cyberArk: 'Mail',
		aliases: ['Email'],
		label: 'Email',
		check: (v, f) => email(v, f),
		property: { type: 'string', default: '', placeholder: 'e.g. jane.doe@acme.example' },
	},
	{
		param: 'displayName',
		cyberArk: 'DisplayName',
		label: 'Display Name',
		check: textOf(),
		property: { type: 'string', default: '', placeholder: 'e.g. Jane Doe' },
	},
	{
		param: 'description',
		cyberArk: 'Description',
		label: 'Description',
		check: textOf(1024),
		property: { type: 'string', default: '' },
	},
	{
		param: 'mobileNumber',
		cyberArk: 'MobileNumber',
		label: 'Mobile Number',
		check: phone,
		property: { type: 'string', default: '', placeholder: 'e.g. +1 555 0100' },
	},
	{
		param: 'officeNumber',
		cyberArk: 'OfficeNumber',
		label: 'Office Number',
		check: phone,
		property: { type: 'string', default: '' },
	},
	{
		param: 'homeNumber',
		cyberArk: 'HomeNumber',
		label: 'Home Number',
		check: phone,
		property: { type: 'string', default: '' },
	},
	{
		param: 'reportsTo',
		cyberArk: 'ReportsTo',
		label: 'Reports To',
		check: managerLogin,
		property: {
			type: 'string',
			default: '',
			placeholder: 'e.g. grace.hopper@acme.example',
			description: "Login name (name@suffix) of the user's manager",
		},
	},
	{
		param: 'passwordNeverExpire',
		cyberArk: 'PasswordNeverExpire',
		label: 'Password Never Expires',
		check: flag,
		property: {
			type: 'boolean',
			default: false,
			description: 'Whether the password is exempt from the expiry policy',
		},
	},
	{
		param: 'forcePasswordChangeNext',
		cyberArk: 'ForcePasswordChangeNext',
		label: 'Force Password Change at Next Login',
		check: flag,
		property: {
			type: 'boolean',
			default: true,
			description: 'Whether the user must choose a new password at the next login',
		},
	},
	{
		param: 'serviceUser',
		cyberArk: 'ServiceUser',
		label: 'Service User',
		check: flag,
		createOnly: true,
		property: {
			type: 'boolean',
			default: false,
			description: 'Whether the user is a service account, kept out of the Everybody role',
		},
	},
	{
		param: 'sendEmailInvite',
		cyberArk: 'SendEmailInvite',
		label: 'Send Email Invite',
		check: flag,
		createOnly: true,
		writeOnly: true,
		property: {
			type: 'boolean',
			default: true,
			description: 'Whether CyberArk e-mails the user an invitation (needs Email)',
		},
	},
	{
		param: 'sendSmsInvite',
		cyberArk: 'SendSmsInvite',
		label: 'Send SMS Invite',
		check: flag,
		createOnly: true,
		writeOnly: true,
		property: {
			type: 'boolean',
			default: false,
			description: 'Whether CyberArk texts the user an invitation (needs Mobile Number)',
		},
	},
	{
		param: 'inEverybodyRole',
		cyberArk: 'InEverybodyRole',
		label: 'In Everybody Role',
		check: flag,
		createOnly: true,
		writeOnly: true,
		property: {
			type: 'boolean',
			default: true,
			description: 'Whether the user joins the Everybody role. Can only be set at creation.',
		},
	},
	{
		param: 'password',
		cyberArk: 'Password',
		label: 'Password',
		check: (v, f) => password(v, f),
		createOnly: true,
		writeOnly: true,
		secret: true,
		property: {
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Initial password. Must meet the tenant's password policy. Leave empty to let CyberArk generate one (the user sets theirs through the invite).",
		},
	},
];

/** The table's fields as options of an editor collection, in the alphabetical order n8n expects. */
export function fieldOptions(fields: UserField[]): INodeProperties[] {
	return fields
		.map((f) => ({ displayName: f.label, name: f.param, ...f.property }) as INodeProperties)
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Fields that can be changed after creation (Update, Create or Update). */
export const UPDATABLE_FIELDS = USER_FIELDS.filter((f) => !f.createOnly);

/** Fields CyberArk gives back in a user's record (the simplified output, the diff). */
export const RECORD_FIELDS = USER_FIELDS.filter((f) => !f.writeOnly);

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
	/** Values the body carries that must never be echoed. */
	secrets: string[];
}

/** The fields of `values` that the table knows, checked: parameter name → value (absent or empty left out). */
export function checkedFields(fields: UserField[], values: IDataObject): Record<string, Value> {
	const checked: Record<string, Value> = {};
	for (const field of fields) {
		if (!(field.param in values)) continue;
		const value = field.check(values[field.param], field.label);
		if (value !== undefined) checked[field.param] = value;
	}
	return checked;
}

/** CyberArk's body fields for checked values. */
export function toCyberArk(values: Record<string, Value>): IDataObject {
	const body: IDataObject = {};
	for (const field of USER_FIELDS)
		if (values[field.param] !== undefined) body[field.cyberArk] = values[field.param];
	return body;
}

/**
 * Checks Create User's inputs and builds the request. Only what the user set is sent, so
 * CyberArk's own defaults apply to the rest (invite by e-mail on, Everybody role on, ...).
 */
export function buildCreateUser(input: CreateUserInput): CreateUserRequest {
	const name = loginName(input.userName);
	const values = checkedFields(USER_FIELDS, {
		...(input.additionalFields ?? {}),
		email: input.email as IDataObject[string],
	});
	const body: IDataObject = { Name: name, ...toCyberArk(values) };
	const summary: IDataObject = { userName: name };
	const secrets: string[] = [];
	for (const field of USER_FIELDS) {
		const value = values[field.param];
		if (value === undefined) continue;
		if (field.secret) secrets.push(value as string);
		else summary[field.param] = value;
	}

	if (body.SendEmailInvite !== false && body.Mail === undefined) {
		throw new InvalidInput(
			'Email is required while "Send Email Invite" is on',
			'CyberArk e-mails an invitation to every new user by default. Set Email, or add "Send Email Invite" under Additional Fields and turn it off.',
		);
	}
	if (body.SendSmsInvite === true && body.MobileNumber === undefined) {
		throw new InvalidInput(
			'"Send SMS Invite" needs a Mobile Number',
			'Add Mobile Number under Additional Fields, or turn "Send SMS Invite" off.',
		);
	}
	if (body.ServiceUser === true && body.InEverybodyRole === true) {
		throw new InvalidInput(
			'A service user cannot be in the Everybody role',
			'CyberArk keeps service users out of the Everybody role. Turn off "In Everybody Role" or "Service User".',
		);
	}
	return { body, summary, secrets };
}

/** Body of /CDirectoryService/ChangeUser for the fields given; throws when nothing would change. */
export function buildChangeUser(id: string, fields: IDataObject): IDataObject {
	const body: IDataObject = { ID: id, ...toCyberArk(checkedFields(UPDATABLE_FIELDS, fields)) };
	if (Object.keys(body).length === 1) {
		throw new InvalidInput('Nothing to update', 'Add at least one field under "Update Fields" with a value.');
	}
	return body;
}

/** The Create User fields that Update can also change, to apply on "On Existing User: Update". */
export function updatableFrom(summary: IDataObject): IDataObject {
	const fields: IDataObject = {};
	for (const { param } of UPDATABLE_FIELDS) if (summary[param] !== undefined) fields[param] = summary[param];
	return fields;
}

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

export function stateName(raw: unknown): string | null {
	if (typeof raw !== 'string' || !raw) return null;
	return STATE_NAMES[raw] ?? raw.toLowerCase();
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
