// `%` and `_` typed into a "contains" filter match only themselves: Get Many's Search and the role name
// filter, run through the node against the sandbox (which reads LIKE with ESCAPE as SQL does). The
// trigger's User Contains: test/nodes/CyberArkIdentityTrigger/trigger.test.ts.
import { LIKE_ESCAPE, sqlContains } from '../../../nodes/shared/redrock';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { CredentialStore, runNode } from '../../harness';

let sandbox: Sandbox;
let store: CredentialStore;

beforeAll(async () => {
	sandbox = await startSandbox({
		roles: [{ Name: 'Team a_c' }, { Name: 'Team abc' }, { Name: '100% Sales' }, { Name: '1000 Sales' }],
	});
	store = new CredentialStore(sandbox.credentials());
	for (const name of ['a_c', 'abc', 'a!c', 'a[c]'])
		sandbox.directory.addAccount({ Name: `${name}@example.com`, Password: 'Whatever-1' } as never);
});
afterAll(async () => sandbox.close());

async function names(resource: 'user' | 'role', filters: object): Promise<string[]> {
	const result = await runNode(store, { resource, operation: 'getAll', returnAll: true, filters });
	if (result.error) throw new Error(result.error.message);
	return result.items.map((i) => String(i.json[resource === 'user' ? 'userName' : 'name'])).sort();
}

test('the pattern: every wildcard, bracket and the escape character escaped, with its ESCAPE clause', () => {
	expect(LIKE_ESCAPE).toBe('!');
	expect(sqlContains("a_c%[x]!'", 'Search')).toBe("'%a!_c!%![x]!!''%' ESCAPE '!'");
});

test('Get Many users: a_c finds a_c, not abc; ! and [ are plain characters', async () => {
	expect(await names('user', { search: 'a_c@' })).toEqual(['a_c@example.com']);
	expect(await names('user', { search: 'a!c@' })).toEqual(['a!c@example.com']);
	expect(await names('user', { search: 'a[c]@' })).toEqual(['a[c]@example.com']);
	expect(await names('user', { search: '%' })).toEqual([]);
});

test('Get Many roles by name: 100% finds 100%, not 1000', async () => {
	expect(await names('role', { name: 'a_c' })).toEqual(['Team a_c']);
	expect(await names('role', { name: '100%' })).toEqual(['100% Sales']);
});
