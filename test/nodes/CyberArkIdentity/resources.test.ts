import type { INodePropertyOptions } from 'n8n-workflow';

import { CyberArkIdentity } from '../../../nodes/CyberArkIdentity/CyberArkIdentity.node';
import * as resources from '../../../nodes/CyberArkIdentity/actions';

const { properties } = new CyberArkIdentity().description;
const handlers = resources as unknown as Record<
	string,
	Record<string, { execute?: unknown; executeAll?: unknown }>
>;

function offered(): Array<[string, string]> {
	const resourceParam = properties.find((p) => p.name === 'resource')!;
	return (resourceParam.options as INodePropertyOptions[]).flatMap(({ value: resource }) => {
		const operationParam = properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
		);
		return (operationParam!.options as INodePropertyOptions[]).map(
			({ value }) => [String(resource), String(value)] as [string, string],
		);
	});
}

test('every operation the editor offers has a handler, and every handler is offered', () => {
	const pairs = offered();
	expect(pairs.length).toBe(16);
	for (const [resource, operation] of pairs) {
		const handler = handlers[resource]?.[operation];
		expect(typeof (handler?.execute ?? handler?.executeAll)).toBe('function');
	}
	const all = Object.entries(handlers).flatMap(([resource, ops]) =>
		Object.keys(ops).map((op) => `${resource}:${op}`),
	);
	expect(all.sort()).toEqual(pairs.map(([r, o]) => `${r}:${o}`).sort());
});

test('each operation parameter shows for its own resource and operation only', () => {
	for (const property of properties.filter((p) => !['resource', 'operation', 'options'].includes(p.name))) {
		const show = property.displayOptions?.show ?? {};
		expect(show.resource).toHaveLength(1);
		expect(show.operation).toHaveLength(1);
	}
});

test('the operations are listed alphabetically with an action each', () => {
	for (const operationParam of properties.filter((p) => p.name === 'operation')) {
		const names = (operationParam.options as INodePropertyOptions[]).map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		for (const option of operationParam.options as INodePropertyOptions[]) expect(option.action).toBeTruthy();
	}
});
