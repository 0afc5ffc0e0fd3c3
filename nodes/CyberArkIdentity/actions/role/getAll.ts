import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import { queryRows, roleQuery } from '../../../shared/redrock';
import type { Operation } from '../../descriptions/common';
import { pagingFields, resultLimit, simplifyField } from '../../descriptions/common';
import { simplifyRole } from '../../roles/lookup';

export const option: Operation['option'] = {
	name: 'Get Many',
	description: 'List roles with their ID, name and description',
	action: 'Get many roles',
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

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject[]> {
	const rows = await queryRows(
		client,
		roleQuery(this.getNodeParameter('filters', i, {}) as IDataObject),
		resultLimit(this, i),
		i,
	);
	return this.getNodeParameter('simplify', i, true) ? rows.map(simplifyRole) : rows;
}
