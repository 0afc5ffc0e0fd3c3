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
import { DRY_RUN_HINT, dryRunOperation } from './dryRun';
import type { ItemOperation, Resources } from './operation';
import { offersDryRun, removesAccess } from './operation';

/**
 * The output item of a failed input item under Continue On Fail: who it was about, then what went
 * wrong. Under On Error "Continue (using error output)" only the error: n8n routes an item to the error
 * output only when its JSON has nothing else, and adds the input item's fields there itself.
 */
export function errorItem(
	context: IExecuteFunctions,
	error: Error,
	itemIndex: number,
	key: IDataObject = {},
): INodeExecutionData {
	const toErrorOutput = context.getNode().onError === 'continueErrorOutput';
	return { json: { ...(toErrorOutput ? {} : key), error: error.message }, pairedItem: { item: itemIndex } };
}

/** A failure of the whole run: thrown, or with Continue On Fail every input item's output, with its key. */
export function failRun(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	error: unknown,
): INodeExecutionData[] {
	const failure = toNodeError(context.getNode(), error);
	failure.context.itemIndex ??= 0;
	if (!context.continueOnFail()) throw failure;
	return items.map((_, i) => errorItem(context, failure, i, inputKey(context, i)));
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
		output.push(errorItem(context, failure, i, keyOf(i)));
	}
	return output;
}

/** A text parameter of the item, trimmed; undefined when absent, empty or unreadable. */
function textParameter(context: IExecuteFunctions, name: string, itemIndex: number): string | undefined {
	try {
		const value = context.getNodeParameter(name, itemIndex, '') as unknown;
		return typeof value === 'string' && value.trim() ? value.trim() : undefined;
	} catch {
		return undefined;
	}
}

/** A picker's value under `byName` (given by name or login name) or `byId` (picked, or given by ID). */
function pickerKey(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	keys: { byName: string; byId: string; nameMode: string },
): IDataObject {
	try {
		const { mode, value } = locatorValue(context, name, itemIndex);
		if (typeof value !== 'string' || !value.trim()) return {};
		return { [mode === keys.nameMode ? keys.byName : keys.byId]: value.trim() };
	} catch {
		return {};
	}
}

/** The parameters that name a user or a role: a text field, or else a picker (by name or by ID). */
const INPUT_KEYS = [
	{ text: 'userName', picker: 'userId', byName: 'userName', byId: 'id', nameMode: 'userName' },
	{ text: 'roleName', picker: 'roleId', byName: 'roleName', byId: 'roleId', nameMode: 'name' },
];

/**
 * Who or what a failed item was about, from its own parameters, so that a table of results shows it
 * beside the error: the user (`userName`, or `id`, the column a user operation's output starts with),
 * the role (`roleName` or `roleId`), the custom call's `path`. Nothing when they cannot be read (a
 * broken expression): the key is a courtesy; the error itself says what is wrong.
 */
export function inputKey(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const key: IDataObject = {};
	for (const { text, picker, ...keys } of INPUT_KEYS) {
		const given = textParameter(context, text, itemIndex);
		Object.assign(key, given ? { [text]: given } : pickerKey(context, picker, itemIndex, keys));
	}
	const path = textParameter(context, 'path', itemIndex);
	if (path) key.path = path;
	return key;
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
	const output =
		'executeAll' in operation
			? await operation.executeAll.call(this, client, items)
			: await runItems.call(
					this,
					client,
					items,
					client.dryRun ? dryRunOperation(operation, operationName) : operation,
					concurrencyOf(options),
				);
	// After the operation's own hints (a Dry Run over the limits says so first).
	if (client.dryRun) this.addExecutionHints(DRY_RUN_HINT);
	return [output];
}
