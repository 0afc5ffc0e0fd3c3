import type { INodeProperties } from 'n8n-workflow';

import { pagingFields, roleLocator, simplifyField } from './UserDescription';

export const roleOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['role'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List roles with their ID, name and description',
				action: 'Get many roles',
			},
			{
				name: 'Get Members',
				value: 'getMembers',
				description: 'List the users and groups in a role',
				action: 'Get members of a role',
			},
		],
		default: 'getAll',
	},
];

export const roleFields: INodeProperties[] = [
	roleLocator({ resource: ['role'], operation: ['getMembers'] }),
	simplifyField({ resource: ['role'], operation: ['getAll', 'getMembers'] }),
	...pagingFields({ resource: ['role'], operation: ['getAll', 'getMembers'] }),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { resource: ['role'], operation: ['getAll'] } },
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. Finance',
				description: 'Roles whose name contains this text',
			},
		],
	},
];
