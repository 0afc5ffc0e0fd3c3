// Role → Get Applications: /SaasManage/GetRoleApps?role=<ID>, its rows read tolerantly.
import {
	applicationRows,
	simplifyApplication,
} from '../../../../nodes/CyberArkIdentity/actions/role/getApplications';
import type { Sandbox } from '../../../../sandbox/server';
import { ANSWERS } from '../../../contract/fixtures';
import { startSandbox } from '../../../../sandbox/server';
import { CredentialStore, runNode } from '../../../harness';

let sandbox: Sandbox;
let store: CredentialStore;

beforeEach(async () => {
	sandbox = await startSandbox({
		roles: [{ Name: 'Finance' }, { Name: 'Sales' }, { Name: 'Interns' }],
		lifecycle: {
			applications: [
				{ Name: 'NetSuite', Description: 'ERP', roles: ['Finance'] },
				{ Name: 'Salesforce', roles: ['Sales', 'Finance'] },
			],
		},
	});
	store = new CredentialStore(sandbox.credentials());
});
afterEach(async () => sandbox.close());

const idOf = (name: string) => [...sandbox.directory.roles.values()].find((r) => r.Name === name)!.ID;
const apps = async (roleId: object, parameters: object = {}) =>
	(
		await runNode(store, { resource: 'role', operation: 'getApplications', roleId, ...parameters }, [{}], {
			continueOnFail: true,
		})
	).items.map((i) => i.json);

test("one item per application of the role, by the role's name", async () => {
	const roleId = idOf('Finance');
	expect(await apps({ __rl: true, mode: 'name', value: 'Finance' })).toEqual([
		{ id: 'app-1', name: 'NetSuite', description: 'ERP', appType: 'Web', roleId, roleName: 'Finance' },
		{ id: 'app-2', name: 'Salesforce', description: null, appType: 'Web', roleId, roleName: 'Finance' },
	]);
	expect(sandbox.requestLog.map((r) => r.path)).toContain('/saasmanage/getroleapps');
});

test("Simplify off: CyberArk's rows as they come", async () => {
	expect(await apps({ __rl: true, mode: 'id', value: idOf('Sales') }, { simplify: false })).toEqual([
		expect.objectContaining({ ID: 'app-2', Name: 'Salesforce', AppType: 'Web', IsMarketplaceApp: false }),
	]);
});

test('by the role given by name in the query string, as the spec allows, the same rows', async () => {
	const byName = sandbox.lifecycle.roleApps('Finance');
	expect(byName.Results.map((r) => r.Row.Name)).toEqual(['NetSuite', 'Salesforce']);
});

test.each(ANSWERS['/SaasManage/GetRoleApps'])('reads the recorded shape: $source', ({ result }) => {
	const rows = applicationRows(result);
	expect(rows.length).toBeGreaterThan(0);
	for (const { row, key } of rows)
		expect(simplifyApplication(row, key, { id: 'r', name: 'R' })).toMatchObject({
			id: expect.any(String),
			name: expect.any(String),
		});
});

test('a role without applications gives no item; an unknown role fails', async () => {
	expect(await apps({ __rl: true, mode: 'id', value: idOf('Interns') })).toEqual([]);
	const [failed] = await apps({ __rl: true, mode: 'id', value: 'no-such-role' });
	expect(failed.error).toMatch(/The role no-such-role does not exist/);
});

test('applicationRows: Result.Results[].Row with its entity key; no answer is no rows; another shape is an error', () => {
	expect(
		applicationRows({
			Results: [{ Row: { Name: 'A' }, Entities: [{ Type: 'Application', Key: 'k1' }] }, {}],
		}),
	).toEqual([
		{ row: { Name: 'A' }, key: 'k1' },
		{ row: {}, key: undefined },
	]);
	expect(applicationRows(null)).toEqual([]);
	expect(() => applicationRows([{ Name: 'A' }])).toThrow(/GetRoleApps has no Results list/);
	expect(() => applicationRows({ results: 'none' })).toThrow(/GetRoleApps has no Results list/);
});

test('simplifyApplication: the ID from ID, else the entity key; the other keys when present', () => {
	const role = { id: 'role', name: 'Finance' };
	expect(simplifyApplication({ ID: 'a1', Name: 'A', AppType: 'Web' }, 'k1', role)).toEqual({
		id: 'a1',
		name: 'A',
		description: null,
		appType: 'Web',
		roleId: 'role',
		roleName: 'Finance',
	});
	expect(simplifyApplication({}, 'k1', role)).toEqual({
		id: 'k1',
		name: null,
		description: null,
		appType: null,
		roleId: 'role',
		roleName: 'Finance',
	});
});
