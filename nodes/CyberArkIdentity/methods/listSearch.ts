// The searchable user and role lists of the editor's pickers ("From List").
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { roleRow, userRow } from '../../shared/readers';
import { queryPage, SEARCH_PAGE_SIZE } from '../../shared/redrock';
import { CyberArkClient } from '../../shared/transport/client';
import { roleQuery } from '../roles/directory';
import { userQuery } from '../users/queries';

function roleOption(row: IDataObject): INodePropertyOptions {
	const role = roleRow(row);
	return { name: role.name, value: role.id, description: role.description || undefined };
}

/** One page of a list the editor pages through with its pagination token. */
async function listPage(
	context: ILoadOptionsFunctions,
	script: string,
	paginationToken: string | undefined,
	toResult: (row: IDataObject) => INodeListSearchResult['results'][number],
): Promise<INodeListSearchResult> {
	const client = await CyberArkClient.open(context);
	const page = Number(paginationToken) || 1;
	const { rows, fullCount } = await queryPage(client, script, page, SEARCH_PAGE_SIZE);
	return {
		results: rows.map(toResult),
		paginationToken: page * SEARCH_PAGE_SIZE < fullCount ? String(page + 1) : undefined,
	};
}

/** Users for the "From list" mode of the user locator, searched by login name, display name or e-mail. */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listPage(this, userQuery(filter ? { search: filter } : {}), paginationToken, (row) => {
		const { id, userName: login } = userRow(row);
		const display = row.DisplayName as string | undefined;
		return { name: display && display !== login ? `${display} (${login})` : login, value: id };
	});
}

/** Roles for the "From list" mode of the role locator; the list shows names only, so the description goes beside it. */
export async function searchRoles(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listPage(this, roleQuery(filter ? { name: filter } : {}), paginationToken, (row) => {
		const option = roleOption(row);
		return option.description ? { ...option, name: `${option.name} — ${option.description}` } : option;
	});
}
