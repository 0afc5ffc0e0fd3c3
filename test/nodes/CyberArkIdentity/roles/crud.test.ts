// Role → Create, Update, Delete against the sandbox tenant: each safe to run twice, a lost answer
// resolved by reading the tenant rather than by sending the write again, Dry Run writing nothing.
import type { Sandbox } from '../../../../sandbox/server';
import { startSandbox } from '../../../../sandbox/server';
import { CredentialStore, runNode } from '../../../harness';

let sandbox: Sandbox;
let store: CredentialStore;

beforeEach(async () => {
	sandbox = await startSandbox({ roles: [{ Name: 'Finance', Description: 'Money' }, { Name: 'Sales' }] });
	store = new CredentialStore(sandbox.credentials());
});
afterEach(async () => sandbox.close());

const roles = () => [...sandbox.directory.roles.values()];
const named = (name: string) => roles().filter((r) => r.Name === name);
const idOf = (name: string) => named(name)[0].ID;
const role = (parameters: object) =>
	runNode(store, { resource: 'role', ...parameters }, [{}], { continueOnFail: true });
const json = async (parameters: object) => (await role(parameters)).items.map((i) => i.json);
const calls = (path: string) => sandbox.counters.calls[path] ?? 0;

describe('Create', () => {
	const create = (options: object = {}, description = 'External audit') => ({
		operation: 'create',
		roleName: 'Auditors',
		additionalFields: { description },
		options,
	});

	test('creates the role: StoreRole with a member list role, the ID from _RowKey', async () => {
		const [out] = await json(create());
		expect(named('Auditors')).toHaveLength(1);
		expect(out).toEqual({
			id: idOf('Auditors'),
			name: 'Auditors',
			description: 'External audit',
			created: true,
		});
	});

	test('twice with the default (Fail): the second run fails and creates no second role', async () => {
		await json(create());
		const [again] = await json(create());
		expect(again.error).toMatch(/A role named "Auditors" already exists/);
		expect(named('Auditors')).toHaveLength(1);
		expect(calls('/roles/storerole')).toBe(1);
	});

	test('On Existing Role: Return Existing outputs it unchanged (the name in any case), sending nothing', async () => {
		const [finance] = await json({
			...create({ onExisting: 'returnExisting' }, 'Other'),
			roleName: 'finance',
		});
		expect(finance).toEqual({ id: idOf('Finance'), name: 'Finance', description: 'Money', created: false });
		expect(calls('/roles/storerole')).toBe(0);
		expect(calls('/roles/updaterole')).toBe(0);
	});

	test('On Existing Role: Update gives it the description, once', async () => {
		const parameters = { ...create({ onExisting: 'update' }, 'Finance team'), roleName: 'Finance' };
		const [out] = await json(parameters);
		expect(out).toEqual({
			id: idOf('Finance'),
			name: 'Finance',
			description: 'Finance team',
			created: false,
			updated: true,
		});
		expect(named('Finance')[0].Description).toBe('Finance team');
		await json(parameters);
		expect(calls('/roles/updaterole')).toBe(1);
	});

	test('a lost answer (502 after CyberArk created it) is resolved by looking the name up, not by sending it again', async () => {
		Object.assign(sandbox.knobs, { status502Every: 1, faultPath: '/roles/storerole' });
		const [out] = await json(create());
		expect(out).toMatchObject({ id: idOf('Auditors'), created: true });
		expect(named('Auditors')).toHaveLength(1);
		expect(calls('/roles/storerole')).toBe(1);
	});

	test("CyberArk's refusal of a name created in the meantime: Return Existing outputs that role", async () => {
		const store = sandbox.directory.storeRole.bind(sandbox.directory);
		// Another run creates the role between this run's lookup and its StoreRole.
		sandbox.directory.storeRole = (body) => {
			store({ Name: body.Name });
			return store(body);
		};
		const [out] = await json(create({ onExisting: 'returnExisting' }));
		expect(out).toMatchObject({ id: idOf('Auditors'), created: false });
		expect(named('Auditors')).toHaveLength(1);
		const [failed] = await json({ ...create(), roleName: 'Auditors 2' });
		expect(failed.error).toBe('Role with name Auditors 2 already exists.');
	});

	test('Dry Run looks the name up and shows StoreRole; no role is created', async () => {
		const [out] = await json({ ...create(), dryRun: true });
		expect(out).toEqual({
			dryRun: true,
			action: 'create',
			// A placeholder, readable, where the new role's ID would be.
			id: '<ID of the new role Auditors>',
			name: 'Auditors',
			requests: [
				{
					path: '/Roles/StoreRole',
					body: { Name: 'Auditors', Description: 'External audit', RoleType: 'PrincipalList' },
				},
			],
		});
		expect(named('Auditors')).toHaveLength(0);
	});

	test('an empty name is refused before anything is sent', async () => {
		const [out] = await json({ ...create(), roleName: '  ' });
		expect(out.error).toMatch(/Name is empty/);
		expect(sandbox.counters.managementRequests).toBe(0);
	});
});

describe('Update', () => {
	const finance = () => ({ __rl: true, mode: 'id', value: idOf('Finance') });

	test('renames and describes the role: UpdateRole with the ID in Name, then reads it back', async () => {
		const id = idOf('Finance');
		const [out] = await json({
			operation: 'update',
			roleId: finance(),
			updateFields: { newName: 'Finance EMEA', description: 'Money, EMEA' },
		});
		expect(out).toEqual({ id, name: 'Finance EMEA', description: 'Money, EMEA', updated: true });
		expect(sandbox.directory.roles.get(id)).toMatchObject({
			Name: 'Finance EMEA',
			Description: 'Money, EMEA',
		});
	});

	test('a second run with the same fields sends nothing', async () => {
		const parameters = { operation: 'update', roleId: finance(), updateFields: { description: 'Money' } };
		const [out] = await json(parameters);
		expect(out).toMatchObject({ name: 'Finance', updated: false });
		expect(calls('/roles/updaterole')).toBe(0);
	});

	test('a name another role has is refused before UpdateRole is sent', async () => {
		const [out] = await json({ operation: 'update', roleId: finance(), updateFields: { newName: 'sales' } });
		expect(out.error).toMatch(/Another role is already named "Sales"/);
		expect(calls('/roles/updaterole')).toBe(0);
	});

	test('a role that does not exist, and nothing to update, are refused', async () => {
		const [missing] = await json({
			operation: 'update',
			roleId: { __rl: true, mode: 'id', value: 'no-such-role' },
			updateFields: { newName: 'X' },
		});
		expect(missing.error).toMatch(/No role with the ID "no-such-role" exists/);
		const [nothing] = await json({ operation: 'update', roleId: finance(), updateFields: {} });
		expect(nothing.error).toMatch(/Nothing to update/);
		expect(calls('/roles/updaterole')).toBe(0);
	});

	test('Dry Run shows UpdateRole and changes nothing', async () => {
		const id = idOf('Finance');
		const [out] = await json({
			operation: 'update',
			dryRun: true,
			roleId: finance(),
			updateFields: { newName: 'Finance EMEA' },
		});
		expect(out.requests).toEqual([
			{ path: '/Roles/UpdateRole', body: { Name: id, NewName: 'Finance EMEA' } },
		]);
		expect(sandbox.directory.roles.get(id)!.Name).toBe('Finance');
	});
});

describe('Delete', () => {
	test('deletes the role by name: DeleteRole with the ID in Name', async () => {
		const id = idOf('Sales');
		const [out] = await json({ operation: 'delete', roleId: { __rl: true, mode: 'name', value: 'Sales' } });
		expect(out).toEqual({ id, name: 'Sales', description: '', deleted: true });
		expect(sandbox.directory.roles.has(id)).toBe(false);
	});

	test('twice: the second run fails, saying the role does not exist, and sends no DeleteRole', async () => {
		const byId = { __rl: true, mode: 'id', value: idOf('Sales') };
		await json({ operation: 'delete', roleId: byId });
		const [again] = await json({ operation: 'delete', roleId: byId });
		expect(again.error).toMatch(/No role with the ID ".*" exists in the tenant/);
		expect(calls('/saasmanage/deleterole')).toBe(1);
	});

	test('a lost answer (502 after CyberArk deleted it) is resolved by reading: deleted', async () => {
		const id = idOf('Sales');
		Object.assign(sandbox.knobs, { status502Every: 1, faultPath: '/saasmanage/deleterole' });
		const [out] = await json({ operation: 'delete', roleId: { __rl: true, mode: 'id', value: id } });
		expect(out).toMatchObject({ id, deleted: true });
		expect(calls('/saasmanage/deleterole')).toBe(1);
	});

	test.each([
		['sysadmin', 'System Administrator'],
		['everybody', 'Everybody'],
	])('the built-in role %s is never deleted', async (id, name) => {
		const [out] = await json({ operation: 'delete', roleId: { __rl: true, mode: 'id', value: id } });
		expect(out.error).toBe(`"${name}" is one of the tenant's built-in roles; the node does not delete it`);
		expect(calls('/saasmanage/deleterole')).toBe(0);
		expect(sandbox.directory.roles.has(id)).toBe(true);
	});

	test('Dry Run shows DeleteRole and deletes nothing', async () => {
		const id = idOf('Sales');
		const [out] = await json({
			operation: 'delete',
			dryRun: true,
			roleId: { __rl: true, mode: 'id', value: id },
		});
		expect(out).toEqual({
			dryRun: true,
			action: 'delete',
			id,
			name: 'Sales',
			requests: [{ path: '/SaasManage/DeleteRole', body: { Name: id } }],
		});
		expect(sandbox.directory.roles.has(id)).toBe(true);
	});
});
