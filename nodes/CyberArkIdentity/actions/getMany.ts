// Get Many of a Redrock table (users, roles): filters → one script, read page by page up to the limit.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../shared/endpoints';
import { queryRows } from '../../shared/redrock';
import type { CyberArkClient } from '../../shared/transport/client';
import { pagingFields, resultLimit, simplifyField } from '../descriptions/common';
import { RUN_OPTIONS } from '../descriptions/options';
import type { OutputSchemaFile } from '../schemas/schema';
import type { ItemOperation } from './operation';

export function getManyOperation(spec: {
	option: ItemOperation['option'];
	/** The entries of its Filters collection. */
	filters: INodeProperties[];
	/** The Redrock script for the filters given. */
	script: (filters: IDataObject) => string;
	simplify: (row: IDataObject) => IDataObject;
	output: OutputSchemaFile;
}): ItemOperation {
	return {
		option: spec.option,
		description: [
			simplifyField,
			...pagingFields,
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: spec.filters,
			},
		],
		options: RUN_OPTIONS,
		endpoints: [ENDPOINT.redrockQuery],
		output: spec.output,
		async execute(this: IExecuteFunctions, client: CyberArkClient, i: number): Promise<IDataObject[]> {
			const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
			const rows = await queryRows(client, spec.script(filters), resultLimit(this, i), i);
			return this.getNodeParameter('simplify', i, true) ? rows.map(spec.simplify) : rows;
		},
	};
}
