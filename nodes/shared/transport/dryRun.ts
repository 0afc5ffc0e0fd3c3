// Dry Run: an operation that writes validates its input, resolves users and roles (reads go out),
// and outputs the write requests it would have sent instead of sending them.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiCall, CyberArkClient } from './client';
import type { Operation } from '../../CyberArkIdentity/descriptions/common';

/** A write request as Dry Run reports it: what would be POSTed, secrets masked. */
export interface PlannedRequest extends IDataObject {
	path: string;
	body: IDataObject;
}

export const MASK = '********';

/**
 * The calls that only read. Everything else counts as a write, so a call added later is held back
 * by Dry Run until it is listed here.
 */
const READ_PATHS = new Set(
	[
		'/Security/whoami',
		'/CDirectoryService/GetUser',
		'/CDirectoryService/GetUserByName',
		'/UserMgmt/GetUserAttributes',
		'/UserMgmt/GetUsersRolesAndAdministrativeRights',
		'/Redrock/query',
		'/Roles/GetRoleMembers',
		'/Core/GetCdsAliasesForTenant',
	].map((p) => p.toLowerCase()),
);

export function isWriteCall(path: string): boolean {
	return !READ_PATHS.has(path.toLowerCase());
}

/** The operations that write, by resource: the ones that offer Dry Run. */
export const WRITE_OPERATIONS: Record<string, string[]> = {
	user: [
		'addToRole',
		'create',
		'delete',
		'disable',
		'enable',
		'lock',
		'removeFromRole',
		'resetPassword',
		'unlock',
		'update',
		'upsert',
	],
};

function masked(value: unknown, secrets: string[], key = ''): unknown {
	if (typeof value === 'string') return /password/i.test(key) || secrets.includes(value) ? MASK : value;
	if (Array.isArray(value)) return value.map((v) => masked(v, secrets));
	if (value && typeof value === 'object') {
		const copy: IDataObject = {};
		for (const [k, v] of Object.entries(value)) copy[k] = masked(v, secrets, k) as IDataObject[string];
		return copy;
	}
	return value;
}

/** A call as Dry Run shows it: path and body (query string parameters when the call has them), passwords masked. */
export function plannedRequest(call: Pick<ApiCall, 'path' | 'body' | 'qs' | 'secrets'>): PlannedRequest {
	const secrets = (call.secrets ?? []).filter((s) => s !== '');
	const planned: PlannedRequest = { path: call.path, body: masked(call.body ?? {}, secrets) as IDataObject };
	if (call.qs && Object.keys(call.qs).length > 0) planned.qs = masked(call.qs, secrets) as IDataObject;
	return planned;
}

/** Whether this run is a dry run: the option is on and the operation writes. */
export function isDryRun(resource: string, operation: string, options: IDataObject): boolean {
	return options.dryRun === true && (WRITE_OPERATIONS[resource] ?? []).includes(operation);
}

/** What the operation's own output keeps in a dry run: who and what it is about. */
const KEPT = ['id', 'userName', 'roleId'];

/**
 * The operation run against a dry-run client: its output is `{dryRun: true, action, id, requests}`
 * where `requests` are the writes the client held back for the item.
 */
export function dryRunOperation(operation: Operation, action: string): Operation {
	return {
		...operation,
		async execute(this: IExecuteFunctions, client: CyberArkClient, itemIndex: number): Promise<IDataObject> {
			const result = await operation.execute.call(this, client, itemIndex);
			const first = (Array.isArray(result) ? result[0] : result) ?? {};
			const output: IDataObject = { dryRun: true, action };
			for (const key of KEPT) if (first[key] !== undefined) output[key] = first[key];
			output.requests = client.planned(itemIndex);
			return output;
		},
	};
}
