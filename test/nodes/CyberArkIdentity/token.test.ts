import type { IHttpRequestOptions } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { CredentialStore, runNode } from '../../harness';
import type { OtherOrigin } from '../../otherOrigin';
import { startOtherOrigin } from '../../otherOrigin';

import type { CyberArkCredentials } from '../../../nodes/shared/transport/token';
import {
	exchangeToken,
	readTokenAnswer,
	redact,
	tenantOrigin,
	tokenRequest,
	TokenExchangeError,
} from '../../../nodes/shared/transport/token';

const credentials: CyberArkCredentials = {
	tenantUrl: 'https://aab1234.id.cyberark.cloud',
	appId: 'n8n app',
	grantType: 'password',
	clientId: 'n8n-client@acme.example',
	clientSecret: 'S3cret:with&chars',
	username: 'provisioner@acme.example',
	password: 'P@ss word+1',
	scope: 'n8n',
};

function thrown(fn: () => unknown): TokenExchangeError {
	try {
		fn();
	} catch (error) {
		return error as TokenExchangeError;
	}
	throw new Error('expected an error');
}

describe('tenantOrigin', () => {
	test.each([
		['https://aab1234.id.cyberark.cloud', 'https://aab1234.id.cyberark.cloud'],
		['aab1234.id.cyberark.cloud', 'https://aab1234.id.cyberark.cloud'],
		['  https://aab1234.id.cyberark.cloud///  ', 'https://aab1234.id.cyberark.cloud'],
		['https://AAB1234.my.idaptive.app/admin#/users?x=1', 'https://aab1234.my.idaptive.app'],
		['acme.my.centrify.com/my', 'https://acme.my.centrify.com'],
		['https://idp.acme.example:8443/', 'https://idp.acme.example:8443'],
		['http://localhost:4010', 'http://localhost:4010'],
		['http://127.0.0.1:4010/path', 'http://127.0.0.1:4010'],
		['http://127.5.6.7', 'http://127.5.6.7'],
		['http://[::1]:4010', 'http://[::1]:4010'],
	])('%s → %s', (typed, origin) => {
		expect(tenantOrigin(typed)).toBe(origin);
	});

	test.each([
		['http://aab1234.id.cyberark.cloud', /must use https/],
		['http://localhost.evil.example', /must use https/],
		['http://128.0.0.1', /must use https/],
		['ftp://aab1234.id.cyberark.cloud', /must use https/],
		['', /no tenant URL/],
		['   ', /no tenant URL/],
		['https://user:pw@aab1234.id.cyberark.cloud', /must not contain a user name or password/],
		['https://exa mple.com', /not a valid URL/],
	])('refuses %j', (typed, message) => {
		const error = thrown(() => tenantOrigin(typed));
		expect(error).toBeInstanceOf(TokenExchangeError);
		expect(error.message).toMatch(message);
		expect(error.description).toBeTruthy();
	});

	test('refuses non-text values', () => {
		expect(thrown(() => tenantOrigin(undefined)).message).toMatch(/no tenant URL/);
		expect(thrown(() => tenantOrigin({})).message).toMatch(/no tenant URL/);
	});
});

describe('tokenRequest', () => {
	test('password grant: exact URL, Basic client auth, form body', () => {
		const request = tokenRequest(credentials);
		expect(request.method).toBe('POST');
		expect(request.url).toBe('https://aab1234.id.cyberark.cloud/oauth2/token/n8n%20app');
		expect(request.headers).toEqual({
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
			Authorization: `Basic ${Buffer.from('n8n-client@acme.example:S3cret:with&chars').toString('base64')}`,
		});
		expect(request.body).toBe(
			'grant_type=password&username=provisioner%40acme.example&password=P%40ss+word%2B1&scope=n8n',
		);
		expect(Object.fromEntries(new URLSearchParams(request.body as string))).toEqual({
			grant_type: 'password',
			username: 'provisioner@acme.example',
			password: 'P@ss word+1',
			scope: 'n8n',
		});
		expect(request.ignoreHttpStatusErrors).toBe(true);
		expect(request.returnFullResponse).toBe(true);
		expect(request.skipSslCertificateValidation).toBe(false);
	});

	test('client credentials grant sends neither username nor password', () => {
		const request = tokenRequest({ ...credentials, grantType: 'clientCredentials', scope: '' });
		expect(request.body).toBe('grant_type=client_credentials');
	});

	test('Ignore SSL Issues reaches the request', () => {
		expect(tokenRequest({ ...credentials, ignoreSslIssues: true }).skipSslCertificateValidation).toBe(true);
	});

	test.each([
		[{ appId: ' ' }, /application ID/i],
		[{ clientId: '' }, /client ID/],
		[{ clientSecret: '' }, /client secret/],
		[{ username: '' }, /username/],
		[{ password: '' }, /password/],
		[{ tenantUrl: 'http://tenant.example' }, /https/],
	])('refuses missing or unsafe fields %j before sending', (override, message) => {
		expect(
			thrown(() => tokenRequest({ ...credentials, ...override } as CyberArkCredentials)).message,
		).toMatch(message);
	});
});

describe('readTokenAnswer', () => {
	const answer = (statusCode: number, body: unknown) =>
		thrown(() => readTokenAnswer({ statusCode, body }, credentials));

	test('returns the token', () => {
		expect(
			readTokenAnswer(
				{
					statusCode: 200,
					body: { access_token: 'abc', token_type: 'Bearer', expires_in: 18000, scope: 'n8n' },
				},
				credentials,
			),
		).toEqual({
			access_token: 'abc',
			token_type: 'Bearer',
			expires_in: 18000,
			scope: 'n8n',
		});
	});

	test('parses a JSON string body', () => {
		expect(
			readTokenAnswer({ statusCode: 200, body: '{"access_token":"x","expires_in":"60"}' }, credentials)
				.expires_in,
		).toBe(60);
	});

	test.each([
		[401, { error: 'invalid_client' }, /client ID or client secret/, '401'],
		[
			400,
			{ error: 'invalid_grant', error_description: 'bad' },
			/username or password, or the user must pass MFA/,
			'400',
		],
		[400, { error: 'invalid_scope' }, /scope "n8n" is not defined/, '400'],
		[400, { error: 'unsupported_grant_type' }, /does not allow the resource owner password grant/, '400'],
		[400, { error: 'unauthorized_client' }, /does not allow/, '400'],
		[400, { error: 'server_error' }, /refused the token request \(server_error\)/, '400'],
		[404, '<html>Not found</html>', /No OAuth2 app with application ID "n8n app"/, '404'],
		[502, '<html>Bad gateway</html>', /answered HTTP 502 with a body that is not JSON/, '502'],
		[200, { token: 'x' }, /without an access token/, '200'],
		[200, '<html>login page</html>', /without an access token/, '200'],
	])('HTTP %i %j', (status, body, message, httpCode) => {
		const error = answer(status, body);
		expect(error).toBeInstanceOf(TokenExchangeError);
		expect(error.message).toMatch(message);
		expect(error.context.tokenExchange).toMatchObject({ status: Number(httpCode) });
		expect(error.description?.length).toBeGreaterThan(10);
	});

	test('invalid_grant says the MFA exemption is needed', () => {
		expect(answer(400, { error: 'invalid_grant' }).description).toMatch(/exempt this user from MFA/);
	});

	test("CyberArk's description is kept, secrets in it are not", () => {
		const error = answer(400, {
			error: 'invalid_grant',
			error_description: `user provisioner@acme.example with P@ss word+1 and S3cret:with&chars`,
		});
		expect(error.description).toContain('provisioner@acme.example');
		expect(error.description).not.toContain('P@ss word+1');
		expect(error.description).not.toContain('S3cret:with&chars');
	});
});

describe('redact', () => {
	test('removes every secret, longest first', () => {
		expect(
			redact('a S3cret:with&chars b P@ss word+1 c', [credentials.clientSecret, credentials.password]),
		).toBe('a *** b *** c');
		expect(redact('short ab stays', ['ab', undefined, null])).toBe('short ab stays');
	});
});

describe('exchangeToken', () => {
	test('sends the request built by tokenRequest and returns the token', async () => {
		const sent: IHttpRequestOptions[] = [];
		const token = await exchangeToken(
			{
				httpRequest: async (options) => {
					sent.push(options);
					return { statusCode: 200, body: { access_token: 't', token_type: 'Bearer', expires_in: 5 } };
				},
			},
			{ ...credentials },
		);
		expect(token.access_token).toBe('t');
		expect(sent).toEqual([tokenRequest(credentials)]);
	});

	test.each([
		[{ code: 'ECONNREFUSED' }, /^Could not reach https:\/\/aab1234.id.cyberark.cloud$/],
		[{ code: 'ENOTFOUND' }, /could not be found/],
		[{ cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } }, /TLS certificate/],
	])('network failure %j becomes a clean error without the request', async (failure, message) => {
		const raw = Object.assign(new Error('boom'), failure, {
			config: { headers: { Authorization: 'Basic c2VjcmV0' }, data: 'password=P%40ss' },
		});
		const error = await exchangeToken(
			{ httpRequest: async () => Promise.reject(raw) },
			{ ...credentials },
		).then(
			() => undefined,
			(e: unknown) => e as TokenExchangeError,
		);
		expect(error).toBeInstanceOf(TokenExchangeError);
		expect(error!.message).toMatch(message);
		expect((error as Error & { cause?: unknown }).cause).toBeUndefined();
		expect(JSON.stringify({ ...error, message: error!.message })).not.toMatch(/c2VjcmV0|P%40ss/);
	});
});

describe('a token request that is redirected', () => {
	test('n8n is asked not to follow redirects', () => {
		expect(tokenRequest(credentials).disableFollowRedirect).toBe(true);
	});

	test.each([301, 302, 303, 307, 308])('HTTP %i to another origin names that origin', (status) => {
		const error = thrown(() =>
			readTokenAnswer(
				{
					statusCode: status,
					headers: { location: 'https://elsewhere.example:8443/oauth2/token/x?a=b' },
					body: '',
				},
				credentials,
			),
		);
		expect(error.message).toBe(
			'The tenant URL https://aab1234.id.cyberark.cloud redirects to https://elsewhere.example:8443; use that URL',
		);
		expect(error.description).toMatch(/nothing was sent to https:\/\/elsewhere.example:8443/);
		expect(error.description).not.toContain('a=b');
		expect(error.context.tokenExchange).toEqual({ status, transient: false });
	});

	test('a redirect within the tenant (a login page) and one without a Location', () => {
		expect(
			thrown(() =>
				readTokenAnswer({ statusCode: 302, headers: { location: '/login?from=x' }, body: '' }, credentials),
			).message,
		).toBe(
			'The tenant URL https://aab1234.id.cyberark.cloud redirects /oauth2/token/n8n%20app to /login (HTTP 302)',
		);
		expect(thrown(() => readTokenAnswer({ statusCode: 307, body: '' }, credentials)).message).toMatch(
			/redirects \/oauth2\/token\/n8n%20app elsewhere \(HTTP 307\)$/,
		);
	});
});

describe('in the engine: the token endpoint redirects to another origin', () => {
	let sandbox: Sandbox;
	let other: OtherOrigin;
	beforeEach(async () => {
		sandbox = await startSandbox();
		other = await startOtherOrigin();
		Object.assign(sandbox.knobs, { redirectPaths: ['/oauth2/token'], redirectTo: other.url });
	});
	afterEach(async () => {
		await sandbox.close();
		await other.close();
	});

	const create = {
		resource: 'user',
		operation: 'create',
		userName: 'never@example.com',
		email: 'never@acme.test',
		additionalFields: {},
	};

	test.each([
		['307, the credential exchange (a management call)', 307, create],
		['302, the credential exchange (a management call)', 302, create],
		['307, Get Token', 307, { resource: 'token', operation: 'get' }],
		['308, Get Token', 308, { resource: 'token', operation: 'get' }],
	])('%s: the other origin receives nothing; the run fails naming it', async (_name, status, parameters) => {
		sandbox.knobs.redirectStatus = status;
		const store = new CredentialStore(sandbox.credentials());
		const result = await runNode(store, parameters);
		expect(other.received).toEqual([]);
		expect(result.error?.message).toBe(
			`The tenant URL ${sandbox.url} redirects to ${other.url}; use that URL`,
		);
		expect(store.data.accessToken).toBe('');
		expect(sandbox.counters.faults.redirect).toBeGreaterThan(0);
		expect(sandbox.directory.findByName('never@example.com')).toBeUndefined();
	});
});
