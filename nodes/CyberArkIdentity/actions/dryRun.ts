// Dry Run of an operation that runs per item: it runs against a client that records its writes instead
// of sending them (reads go out), and each item outputs what it would have done.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CyberArkClient } from '../../shared/transport/client';
import type { ItemOperation } from './operation';

/** What the operation's own output keeps in a dry run: who and what it is about. */
const KEPT = ['id', 'userName', 'roleId'];

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
