// The Create User and Change User requests, built from the field table and checked before anything is sent.
import type { IDataObject } from 'n8n-workflow';

import { InvalidInput } from '../../shared/transport/errors';
import { loginName } from '../../shared/validate';
import type { UserField, Value } from './fields';
import { UPDATABLE_FIELDS, USER_FIELDS } from './fields';

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
