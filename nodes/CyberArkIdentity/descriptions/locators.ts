// The user and role pickers (resource locators) and how their values are read.
import type { IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

export const userLocator: INodeProperties = {
	displayName: 'User',
	name: 'userId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The user to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user...',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'By Login Name',
			name: 'userName',
			type: 'string',
			placeholder: 'e.g. jane.doe@acme.example',
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. c2c7bcc6-9560-44e0-8dff-5be221cd37ee',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
						errorMessage: 'A user ID looks like c2c7bcc6-9560-44e0-8dff-5be221cd37ee',
					},
				},
			],
		},
	],
};

export const roleLocator: INodeProperties = {
	displayName: 'Role',
	name: 'roleId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The role to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a role...',
			typeOptions: { searchListMethod: 'searchRoles', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Finance',
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 7f3c2a8e_5b1d_4c6e_9a0f_2d4b6c8e0a1f',
		},
	],
};

/**
 * A role parameter that names several roles: each entry a role picker (From List, By Name, By ID). The
 * editor checks nothing against the tenant's roles, so an expression giving a name (or several, as a
 * list or separated by commas) shows no warning; names are resolved when the node runs.
 */
export function roleListField(spec: {
	displayName: string;
	name: string;
	description: string;
	hint?: string;
}): INodeProperties {
	return {
		...spec,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Role',
		default: {},
		options: [
			{
				displayName: 'Role',
				name: 'role',
				values: [{ ...roleLocator, required: false, description: 'Pick a role, or give its name or ID' }],
			},
		],
	};
}

/** A role option that names one role (empty: none), picked or given by name or ID, resolved when the node runs. */
export function roleOptionField(spec: {
	displayName: string;
	name: string;
	description: string;
	hint?: string;
}): INodeProperties {
	return { ...roleLocator, ...spec, required: false };
}

/** A resource locator's mode and value (a plain string from an old workflow or an expression is an ID). */
export function locatorValue(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
): { mode: string; value: unknown } {
	const locator = context.getNodeParameter(name, itemIndex) as INodeParameterResourceLocator | string;
	return typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator };
}
