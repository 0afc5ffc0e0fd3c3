// The operations that take access away from the user of each item (Disable, Delete, Lock, Sign Out
// Everywhere, Remove From Role) are bounded per run by Max Users: over it, the run fails before any
// write; Dry Run still shows every item and warns. Run in process against the sandbox's tenant.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CyberArkIdentity, resources } from '../../../nodes/CyberArkIdentity/CyberArkIdentity.node';
import { InProcessTenant } from './sync/inProcess';

let tenant: InProcessTenant;
let ids: string[];

beforeEach(() => {
	tenant = new InProcessTenant(['Finance']);
	const d = tenant.sandbox.directory;
	ids = Array.from({ length: 24 }, (_, n) =>
		d.createUser({ Name: `m${n}@example.com`, SendEmailInvite: false }),
	);
	const finance = [...d.roles.values()].find((r) => r.Name === 'Finance')!.ID;
	d.updateRole({ Name: finance, Users: { Add: ids } });
});

const REMOVING = ['delete', 'disable', 'lock', 'removeFromRole', 'signOut'];

function parameters(operation: string, options: IDataObject = {}, dryRun = false): IDataObject {
	return {
		resource: 'user',
		operation,
		dryRun,
		userId: { __rl: true, mode: 'id', value: (json: IDataObject) => json.id },
		roleId: { __rl: true, mode: 'name', value: 'Finance' },
		options: { maxRequestsPerSecond: 0, ...options },
	};
}
const input = (count: number, from = 0) => ids.slice(from, from + count).map((id) => ({ id }));

test('exactly the operations that take access away say so', () => {
	const marked = Object.entries(resources.user)
		.filter(([, operation]) => 'removesAccess' in operation && operation.removesAccess === true)
		.map(([name]) => name);
	expect(marked.sort()).toEqual(REMOVING);
	for (const resource of [resources.role, resources.token])
		expect(Object.values(resource).some((operation) => 'removesAccess' in operation)).toBe(false);
});

test('Max Users is an option of those operations only, default 10', () => {
	const { properties } = new CyberArkIdentity().description;
	const offering = properties
		.filter((p) => p.name === 'options' && p.displayOptions?.show?.resource?.includes('user'))
		.filter((p) => (p.options as INodeProperties[]).some((o) => o.name === 'maxUsers'));
	expect(offering.flatMap((p) => p.displayOptions!.show!.operation as string[]).sort()).toEqual(REMOVING);
	const option = (offering[0].options as INodeProperties[]).find((o) => o.name === 'maxUsers')!;
	expect(option).toMatchObject({ displayName: 'Max Users', type: 'number', default: 10 });
});

describe.each(REMOVING)('%s', (operation) => {
	test('11 items with the default limit: the run fails before anything is written', async () => {
		const outcome = await tenant.run(parameters(operation), input(11));
		expect(outcome.error?.message).toBe(
			'11 input items would each take access from a user, more than Max Users (10); nothing was changed',
		);
		expect(outcome.error?.description).toMatch(/Dry Run/);
		expect(outcome.writes).toEqual([]);
	});

	test('Continue On Fail does not lift the limit: every item carries the error', async () => {
		const outcome = await tenant.run(parameters(operation), input(11), { continueOnFail: true });
		expect(outcome.items.map((i) => i.json.error)).toEqual(
			Array(11).fill(expect.stringMatching(/Max Users/)),
		);
		expect(outcome.writes).toEqual([]);
	});

	test('Dry Run still shows every item, and warns that a real run would stop', async () => {
		const outcome = await tenant.run(parameters(operation, {}, true), input(11));
		expect(outcome.error).toBeUndefined();
		expect(outcome.items.map((i) => i.json.dryRun)).toEqual(Array(11).fill(true));
		// The warning first, then the note every Dry Run ends with.
		expect(outcome.hints.map((h) => h.message)).toEqual([
			expect.stringMatching(/^A real run would stop here: 11 input items .* more than Max Users \(10\)/),
			expect.stringMatching(/^Dry Run: nothing was changed in CyberArk\./),
		]);
		expect(outcome.writes).toEqual([]);
	});

	test('within the limit it runs; the limit raised for the run lets more through', async () => {
		expect((await tenant.run(parameters(operation), input(10))).error).toBeUndefined();
		const raised = await tenant.run(parameters(operation, { maxUsers: 12 }), input(12, 10));
		expect(raised.error).toBeUndefined();
		expect(raised.items).toHaveLength(12);
	});
});

test.each([
	['', 'empty'],
	['ten', 'the text "ten"'],
	[-1, '-1'],
	[2.5, '2.5'],
])(
	'Max Users %p cannot be read: the run fails before anything is sent, Dry Run too',
	async (value, shown) => {
		for (const dryRun of [false, true]) {
			const outcome = await tenant.run(parameters('disable', { maxUsers: value }, dryRun), input(1));
			expect(outcome.error?.message).toBe(
				`Max Users must be a whole number from 0 up, but the value is ${shown}`,
			);
			expect(outcome.sent).toEqual([]);
		}
	},
);

test('Max Users given as digits by an expression is read as the number', async () => {
	const outcome = await tenant.run(parameters('disable', { maxUsers: '11' }), input(11));
	expect(outcome.error).toBeUndefined();
	expect(outcome.items).toHaveLength(11);
});

test('Max Users 0 lets no item through', async () => {
	const outcome = await tenant.run(parameters('signOut', { maxUsers: 0 }), input(1));
	expect(outcome.error?.message).toBe(
		'1 input item would take access from a user, more than Max Users (0); nothing was changed',
	);
	expect(outcome.writes).toEqual([]);
});

test('an operation that gives access back is not bounded', async () => {
	const outcome = await tenant.run(parameters('enable'), input(12));
	expect(outcome.error).toBeUndefined();
	expect(outcome.items).toHaveLength(12);
});
