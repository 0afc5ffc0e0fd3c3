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
