import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { ExecutionBaseError } from 'n8n-workflow';

/** The credential's fields, as stored by n8n. */
export interface CyberArkCredentials {
	tenantUrl: string;
	appId: string;
	grantType: 'password' | 'clientCredentials';
	clientId: string;
	clientSecret: string;
	username?: string;
	password?: string;
	scope?: string;
	ignoreSslIssues?: boolean;
	accessToken?: string;
}

export interface TokenAnswer {
	access_token: string;
	token_type: string;
	expires_in: number;
	scope?: string;
}

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** What n8n's request helpers return with `returnFullResponse`. */
export interface FullResponse {
	statusCode: number;
	body: unknown;
}

/** What a token failure tells the transport; kept in the error's context, which n8n copies when it wraps the error. */
export interface TokenFailure {
	/** HTTP status of the token endpoint, when it answered. */
	status: number | null;
	/** The endpoint was down or overloaded: the same request may succeed later. */
	transient: boolean;
}

/** An error a person can act on; carries no secret and no request details. */
export class TokenExchangeError extends ExecutionBaseError {
	constructor(message: string, description: string, status?: number, transient = false) {
		super(message, {});
		this.description = description;
		this.context.tokenExchange = { status: status ?? null, transient } satisfies TokenFailure as never;
	}
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The tenant's origin (`https://host[:port]`) from what a person typed: with or without a
 * scheme, with trailing slashes or a path pasted from the admin portal. Only https is accepted,
 * except for loopback hosts (a local sandbox), so no secret is ever sent in clear text.
 */
export function tenantOrigin(raw: unknown): string {
	const typed = typeof raw === 'string' ? raw.trim() : '';
	if (!typed) {
		throw new TokenExchangeError(
			'The credential has no tenant URL',
			'Set Tenant URL to your CyberArk Identity tenant, e.g. https://aab1234.id.cyberark.cloud',
		);
	}
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`;
	if (!URL.canParse(withScheme)) {
		throw new TokenExchangeError(
			`The tenant URL "${typed}" is not a valid URL`,
			'Set Tenant URL to your tenant address, e.g. https://aab1234.id.cyberark.cloud',
		);
	}
	const url = new URL(withScheme);
	if (url.username || url.password) {
		throw new TokenExchangeError(
			'The tenant URL must not contain a user name or password',
			'Remove the "user:password@" part from Tenant URL; secrets belong in the credential fields.',
		);
	}
	const loopback = LOOPBACK_HOST.test(url.hostname);
	if (url.protocol === 'http:' && !loopback) {
		throw new TokenExchangeError(
			`The tenant URL must use https:// (got ${url.origin})`,
			'CyberArk Identity tenants are served over HTTPS. Change Tenant URL to start with https:// — plain http is only allowed for localhost.',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new TokenExchangeError(
			`The tenant URL must use https:// (got ${url.protocol})`,
			'Change Tenant URL to the https:// address of your tenant.',
		);
	}
	return url.origin;
}

function required(value: unknown, field: string, hint: string): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new TokenExchangeError(`The credential has no ${field}`, hint);
	}
	return value;
}

/** The exact token request: `POST <origin>/oauth2/token/<appId>`, form-encoded, Basic client auth. */
export function tokenRequest(credentials: CyberArkCredentials): IHttpRequestOptions {
	const origin = tenantOrigin(credentials.tenantUrl);
	const appId = required(
		credentials.appId,
		'OAuth2 application ID',
		'Set Application ID to the ID of the OAuth2 Client app in the CyberArk Admin Portal (Apps & Widgets > Web Apps > your app > Settings).',
	).trim();
	const clientId = required(
		credentials.clientId,
		'client ID',
		'Set Client ID to the login name of the OAuth confidential client service user.',
	).trim();
	const clientSecret = required(
		credentials.clientSecret,
		'client secret',
		'Set Client Secret to the password of the OAuth confidential client service user.',
	);
	const form = new URLSearchParams();
	if (credentials.grantType === 'clientCredentials') {
		form.set('grant_type', 'client_credentials');
	} else {
		form.set('grant_type', 'password');
		form.set(
			'username',
			required(
				credentials.username,
				'username',
				'Set Username to the login name of the service user the workflow acts as (resource owner).',
			).trim(),
		);
		form.set(
			'password',
			required(
				credentials.password,
				'password',
				'Set Password to the password of the service user the workflow acts as.',
			),
		);
	}
	const scope = (credentials.scope ?? '').trim();
	if (scope) form.set('scope', scope);
	return {
		method: 'POST',
		url: `${origin}/oauth2/token/${encodeURIComponent(appId)}`,
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
			Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`,
		},
		body: form.toString(),
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		skipSslCertificateValidation: credentials.ignoreSslIssues === true,
		timeout: 30_000,
	};
}

/** The credential's values that must never be shown. */
export function credentialSecrets(credentials: {
	clientSecret?: unknown;
	password?: unknown;
	accessToken?: unknown;
}): unknown[] {
	return [credentials.clientSecret, credentials.password, credentials.accessToken];
}

/** Replaces every secret found in a text; CyberArk may echo what it was sent. */
export function redact(text: string, secrets: unknown[]): string {
	return secrets
		.filter((s): s is string => typeof s === 'string' && s.length >= 3)
		.sort((a, b) => b.length - a.length)
		.reduce((out, secret) => out.split(secret).join('***'), text);
}

/** A JSON object from a body n8n may hand over parsed, as a string or as a Buffer; undefined otherwise. */
export function parseJson(body: unknown): Record<string, unknown> | undefined {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as Record<string, unknown>;
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
	try {
		const parsed: unknown = JSON.parse(text);
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** Turns the token endpoint's answer into a token or an error that says what to fix. */
export function readTokenAnswer(response: FullResponse, credentials: CyberArkCredentials): TokenAnswer {
	const origin = tenantOrigin(credentials.tenantUrl);
	const status = response.statusCode;
	const json = parseJson(response.body);
	if (status === 200 && json && typeof json.access_token === 'string' && json.access_token) {
		return {
			access_token: json.access_token,
			token_type: typeof json.token_type === 'string' ? json.token_type : 'Bearer',
			expires_in: Number(json.expires_in) || 0,
			...(typeof json.scope === 'string' ? { scope: json.scope } : {}),
		};
	}
	const code = typeof json?.error === 'string' ? json.error : '';
	const said =
		typeof json?.error_description === 'string'
			? redact(json.error_description, credentialSecrets(credentials))
			: '';
	const saidSuffix = said ? ` CyberArk said: "${said}"` : '';
	switch (code) {
		case 'invalid_client':
			return fail(
				'CyberArk rejected the client ID or client secret (invalid_client)',
				`Check Client ID (the confidential client's login name, e.g. n8n-client@yourtenant) and Client Secret (its password), and that the user has "Is OAuth confidential client" ticked.${saidSuffix}`,
				status,
			);
		case 'invalid_grant':
			return fail(
				credentials.grantType === 'clientCredentials'
					? 'CyberArk refused the client credentials grant (invalid_grant)'
					: 'CyberArk rejected the username or password, or the user must pass MFA (invalid_grant)',
				`Check Username and Password of the service user. The resource owner password grant cannot answer an MFA challenge: exempt this user from MFA in its authentication policy.${saidSuffix}`,
				status,
			);
		case 'invalid_scope':
			return fail(
				`The scope "${credentials.scope ?? ''}" is not defined on the OAuth2 app (invalid_scope)`,
				`Set Scope to a scope name from the app's Scope tab in the CyberArk Admin Portal.${saidSuffix}`,
				status,
			);
		case 'unsupported_grant_type':
		case 'unauthorized_client':
			return fail(
				`The OAuth2 app does not allow the ${credentials.grantType === 'clientCredentials' ? 'client credentials' : 'resource owner password'} grant (${code})`,
				`In the app's General Usage, tick "${credentials.grantType === 'clientCredentials' ? 'Client Creds' : 'Resource Owner'}" under Allowed Auth Methods.${saidSuffix}`,
				status,
			);
	}
	if (code) {
		return fail(
			`CyberArk refused the token request (${code})`,
			`Check the credential's fields.${saidSuffix}`,
			status,
		);
	}
	if (status === 404) {
		return fail(
			`No OAuth2 app with application ID "${credentials.appId}" was found at ${origin}`,
			"Set Application ID to the ID shown in the app's Settings (Apps & Widgets > Web Apps), and check Tenant URL.",
			status,
		);
	}
	if (status === 200) {
		return fail(
			'The token endpoint answered without an access token',
			`${origin} answered HTTP 200 but not with an OAuth2 token. Check that Tenant URL is your CyberArk Identity tenant.`,
			status,
		);
	}
	const transient = status >= 500 || status === 429;
	return fail(
		`The token endpoint at ${origin} answered HTTP ${status}${json ? '' : ' with a body that is not JSON'}`,
		transient
			? 'CyberArk or a proxy in front of it is unavailable; try again later.'
			: 'Check Tenant URL and Application ID: a proxy or a login page may be answering instead of the OAuth2 endpoint.',
		status,
		transient,
	);
}

function fail(message: string, description: string, status?: number, transient = false): never {
	throw new TokenExchangeError(message, description, status, transient);
}

// n8n replaces a message that names a Node.js error code (ECONNREFUSED, ...) with a generic one,
// so codes go into the description.
/** The Node.js error code of a failed request ('' when there is none), wherever n8n put it. */
export function errorCode(error: unknown): string {
	return String(
		(error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '',
	);
}

function describeNetworkFailure(error: unknown, origin: string): TokenExchangeError {
	const code = errorCode(error);
	const detail = code ? ` (error code ${code})` : '';
	if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
		return new TokenExchangeError(
			`The TLS certificate of ${origin} was not accepted`,
			`If a TLS-inspecting proxy sits between n8n and CyberArk, turn on "Ignore SSL Issues" in the credential; otherwise check Tenant URL${detail}.`,
		);
	}
	if (/ENOTFOUND|EAI_AGAIN/.test(code)) {
		return new TokenExchangeError(
			`The tenant host of ${origin} could not be found`,
			`Check Tenant URL for typos${detail}.`,
		);
	}
	return new TokenExchangeError(
		`Could not reach ${origin}`,
		`Check Tenant URL and that n8n can reach the tenant (proxy, firewall)${detail}.`,
		undefined,
		/ECONNREFUSED|ECONNRESET|ETIMEDOUT|ECONNABORTED/.test(code),
	);
}

/**
 * The OAuth2 token exchange, shared by the credential's pre-authentication and the node's
 * Get Token operation. Errors never carry the request (it holds the client secret and password).
 */
export async function exchangeToken(
	helpers: { httpRequest: HttpRequest },
	raw: ICredentialDataDecryptedObject,
): Promise<TokenAnswer> {
	const credentials = raw as unknown as CyberArkCredentials;
	const request = tokenRequest(credentials);
	let response: FullResponse;
	try {
		response = (await helpers.httpRequest(request)) as FullResponse;
	} catch (error) {
		throw describeNetworkFailure(error, tenantOrigin(credentials.tenantUrl));
	}
	return readTokenAnswer(response, credentials);
}
