// Runs the operation a node run asks for: opens the run's client, then either hands the whole input to
// an operation that runs once (Create or Update, Get Token) or runs a per-item operation for every item
// with the run's concurrency, in input order on output.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Settled } from '../../shared/concurrency';
import { mapConcurrent } from '../../shared/concurrency';
import { CyberArkClient } from '../../shared/transport/client';
import { toNodeError } from '../../shared/transport/errors';
import { locatorValue } from '../descriptions/locators';
import { checkMaxUsers, concurrencyOf, readDryRun, runSettings } from '../descriptions/options';
import { dryRunOperation } from './dryRun';
import type { ItemOperation, Resources } from './operation';
import { offersDryRun, removesAccess } from './operation';

/** The output item of a failed input item under Continue On Fail: who it was about, and what went wrong. */
export function errorItem(error: Error, itemIndex: number, key: IDataObject = {}): INodeExecutionData {
	return { json: { ...key, error: error.message }, pairedItem: { item: itemIndex } };
}

/** A failure of the whole run: thrown, or with Continue On Fail every input item's output. */
export function failRun(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	error: unknown,
): INodeExecutionData[] {
	const failure = toNodeError(context.getNode(), error);
	failure.context.itemIndex ??= 0;
	if (!context.continueOnFail()) throw failure;
	return items.map((_, i) => errorItem(failure, i));
}

/**
 * Output items from how each input item's work ended, in input order, paired with their input. A
 * failure fails the run, or with Continue On Fail gives the item `{...key, error}`.
 */
export function settledItems(
	context: IExecuteFunctions,
	settled: Array<Settled<IDataObject | IDataObject[]> | undefined>,
	keyOf: (itemIndex: number) => IDataObject = () => ({}),
): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	for (const [i, outcome] of settled.entries()) {
		if (outcome === undefined) continue; // not started after an earlier failure
		if (outcome.ok) {
			for (const json of [outcome.value].flat()) output.push({ json, pairedItem: { item: i } });
			continue;
		}
		const failure = toNodeError(context.getNode(), outcome.error, i);
		if (!context.continueOnFail()) throw failure;
		output.push(errorItem(failure, i, keyOf(i)));
	}
	return output;
}

/**
 * The input's key (login name or user ID) for a failed item, so a table of results shows who failed.
 * Read from the item's own parameters; nothing when they cannot be read (a broken expression).
 */
export function inputKey(context: IExecuteFunctions, itemIndex: number): IDataObject {
	try {
		const userName = context.getNodeParameter('userName', itemIndex, '') as unknown;
		if (typeof userName === 'string' && userName.trim()) return { userName: userName.trim() };
		const { mode, value } = locatorValue(context, 'userId', itemIndex);
		if (typeof value === 'string' && value.trim())
			return mode === 'userName' ? { userName: value.trim() } : { userId: value.trim() };
	} catch {
		// the key is a courtesy: the error itself says what is wrong
	}
	return {};
}

/** Runs a per-item operation for every input item, `concurrency` at a time. */
export async function runItems(
	this: IExecuteFunctions,
	client: CyberArkClient,
	items: INodeExecutionData[],
	operation: ItemOperation,
	concurrency: number,
): Promise<INodeExecutionData[]> {
	// No call before the fan-out: concurrent first requests that find no valid token share one token
	// exchange in the credential (its single flight), so the batch starts at once.
	const continueOnFail = this.continueOnFail();
	const settled = await mapConcurrent(
		items.length,
		concurrency,
		async (i) => await operation.execute.call(this, client, i),
		!continueOnFail,
	);
	return settledItems(this, settled, (i) => inputKey(this, i));
}

/** The node's `execute`: the operation of the run's resource and operation, over every input item. */
export async function route(this: IExecuteFunctions, resources: Resources): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation)
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resource}" is not supported`,
		);

	let client: CyberArkClient;
	let options: IDataObject;
	try {
		options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const dryRun = offersDryRun(operation) && readDryRun(this, items.length);
		if (removesAccess(operation)) checkMaxUsers(this, options, items.length, dryRun);
		client = await CyberArkClient.open(this, { ...runSettings(options), dryRun });
	} catch (error) {
		return [failRun(this, items, error)];
	}
	if ('executeAll' in operation) return [await operation.executeAll.call(this, client, items)];
	const perItem = client.dryRun ? dryRunOperation(operation, operationName) : operation;
	return [await runItems.call(this, client, items, perItem, concurrencyOf(options))];
}
