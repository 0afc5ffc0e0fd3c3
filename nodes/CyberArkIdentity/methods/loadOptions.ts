// The option lists the editor loads: the tenant's roles.
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { roleRow } from '../../shared/readers';
import { queryRows } from '../../shared/redrock';
import { CyberArkClient } from '../../shared/transport/client';
import { roleQuery } from '../roles/directory';

export function roleOption(row: IDataObject): INodePropertyOptions {
	const role = roleRow(row);
	return { name: role.name, value: role.id, description: role.description || undefined };
}

/** All roles, for the role lists of Create and Create or Update. */
export async function getRoles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await queryRows(await CyberArkClient.open(this), roleQuery({}), 1000);
	return rows.map(roleOption);
}
