import type { INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import { additionalFields, emailField, rolesField, userNameField } from '../../descriptions/userFields';
import { RUN_OPTIONS } from '../../descriptions/options';
import { syncResultSchema } from '../../schemas/user';
import { SYNC_OPTIONS } from '../../sync/options';
import { extendedAttributesField } from '../../users/extendedAttributes';
import { runSync } from '../../sync/run';
import type { RunOperation } from '../operation';

export const option: RunOperation['option'] = {
	name: 'Create or Update',
	description: 'Sync a person from HR: create a joiner, update a mover, disable a leaver, with their roles',
	action: 'Create or update a user',
};

export const description: INodeProperties[] = [
	userNameField,
	emailField(
		'E-mail address of the person. Needed to create a user while "Send Email Invite" is on, and to match by email.',
	),
	{
		displayName: 'Active',
		name: 'active',
		type: 'boolean',
		default: true,
		description:
			'Whether the person is employed (the HR status). Off disables the user and signs them out; on enables a disabled user again (a rehire). An expression must give true or false (or the text "true" or "false"): anything else fails the item.',
	},
	additionalFields(
		rolesField(
			'Roles the person must be in: added when missing. Managed roles (Options) not listed here are removed. An expression may give role names or IDs.',
		),
		{
			...extendedAttributesField,
			description:
				"The person's additional attributes (Admin Portal > Settings > Users > Additional Attributes) by their name, e.g. employee ID or cost center from HR: only those that differ are written. Attributes not given, or given an empty value, keep their values.",
		},
	),
];

export const options: INodeProperties[] = [...RUN_OPTIONS, ...SYNC_OPTIONS];

export const endpoints = [
	ENDPOINT.whoami,
	ENDPOINT.redrockQuery,
	ENDPOINT.getRoleMembers,
	ENDPOINT.getUserRoles,
	ENDPOINT.getUser,
	ENDPOINT.getUserByName,
	ENDPOINT.getUserAttributes,
	ENDPOINT.createUser,
	ENDPOINT.changeUser,
	ENDPOINT.setUserState,
	ENDPOINT.updateRole,
	ENDPOINT.getExtendedAttributes,
	ENDPOINT.setExtendedAttributes,
	ENDPOINT.signOutEverywhere,
	ENDPOINT.deleteUser,
];

export const output = syncResultSchema();

export const executeAll = runSync;
