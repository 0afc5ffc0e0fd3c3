import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import { UnexpectedAnswer } from '../../../shared/readers';
import type { CyberArkClient } from '../../../shared/transport/client';
import { simplifyField } from '../../descriptions/common';
import { roleLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import type { NamedRole } from '../../roles/directory';
import { resolveNamedRole, roleFields } from '../../roles/directory';
import { itemSchema, NULLABLE_STRING, STRING } from '../../schemas/schema';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Get Applications',
	description: 'List the applications a role gives its members',
	action: 'Get applications of a role',
};

export const description = [roleLocator, simplifyField];

export const options = RUN_OPTIONS;

export const endpoints = [ENDPOINT.redrockQuery, ENDPOINT.getRoleApps];

export const output = itemSchema(
	{
		id: NULLABLE_STRING,
		name: NULLABLE_STRING,
		description: NULLABLE_STRING,
		appType: NULLABLE_STRING,
		roleId: STRING,
		roleName: NULLABLE_STRING,
	},
	['id', 'name', 'description', 'appType', 'roleId', 'roleName'],
);

interface Rows {
	Results?: Array<{ Row?: IDataObject; Entities?: Array<{ Key?: unknown }> }>;
}

/**
 * The rows of a GetRoleApps answer, `Result.Results[].Row` (CyberArk's spec, centrify/powershell-sdk
 * `GetRoleApps`, IdentityCommand `Get-IDRoleApplication`), each with its entity key. Another shape is an
 * error, not an empty list.
 */
export function applicationRows(result: unknown): Array<{ row: IDataObject; key?: unknown }> {
	if (result === null || result === undefined) return [];
	const results = (result as Rows).Results;
	if (typeof result !== 'object' || !Array.isArray(results))
		throw new UnexpectedAnswer(ENDPOINT.getRoleApps.path, 'Results list', result);
	return results.map((r) => ({
		row: r.Row ?? {},
		key: Array.isArray(r.Entities) ? r.Entities[0]?.Key : undefined,
	}));
}

/**
 * One application: `ID`, `Name`, `Description`, `AppType` as CyberArk's spec lists a row's keys; the ID
 * from the entity key when a row has none (no source shows that).
 */
export function simplifyApplication(row: IDataObject, key: unknown, role: NamedRole): IDataObject {
	const textOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
	return {
		id: textOf(row.ID) ?? textOf(key),
		name: textOf(row.Name),
		description: textOf(row.Description),
		appType: textOf(row.AppType),
		...roleFields(role),
	};
}

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject[]> {
	const role = await resolveNamedRole.call(this, client, i);
	// The role in the query string and no body (centrify/powershell-sdk, IdentityCommand).
	const result = await client.request({ endpoint: ENDPOINT.getRoleApps, qs: { role: role.id } }, i);
	const rows = applicationRows(result);
	if (!this.getNodeParameter('simplify', i, true)) return rows.map(({ row }) => row);
	return rows.map(({ row, key }) => simplifyApplication(row, key, role));
}
