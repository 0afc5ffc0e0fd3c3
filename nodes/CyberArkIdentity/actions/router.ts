import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CyberArkClient } from '../../shared/transport/client';
import { toNodeError } from '../../shared/transport/errors';
import type { Operation } from '../descriptions/common';
import { locatorValue } from '../descriptions/common';

export const MAX_CONCURRENCY = 20;

type Outcome = { ok: true; json: IDataObject[] } | { ok: false; error: unknown };

/**
 * Calls `task` for indexes 0..count-1 with at most `concurrency` running at once, and returns
 * the outcomes in index order whatever the order of completion. After a failure with `stopOnError`,
 * no new task starts; those already running finish.
 */
export async function mapConcurrent(
	count: number,
	concurrency: number,
	task: (index: number) => Promise<IDataObject | IDataObject[]>,
	stopOnError: boolean,
): Promise<Array<Outcome | undefined>> {
	const outcomes: Array<Outcome | undefined> = Array.from({ length: count }, () => undefined);
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < count) {
			const index = next++;
			try {
				const result = await task(index);
				outcomes[index] = { ok: true, json: Array.isArray(result) ? result : [result] };
			} catch (error) {
				outcomes[index] = { ok: false, error };
				if (stopOnError) stopped = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return outcomes;
}

/** The Concurrency option of the first item, bounded to 1..MAX_CONCURRENCY. */
export function concurrencyOf(options: IDataObject): number {
	const value = Math.floor(Number(options.concurrency ?? 1));
	return Number.isFinite(value) ? Math.min(Math.max(value, 1), MAX_CONCURRENCY) : 1;
}

/** The output item of a failed input item under Continue On Fail: who it was about, and what went wrong. */
export function errorItem(error: Error, itemIndex: number, key: IDataObject = {}): INodeExecutionData {
	return { json: { ...key, error: error.message }, pairedItem: { item: itemIndex } };
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

/**
 * Runs an operation for every input item and returns one output item (or several, for lists) per
 * input item, in input order with `pairedItem` set. With Continue On Fail a failed item gives
 * `{error}`; otherwise the first failed item (in input order) fails the run.
 */
export async function runItems(
	this: IExecuteFunctions,
	client: CyberArkClient,
	items: INodeExecutionData[],
	operation: Operation,
	concurrency: number,
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	if (concurrency > 1 && items.length > 1) {
		try {
			await client.warmUp();
		} catch (error) {
			// Each item then reports the failure itself.
			if (!continueOnFail) throw toNodeError(this.getNode(), error, 0);
		}
	}
	const outcomes = await mapConcurrent(
		items.length,
		concurrency,
		(i) => operation.execute.call(this, client, i),
		!continueOnFail,
	);
	const output: INodeExecutionData[] = [];
	for (let i = 0; i < outcomes.length; i++) {
		const outcome = outcomes[i];
		if (outcome === undefined) continue; // not started after an earlier failure
		if (outcome.ok) {
			for (const json of outcome.json) output.push({ json, pairedItem: { item: i } });
			continue;
		}
		const failure = toNodeError(this.getNode(), outcome.error, i);
		if (!continueOnFail) throw failure;
		output.push(errorItem(failure, i, inputKey(this, i)));
	}
	return output;
}

/** Runs an operation once for the whole run (Get Token) and gives every input item its output. */
export async function runOnce(
	this: IExecuteFunctions,
	client: CyberArkClient,
	items: INodeExecutionData[],
	operation: Operation,
): Promise<INodeExecutionData[]> {
	try {
		const json = await operation.execute.call(this, client, 0);
		return items.map((_, i) => ({ json: { ...(json as IDataObject) }, pairedItem: { item: i } }));
	} catch (error) {
		const failure = toNodeError(this.getNode(), error, 0);
		if (!this.continueOnFail()) throw failure;
		return items.map((_, i) => errorItem(failure, i));
	}
}
