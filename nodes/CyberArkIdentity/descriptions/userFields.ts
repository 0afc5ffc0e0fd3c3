// The parameters that describe a person, shared by Create and Create or Update.
import type { INodeProperties } from 'n8n-workflow';

import { fieldOptions, USER_FIELDS } from '../users/fields';

export const userNameField: INodeProperties = {
	displayName: 'User Name',
	name: 'userName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. jane.doe@acme.example',
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
	return {
		displayName: 'Role Names or IDs',
		name: 'roles',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getRoles' },
		default: [],
		description:
			'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint,
	};
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
