import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import type { Operation } from '../../descriptions/common';
import { pagingFields, resultLimit, roleLocator, simplifyField } from '../../descriptions/common';
import { resolveRoleId } from '../../roles/lookup';

export const option: Operation['option'] = {
	name: 'Get Members',
	description: 'List the users and groups in a role',
	action: 'Get members of a role',
};

export const description = [roleLocator, simplifyField, ...pagingFields];

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject[]> {
	const roleId = await resolveRoleId.call(this, client, i);
	const result = (await client.request(
		{ path: '/Roles/GetRoleMembers', qs: { name: roleId }, idempotent: true },
		i,
	)) as {
		Results?: Array<{ Row?: IDataObject }>;
	} | null;
	const rows = (result?.Results ?? []).map((r) => r.Row ?? {});
	const limited = rows.slice(0, resultLimit(this, i));
	if (!this.getNodeParameter('simplify', i, true)) return limited;
	return limited.map((row) => ({ id: row.Guid ?? row.ID, name: row.Name, type: row.Type, roleId }));
}
