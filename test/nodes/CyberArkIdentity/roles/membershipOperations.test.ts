// Add to Role and Remove From Role over many input items: every item's user and role resolved first,
// then one UpdateRole call per role and batch, each item keeping its own outcome, paired with it.
import type { IDataObject } from 'n8n-workflow';

import { InProcessTenant } from '../sync/inProcess';

let tenant: InProcessTenant;
let ids: string[];
let finance: string;

beforeEach(() => {
	tenant = new InProcessTenant(['Finance', 'Sales']);
	const d = tenant.sandbox.directory;
	ids = Array.from({ length: 30 }, (_, n) =>
		d.createUser({ Name: `m${n}@example.com`, SendEmailInvite: false }),
	);
	finance = [...d.roles.values()].find((r) => r.Name === 'Finance')!.ID;
});

const members = () => tenant.sandbox.directory.roles.get(finance)!.members;

function membership(operation: 'addToRole' | 'removeFromRole', role: unknown = 'Finance', dryRun = false) {
	return {
		resource: 'user',
		operation,
		dryRun,
		userId: { __rl: true, mode: 'id', value: (json: IDataObject) => json.id },
		roleId: { __rl: true, mode: 'name', value: role },
		options: { maxRequestsPerSecond: 0, concurrency: 4 },
	};
}

test('30 items added to a role: one UpdateRole call, one output item per input item, in order', async () => {
	const outcome = await tenant.run(
		membership('addToRole'),
		ids.map((id) => ({ id })),
	);
	expect(outcome.error).toBeUndefined();
	expect(outcome.writes).toEqual(['/roles/updaterole']);
	expect(outcome.items.map((i) => i.json)).toEqual(
		ids.map((id) => ({ id, roleId: finance, roleName: 'Finance', member: true })),
	);
	expect(outcome.items.map((i) => i.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
	expect(members().size).toBe(30);

	const removed = await tenant.run(
		membership('removeFromRole'),
		ids.slice(0, 10).map((id) => ({ id })),
	);
	expect(removed.writes).toEqual(['/roles/updaterole']);
	expect(members().size).toBe(20);
});

test('an unknown user among them fails its own item only (Continue On Fail), the others are members', async () => {
	const ghost = '00000000-0000-0000-0000-000000000000';
	const input = [...ids.slice(0, 7).map((id) => ({ id })), { id: ghost }];
	const outcome = await tenant.run(membership('addToRole'), input, { continueOnFail: true });
	expect(outcome.items.map((i) => i.json.error ?? i.json.member)).toEqual([
		...Array(7).fill(true),
		`User ${ghost} not found.`,
	]);
	// The failed item names its user and role before its error.
	expect(outcome.items[7]).toEqual({
		json: { id: ghost, roleName: 'Finance', error: `User ${ghost} not found.` },
		pairedItem: { item: 7 },
	});
	expect(Object.keys(outcome.items[7].json)).toEqual(['id', 'roleName', 'error']);
	expect(members().size).toBe(7);
	// 8 → 4 + 4 → (4 ok) 2 + 2 → (2 ok) 1 + 1.
	expect(outcome.writes).toHaveLength(7);
});

test('without Continue On Fail an item that cannot be resolved stops the run before anything is sent', async () => {
	const outcome = await tenant.run(membership('addToRole'), [{ id: ids[0] }, { id: 'not-a-uuid' }]);
	expect(outcome.error?.message).toBe('User ID "not-a-uuid" is not a CyberArk user ID');
	expect(outcome.writes).toEqual([]);
	const noRole = await tenant.run(membership('addToRole', 'Marketing'), [{ id: ids[0] }]);
	expect(noRole.error?.message).toBe(
		'Role: no role named "Marketing" (or with that ID) exists in the tenant',
	);
	expect(noRole.writes).toEqual([]);
	expect(members().size).toBe(0);
});

test('Dry Run: each item shows its own part of the batch, nothing is sent', async () => {
	const outcome = await tenant.run(
		membership('addToRole', 'Finance', true),
		ids.slice(0, 3).map((id) => ({ id })),
	);
	expect(outcome.writes).toEqual([]);
	expect(outcome.items.map((i) => i.json)).toEqual(
		ids.slice(0, 3).map((id) => ({
			dryRun: true,
			action: 'addToRole',
			id,
			roleId: finance,
			roleName: 'Finance',
			requests: [{ path: '/Roles/UpdateRole', body: { Name: finance, Users: { Add: [id] } }, batched: true }],
		})),
	);
	expect(members().size).toBe(0);
});
