import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import { roleMembers } from '../../../shared/readers';
import type { CyberArkClient } from '../../../shared/transport/client';
import { pagingFields, resultLimit, simplifyField } from '../../descriptions/common';
import { roleLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import { resolveNamedRole, roleFields } from '../../roles/directory';
import { itemSchema, NULLABLE_STRING, STRING } from '../../schemas/schema';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Get Members',
	description: 'List the users and groups in a role',
	action: 'Get members of a role',
};

export const description = [roleLocator, simplifyField, ...pagingFields];

export const options = RUN_OPTIONS;

export const endpoints = [ENDPOINT.redrockQuery, ENDPOINT.getRoleMembers];

export const output = itemSchema(
	{ id: STRING, name: STRING, type: STRING, roleId: STRING, roleName: NULLABLE_STRING },
	['id', 'name', 'type', 'roleId', 'roleName'],
);

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject[]> {
	const role = await resolveNamedRole.call(this, client, i);
	// The SDKs' form, {"Name": roleId} in the body (docs/cyberark-api.md).
	const result = (await client.request(
		{ endpoint: ENDPOINT.getRoleMembers, body: { Name: role.id } },
		i,
	)) as {
		Results?: Array<{ Row?: IDataObject }>;
	};
	const members = roleMembers(result).slice(0, resultLimit(this, i));
	if (!this.getNodeParameter('simplify', i, true))
		return result.Results!.slice(0, members.length).map((r) => r.Row ?? {});
	return members.map((m) => ({ id: m.id, name: m.name, type: m.type, ...roleFields(role) }));
}
