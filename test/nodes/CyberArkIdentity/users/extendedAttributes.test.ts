// Extended attributes (ExtData, table "users"): the pure pieces, then Get / Set Extended Attributes and the
// Extended Attributes field of Create and Update against the sandbox tenant. The sandbox's SetColumns keeps
// only the columns it is sent (the stricter reading of an unconfirmed fact), so a write that forgot the
// user's other values would lose them here.
import {
	attributesFrom,
	columnsOf,
	mergeColumns,
} from '../../../../nodes/CyberArkIdentity/users/extendedAttributes';
import type { Sandbox } from '../../../../sandbox/server';
import { EXTENDED_ATTRIBUTES } from '../../../contract/fixtures';
import { startSandbox } from '../../../../sandbox/server';
import { CredentialStore, runNode } from '../../../harness';

describe('attributesFrom', () => {
	const list = (...attribute: object[]) => ({ attribute });
	test('name → value, values as text, an empty value clears', () => {
		expect(
			attributesFrom(
				list(
					{ name: ' EmployeeID ', value: 'E-1' },
					{ name: 'Level', value: 3 },
					{ name: 'Remote', value: true },
					{ name: 'CostCenter', value: '' },
				),
			),
		).toEqual({ EmployeeID: 'E-1', Level: '3', Remote: 'true', CostCenter: '' });
		expect(attributesFrom(undefined)).toEqual({});
		expect(attributesFrom({})).toEqual({});
	});
	test('a name twice (any case), an empty name, a non-list are refused', () => {
		expect(() => attributesFrom(list({ name: 'a', value: '1' }, { name: 'A', value: '2' }))).toThrow(
			/the attribute "A" is given twice/,
		);
		expect(() => attributesFrom(list({ name: ' ', value: '1' }))).toThrow(
			/Extended Attributes: Name is empty/,
		);
		expect(() => attributesFrom({ attribute: 'EmployeeID=1' })).toThrow(/must be a list of attributes/);
		expect(() => attributesFrom(list({ name: 'a', value: { x: 1 } }))).toThrow(/must be text/);
	});
});

describe('columnsOf reads the flat object GetColumns answers, and nothing else', () => {
	test.each(EXTENDED_ATTRIBUTES)('the recorded shape: $source', ({ result }) => {
		expect(columnsOf(result)).toEqual(result);
	});

	test('values, and no values', () => {
		expect(columnsOf({ EmployeeID: 'E-1', Level: 3, Remote: false, Note: null })).toEqual({
			EmployeeID: 'E-1',
			Level: 3,
			Remote: false,
			Note: null,
		});
		expect(columnsOf(null)).toEqual({});
		expect(columnsOf({})).toEqual({});
	});
	test.each([[['E-1']], ['E-1'], [{ Columns: { EmployeeID: 'E-1' } }], [{ Results: [] }]])(
		'%j is refused',
		(answer) => expect(() => columnsOf(answer)).toThrow(/GetColumns has no attribute values/),
	);
});

test('mergeColumns applies the given values over the current ones, in CyberArk spelling, and names what changes', () => {
	expect(
		mergeColumns({ EmployeeID: 'E-1', CostCenter: 'CC-1' }, { costcenter: 'CC-2', employeeid: 'E-1' }),
	).toEqual({
		columns: { EmployeeID: 'E-1', CostCenter: 'CC-2' },
		changed: ['CostCenter'],
	});
	expect(mergeColumns({ Level: 3 }, { Level: '3' }).changed).toEqual([]);
	expect(mergeColumns({ Note: null }, { Note: '' }).changed).toEqual([]);
	expect(mergeColumns({}, { Note: 'x' })).toEqual({ columns: { Note: 'x' }, changed: ['Note'] });
});

describe('against the sandbox', () => {
	let sandbox: Sandbox;
	let store: CredentialStore;
	let id: string;

	beforeEach(async () => {
		sandbox = await startSandbox({
			lifecycle: {
				extendedColumns: [{ Name: 'EmployeeID' }, { Name: 'CostCenter' }, { Name: 'Office' }],
			},
		});
		store = new CredentialStore(sandbox.credentials());
		id = sandbox.directory.createUser({ Name: 'jane@example.com', SendEmailInvite: false });
		sandbox.lifecycle.extendedValues.set(id, { EmployeeID: 'E-1', CostCenter: 'CC-1' });
		sandbox.resetCounters();
	});
	afterEach(async () => sandbox.close());

	const values = () => sandbox.lifecycle.extendedValues.get(id);
	const attrs = (entries: Record<string, string>) => ({
		attribute: Object.entries(entries).map(([name, value]) => ({ name, value })),
	});
	const user = (parameters: object) =>
		runNode(store, { resource: 'user', userId: { __rl: true, mode: 'id', value: id }, ...parameters }, [{}], {
			continueOnFail: true,
		});
	const sets = () => sandbox.counters.calls['/extdata/setcolumns'] ?? 0;

	test('Get Extended Attributes', async () => {
		const result = await user({ operation: 'getExtendedAttributes' });
		expect(result.items[0].json).toEqual({ id, attributes: { EmployeeID: 'E-1', CostCenter: 'CC-1' } });
	});

	test('Set changes the given attributes and keeps the others', async () => {
		const result = await user({
			operation: 'setExtendedAttributes',
			extendedAttributes: attrs({ CostCenter: 'CC-9', Office: 'Berlin' }),
		});
		expect(result.items[0].json).toEqual({
			id,
			attributes: { EmployeeID: 'E-1', CostCenter: 'CC-9', Office: 'Berlin' },
			changed: ['CostCenter', 'Office'],
		});
		expect(values()).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-9', Office: 'Berlin' });
	});

	test('Set twice: the second run reads, finds nothing to change and writes nothing', async () => {
		const parameters = {
			operation: 'setExtendedAttributes',
			extendedAttributes: attrs({ CostCenter: 'CC-9' }),
		};
		await user(parameters);
		const again = await user(parameters);
		expect(again.items[0].json).toMatchObject({ changed: [] });
		expect(sets()).toBe(1);
	});

	test('an empty value clears the attribute', async () => {
		await user({ operation: 'setExtendedAttributes', extendedAttributes: attrs({ CostCenter: '' }) });
		expect(values()).toEqual({ EmployeeID: 'E-1' });
	});

	test("an attribute the tenant does not define: CyberArk's refusal, nothing changed", async () => {
		const result = await user({
			operation: 'setExtendedAttributes',
			extendedAttributes: attrs({ Shoe: '44', CostCenter: 'CC-9' }),
		});
		expect(result.items[0].json.error).toMatch(/Column Shoe does not exist/);
		expect(values()).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-1' });
	});

	test('a tenant that takes a write and keeps nothing of it: the item fails and names the attribute', async () => {
		sandbox.lifecycle.setColumns = () => null;
		const result = await user({
			operation: 'setExtendedAttributes',
			extendedAttributes: attrs({ Office: 'Berlin' }),
		});
		expect(result.items[0].json.error).toMatch(/CyberArk did not keep the extended attribute "Office"/);
	});

	test('an answer the node cannot read is never written back', async () => {
		sandbox.lifecycle.getColumns = () => [{ EmployeeID: 'E-1' }] as never;
		const result = await user({
			operation: 'setExtendedAttributes',
			extendedAttributes: attrs({ Office: 'Berlin' }),
		});
		expect(result.items[0].json.error).toMatch(/GetColumns has no attribute values/);
		expect(sets()).toBe(0);
	});

	test('no attribute given: refused before anything is sent', async () => {
		const result = await user({ operation: 'setExtendedAttributes', extendedAttributes: {} });
		expect(result.items[0].json.error).toMatch(/No attribute to set/);
		expect(sandbox.counters.managementRequests).toBe(0);
	});

	test('Dry Run reads the values and shows the write with every column, changing nothing', async () => {
		const result = await user({
			operation: 'setExtendedAttributes',
			dryRun: true,
			extendedAttributes: attrs({ Office: 'Berlin' }),
		});
		expect(result.items[0].json).toEqual({
			dryRun: true,
			action: 'setExtendedAttributes',
			id,
			requests: [
				{
					path: '/ExtData/SetColumns',
					body: {
						Table: 'users',
						ID: id,
						Columns: { EmployeeID: 'E-1', CostCenter: 'CC-1', Office: 'Berlin' },
					},
				},
			],
		});
		expect(values()).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-1' });
	});

	test('Update with only extended attributes sends no ChangeUser', async () => {
		const result = await user({
			operation: 'update',
			updateFields: { extendedAttributes: attrs({ Office: 'Paris' }) },
		});
		expect(result.items[0].json).toMatchObject({
			id,
			userName: 'jane@example.com',
			extendedAttributes: { EmployeeID: 'E-1', CostCenter: 'CC-1', Office: 'Paris' },
		});
		expect(sandbox.counters.calls['/cdirectoryservice/changeuser']).toBeUndefined();
	});

	test('Update with fields and extended attributes sends both; with neither, nothing', async () => {
		const result = await user({
			operation: 'update',
			updateFields: { displayName: 'Jane D.', extendedAttributes: attrs({ EmployeeID: 'E-2' }) },
		});
		expect(result.items[0].json).toMatchObject({
			displayName: 'Jane D.',
			extendedAttributes: { EmployeeID: 'E-2' },
		});
		expect(sandbox.directory.users.get(id)!.DisplayName).toBe('Jane D.');
		expect(values()).toEqual({ EmployeeID: 'E-2', CostCenter: 'CC-1' });
		sandbox.resetCounters();
		const nothing = await user({ operation: 'update', updateFields: { extendedAttributes: {} } });
		expect(nothing.items[0].json.error).toMatch(/Nothing to update/);
		expect(sandbox.counters.calls['/cdirectoryservice/changeuser']).toBeUndefined();
	});

	test('a bad attribute stops Update before ChangeUser is sent', async () => {
		const result = await user({
			operation: 'update',
			updateFields: {
				displayName: 'Never',
				extendedAttributes: { attribute: [{ name: '', value: 'x' }] },
			},
		});
		expect(result.items[0].json.error).toMatch(/Name is empty/);
		expect(sandbox.directory.users.get(id)!.DisplayName).not.toBe('Never');
	});

	describe('Create', () => {
		const create = (parameters: object) =>
			runNode(
				store,
				{
					resource: 'user',
					operation: 'create',
					userName: 'new@example.com',
					email: 'new@acme.test',
					...parameters,
				},
				[{}],
				{ continueOnFail: true },
			);

		test('a new user gets the attributes', async () => {
			const result = await create({ additionalFields: { extendedAttributes: attrs({ EmployeeID: 'E-7' }) } });
			const created = result.items[0].json;
			expect(created).toMatchObject({ created: true, extendedAttributes: { EmployeeID: 'E-7' } });
			expect(sandbox.lifecycle.extendedValues.get(created.id as string)).toEqual({ EmployeeID: 'E-7' });
		});

		test('On Existing User: Update sets them and keeps the others; Return Existing writes nothing', async () => {
			const existing = { userName: 'jane@example.com', email: 'jane@acme.test' };
			const returned = await create({
				...existing,
				additionalFields: { extendedAttributes: attrs({ Office: 'Rome' }) },
				options: { onExisting: 'returnExisting' },
			});
			expect(returned.items[0].json).toMatchObject({ id, created: false });
			expect(sets()).toBe(0);
			const updated = await create({
				...existing,
				additionalFields: { extendedAttributes: attrs({ Office: 'Rome' }) },
				options: { onExisting: 'update' },
			});
			expect(updated.items[0].json).toMatchObject({ id, updated: true });
			expect(values()).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-1', Office: 'Rome' });
		});

		test('a failed write says the user exists', async () => {
			const result = await create({ additionalFields: { extendedAttributes: attrs({ Shoe: '44' }) } });
			const created = sandbox.directory.findByName('new@example.com')!;
			expect(result.items[0].json.error).toBe(
				`The user ${created.Uuid} exists, but setting its extended attributes failed: Column Shoe does not exist in table users.`,
			);
		});

		test('Dry Run of a new user shows the write, with no ID yet, and creates nothing', async () => {
			const result = await create({
				dryRun: true,
				additionalFields: { extendedAttributes: attrs({ EmployeeID: 'E-7' }) },
			});
			expect((result.items[0].json.requests as Array<{ path: string }>).map((r) => r.path)).toEqual([
				'/CDirectoryService/CreateUser',
				'/ExtData/SetColumns',
			]);
			expect(sandbox.directory.findByName('new@example.com')).toBeUndefined();
		});
	});
});
