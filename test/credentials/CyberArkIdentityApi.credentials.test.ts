import type { IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { CyberArkIdentityApi } from '../../credentials/CyberArkIdentityApi.credentials';
import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';
import { startOtherOrigin } from '../otherOrigin';

const credential = new CyberArkIdentityApi();

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox()));
afterAll(async () => sandbox.close());

/**
 * n8n's own request helper, as the credential's hook receives it: it follows redirects (re-sending
 * the headers and, for 307/308, the body) unless asked not to with `disableFollowRedirect`.
 */
async function httpRequest(options: IHttpRequestOptions) {
	const response = await fetch(options.url, {
		method: options.method,
		headers: options.headers as Record<string, string>,
		body: options.body as string,
		redirect: options.disableFollowRedirect === true ? 'manual' : 'follow',
	});
	const text = await response.text();
	return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: text };
}

test('fields and internal names', () => {
	const byName = Object.fromEntries(credential.properties.map((p: INodeProperties) => [p.name, p]));
	expect(Object.keys(byName)).toEqual([
		'tenantUrl',
		'appId',
		'grantType',
		'clientId',
		'clientSecret',
		'username',
		'password',
		'scope',
		'ignoreSslIssues',
		'accessToken',
	]);
	expect(credential.name).toBe('cyberArkIdentityApi');
	expect(credential.displayName).toBe('CyberArk Identity API');
	expect(byName.clientSecret.typeOptions?.password).toBe(true);
	expect(byName.password.typeOptions?.password).toBe(true);
	expect(byName.accessToken).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
	expect(byName.grantType.default).toBe('password');
	expect(byName.username.displayOptions?.show?.grantType).toEqual(['password']);
	expect(byName.ignoreSslIssues).toMatchObject({ type: 'boolean', default: false });
});

test('preAuthentication mints a token with the password grant', async () => {
	const before = sandbox.counters.tokensIssued;
	const result = await credential.preAuthentication.call(
		{ helpers: { httpRequest } } as never,
		sandbox.credentials(),
	);
	expect(result.accessToken).toMatch(/^ey/);
	expect(sandbox.counters.tokensIssued).toBe(before + 1);
});

test('preAuthentication mints a token with the client credentials grant', async () => {
	const result = await credential.preAuthentication.call(
		{ helpers: { httpRequest } } as never,
		sandbox.credentials({ grantType: 'clientCredentials', username: '', password: '' }),
	);
	const whoami = await fetch(`${sandbox.url}/Security/whoami`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${result.accessToken}` },
	});
	expect(((await whoami.json()) as { Result: { User: string } }).Result.User).toBe(sandbox.config.clientId);
});

test('preAuthentication does not follow a redirect: the client secret and password stay home', async () => {
	const other = await startOtherOrigin();
	Object.assign(sandbox.knobs, {
		redirectPaths: ['/oauth2/token'],
		redirectTo: other.url,
		redirectStatus: 307,
	});
	try {
		// Another password than the tests above: the single flight would hand out their token.
		const minting = credential.preAuthentication.call(
			{ helpers: { httpRequest } } as never,
			sandbox.credentials({ password: 'Redirected-Password-1' }),
		);
		await expect(minting).rejects.toThrow(
			`The tenant URL ${sandbox.url} redirects to ${other.url}; use that URL`,
		);
		expect(other.received).toEqual([]);
	} finally {
		Object.assign(sandbox.knobs, { redirectPaths: [], redirectTo: '' });
		await other.close();
	}
});

test('authenticate sends the bearer token and the native-client header, keeping the request', async () => {
	const request = {
		method: 'POST' as const,
		url: 'https://t.example/x',
		headers: { Accept: 'application/json' },
		body: { a: 1 },
	};
	expect(await credential.authenticate({ accessToken: 'tok-1' }, request)).toEqual({
		...request,
		headers: { Accept: 'application/json', Authorization: 'Bearer tok-1', 'X-IDAP-NATIVE-CLIENT': 'true' },
	});
	expect(request.headers).toEqual({ Accept: 'application/json' });
});

test('Username and Password are required exactly when the password grant shows them', () => {
	const byName = Object.fromEntries(credential.properties.map((p: INodeProperties) => [p.name, p]));
	for (const name of ['username', 'password']) {
		expect(byName[name]).toMatchObject({
			required: true,
			displayOptions: { show: { grantType: ['password'] } },
		});
	}
	for (const name of ['tenantUrl', 'appId', 'clientId', 'clientSecret'])
		expect(byName[name].required).toBe(true);
	expect(byName.scope.required).toBeFalsy();
});

// The Test button: see test/nodes/CyberArkIdentity/credentialTest.test.ts (the node's testedBy function).
