// The parameters that describe a person, shared by Create and Create or Update.
import type { INodeProperties } from 'n8n-workflow';

import { fieldOptions, USER_FIELDS } from '../users/fields';
import { roleListField } from './locators';

export const userNameField: INodeProperties = {
	displayName: 'User Name',
	name: 'userName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. jane.doe@acme.example',
	hint: "The login name, name@suffix, with one of the tenant's login suffixes",
	description:
		"Login name in the form name@suffix. Letters, digits and + - _ . before the @; the suffix must be one of the tenant's login suffixes.",
};

export function emailField(description: string): INodeProperties {
	return {
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'e.g. jane.doe@acme.example',
		description,
	};
}

/** The roles a person is put in; `hint` says what the operation does with them. */
export function rolesField(hint: string): INodeProperties {
	return roleListField({
		displayName: 'Roles',
		name: 'roles',
		description:
			'Each role picked from the list, or by name or ID; an expression (By Name) may give one name, or several as a list or separated by commas',
		hint,
	});
}

/** The user fields of the table but Email (a parameter of its own), the roles, and what else the operation takes. */
export function additionalFields(roles: INodeProperties, ...more: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [...fieldOptions(USER_FIELDS.filter((f) => f.param !== 'email')), roles, ...more].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}
