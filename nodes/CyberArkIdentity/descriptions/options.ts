// The parameters that govern a whole run: the options every operation that calls CyberArk has, the Dry
// Run switch every operation that writes has, and the Max Users limit of every operation that takes
// access away.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InvalidInput } from '../../shared/transport/errors';
import { requiredFlag } from '../../shared/validate';

export const MAX_CONCURRENCY = 20;

/** The Options of every operation that calls CyberArk's management API. */
export const RUN_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
		default: 1,
		description:
			'How many items to send to CyberArk at once (1 to 20). Output keeps the input order. A rate limit (HTTP 429) slows the whole batch down.',
	},
	{
		displayName: 'Max Requests per Second',
		name: 'maxRequestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: 90,
		description:
			"Requests per second to each CyberArk endpoint, shared by every execution this n8n instance runs. The default is CyberArk's documented limit (90 per endpoint); lower it for a tenant with other limits or to leave room for other integrations. 0 turns pacing off.",
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'How long to wait for CyberArk to answer one request before giving up on it',
	},
];

/** The run's options, read from the first item: they hold for the whole run. */
export function runSettings(options: IDataObject): { timeoutMs?: number; maxPerSecond?: number } {
	const rate = Number(options.maxRequestsPerSecond);
	return {
		timeoutMs: options.timeout === undefined ? undefined : Number(options.timeout) * 1000,
		maxPerSecond:
			options.maxRequestsPerSecond === undefined || !Number.isFinite(rate) || rate < 0 ? undefined : rate,
	};
}

/** The Concurrency option, bounded to 1..MAX_CONCURRENCY. */
export function concurrencyOf(options: IDataObject): number {
	const value = Math.floor(Number(options.concurrency ?? 1));
	return Number.isFinite(value) ? Math.min(Math.max(value, 1), MAX_CONCURRENCY) : 1;
}

export const dryRunField: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	hint: 'On: nothing is changed in CyberArk; each item shows what would be done',
	description:
		'Whether to only show what would be done: inputs are checked, users and roles looked up, and each item outputs the requests it would send (passwords masked). Nothing is changed in CyberArk.',
};

/**
 * Whether this run is a dry run. Fails closed: the switch must be true or false (the texts "true" and
 * "false" too, as expressions give them) on every item, or nothing is sent; one item saying true makes
 * the whole run a dry run.
 */
export function readDryRun(context: IExecuteFunctions, itemCount: number): boolean {
	const raw = context.getNode().parameters.dryRun;
	const perItem = typeof raw === 'string' && raw.startsWith('=');
	let dryRun = false;
	for (let i = 0; i < (perItem ? Math.max(itemCount, 1) : 1); i++) {
		try {
			dryRun = requiredFlag(context.getNodeParameter('dryRun', i, false), 'Dry Run') || dryRun;
		} catch (error) {
			const fix = error instanceof InvalidInput ? `${error.description} ` : '';
			throw new NodeOperationError(context.getNode(), error as Error, {
				itemIndex: i,
				description: `${fix}Nothing was sent to CyberArk: a Dry Run switch that cannot be read is not taken as off.`,
			});
		}
	}
	return dryRun;
}

export const DEFAULT_MAX_USERS = 10;

export const maxUsersOption: INodeProperties = {
	displayName: 'Max Users',
	name: 'maxUsers',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 0 },
	default: DEFAULT_MAX_USERS,
	description:
		'How many input items one run may take access away from. More fails the run before any change, so that a wrong input (a whole table instead of a few rows) cannot lock out the company; Dry Run still shows every item. Raise it for a run that is meant to be large.',
};

/** Max Users as a whole number from 0 up (or its digits as text); anything else is an error, never the default. */
function maxUsersOf(options: IDataObject): number {
	const value = options.maxUsers ?? DEFAULT_MAX_USERS;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
	// An expression (a webhook's query parameter) may give the digits as text.
	if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
	const shown =
		typeof value === 'string' ? (value === '' ? 'empty' : `the text "${value.slice(0, 40)}"`) : String(value);
	throw new InvalidInput(
		`Max Users must be a whole number from 0 up, but the value is ${shown}`,
		`Set Options > Max Users to how many users this run may take access away from, e.g. ${DEFAULT_MAX_USERS}. Nothing was sent to CyberArk.`,
	);
}

/**
 * Bounds a run of an operation that takes access away: more input items than Max Users fails the run
 * before anything is sent. A Dry Run goes on and says so in a warning, so the list can be read.
 */
export function checkMaxUsers(
	context: IExecuteFunctions,
	options: IDataObject,
	itemCount: number,
	dryRun: boolean,
): void {
	const max = maxUsersOf(options);
	if (itemCount <= max) return;
	const message = `${itemCount} input ${itemCount === 1 ? 'item would take' : 'items would each take'} access from a user, more than Max Users (${max})`;
	const advice =
		'The limit exists so that a wrong input cannot take access from many people at once. Turn on Dry Run to see every item; if the list is right, raise Options > Max Users for this run.';
	if (!dryRun) throw new InvalidInput(`${message}; nothing was changed`, advice);
	context.addExecutionHints({
		message: `A real run would stop here: ${message}. ${advice}`,
		type: 'warning',
		location: 'outputPane',
	});
}
