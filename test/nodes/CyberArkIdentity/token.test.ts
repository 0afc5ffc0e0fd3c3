import type { IHttpRequestOptions } from 'n8n-workflow';

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
