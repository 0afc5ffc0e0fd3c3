// Dry Run of an operation that runs per item: it runs against a client that records its writes instead
// of sending them (reads go out), and each item outputs what it would have done.
import type { IDataObject, IExecuteFunctions, NodeExecutionHint } from 'n8n-workflow';

import type { CyberArkClient } from '../../shared/transport/client';
import type { ItemOperation } from './operation';

/** What the operation's own output keeps in a dry run: who and what it is about (a role by its name too). */
const KEPT = ['id', 'userName', 'name', 'roleId', 'roleName'];

/** Shown above a dry run's output, where n8n otherwise says only that the node ran. */
export const DRY_RUN_HINT: NodeExecutionHint = {
	message:
		'Dry Run: nothing was changed in CyberArk. Each item shows what would be done and the requests that would be sent; turn Dry Run off to apply them.',
	type: 'info',
	location: 'outputPane',
};

/** An item's output in a dry run: `{dryRun: true, action, id, requests}`, the writes held back for it. */
export function dryRunItem(
	client: CyberArkClient,
	action: string,
	result: IDataObject | IDataObject[],
	itemIndex: number,
): IDataObject {
	const first = (Array.isArray(result) ? result[0] : result) ?? {};
	const output: IDataObject = { dryRun: true, action };
	for (const key of KEPT) if (first[key] !== undefined) output[key] = first[key];
	output.requests = client.planned(itemIndex);
	return output;
}

/** The operation's output becomes `{dryRun: true, action, id, requests}`: the writes held back for the item. */
export function dryRunOperation(operation: ItemOperation, action: string): ItemOperation {
	return {
		...operation,
		async execute(this: IExecuteFunctions, client: CyberArkClient, itemIndex: number): Promise<IDataObject> {
			const result = await operation.execute.call(this, client, itemIndex);
			return dryRunItem(client, action, result, itemIndex);
		},
	};
}
