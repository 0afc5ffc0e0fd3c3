// The node's parameters, derived from the operation modules: each resource's Operation list, and for each
// operation its Dry Run switch (when it writes), its own parameters and its Options.
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { Operation, Resources } from '../actions/operation';
import { offersDryRun, removesAccess } from '../actions/operation';
import { dryRunField, maxUsersOption } from './options';

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

function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		// Sorted by name, as n8n lists a collection's options.
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/**
 * Everything an operation shows: Dry Run first when it writes, its parameters, then its Options (with
 * Max Users when it takes access away).
 */
export function operationParameters(operation: Operation): INodeProperties[] {
	const options = [...(operation.options ?? []), ...(removesAccess(operation) ? [maxUsersOption] : [])];
	return [
		...(offersDryRun(operation) ? [dryRunField] : []),
		...operation.description,
		...(options.length > 0 ? [optionsCollection(options)] : []),
	];
}

/**
 * The node's subtitle on the canvas, in the names the editor shows: "<Operation>: <Resource>", e.g.
 * "Create or Update: User"; an operation named like its resource, once. An expression n8n evaluates; a
 * flat lookup table, since the expression ends at the first `}}`.
 */
export function subtitleExpression(resourceNames: Record<string, string>, resources: Resources): string {
	const names: Record<string, string> = {};
	for (const [resource, operations] of Object.entries(resources)) {
		for (const [value, { option }] of Object.entries(operations)) {
			const resourceName = resourceNames[resource];
			names[`${resource}:${value}`] =
				option.name === resourceName ? option.name : `${option.name}: ${resourceName}`;
		}
	}
	return `={{ (${JSON.stringify(names)})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`;
}

/** The Resource parameter: the resources by name, sorted as n8n sorts option lists. */
export function resourceParameter(
	resourceNames: Record<string, string>,
	defaultResource: string,
): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: Object.entries(resourceNames)
			.map(([value, name]) => ({ name, value }))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultResource,
	};
}

/** The Operation parameter of one resource, then every operation's parameters. */
export function resourceParameters(
	resource: string,
	operations: Record<string, Operation>,
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
		...names.flatMap((name) => showFor(resource, name, operationParameters(operations[name]))),
	];
}
