// The table of a CyberArk user's profile fields: every place the node deals with a field reads it here.
import type { INodeProperties } from 'n8n-workflow';

import { InvalidInput } from '../../shared/transport/errors';
import { email, loginName, password, phone, requiredFlag, text, UUID } from '../../shared/validate';

export type Value = string | boolean;

/** One profile field of a CyberArk user, in every place the node deals with it. */
export interface UserField {
	/** Node parameter name, and the key in the simplified output. */
	param: string;
	/** CyberArk's field in CreateUser, ChangeUser and GetUser. */
	cyberArk: string;
	/** Other names CyberArk gives the field (Redrock's User table says Email where GetUser says Mail). */
	aliases?: string[];
	label: string;
	/**
	 * Checks a value from the workflow that is present; undefined when a text is empty. A switch must
	 * be true or false (or the texts): an empty switch is never taken for CyberArk's default.
	 */
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
		check: requiredFlag,
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
		check: requiredFlag,
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
		check: requiredFlag,
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
		check: requiredFlag,
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
		check: requiredFlag,
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
		check: requiredFlag,
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
