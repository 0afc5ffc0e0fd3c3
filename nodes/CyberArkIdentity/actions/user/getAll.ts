import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import { simplifyUser } from '../../users/fields';
import { queryRows, userQuery } from '../../../shared/redrock';
import type { Operation } from '../../descriptions/common';
import { pagingFields, resultLimit, simplifyField } from '../../descriptions/common';

export const option: Operation['option'] = {
	name: 'Get Many',
	description: 'Find users by login name, display name, e-mail or state',
	action: 'Get many users',
};

export const description: INodeProperties[] = [
	simplifyField,
	...pagingFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. jane.doe@acme.example',
				default: '',
				description: 'Only the user with exactly this e-mail address',
			},
			{
				displayName: 'Login Name',
				name: 'userName',
				type: 'string',
				default: '',
				placeholder: 'e.g. jane.doe@acme.example',
				description: 'Only the user with exactly this login name',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. jane',
				description: 'Users whose login name, display name or e-mail contains this text',
			},
			{
				displayName: 'State',
				name: 'state',
				type: 'options',
				default: 'active',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'Disabled', value: 'disabled' },
					{ name: 'Expired', value: 'expired' },
					{ name: 'Locked', value: 'locked' },
				],
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const rows = await queryRows(client, userQuery(filters), resultLimit(this, i), i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	return simplify ? rows.map((row) => simplifyUser(row)) : rows;
}
