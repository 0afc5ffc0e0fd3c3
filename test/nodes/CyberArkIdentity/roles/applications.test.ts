// Role → Get Applications: /SaasManage/GetRoleApps?role=<ID>, its rows read tolerantly.
import {
	applicationRows,
	simplifyApplication,
} from '../../../../nodes/CyberArkIdentity/actions/role/getApplications';
import type { Sandbox } from '../../../../sandbox/server';
import { startSandbox } from '../../../../sandbox/server';
import { CredentialStore, runNode } from '../../../harness';

let sandbox: Sandbox;
let store: CredentialStore;

beforeEach(async () => {
	sandbox = await startSandbox({
		roles: [{ Name: 'Finance' }, { Name: 'Sales' }, { Name: 'Interns' }],
		lifecycle: {
			applications: [
				{ Name: 'NetSuite', DisplayName: 'NetSuite ERP', roles: ['Finance'] },
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
		{ id: 'app-1', name: 'NetSuite', displayName: 'NetSuite ERP', roleId },
		{ id: 'app-2', name: 'Salesforce', displayName: 'Salesforce', roleId },
	]);
	expect(sandbox.requestLog.map((r) => r.path)).toContain('/saasmanage/getroleapps');
});

test("Simplify off: CyberArk's rows as they come", async () => {
	expect(await apps({ __rl: true, mode: 'id', value: idOf('Sales') }, { simplify: false })).toEqual([
		{ ID: 'app-2', Name: 'Salesforce', DisplayName: 'Salesforce', AppType: 'Web' },
	]);
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
	expect(() => applicationRows([{ Name: 'A' }])).toThrow(/without the list of results/);
	expect(() => applicationRows({ results: 'none' })).toThrow(/without the list of results/);
});

test('simplifyApplication: the ID from ID, else _RowKey, else the entity key; names when present', () => {
	expect(simplifyApplication({ _RowKey: 'r1', Name: 'A' }, 'k1', 'role')).toEqual({
		id: 'r1',
		name: 'A',
		displayName: null,
		roleId: 'role',
	});
	expect(simplifyApplication({}, 'k1', 'role')).toEqual({
		id: 'k1',
		name: null,
		displayName: null,
		roleId: 'role',
	});
});
