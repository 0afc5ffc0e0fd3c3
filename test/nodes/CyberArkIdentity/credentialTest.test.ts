// The credential's Test button, run as n8n runs it: the node's `testedBy` function called with
// n8n-core's own CredentialTestContext (its `request` helper, proxied to axios by n8n) and the
// credential as the editor's form holds it, against the sandbox tenant.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';

import { CyberArkIdentityApi } from '../../../credentials/CyberArkIdentityApi.credentials';
import { CyberArkIdentity } from '../../../nodes/CyberArkIdentity/CyberArkIdentity.node';
import { testCredential } from '../../../nodes/CyberArkIdentity/methods/credentialTest';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import type { OtherOrigin } from '../../otherOrigin';
import { startOtherOrigin } from '../../otherOrigin';

const SECRET = 'Test-Client-Secret-Zork-4242';
const PASSWORD = 'Test-Owner-Password-Plugh-5353';

let sandbox: Sandbox;
beforeAll(
	async () => (sandbox = await startSandbox({ tenant: { clientSecret: SECRET, password: PASSWORD } })),
);
afterAll(async () => sandbox.close());

type Request = ICredentialTestFunctions['helpers']['request'];

/** n8n's real credential test context, with the URLs of its requests recorded. */
function context() {
	const real = new (CredentialTestContext as unknown as new (
		additionalData?: unknown,
	) => ICredentialTestFunctions)(undefined);
	const urls: string[] = [];
	const request: Request = async (options, more) => {
		urls.push(String((options as { uri?: string }).uri));
		return await real.helpers.request(options, more);
	};
	return { ctx: { ...real, helpers: { ...real.helpers, request } } as ICredentialTestFunctions, urls };
}

/** Presses Test: the node's registered test function, with the form's values. */
async function pressTest(data: ICredentialDataDecryptedObject, ctx = context().ctx) {
	const node = new CyberArkIdentity();
	const fn = node.methods.credentialTest.cyberArkIdentityApiTest;
	return await fn.call(ctx, { id: 'c1', name: 'CyberArk', type: 'cyberArkIdentityApi', data });
}

function expectNoSecrets(text: string) {
	for (const secret of [
		SECRET,
		PASSWORD,
		'Wrong-Secret-9999',
		'Wrong-Password-8888',
		Buffer.from(`${sandbox.config.clientId}:${SECRET}`).toString('base64'),
	]) {
		expect(text).not.toContain(secret);
	}
}

test('the node declares the test for its credential, and the credential has no request test of its own', () => {
	const node = new CyberArkIdentity();
	expect(node.description.credentials).toEqual([
		{ name: 'cyberArkIdentityApi', required: true, testedBy: 'cyberArkIdentityApiTest' },
	]);
	expect(typeof node.methods.credentialTest.cyberArkIdentityApiTest).toBe('function');
	// n8n uses a credential's own `test` before any node's `testedBy`.
	expect((new CyberArkIdentityApi() as { test?: unknown }).test).toBeUndefined();
});

test('the right values: a fresh token exchange with them, then whoami', async () => {
	const tokens = sandbox.counters.tokensIssued;
	const whoami = sandbox.counters.calls['/security/whoami'] ?? 0;
	const { ctx, urls } = context();
	expect(await pressTest(sandbox.credentials(), ctx)).toEqual({
		status: 'OK',
		message: 'Connection successful!',
	});
	expect(sandbox.counters.tokensIssued).toBe(tokens + 1);
	expect(sandbox.counters.calls['/security/whoami']).toBe(whoami + 1);
	expect(urls).toEqual([
		`${sandbox.url}/oauth2/token/${sandbox.config.appId}`,
		`${sandbox.url}/Security/whoami`,
	]);
});

test('the client credentials grant without username and password', async () => {
	expect(
		await pressTest(sandbox.credentials({ grantType: 'clientCredentials', username: '', password: '' })),
	).toEqual({ status: 'OK', message: 'Connection successful!' });
});

describe('a stored token that still works does not make wrong values pass', () => {
	let stored: string;
	beforeAll(async () => {
		const answer = await new CyberArkIdentityApi().preAuthentication.call(
			{
				helpers: {
					httpRequest: async (o: {
						url: string;
						method: string;
						headers: Record<string, string>;
						body: string;
					}) => {
						const r = await fetch(o.url, { method: o.method, headers: o.headers, body: o.body });
						return { statusCode: r.status, body: await r.text() };
					},
				},
			} as never,
			sandbox.credentials(),
		);
		stored = answer.accessToken;
	});

	const cases: Array<[string, ICredentialDataDecryptedObject, RegExp]> = [
		[
			'Application ID',
			{ appId: 'wrong-app' },
			/^No OAuth2 app with application ID "wrong-app" was found at http:\/\/127\.0\.0\.1:\d+\. Set Application ID/,
		],
		[
			'Client ID',
			{ clientId: 'nobody@example.com' },
			/^CyberArk rejected the client ID or client secret \(invalid_client\)\. Check Client ID/,
		],
		[
			'Client Secret',
			{ clientSecret: 'Wrong-Secret-9999' },
			/^CyberArk rejected the client ID or client secret \(invalid_client\)\. Check Client ID/,
		],
		[
			'Password',
			{ password: 'Wrong-Password-8888' },
			/^CyberArk rejected the username or password, or the user must pass MFA \(invalid_grant\)\. Check Username and Password/,
		],
		[
			'Username of a user under MFA',
			{ username: 'mfa.admin@example.com' },
			/must pass MFA \(invalid_grant\)\. .*exempt this user from MFA/,
		],
		[
			'Scope',
			{ scope: 'nope' },
			/^The scope "nope" is not defined on the OAuth2 app \(invalid_scope\)\. Set Scope/,
		],
	];
	test.each(cases)('wrong %s', async (_field, override, message) => {
		const result = await pressTest(sandbox.credentials({ accessToken: stored, ...override }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expectNoSecrets(result.message);
	});
});

describe('tenant URL failures are readable', () => {
	test('plain http:// to a non-loopback host: refused before any request is made', async () => {
		const { ctx, urls } = context();
		const result = await pressTest(sandbox.credentials({ tenantUrl: 'http://example.com' }), ctx);
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^The tenant URL must use https:\/\/ \(got http:\/\/example\.com\)\. .*plain http is only allowed for localhost/,
			),
		});
		expect(urls).toEqual([]);
	});

	test('unknown host', async () => {
		const result = await pressTest(sandbox.credentials({ tenantUrl: 'wrong-tenant.invalid' }));
		expect(result).toEqual({
			status: 'Error',
			message:
				'The tenant host of https://wrong-tenant.invalid could not be found. Check Tenant URL for typos (error code ENOTFOUND).',
		});
	});

	test('nothing listening', async () => {
		const result = await pressTest(sandbox.credentials({ tenantUrl: 'http://127.0.0.1:9' }));
		expect(result.message).toMatch(
			/^Could not reach http:\/\/127\.0\.0\.1:9\. Check Tenant URL and that n8n can reach the tenant .*ECONNREFUSED/,
		);
	});

	test('empty tenant URL', async () => {
		expect((await pressTest(sandbox.credentials({ tenantUrl: ' ' }))).message).toMatch(
			/^The credential has no tenant URL\. Set Tenant URL/,
		);
	});
});

describe('a tenant behind a certificate n8n does not trust', () => {
	let server: https.Server;
	let url: string;
	beforeAll(async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyberark-tls-'));
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				'1',
				'-subj',
				'/CN=localhost',
				'-keyout',
				path.join(dir, 'key.pem'),
				'-out',
				path.join(dir, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		server = https.createServer(
			{ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) },
			(req, res) => void sandbox.handle(req, res),
		);
		fs.rmSync(dir, { recursive: true, force: true });
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `https://localhost:${(server.address() as { port: number }).port}`;
	});
	afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

	test('says so and names the switch', async () => {
		const result = await pressTest(sandbox.credentials({ tenantUrl: url }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^The TLS certificate of https:\/\/localhost:\d+ was not accepted\. .*turn on "Ignore SSL Issues"/,
		);
	});

	test('passes with Ignore SSL Issues on', async () => {
		expect(await pressTest(sandbox.credentials({ tenantUrl: url, ignoreSslIssues: true }))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});
});

describe('the token works but whoami does not', () => {
	/** n8n's request helper, with whoami answered by the given response. */
	function whoamiAnswers(answer: { statusCode: number; body: unknown }): Request {
		const { ctx } = context();
		return async (options, more) => {
			if (String((options as { uri: string }).uri).endsWith('/Security/whoami')) return answer;
			return await ctx.helpers.request(options, more);
		};
	}

	test("success:false: the scope does not allow it, with CyberArk's message", async () => {
		const result = await testCredential(
			whoamiAnswers({
				statusCode: 200,
				body: { success: false, Result: null, Message: 'Access denied by scope' },
			}),
			{ id: 'c', name: 'c', type: 'cyberArkIdentityApi', data: sandbox.credentials() },
		);
		expect(result).toEqual({
			status: 'Error',
			message:
				'The token works, but CyberArk refused /Security/whoami. Allow "Security/whoami" in the scope\'s REST regexes. CyberArk said: "Access denied by scope"',
		});
	});

	test('HTTP 401 with an HTML body', async () => {
		const result = await testCredential(
			whoamiAnswers({ statusCode: 401, body: '<html>401 - Unauthorized</html>' }),
			{ id: 'c', name: 'c', type: 'cyberArkIdentityApi', data: sandbox.credentials() },
		);
		expect(result.message).toMatch(
			/^CyberArk issued a token, but refused it for \/Security\/whoami \(HTTP 401\)\. Allow "Security\/whoami"/,
		);
	});

	test('a login page instead of the API', async () => {
		const result = await testCredential(whoamiAnswers({ statusCode: 200, body: '<html>Sign in</html>' }), {
			id: 'c',
			name: 'c',
			type: 'cyberArkIdentityApi',
			data: sandbox.credentials(),
		});
		expect(result.message).toBe(
			'CyberArk issued a token, but /Security/whoami answered HTTP 200 with a body that is not JSON. Check Tenant URL: it must be the address of your CyberArk Identity tenant.',
		);
	});
});

test('a secret echoed back by the tenant is blanked out', async () => {
	const echo: Request = async () => ({
		statusCode: 400,
		body: JSON.stringify({
			error: 'invalid_request',
			error_description: `bad password ${PASSWORD} for secret ${SECRET}`,
		}),
	});
	const result = await testCredential(echo, {
		id: 'c',
		name: 'c',
		type: 'cyberArkIdentityApi',
		data: sandbox.credentials(),
	});
	expect(result.message).toContain('CyberArk refused the token request (invalid_request)');
	expect(result.message).toContain('***');
	expectNoSecrets(result.message);
});

describe('a tenant URL that redirects to another origin', () => {
	let other: OtherOrigin;
	beforeEach(async () => {
		other = await startOtherOrigin();
		sandbox.knobs.redirectTo = other.url;
	});
	afterEach(async () => {
		Object.assign(sandbox.knobs, { redirectPaths: [], redirectTo: '', redirectStatus: 307 });
		await other.close();
	});

	test.each([
		['the token request', '/oauth2/token', 307],
		['the token request', '/oauth2/token', 302],
		['whoami', '/security/whoami', 308],
		['whoami', '/security/whoami', 307],
	])(
		'%s (%s, HTTP %i): nothing reaches the other origin; Test says where the URL points',
		async (_name, path, status) => {
			Object.assign(sandbox.knobs, { redirectPaths: [path], redirectStatus: status });
			const result = await pressTest(sandbox.credentials());
			expect(other.received).toEqual([]);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(
				new RegExp(`^The tenant URL ${sandbox.url} redirects to ${other.url}; use that URL\\. `),
			);
			expectNoSecrets(result.message);
		},
	);
});
