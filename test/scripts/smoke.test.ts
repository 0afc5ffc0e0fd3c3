// npm run smoke against the sandbox: it reports its assumptions one per line, exits non-zero when one
// is not held, leaves no user or role behind (even when a step fails) and prints no secret.
import { execFile } from 'node:child_process';
import path from 'node:path';

import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

const SMOKE = path.join(__dirname, '..', '..', 'scripts', 'tenant', 'smoke.js');
const { Failure } = require('../../sandbox/directory');
const { Report } = require('../../scripts/tenant/smoke');

let sandbox: Sandbox;
beforeEach(async () => (sandbox = await startSandbox()));
afterEach(async () => sandbox.close());

/** The environment without any CYBERARK_* of the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CYBERARK_')));
	return { ...env, ...extra };
}

/** The CYBERARK_* variables npm start reads, for the test's sandbox. */
function tenantEnv(): Record<string, string> {
	const c = sandbox.config;
	return {
		CYBERARK_TENANT_URL: sandbox.url,
		CYBERARK_APP_ID: c.appId,
		CYBERARK_CLIENT_ID: c.clientId,
		CYBERARK_CLIENT_SECRET: c.clientSecret,
		CYBERARK_USERNAME: c.username,
		CYBERARK_PASSWORD: c.password,
		CYBERARK_SCOPE: c.scope,
		CYBERARK_SMOKE_GRANTS: 'password,client_credentials',
	};
}

function smoke(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
	return new Promise((resolve) => {
		execFile(process.execPath, [SMOKE, ...args], { env, timeout: 120_000 }, (error, stdout, stderr) => {
			resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
		});
	});
}

const lines = (out: string, status: string) =>
	out.split('\n').filter((l) => l.startsWith(`${status.padEnd(9)} `));
const users = () => [...sandbox.directory.users.values()].map((u) => u.Name).sort();
const roles = () => [...sandbox.directory.roles.values()].map((r) => r.Name).sort();

/** Every secret the run could have printed: the credential's, and every token the sandbox issued. */
function secrets(): string[] {
	const c = sandbox.config;
	return [c.clientSecret, c.password, ...sandbox.tokens.keys(), ...sandbox.refreshTokens.keys()];
}

function expectNoSecret(out: string) {
	for (const secret of secrets()) expect(out).not.toContain(secret);
	expect(out).not.toMatch(/Sm0ke-/); // the temporary user's password
	expect(out).not.toMatch(/eyJ[\w-]+\./); // any JWT
}

test('read-only: every assumption held, at least 8, no secret printed', async () => {
	sandbox.knobs.issueRefreshTokens = true;
	const before = users();
	const { code, out } = await smoke([], cleanEnv(tenantEnv()));
	expect(lines(out, 'not held')).toEqual([]);
	expect(code).toBe(0);
	expect(lines(out, 'held').length).toBeGreaterThanOrEqual(8);
	expect(users()).toEqual(before);
	expect(sandbox.counters.calls['/cdirectoryservice/createuser']).toBeUndefined();
	expect(sandbox.tokens.size).toBeGreaterThan(0);
	expectNoSecret(out);
});

test('--write: the temporary user and role come and go, at least 8 assumptions, no secret printed', async () => {
	const [usersBefore, rolesBefore] = [users(), roles()];
	const { code, out } = await smoke(['--write'], cleanEnv(tenantEnv()));
	expect(lines(out, 'not held')).toEqual([]);
	expect(code).toBe(0);
	expect(lines(out, 'held').length).toBeGreaterThanOrEqual(8);
	expect(out).toMatch(/^held {6}CreateUser .*n8n-smoke-[0-9a-f]{8}@example\.com/m);
	expect(sandbox.counters.calls['/cdirectoryservice/createuser']).toBe(1);
	expect(sandbox.counters.calls['/usermgmt/signouteverywhere']).toBe(1);
	expect(users()).toEqual(usersBefore);
	expect(roles()).toEqual(rolesBefore);
	expectNoSecret(out);
});

test('a step that fails: "not held" with what came back, exit 1, and still nothing left behind', async () => {
	const [usersBefore, rolesBefore] = [users(), roles()];
	const call = sandbox.call.bind(sandbox);
	// A tenant that refuses to disable (echoing the client secret in its message), and refuses the
	// first DeleteUser: the check says so, and the cleanup removes the user.
	let deletes = 0;
	sandbox.call = ((p: string, url: URL, body: { state?: string }, session: object) => {
		if (p === '/cdirectoryservice/setuserstate' && body.state === 'Disabled')
			throw new Failure(`Refused for client secret ${sandbox.config.clientSecret}`);
		if (p === '/cdirectoryservice/deleteuser' && deletes++ === 0) throw new Failure('Try again later.');
		return call(p, url, body, session);
	}) as typeof sandbox.call;
	const { code, out } = await smoke(['--write'], cleanEnv(tenantEnv()));
	expect(code).toBe(1);
	expect(lines(out, 'not held')).toEqual(
		expect.arrayContaining([
			expect.stringMatching(
				/SetUserState .*Disabled.* — success:false, Message: "Refused for client secret \*\*\*"/,
			),
		]),
	);
	expect(lines(out, 'not held')).toEqual(
		expect.arrayContaining([expect.stringMatching(/^not held  DeleteUser .*Try again later/)]),
	);
	expect(deletes).toBe(2);
	expect(users()).toEqual(usersBefore);
	expect(roles()).toEqual(rolesBefore);
	expectNoSecret(out);
});

test('a tenant whose Status reads Active for a disabled user, and whose Redrock compares case: both lines not held', async () => {
	sandbox.knobs.statusWhenNotActive = 'Active';
	sandbox.knobs.redrockCaseSensitive = true;
	const { code, out } = await smoke(['--write'], cleanEnv(tenantEnv()));
	expect(code).toBe(1);
	expect(lines(out, 'not held')).toEqual([
		expect.stringMatching(
			/^not held  Redrock compares User.Username ignoring case .* = found nobody, IN found nobody$/,
		),
		expect.stringMatching(
			/^not held  Redrock User.Status of a disabled user does not read Active, .* — Status "Active"$/,
		),
	]);
});

test('without CYBERARK_* it starts the sandbox itself', async () => {
	for (const args of [[], ['--write']]) {
		const { code, out } = await smoke(args, cleanEnv());
		expect(code).toBe(0);
		expect(out).toMatch(/^npm run smoke against http:\/\/127\.0\.0\.1:\d+/);
		expect(lines(out, 'held').length).toBeGreaterThanOrEqual(8);
	}
});

test('the report redacts secrets and tokens, whoever echoes them', () => {
	const printed: string[] = [];
	const report = new Report(['Client-Secret-1'], (l: string) => printed.push(l));
	report.line(
		'not held',
		'x',
		'said Client-Secret-1 and eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl and Bearer abcdefghijklmnopqrstu',
	);
	expect(printed).toEqual(['not held  x — said *** and *** and Bearer ***']);
});
