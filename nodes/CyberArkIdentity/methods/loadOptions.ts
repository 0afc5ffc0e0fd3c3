// The option lists the editor loads: the tenant's roles.
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { queryRows } from '../../shared/redrock';
import { CyberArkClient } from '../../shared/transport/client';
import { roleQuery } from '../roles/directory';

export function roleOption(row: IDataObject): INodePropertyOptions {
	return {
		name: row.Name as string,
		value: row.ID as string,
		description: (row.Description as string) || undefined,
	};
}

/** All roles, for the role lists of Create and Create or Update. */
export async function getRoles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await queryRows(await CyberArkClient.open(this), roleQuery({}), 1000);
	return rows.map(roleOption);
}
