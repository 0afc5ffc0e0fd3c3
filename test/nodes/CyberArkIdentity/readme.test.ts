// The README's Operations table and the count it states are the node's operations, no more, no fewer.
import fs from 'node:fs';
import path from 'node:path';

import { resources } from '../../../nodes/CyberArkIdentity/CyberArkIdentity.node';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const start = readme.indexOf('\n## Operations\n');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

const node = Object.entries(resources).flatMap(([resource, operations]) =>
	Object.values(operations).map((operation) => `${resource}: ${operation.option.name}`),
);

test('the Operations table has a row for every operation of the node, and only those', () => {
	const rows = section
		.split('\n')
		.filter((line) => /^\| (Token|User|Role|Custom API Call) \|/.test(line))
		.map((line) => line.split('|').map((cell) => cell.trim()));
	const key = (resource: string) =>
		resource === 'Custom API Call' ? 'customApiCall' : resource.toLowerCase();
	const listed = rows.flatMap(([, resource, names]) =>
		names.split(' / ').map((name) => `${key(resource)}: ${name}`),
	);
	expect(listed.sort()).toEqual([...node].sort());
});

test('the count the README states is the number of operations', () => {
	const stated =
		/The node has \*\*(\d+) operations\*\*: (\d+) on tokens, (\d+) on users, (\d+) on roles and the Custom API Call\./.exec(
			section,
		);
	expect(stated).not.toBeNull();
	const [, total, tokens, users, roles] = stated!.map(Number);
	expect(Object.keys(resources.customApiCall)).toHaveLength(1);
	expect({ total, tokens, users, roles }).toEqual({
		total: node.length,
		tokens: Object.keys(resources.token).length,
		users: Object.keys(resources.user).length,
		roles: Object.keys(resources.role).length,
	});
});
