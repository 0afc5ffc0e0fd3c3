// The sandbox answers with the shapes public clients show (fixtures.ts): for every endpoint the node
// reads, exactly the keys the shapes show together. A key no source shows fails (the sandbox would be
// inventing it, and the node could come to rely on it); so does a key a source shows that the
// sandbox leaves out.
import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';
import { ANSWERS, ENVELOPE, REDROCK, TABLES } from './fixtures';
import { compare, keyPaths, union } from './shape';

let sandbox: Sandbox;
let token: string;
let ines: string;
let payroll: string;

beforeAll(async () => {
	sandbox = await startSandbox({ roles: [{ Name: 'Payroll', Description: 'Payroll team' }] });
	const d = sandbox.directory;
	d.createUser({ Name: 'maria.lopez@example.com', Mail: 'maria@acme.test', SendEmailInvite: false });
	ines = d.createUser({
		Name: 'ines.ortega@example.com',
		Mail: 'ines@acme.test',
		DisplayName: 'Ines Ortega',
		ReportsTo: 'maria.lopez@example.com',
		InSysAdminRole: true,
		SendEmailInvite: false,
	});
	payroll = [...d.roles.values()].find((r) => r.Name === 'Payroll')!.ID;
	d.updateRole({ Name: payroll, Users: { Add: [ines] } });
	const response = await fetch(`${sandbox.url}/oauth2/token/${sandbox.config.appId}`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Authorization: `Basic ${Buffer.from(`${sandbox.config.clientId}:${sandbox.config.clientSecret}`).toString('base64')}`,
		},
		body: new URLSearchParams({
			grant_type: 'password',
			username: sandbox.config.username,
			password: sandbox.config.password,
			scope: sandbox.config.scope,
		}).toString(),
	});
	token = ((await response.json()) as { access_token: string }).access_token;
});
afterAll(async () => sandbox.close());

async function call(path: string, body: object = {}): Promise<Record<string, unknown>> {
	const response = await fetch(`${sandbox.url}${path}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return (await response.json()) as Record<string, unknown>;
}

/** How to make the sandbox answer each endpoint the fixtures describe. */
const REQUESTS: Record<string, () => [string, object]> = {
	'/Security/whoami': () => ['/Security/whoami', {}],
	'/CDirectoryService/CreateUser': () => [
		'/CDirectoryService/CreateUser',
		{ Name: `new${Date.now()}@example.com`, SendEmailInvite: false },
	],
	'/UserMgmt/GetUserAttributes': () => ['/UserMgmt/GetUserAttributes', { ID: ines }],
	'/CDirectoryService/GetUserByName': () => [
		'/CDirectoryService/GetUserByName',
		{ username: 'ines.ortega@example.com' },
	],
	'/CDirectoryService/GetUser': () => ['/CDirectoryService/GetUser', { ID: ines }],
	'/UserMgmt/GetUsersRolesAndAdministrativeRights': () => [
		`/UserMgmt/GetUsersRolesAndAdministrativeRights?ID=${ines}`,
		{},
	],
	'/Roles/GetRoleMembers': () => ['/Roles/GetRoleMembers', { Name: payroll }],
	'/UserMgmt/SetCloudLock': () => [`/UserMgmt/SetCloudLock?user=${ines}&lockUser=false`, {}],
	'/Roles/UpdateRole': () => ['/Roles/UpdateRole', { Name: payroll, Users: { Add: [ines] } }],
	'/CDirectoryService/ChangeUser': () => ['/CDirectoryService/ChangeUser', { ID: ines, Description: 'x' }],
	'/Roles/StoreRole': () => ['/Roles/StoreRole', { Name: `Role ${Date.now()}`, RoleType: 'PrincipalList' }],
	'/SaasManage/GetRoleApps': () => {
		sandbox.lifecycle.applications[0].roles.add(payroll);
		return [`/SaasManage/GetRoleApps?role=${payroll}`, {}];
	},
};

test('every endpoint with recorded shapes has a request here', () => {
	expect(Object.keys(REQUESTS).sort()).toEqual(Object.keys(ANSWERS).sort());
});

test.each(Object.keys(ANSWERS))(
	'%s: the sandbox answers with the keys the sources show, no more, no less',
	async (endpoint) => {
		const answer = await call(...REQUESTS[endpoint]());
		expect(answer.success).toBe(true);
		expect(compare(keyPaths(answer.Result), union(ANSWERS[endpoint].map((s) => s.result)))).toEqual({
			extra: [],
			missing: [],
		});
	},
);

test('the envelope: success and refusal carry the keys of the recorded answers', async () => {
	const expected = union(ENVELOPE.map((s) => s.result));
	const top = (answer: object) => new Set(keyPaths(answer).filter((p) => p.split('.').length === 2));
	expect(compare(top(await call('/Security/whoami')), expected)).toEqual({ extra: [], missing: [] });
	const refused = await call('/CDirectoryService/GetUser', { ID: 'no-such-user' });
	expect(refused).toMatchObject({ success: false, Result: null, Message: expect.any(String) });
	expect(compare(top(refused), expected)).toEqual({ extra: [], missing: [] });
});

describe.each(Object.keys(TABLES))('Redrock %s table', (table) => {
	const rowless = (paths: string[]) => paths.filter((p) => !p.startsWith('.Results[].Row.'));

	test('the answer around the rows has the recorded keys', async () => {
		const answer = await call('/Redrock/query', { Script: `Select * from ${table}` });
		const expected = new Set(rowless([...union(REDROCK.map((s) => s.result))]));
		expect(compare(rowless(keyPaths(answer.Result)), expected)).toEqual({ extra: [], missing: [] });
	});

	test('every column is a documented one, and every column public clients select is there', async () => {
		const answer = await call('/Redrock/query', { Script: `Select * from ${table}` });
		const rows = (answer.Result as { Results: Array<{ Row: object }> }).Results.map((r) => r.Row);
		const columns = new Set(rows.flatMap((r) => Object.keys(r)));
		expect([...columns].filter((c) => !TABLES[table].documented.includes(c))).toEqual([]);
		expect(TABLES[table].selected.filter((c) => !columns.has(c))).toEqual([]);
	});
});

test('the check fails on a key no source shows, and on one the sandbox leaves out', () => {
	const expected = union(ANSWERS['/Security/whoami'].map((s) => s.result));
	expect(compare(keyPaths({ User: 'u', UserUuid: 'x', TenantId: 'T' }), expected).extra).toEqual([
		'.TenantId',
	]);
	expect(compare(keyPaths({ User: 'u' }), expected).missing).toEqual(['.UserUuid']);
});
