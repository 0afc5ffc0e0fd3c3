import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { ExecutionBaseError } from 'n8n-workflow';

import type { RequiredField, Wording } from './failures';
import { missingField, redirected, tenantUrl, tokenAnswer, tokenRefused, unreachable } from './failures';

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
	headers?: Record<string, unknown>;
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
	constructor({ message, description }: Wording, status?: number, transient = false) {
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
	if (!typed) throw new TokenExchangeError(tenantUrl.missing());
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`;
	if (!URL.canParse(withScheme)) throw new TokenExchangeError(tenantUrl.invalid(typed));
	const url = new URL(withScheme);
	if (url.username || url.password) throw new TokenExchangeError(tenantUrl.withUserInfo());
	const loopback = LOOPBACK_HOST.test(url.hostname);
	if (url.protocol === 'http:' && !loopback) throw new TokenExchangeError(tenantUrl.plainHttp(url.origin));
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		throw new TokenExchangeError(tenantUrl.otherScheme(url.protocol));
	return url.origin;
}

function required(value: unknown, field: RequiredField): string {
	if (typeof value !== 'string' || value.trim() === '') throw new TokenExchangeError(missingField(field));
	return value;
}

function tokenPath(appId: string): string {
	return `/oauth2/token/${encodeURIComponent(appId)}`;
}

/** The exact token request: `POST <origin>/oauth2/token/<appId>`, form-encoded, Basic client auth. */
export function tokenRequest(credentials: CyberArkCredentials): IHttpRequestOptions {
	const origin = tenantOrigin(credentials.tenantUrl);
	const appId = required(credentials.appId, 'appId').trim();
	const clientId = required(credentials.clientId, 'clientId').trim();
	const clientSecret = required(credentials.clientSecret, 'clientSecret');
	const form = new URLSearchParams();
	if (credentials.grantType === 'clientCredentials') {
		form.set('grant_type', 'client_credentials');
	} else {
		form.set('grant_type', 'password');
		form.set('username', required(credentials.username, 'username').trim());
		form.set('password', required(credentials.password, 'password'));
	}
	const scope = (credentials.scope ?? '').trim();
	if (scope) form.set('scope', scope);
	return {
		method: 'POST',
		url: `${origin}${tokenPath(appId)}`,
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
			Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`,
		},
		body: form.toString(),
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// n8n follows redirects by default and re-sends the Basic header and the form (password
		// included) to wherever they point; a redirect is reported instead (readTokenAnswer).
		disableFollowRedirect: true,
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
	if (status >= 300 && status < 400) {
		const path = tokenPath(String(credentials.appId ?? '').trim());
		return fail(redirected(origin, path, status, response.headers?.location), status);
	}
	const code = typeof json?.error === 'string' ? json.error : '';
	if (code) {
		const said =
			typeof json?.error_description === 'string'
				? redact(json.error_description, credentialSecrets(credentials))
				: '';
		return fail(tokenRefused(code, credentials.grantType, credentials.scope ?? '', said), status);
	}
	if (status === 404) return fail(tokenAnswer.appNotFound(credentials.appId, origin), status);
	if (status === 200) return fail(tokenAnswer.noAccessToken(origin), status);
	const transient = status >= 500 || status === 429;
	return fail(tokenAnswer.status(origin, status, json !== undefined, transient), status, transient);
}

function fail(wording: Wording, status?: number, transient = false): never {
	throw new TokenExchangeError(wording, status, transient);
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
	if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code))
		return new TokenExchangeError(unreachable.certificate(origin, code));
	if (/ENOTFOUND|EAI_AGAIN/.test(code)) return new TokenExchangeError(unreachable.hostNotFound(origin, code));
	const transient = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ECONNABORTED/.test(code);
	return new TokenExchangeError(unreachable.tenant(origin, code), undefined, transient);
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
