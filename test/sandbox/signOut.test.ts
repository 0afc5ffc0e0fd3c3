// The sandbox's SignOutEverywhere, as pspete/IdentityCommand's Clear-IDUserSession calls it: a POST with
// the user's ID in the query string. Signing a user out ends the sessions (here: tokens) they have.
import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox()));
afterAll(async () => sandbox.close());

async function tokenFor(username: string, password: string): Promise<string> {
	const basic = Buffer.from(`${sandbox.config.clientId}:${sandbox.config.clientSecret}`).toString('base64');
	const response = await fetch(`${sandbox.url}/oauth2/token/${sandbox.config.appId}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
		body: new URLSearchParams({ grant_type: 'password', username, password, scope: 'n8n' }).toString(),
	});
	return ((await response.json()) as { access_token: string }).access_token;
}

async function call(token: string, path: string) {
	const response = await fetch(`${sandbox.url}${path}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: '{}',
	});
	return { status: response.status, body: response.status === 200 ? await response.json() : null };
}

test('SignOutEverywhere?ID=<uuid>: the user is signed out of every session; the caller is not', async () => {
	const id = sandbox.directory.createUser({
		Name: 'leaver@example.com',
		Password: 'Leaver-Passw0rd',
		SendEmailInvite: false,
	});
	const leaver = await tokenFor('leaver@example.com', 'Leaver-Passw0rd');
	const admin = await tokenFor(sandbox.config.username, sandbox.config.password);
	expect((await call(leaver, '/Security/whoami')).status).toBe(200);
	expect(await call(admin, `/UserMgmt/SignOutEverywhere?ID=${id}`)).toEqual({
		status: 200,
		body: expect.objectContaining({ success: true, Result: null }),
	});
	expect((await call(leaver, '/Security/whoami')).status).toBe(401);
	expect((await call(admin, '/Security/whoami')).status).toBe(200);
	expect(sandbox.signOuts).toEqual([id]);
	// IdentityCommand spells the parameter `id`: query names are read ignoring case.
	expect((await call(admin, `/usermgmt/signouteverywhere?id=${id}`)).body).toMatchObject({ success: true });
});

test('SignOutEverywhere without an ID, or for an unknown user: success:false', async () => {
	const admin = await tokenFor(sandbox.config.username, sandbox.config.password);
	expect((await call(admin, '/UserMgmt/SignOutEverywhere')).body).toMatchObject({
		success: false,
		Message: 'Missing required parameter: ID.',
	});
	expect(
		(await call(admin, '/UserMgmt/SignOutEverywhere?ID=00000000-0000-0000-0000-000000000000')).body,
	).toMatchObject({
		success: false,
		Message: 'User 00000000-0000-0000-0000-000000000000 not found.',
	});
});
