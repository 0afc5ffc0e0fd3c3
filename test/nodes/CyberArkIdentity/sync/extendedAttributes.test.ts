// Extended attributes in Create or Update, run in process against the sandbox's tenant (inProcess.ts):
// what a row gives, a joiner's written after it is created, a mover's only when they differ (read only
// for rows that give some), a second run writing nothing, Dry Run's plan, and how a failure is reported.
// The sandbox's SetColumns keeps only the columns it is sent, so a write that forgot the user's other
// values would lose them here.
import type { IDataObject } from 'n8n-workflow';

import { attributeChanges, rowAttributes } from '../../../../nodes/CyberArkIdentity/sync/extendedAttributes';
import { InProcessTenant } from './inProcess';
import type { OptionsSpec, RowSpec } from './scenario';
import { buildTenant, syncParameters, exampleOptions } from './scenario';

const options = (over: Partial<OptionsSpec> = {}): OptionsSpec => exampleOptions({ concurrency: 2, ...over });

type Row = RowSpec & { attrs?: Record<string, string>; name?: string };

const row = (n: number, attrs?: Record<string, string>, over: Partial<Row> = {}): Row => ({
	login: `p${n}@example.com`,
	email: `p${n}@acme.test`,
	active: true,
	dept: ['Eng'],
	...(attrs ? { attrs } : {}),
	...over,
});

/** Each row's attributes as the fixed collection gives them, its display name from `name`. */
async function sync(tenant: InProcessTenant, rows: Row[], over: Partial<OptionsSpec> = {}, dryRun = false) {
	const o = options(over);
	const parameters = syncParameters(o, dryRun);
	parameters.additionalFields = {
		...(parameters.additionalFields as IDataObject),
		displayName: (json: IDataObject) => json.name ?? '',
		extendedAttributes: {
			attribute: (json: IDataObject) =>
				Object.entries((json.attrs ?? {}) as IDataObject).map(([name, value]) => ({ name, value })),
		},
	};
	return await tenant.run(parameters, rows as unknown as IDataObject[], { continueOnFail: o.continueOnFail });
}

const idOf = (tenant: InProcessTenant, login: string) => tenant.sandbox.directory.findByName(login)!.Uuid;
const valuesOf = (tenant: InProcessTenant, login: string) =>
	tenant.sandbox.lifecycle.extendedValues.get(idOf(tenant, login));
const count = (paths: string[], path: string) => paths.filter((p) => p === path).length;
const GET = '/extdata/getcolumns';
const SET = '/extdata/setcolumns';

/** p1 and p2 exist in Eng and the scope role; p1 has an employee ID and a cost center, p2 none. */
function tenantWithUsers(): InProcessTenant {
	const tenant = buildTenant(
		[1, 2].map((n) => ({
			login: `p${n}@example.com`,
			email: `p${n}@acme.test`,
			state: 'None' as const,
			roles: ['Scope', 'Eng'],
		})),
	);
	tenant.sandbox.lifecycle.extendedValues.set(idOf(tenant, 'p1@example.com'), {
		EmployeeID: 'E-1',
		CostCenter: 'CC-1',
	});
	return tenant;
}

describe('the pure pieces', () => {
	test('rowAttributes: the attributes given a value; an empty value leaves one alone; none is undefined', () => {
		const list = (entries: Record<string, unknown>) => ({
			attribute: Object.entries(entries).map(([name, value]) => ({ name, value })),
		});
		expect(rowAttributes(list({ EmployeeID: 'E-1', CostCenter: '', Level: 3 }))).toEqual({
			given: { EmployeeID: 'E-1', Level: '3' },
		});
		expect(rowAttributes(list({ CostCenter: '' }))).toBeUndefined();
		expect(rowAttributes(undefined)).toBeUndefined();
		expect(() => rowAttributes(list({ a: '1', A: '2' }))).toThrow(/the attribute "A" is given twice/);
	});

	test("attributeChanges: only those that differ, from the current value (null for none), in CyberArk's spelling", () => {
		expect(
			attributeChanges(
				{ EmployeeID: 'E-1', CostCenter: 'CC-1', Level: 3 },
				{ employeeid: 'E-1', CostCenter: 'CC-2', Level: '3', Office: 'Berlin' },
			),
		).toEqual({ CostCenter: { from: 'CC-1', to: 'CC-2' }, Office: { from: null, to: 'Berlin' } });
		expect(attributeChanges({ Note: null }, { Note: 'x' })).toEqual({ Note: { from: null, to: 'x' } });
	});
});

test('a joiner: created, then its attributes written (read first), after its roles', async () => {
	const tenant = new InProcessTenant(['Eng', 'Fin', 'Sales', 'Scope']);
	const outcome = await sync(tenant, [row(0, { EmployeeID: 'E-0', CostCenter: 'CC-0' }), row(9)]);
	expect(outcome.error).toBeUndefined();
	expect(outcome.items.map((i) => i.json)).toEqual([
		expect.objectContaining({
			action: 'created',
			extendedAttributes: {
				EmployeeID: { from: null, to: 'E-0' },
				CostCenter: { from: null, to: 'CC-0' },
			},
		}),
		expect.not.objectContaining({ extendedAttributes: expect.anything() }),
	]);
	expect(valuesOf(tenant, 'p0@example.com')).toEqual({ EmployeeID: 'E-0', CostCenter: 'CC-0' });
	expect(valuesOf(tenant, 'p9@example.com')).toBeUndefined();
	expect(outcome.writes.indexOf(SET)).toBeGreaterThan(outcome.writes.lastIndexOf('/roles/updaterole'));
	// Read before the write (nothing to keep yet, but CyberArk's answer decides) and after it (did it stick?).
	expect([count(outcome.sent, GET), count(outcome.sent, SET)]).toEqual([2, 1]);
});

test('movers: read only for rows that give some; only the attributes that differ are written, the others kept', async () => {
	const tenant = tenantWithUsers();
	const outcome = await sync(tenant, [row(1, { CostCenter: 'CC-9' }), row(2)]);
	expect(outcome.error).toBeUndefined();
	expect(outcome.items.map((i) => [i.json.action, i.json.extendedAttributes])).toEqual([
		['updated', { CostCenter: { from: 'CC-1', to: 'CC-9' } }],
		['unchanged', undefined],
	]);
	expect(valuesOf(tenant, 'p1@example.com')).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-9' });
	// p1: read for the plan, written with every column, read back. p2 gives none: never read.
	expect(outcome.writes).toEqual([SET]);
	expect(count(outcome.sent, GET)).toBe(2);
	expect(tenant.sandbox.lifecycle.extendedValues.has(idOf(tenant, 'p2@example.com'))).toBe(false);
});

test('the same roster twice: the second run reads the attributes and writes nothing', async () => {
	const tenant = tenantWithUsers();
	const rows = [
		row(1, { EmployeeID: 'E-1', CostCenter: 'CC-2' }),
		row(2, { EmployeeID: 'E-2' }),
		row(3, { EmployeeID: 'E-3' }),
	];
	const first = await sync(tenant, rows);
	expect(first.items.map((i) => i.json.action)).toEqual(['updated', 'updated', 'created']);
	const second = await sync(tenant, rows);
	expect(second.error).toBeUndefined();
	expect(second.writes).toEqual([]);
	expect(second.items.map((i) => [i.json.action, i.json.extendedAttributes])).toEqual([
		['unchanged', {}],
		['unchanged', {}],
		['unchanged', {}],
	]);
	expect(count(second.sent, GET)).toBe(3);
});

test('an empty value, or an attribute the row does not mention, is never written', async () => {
	const tenant = tenantWithUsers();
	const outcome = await sync(tenant, [
		row(1, { EmployeeID: '', CostCenter: 'CC-1' }),
		row(2, { CostCenter: '' }),
	]);
	expect(outcome.items.map((i) => [i.json.action, i.json.extendedAttributes])).toEqual([
		['unchanged', {}],
		['unchanged', undefined],
	]);
	expect(outcome.writes).toEqual([]);
	expect(count(outcome.sent, GET)).toBe(1);
	expect(valuesOf(tenant, 'p1@example.com')).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-1' });
});

test('a row with Active off: disabled, and its attributes kept up to date; a skipped row reads nothing', async () => {
	const tenant = tenantWithUsers();
	const outcome = await sync(tenant, [
		row(1, { CostCenter: 'CC-9' }, { active: false }),
		row(5, { CostCenter: 'CC-5' }, { active: false }),
	]);
	expect(outcome.items.map((i) => [i.json.action, i.json.extendedAttributes])).toEqual([
		['disabled', { CostCenter: { from: 'CC-1', to: 'CC-9' } }],
		['skipped', {}],
	]);
	expect(count(outcome.sent, GET)).toBe(2);
	expect(valuesOf(tenant, 'p1@example.com')).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-9' });
});

test('Dry Run: the planned attribute changes and their SetColumns in each row, nothing written', async () => {
	const tenant = tenantWithUsers();
	const p1 = idOf(tenant, 'p1@example.com');
	const outcome = await sync(
		tenant,
		[
			row(1, { CostCenter: 'CC-9' }),
			row(2, { EmployeeID: 'E-2' }, { name: 'Two' }),
			row(0, { EmployeeID: 'E-0' }),
		],
		{},
		true,
	);
	expect(outcome.writes).toEqual([]);
	const [mover, renamed, joiner] = outcome.items.map((i) => i.json);
	expect(mover).toMatchObject({
		dryRun: true,
		action: 'updated',
		extendedAttributes: { CostCenter: { from: 'CC-1', to: 'CC-9' } },
		requests: [
			{
				path: '/ExtData/SetColumns',
				body: { Table: 'users', ID: p1, Columns: { EmployeeID: 'E-1', CostCenter: 'CC-9' } },
			},
		],
	});
	expect(renamed).toMatchObject({
		action: 'updated',
		extendedAttributes: { EmployeeID: { from: null, to: 'E-2' } },
	});
	expect((renamed.requests as IDataObject[]).map((r) => r.path)).toEqual([
		'/CDirectoryService/ChangeUser',
		'/ExtData/SetColumns',
	]);
	expect(joiner).toMatchObject({
		action: 'created',
		extendedAttributes: { EmployeeID: { from: null, to: 'E-0' } },
	});
	expect((joiner.requests as IDataObject[]).at(-1)).toEqual({
		path: '/ExtData/SetColumns',
		body: { Table: 'users', ID: '<ID of the new user p0@example.com>', Columns: { EmployeeID: 'E-0' } },
	});
	expect(valuesOf(tenant, 'p1@example.com')).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-1' });
	expect(tenant.sandbox.directory.findByName('p0@example.com')).toBeUndefined();
});

test("a write CyberArk refuses fails that row, saying its other changes were applied; the other rows' go through", async () => {
	const tenant = tenantWithUsers();
	const p2 = idOf(tenant, 'p2@example.com');
	tenant.refuse = (path, body) => (path === SET && body.ID === p2 ? 'Access denied.' : undefined);
	const outcome = await sync(
		tenant,
		[row(1, { CostCenter: 'CC-9' }), row(2, { EmployeeID: 'E-2' }, { name: 'Two', dept: ['Fin'] })],
		{ continueOnFail: true },
	);
	expect(outcome.items.map((i) => i.json.action ?? i.json.error)).toEqual([
		'updated',
		'p2@example.com: setting its extended attributes failed: Access denied.',
	]);
	expect(valuesOf(tenant, 'p1@example.com')).toEqual({ EmployeeID: 'E-1', CostCenter: 'CC-9' });
	// p2's name and roles changed all the same.
	const p2User = tenant.sandbox.directory.users.get(p2)!;
	expect(p2User.DisplayName).toBe('Two');
	expect(tenant.sandbox.directory.rolesOf(p2).map((r: { Name: string }) => r.Name)).toContain('Fin');

	// Without Continue On Fail the run fails with that item's error, after the writes already sent.
	const again = tenantWithUsers();
	again.refuse = (path) => (path === SET ? 'Access denied.' : undefined);
	const failed = await sync(again, [row(2, { EmployeeID: 'E-2' }, { name: 'Two' })]);
	expect(failed.error?.message).toBe(
		'p2@example.com: setting its extended attributes failed: Access denied.',
	);
	expect(failed.error?.description).toContain('The user was updated with its other changes');
	expect(again.sandbox.directory.findByName('p2@example.com')!.DisplayName).toBe('Two');
});

test('a refused write for a row with Active off: the user is disabled and signed out all the same, and says so', async () => {
	const tenant = tenantWithUsers();
	tenant.refuse = (path) => (path === SET ? 'Access denied.' : undefined);
	const failed = await sync(tenant, [row(1, { CostCenter: 'CC-9' }, { active: false })]);
	expect(failed.error?.description).toContain('The user was disabled with its other changes');
	expect(
		tenant.sandbox.directory.attributes(tenant.sandbox.directory.findByName('p1@example.com')!).State,
	).toBe('Disabled');
	expect(tenant.sandbox.signOuts).toEqual([idOf(tenant, 'p1@example.com')]);
});

test('a name the tenant does not define fails its row; a joiner says it was created', async () => {
	const tenant = new InProcessTenant(['Eng', 'Fin', 'Sales', 'Scope']);
	const outcome = await sync(tenant, [row(0, { Shoe: '44' })], { continueOnFail: true });
	expect(outcome.items[0].json.error).toBe(
		'p0@example.com: setting its extended attributes failed: Column Shoe does not exist in table users.',
	);
	expect(tenant.sandbox.directory.findByName('p0@example.com')).toBeDefined();
	const failed = await sync(new InProcessTenant(['Eng', 'Fin', 'Sales', 'Scope']), [row(0, { Shoe: '44' })]);
	expect(failed.error?.description).toContain('The user was created with its other changes');
});

test('a read that fails, or an answer in no known form, fails its row before any write', async () => {
	const tenant = tenantWithUsers();
	tenant.sandbox.lifecycle.getColumns = () => [{ EmployeeID: 'E-1' }] as never;
	const outcome = await sync(
		tenant,
		[row(1, { CostCenter: 'CC-9' }, { name: 'One' }), row(2, {}, { name: 'Two' })],
		{
			continueOnFail: true,
		},
	);
	expect(outcome.items[0].json.error).toMatch(
		/^p1@example.com: reading its extended attributes failed: .*GetColumns/,
	);
	expect(outcome.items[1].json.action).toBe('updated');
	expect(outcome.writes).toEqual(['/cdirectoryservice/changeuser']);
	expect(tenant.sandbox.directory.findByName('p1@example.com')!.DisplayName).not.toBe('One');

	const refusing = tenantWithUsers();
	refusing.refuse = (path) => (path === GET ? 'Access denied.' : undefined);
	const failed = await sync(refusing, [row(1, { CostCenter: 'CC-9' }, { name: 'One' })]);
	expect(failed.error?.message).toBe(
		'p1@example.com: reading its extended attributes failed: Access denied.',
	);
	expect(failed.error?.description).toContain('Nothing was changed for this user.');
	expect(failed.writes).toEqual([]);
});
