// The sandbox's audit log: injected over HTTP, visible from WhenLogged on, queried through Redrock with
// WHERE WhenOccurred > …, ORDER BY and paging, as the trigger's scripts do.
import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

let sandbox: Sandbox;
let bearer: string;
beforeAll(async () => {
	sandbox = await startSandbox();
	const basic = Buffer.from(`${sandbox.config.clientId}:${sandbox.config.clientSecret}`).toString('base64');
	const response = await fetch(`${sandbox.url}/oauth2/token/${sandbox.config.appId}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
		body: new URLSearchParams({ grant_type: 'client_credentials', scope: sandbox.config.scope }).toString(),
	});
	bearer = ((await response.json()) as { access_token: string }).access_token;
});
afterAll(async () => sandbox.close());

const inject = async (body: unknown) =>
	fetch(`${sandbox.url}/__sandbox/events`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});

async function redrock(Script: string, Args: object = {}) {
	const response = await fetch(`${sandbox.url}/Redrock/query`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
		body: JSON.stringify({ Script, Args }),
	});
	return (await response.json()) as {
		success: boolean;
		Message: string | null;
		Result: { FullCount: number; Results: Array<{ Row: Record<string, unknown> }> };
	};
}

test('injected events: columns as CyberArk names them, /Date(ms)/ times, visible from WhenLogged on', async () => {
	const t = Date.parse('2026-11-26T08:00:00Z');
	const answer = await inject([
		{ type: 'Cloud.Core.LoginFail', user: 'p1@acme.example', ip: '203.0.113.1', occurredAt: t + 2000 },
		{ type: 'Cloud.Core.LoginFail', user: 'p2@acme.example', occurredAt: '2026-11-26T08:00:01.000Z' },
		{
			type: 'Cloud.Core.LoginFail',
			user: 'p3@acme.example',
			occurredAt: t + 3000,
			loggedAt: Date.now() + 60 * 60_000,
		},
	]);
	expect(answer.status).toBe(200);
	const rows = (await answer.json()) as Array<Record<string, unknown>>;
	expect(rows[0]).toMatchObject({
		EventType: 'Cloud.Core.LoginFail',
		NormalizedUser: 'p1@acme.example',
		FromIPAddress: '203.0.113.1',
		WhenOccurred: `/Date(${t + 2000})/`,
		Level: 'Warning',
		Tenant: 'SANDBOX1',
	});

	const script =
		"Select ID, NormalizedUser, WhenOccurred from Event WHERE WhenOccurred > '2026-11-26T08:00:00.000' AND NormalizedUser LIKE 'p%' ORDER BY WhenOccurred ASC";
	const page1 = await redrock(script, { PageNumber: 1, PageSize: 1 });
	expect(page1.success).toBe(true);
	expect(page1.Result.FullCount).toBe(2); // p3 is logged in an hour
	expect(page1.Result.Results.map((r) => r.Row.NormalizedUser)).toEqual(['p2@acme.example']);
	expect(
		(await redrock(script, { PageNumber: 2, PageSize: 1 })).Result.Results.map((r) => r.Row.NormalizedUser),
	).toEqual(['p1@acme.example']);
	const desc = await redrock(
		`Select NormalizedUser from Event WHERE WhenOccurred > '/Date(${t})/' AND NormalizedUser LIKE 'p%' ORDER BY WhenOccurred DESC`,
	);
	expect(desc.Result.Results.map((r) => r.Row.NormalizedUser)).toEqual([
		'p1@acme.example',
		'p2@acme.example',
	]);
});

test('a bad date literal or event is refused', async () => {
	expect(await redrock("Select ID from Event WHERE WhenOccurred > 'yesterday'")).toMatchObject({
		success: false,
		Message: "Query failed: 'yesterday' is not a valid date.",
	});
	expect((await inject({ user: 'x' })).status).toBe(400);
	expect((await inject({ type: 'X', occurredAt: 'soon' })).status).toBe(400);
});

test('user changes are recorded with the acting user and the changed user', async () => {
	const user = sandbox.directory.addAccount({
		Name: 'changed@example.com',
		Password: 'Changed-Pass-1',
	} as never) as { Uuid: string };
	await fetch(`${sandbox.url}/CDirectoryService/SetUserState`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
		body: JSON.stringify({ ID: user.Uuid, state: 'Disabled' }),
	});
	const rows = (
		await redrock(
			"Select EventType, NormalizedUser, EntityName, EntityUuid from Event WHERE EntityName = 'changed@example.com'",
		)
	).Result.Results.map((r) => r.Row);
	expect(rows).toEqual([
		{
			EventType: 'Cloud.Core.UserStateChange',
			NormalizedUser: sandbox.config.clientId,
			EntityName: 'changed@example.com',
			EntityUuid: user.Uuid,
		},
	]);
});
