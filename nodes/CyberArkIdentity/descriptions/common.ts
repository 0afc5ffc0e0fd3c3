// Description pieces that several operations share, each beside the function that reads it.
import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { CyberArkClient } from '../../shared/transport/client';
import { WRITE_OPERATIONS } from '../../shared/transport/dryRun';
import { upsertOptions } from '../sync/options';

/** What every operation file exports; the resource index collects them under their operation value. */
export interface Operation {
	/** The operation's entry in the Operation list, less its value (the export name in the resource index). */
	option: Omit<INodePropertyOptions, 'value'>;
	/** The operation's own parameters; `displayOptions` are added for its resource and operation. */
	description: INodeProperties[];
	/** Runs once for the whole run, every input item getting its output (Get Token). */
	once?: boolean;
	/** Runs the operation for one input item: its output item(s). */
	execute(
		this: IExecuteFunctions,
		client: CyberArkClient,
		itemIndex: number,
	): Promise<IDataObject | IDataObject[]>;
}

/**
 * An operation that must see every input item before it writes anything (Create or Update: plan
 * all, check the deprovisioning limit, then apply): it returns the run's output items itself.
 */
export interface RunOperation {
	option: Omit<INodePropertyOptions, 'value'>;
	description: INodeProperties[];
	executeAll(
		this: IExecuteFunctions,
		client: CyberArkClient,
		items: INodeExecutionData[],
	): Promise<INodeExecutionData[]>;
}

/** Any operation a resource index lists. */
export type AnyOperation = Operation | RunOperation;

/** Adds `resource` and `operation` conditions to what an operation shows. */
export function showFor(
	resource: string,
	operation: string,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => {
		const show = property.displayOptions?.show ?? {};
		const displayOptions: IDisplayOptions = {
			...property.displayOptions,
			show: { ...show, resource: [resource], operation: [operation] },
		};
		return { ...property, displayOptions };
	});
}

/** The Operation parameter and every operation's parameters of one resource. */
export function resourceDescription(
	resource: string,
	operations: Record<string, AnyOperation>,
	defaultOperation: string,
): INodeProperties[] {
	const names = Object.keys(operations).sort((a, b) =>
		operations[a].option.name.localeCompare(operations[b].option.name),
	);
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: names.map((name) => ({ ...operations[name].option, value: name })),
			default: defaultOperation,
		},
		...names.flatMap((name) => showFor(resource, name, operations[name].description)),
	];
}

/** Options of every operation that runs per item (all but Token). */
export const runOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['user', 'role'] } },
	// Sorted by name, as n8n lists a collection's options.
	options: (<INodeProperties[]>[
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
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
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/resource': ['user'], '/operation': WRITE_OPERATIONS.user } },
			description:
				'Whether to only show what would be done: inputs are checked and users and roles looked up, and each item outputs the requests it would send (passwords masked). Nothing is changed in CyberArk.',
		},
		{
			displayName: 'On Existing User',
			name: 'onExisting',
			type: 'options',
			default: 'error',
			displayOptions: { show: { '/resource': ['user'], '/operation': ['create'] } },
			description:
				'What to do when a user with this login name already exists, e.g. when an HR system sends the same new hire twice',
			options: [
				{
					name: 'Fail',
					value: 'error',
					description: "Fail the item with CyberArk's message",
				},
				{
					name: 'Return Existing User',
					value: 'returnExisting',
					description: 'Output the existing user unchanged',
				},
				{
					name: 'Update Existing User',
					value: 'update',
					description: 'Apply the given fields to the existing user and output it',
				},
			],
		},
		...upsertOptions,
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: 'How long to wait for CyberArk to answer one request before giving up on it',
		},
	]).sort((a, b) => a.displayName.localeCompare(b.displayName)),
};

/** The run's options, read from the first item: they hold for the whole run. */
export function runSettings(options: IDataObject): { timeoutMs?: number; maxPerSecond?: number } {
	const rate = Number(options.maxRequestsPerSecond);
	return {
		timeoutMs: options.timeout === undefined ? undefined : Number(options.timeout) * 1000,
		maxPerSecond:
			options.maxRequestsPerSecond === undefined || !Number.isFinite(rate) || rate < 0 ? undefined : rate,
	};
}

export const userLocator: INodeProperties = {
	displayName: 'User',
	name: 'userId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The user to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user...',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'By Login Name',
			name: 'userName',
			type: 'string',
			placeholder: 'e.g. jane.doe@acme.example',
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. c2c7bcc6-9560-44e0-8dff-5be221cd37ee',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
						errorMessage: 'A user ID looks like c2c7bcc6-9560-44e0-8dff-5be221cd37ee',
					},
				},
			],
		},
	],
};

export const roleLocator: INodeProperties = {
	displayName: 'Role',
	name: 'roleId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The role to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a role...',
			typeOptions: { searchListMethod: 'searchRoles', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Finance',
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 7f3c2a8e_5b1d_4c6e_9a0f_2d4b6c8e0a1f',
		},
	],
};

/** A resource locator's mode and value (a plain string from an old workflow or an expression is an ID). */
export function locatorValue(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
): { mode: string; value: unknown } {
	const locator = context.getNodeParameter(name, itemIndex) as INodeParameterResourceLocator | string;
	return typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator };
}

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		"Whether to return a flat, readable record (ISO dates, true/false) instead of CyberArk's raw record",
};

export const pagingFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many results Get Many should return: undefined for Return All, else Limit. */
export function resultLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	return context.getNodeParameter('limit', itemIndex, 50) as number;
}
