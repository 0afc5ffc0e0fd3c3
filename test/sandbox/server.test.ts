// The sandbox must answer as docs/cyberark-api.md says CyberArk Identity does; these pin that down.
import type { Sandbox } from '../../sandbox/server';
import { startSandbox, UNAUTHORIZED_HTML } from '../../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox()));
afterAll(async () => sandbox.close());

const basic = () =>
	`Basic ${Buffer.from(`${sandbox.config.clientId}:${sandbox.config.clientSecret}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function token(body: string, headers: Record<string, string> = {}) {
	const response = await fetch(`${sandbox.url}/OAuth2/Token/${sandbox.config.appId}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(), ...headers },
		body,
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const passwordGrant = {
	grant_type: 'password',
	username: 'provisioner@example.com',
	password: 'Sandbox-Owner-Password-1',
	scope: 'n8n',
};

test('token endpoint: form-encoded password grant with Basic client auth, paths case-insensitive', async () => {
	const answer = await token(form(passwordGrant));
	expect(answer).toEqual({
		status: 200,
		body: { access_token: expect.any(String), token_type: 'Bearer', expires_in: 18000, scope: 'n8n' },
	});
});

test('token endpoint: OAuth error shapes', async () => {
	expect((await token(JSON.stringify(passwordGrant), { 'Content-Type': 'application/json' })).status).toBe(
		400,
	);
	expect(await token(form(passwordGrant), { Authorization: 'Basic bm9wZTpub3Bl' })).toMatchObject({
		status: 401,
		body: { error: 'invalid_client' },
	});
	expect(await token(form({ ...passwordGrant, password: 'x' }))).toMatchObject({
		status: 400,
		body: { error: 'invalid_grant' },
	});
	expect(await token(form({ ...passwordGrant, username: sandbox.config.mfaUsername }))).toMatchObject({
		status: 400,
		body: { error: 'invalid_grant' },
	});
	expect(await token(form({ ...passwordGrant, scope: 'other' }))).toMatchObject({
		status: 400,
		body: { error: 'invalid_scope' },
	});
	expect(await token(form({ grant_type: 'implicit' }))).toMatchObject({
		status: 400,
		body: { error: 'unsupported_grant_type' },
	});
	expect(await token(form({ grant_type: 'client_credentials', scope: 'n8n' }))).toMatchObject({
		status: 200,
	});
});

test('management calls: 401 with an HTML body without a valid token, HTTP 200 envelopes otherwise', async () => {
	const call = async (path: string, body: object, bearer?: string) => {
		const response = await fetch(`${sandbox.url}${path}`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
			},
			body: JSON.stringify(body),
		});
		return {
			status: response.status,
			type: response.headers.get('content-type'),
			text: await response.text(),
		};
	};
	const missing = await call('/Security/whoami', {});
	expect(missing).toMatchObject({ status: 401, text: UNAUTHORIZED_HTML });
	expect(missing.type).toMatch(/html/);

	const { body } = await token(form(passwordGrant));
	const accessToken = body.access_token as string;
	const refused = await call(
		'/CDirectoryService/CreateUser',
		{ Name: 'x@no-such-suffix.example' },
		accessToken,
	);
	expect(refused.status).toBe(200);
	expect(JSON.parse(refused.text)).toMatchObject({
		success: false,
		Result: null,
		Message: expect.any(String),
		IsSoftError: false,
	});

	sandbox.expireTokens();
	expect((await call('/Security/whoami', {}, accessToken)).status).toBe(401);
});

test('Redrock pages with PageNumber and PageSize and reports FullCount', async () => {
	const { body } = await token(form(passwordGrant));
	for (let i = 0; i < 7; i++)
		sandbox.directory.createUser({ Name: `page${i}@example.com`, SendEmailInvite: false });
	const page = async (n: number) => {
		const response = await fetch(`${sandbox.url}/Redrock/query`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${body.access_token as string}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({
				Script: "Select ID, Username from User WHERE Username LIKE 'page%' ORDER BY Username",
				Args: { PageNumber: n, PageSize: 3 },
			}),
		});
		return (
			(await response.json()) as {
				Result: { Count: number; FullCount: number; Results: Array<{ Row: { Username: string } }> };
			}
		).Result;
	};
	expect(await page(1)).toMatchObject({ Count: 3, FullCount: 7 });
	expect((await page(3)).Results.map((r) => r.Row.Username)).toEqual(['page6@example.com']);
});

async function management(path: string, body: object, bearer?: string) {
	const accessToken = bearer ?? ((await token(form(passwordGrant))).body.access_token as string);
	const response = await fetch(`${sandbox.url}${path}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, json: (await response.json().catch(() => undefined)) as any };
}

test('Redrock: ORDER BY several columns with COLLATE NOCASE, Table.Column names, SortBy lists with Direction', async () => {
	const d = sandbox.directory;
	for (const [name, display] of [
		['order-b@example.com', 'same'],
		['order-a@example.com', 'same'],
		['order-c@example.com', 'Alpha'],
	])
		d.createUser({ Name: name, DisplayName: display, SendEmailInvite: false });
	const names = async (script: string, args: object = {}) =>
		(await management('/Redrock/query', { Script: script, Args: args })).json.Result.Results.map(
			(r: { Row: { Username: string } }) => r.Row.Username,
		);
	const where = "from User WHERE Username LIKE 'order-%'";
	expect(
		await names(
			`Select User.Username, DisplayName ${where} ORDER BY DisplayName COLLATE NOCASE DESC, Username ASC`,
		),
	).toEqual(['order-a@example.com', 'order-b@example.com', 'order-c@example.com']);
	// CyberArk's "Use queries" page: Direction true ascending, false descending; Privilege Cloud's scripts send "ASC".
	expect(
		await names(`Select Username ${where}`, { SortBy: 'DisplayName,Username', Direction: false }),
	).toEqual(['order-b@example.com', 'order-a@example.com', 'order-c@example.com']);
	expect(await names(`Select Username ${where}`, { SortBy: 'Username', Direction: 'ASC' })).toEqual([
		'order-a@example.com',
		'order-b@example.com',
		'order-c@example.com',
	]);
});

test('ReportsTo is the manager by login name; an ID is no login name', async () => {
	const d = sandbox.directory;
	const boss = d.createUser({ Name: 'boss.rt@example.com', SendEmailInvite: false });
	const id = d.createUser({
		Name: 'staff.rt@example.com',
		ReportsTo: 'Boss.RT@example.com',
		SendEmailInvite: false,
	});
	const user = await management('/CDirectoryService/GetUser', { ID: id });
	expect(user.json.Result.ReportsTo).toBe('boss.rt@example.com');
	const refused = await management('/CDirectoryService/ChangeUser', { ID: id, ReportsTo: boss });
	expect(refused.json).toMatchObject({ success: false, Message: expect.any(String) });
});

test("GetRoleMembers takes the body {Name} and the spec's ?name=; query parameter names in any case", async () => {
	const d = sandbox.directory;
	const id = d.createUser({ Name: 'member.rm@example.com', SendEmailInvite: false });
	const role = [...d.roles.values()].find((r) => r.Name === 'Finance')!;
	d.updateRole({ Name: role.ID, Users: { Add: [id] } });
	const guids = (answer: { json: { Result: { Results: Array<{ Row: { Guid: string } }> } } }) =>
		answer.json.Result.Results.map((r) => r.Row.Guid);
	expect(guids(await management('/Roles/GetRoleMembers', { Name: role.ID }))).toContain(id);
	expect(guids(await management(`/Roles/GetRoleMembers?name=${role.ID}`, {}))).toContain(id);
	await management(`/UserMgmt/SetCloudLock?USER=${id}&lockuser=true`, {});
	expect(d.users.get(id)!.cloudLocked).toBe(true);
	await management(`/UserMgmt/SetCloudLock?user=${id}&lockUser=false`, {});
	expect(d.users.get(id)!.cloudLocked).toBe(false);
});

test('SignOutEverywhere ends the sessions of that user only', async () => {
	const mine = (await token(form(passwordGrant))).body.access_token as string;
	const other = (await token(form({ grant_type: 'client_credentials', scope: 'n8n' }))).body
		.access_token as string;
	expect(
		(await management(`/UserMgmt/SignOutEverywhere?ID=${sandbox.owner.Uuid}`, {}, other)).json.success,
	).toBe(true);
	expect((await management('/Security/whoami', {}, mine)).status).toBe(401);
	expect((await management('/Security/whoami', {}, other)).status).toBe(200);
});

test('StoreRole answers the new ID in _RowKey and refuses a name used twice; SaasManage/DeleteRole deletes', async () => {
	const made = await management('/Roles/StoreRole', {
		Name: 'Temp Role',
		Description: 'x',
		RoleType: 'PrincipalList',
	});
	const id = made.json.Result._RowKey as string;
	expect(sandbox.directory.roles.get(id)?.Name).toBe('Temp Role');
	expect((await management('/Roles/StoreRole', { Name: 'temp role' })).json).toMatchObject({
		success: false,
	});
	expect((await management('/SaasManage/DeleteRole', { Name: id })).json.success).toBe(true);
	expect(sandbox.directory.roles.has(id)).toBe(false);
});
