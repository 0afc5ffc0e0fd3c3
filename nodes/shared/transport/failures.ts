/**
 * The wording of every failure the transport reports: what went wrong, then what to do. Pure
 * functions returning a message and a description; the error classes (errors.ts, token.ts), the
 * retry policy and the credential Test only choose which one applies. Read at 2 a.m. in the n8n UI
 * after a provisioning run failed. n8n replaces a message that names a Node.js error code
 * (ECONNREFUSED, ...) with a generic one, so codes go into descriptions.
 */
export interface Wording {
	message: string;
	description: string;
}

const EXAMPLE_TENANT = 'https://aab1234.id.cyberark.cloud';

// ---------------------------------------------------------------------------------------------
// The credential's fields
// ---------------------------------------------------------------------------------------------

export const tenantUrl = {
	missing: (): Wording => ({
		message: 'The credential has no tenant URL',
		description: `Set Tenant URL to your CyberArk Identity tenant, e.g. ${EXAMPLE_TENANT}`,
	}),
	invalid: (typed: string): Wording => ({
		message: `The tenant URL "${typed}" is not a valid URL`,
		description: `Set Tenant URL to your tenant address, e.g. ${EXAMPLE_TENANT}`,
	}),
	withUserInfo: (): Wording => ({
		message: 'The tenant URL must not contain a user name or password',
		description: 'Remove the "user:password@" part from Tenant URL; secrets belong in the credential fields.',
	}),
	plainHttp: (origin: string): Wording => ({
		message: `The tenant URL must use https:// (got ${origin})`,
		description:
			'CyberArk Identity tenants are served over HTTPS. Change Tenant URL to start with https:// — plain http is only allowed for localhost.',
	}),
	otherScheme: (protocol: string): Wording => ({
		message: `The tenant URL must use https:// (got ${protocol})`,
		description: 'Change Tenant URL to the https:// address of your tenant.',
	}),
};

const FIELD_HINTS = {
	appId: [
		'OAuth2 application ID',
		'Set Application ID to the ID of the OAuth2 Client app in the CyberArk Admin Portal (Apps & Widgets > Web Apps > your app > Settings).',
	],
	clientId: ['client ID', 'Set Client ID to the login name of the OAuth confidential client service user.'],
	clientSecret: [
		'client secret',
		'Set Client Secret to the password of the OAuth confidential client service user.',
	],
	username: [
		'username',
		'Set Username to the login name of the service user the workflow acts as (resource owner).',
	],
	password: ['password', 'Set Password to the password of the service user the workflow acts as.'],
} as const;

export type RequiredField = keyof typeof FIELD_HINTS;

export function missingField(field: RequiredField): Wording {
	const [label, hint] = FIELD_HINTS[field];
	return { message: `The credential has no ${label}`, description: hint };
}

// ---------------------------------------------------------------------------------------------
// The token exchange
// ---------------------------------------------------------------------------------------------

export type GrantType = 'password' | 'clientCredentials';

/** The token endpoint answered with an OAuth2 error code; `said` is its error_description, secrets removed. */
export function tokenRefused(code: string, grantType: GrantType, scope: string, said: string): Wording {
	const saidSuffix = said ? ` CyberArk said: "${said}"` : '';
	const clientCredentials = grantType === 'clientCredentials';
	switch (code) {
		case 'invalid_client':
			return {
				message: 'CyberArk rejected the client ID or client secret (invalid_client)',
				description: `Check Client ID (the confidential client's login name, e.g. n8n-client@yourtenant) and Client Secret (its password), and that the user has "Is OAuth confidential client" ticked.${saidSuffix}`,
			};
		case 'invalid_grant':
			return {
				message: clientCredentials
					? 'CyberArk refused the client credentials grant (invalid_grant)'
					: 'CyberArk rejected the username or password, or the user must pass MFA (invalid_grant)',
				description: `Check Username and Password of the service user. The resource owner password grant cannot answer an MFA challenge: exempt this user from MFA in its authentication policy.${saidSuffix}`,
			};
		case 'invalid_scope':
			return {
				message: `The scope "${scope}" is not defined on the OAuth2 app (invalid_scope)`,
				description: `Set Scope to a scope name from the app's Scope tab in the CyberArk Admin Portal.${saidSuffix}`,
			};
		case 'unsupported_grant_type':
		case 'unauthorized_client':
			return {
				message: `The OAuth2 app does not allow the ${clientCredentials ? 'client credentials' : 'resource owner password'} grant (${code})`,
				description: `In the app's General Usage, tick "${clientCredentials ? 'Client Creds' : 'Resource Owner'}" under Allowed Auth Methods.${saidSuffix}`,
			};
		default:
			return {
				message: `CyberArk refused the token request (${code})`,
				description: `Check the credential's fields.${saidSuffix}`,
			};
	}
}

export const tokenAnswer = {
	appNotFound: (appId: string, origin: string): Wording => ({
		message: `No OAuth2 app with application ID "${appId}" was found at ${origin}`,
		description:
			"Set Application ID to the ID shown in the app's Settings (Apps & Widgets > Web Apps), and check Tenant URL.",
	}),
	noAccessToken: (origin: string): Wording => ({
		message: 'The token endpoint answered without an access token',
		description: `${origin} answered HTTP 200 but not with an OAuth2 token. Check that Tenant URL is your CyberArk Identity tenant.`,
	}),
	status: (origin: string, status: number, isJson: boolean, transient: boolean): Wording => ({
		message: `The token endpoint at ${origin} answered HTTP ${status}${isJson ? '' : ' with a body that is not JSON'}`,
		description: transient
			? 'CyberArk or a proxy in front of it is unavailable; try again later.'
			: 'Check Tenant URL and Application ID: a proxy or a login page may be answering instead of the OAuth2 endpoint.',
	}),
};

/** A request that got no answer; `code` is the Node.js error code ('' when there is none). */
export const unreachable = {
	certificate: (origin: string, code: string): Wording => ({
		message: `The TLS certificate of ${origin} was not accepted`,
		description: `If a TLS-inspecting proxy sits between n8n and CyberArk, turn on "Ignore SSL Issues" in the credential; otherwise check Tenant URL${codeDetail(code)}.`,
	}),
	hostNotFound: (origin: string, code: string): Wording => ({
		message: `The tenant host of ${origin} could not be found`,
		description: `Check Tenant URL for typos${codeDetail(code)}.`,
	}),
	tenant: (origin: string, code: string): Wording => ({
		message: `Could not reach ${origin}`,
		description: `Check Tenant URL and that n8n can reach the tenant (proxy, firewall)${codeDetail(code)}.`,
	}),
};

function codeDetail(code: string): string {
	return code ? ` (error code ${code})` : '';
}

// ---------------------------------------------------------------------------------------------
// Answers that are not CyberArk's: redirects, scope refusals
// ---------------------------------------------------------------------------------------------

/**
 * The tenant answered a request with a redirect, which no credential follows. Names where it points
 * (the origin only: a Location's path and query are none of the reader's business when it is elsewhere).
 */
export function redirected(origin: string, path: string, status: number, location: unknown): Wording {
	const target =
		typeof location === 'string' && URL.canParse(location, `${origin}${path}`)
			? new URL(location, `${origin}${path}`)
			: undefined;
	if (!target) {
		return {
			message: `The tenant URL ${origin} redirects ${path} elsewhere (HTTP ${status})`,
			description: `No credential follows a redirect, so nothing was sent on. Where it points was not reported (n8n 1.x does not pass it on): open ${origin} in a browser to see where it leads, and set Tenant URL to the address of your CyberArk Identity tenant itself.`,
		};
	}
	if (target.origin !== origin) {
		return {
			message: `The tenant URL ${origin} redirects to ${target.origin}; use that URL`,
			description: `${origin} answered ${path} with HTTP ${status}. No credential follows a redirect, so nothing was sent to ${target.origin}. If it is your CyberArk Identity tenant, set Tenant URL to ${target.origin}; if it is not (a login page, a proxy), check Tenant URL.`,
		};
	}
	return {
		message: `The tenant URL ${origin} redirects ${path} to ${target.pathname} (HTTP ${status})`,
		description:
			"No credential follows a redirect. A login page or a proxy may be answering instead of CyberArk Identity's API: check Tenant URL.",
	};
}

/**
 * CyberArk refused an endpoint with HTTP 401 for a token it had just issued: the OAuth2 app's scope
 * does not allow the endpoint (CyberArk answers 401, not 403, for an endpoint no REST regex matches).
 */
export function scopeRefusal(path: string, scope: string): Wording {
	const where = scope
		? `the scope "${scope}" named in the credential's Scope`
		: "the app's scope (the credential's Scope is empty)";
	return {
		message: `CyberArk refused the access token (HTTP 401), even after a new token was fetched: the OAuth2 app's scope does not allow ${path}`,
		description: `In the Admin Portal (Apps & Widgets > Web Apps > your OAuth2 app > Scope), add a REST regex matching ${path.replace(/^\//, '')} to ${where}, or set Scope to a scope that allows it; the service user also needs the right this call takes. No further token is fetched for ${path} in this run: each would be refused the same way.`,
	};
}

// ---------------------------------------------------------------------------------------------
// Management calls
// ---------------------------------------------------------------------------------------------

export const envelope = {
	noMessage: (path: string): string => `CyberArk refused ${path} without a message`,
	refusal: (path: string, errorId: string | null | undefined): string =>
		`CyberArk Identity answered ${path} with success:false${errorId ? ` (error ID ${errorId})` : ''}.`,
	notAnEnvelope: (path: string): Wording => ({
		message: `CyberArk answered ${path} with something that is not a CyberArk response`,
		description:
			'The body was not the JSON envelope CyberArk sends ({"success": ..., "Result": ...}). A proxy or a login page may be answering: check Tenant URL.',
	}),
};

/** What went wrong with one attempt, in a few words (a description's tail). */
export function attemptSummary(status: number | undefined, code: string | undefined): string {
	if (status !== undefined) return `HTTP ${status}`;
	return code ? `error code ${code}` : 'the request failed before CyberArk answered';
}

/** One management call's failure without a CyberArk envelope. */
export interface CallFailure {
	status?: number;
	code?: string;
	location?: string;
	mayHaveApplied: boolean;
	message: string;
}

export function callFailure(
	call: { path: string; idempotent: boolean },
	failure: CallFailure,
	origin: string,
	scope: string,
): Wording {
	const { path, idempotent } = call;
	const { status } = failure;
	if (status !== undefined && status >= 300 && status < 400)
		return redirected(origin, path, status, failure.location);
	if (status === 401) return scopeRefusal(path, scope);
	if (status === 403)
		return {
			message: `CyberArk denied ${path} (HTTP 403)`,
			description:
				'The service user lacks the administrative right this call needs (e.g. User Management), or the scope does not allow the endpoint.',
		};
	if (status === 429)
		return {
			message: 'CyberArk kept rate limiting the requests (HTTP 429), and the retries did not get through',
			description:
				'The node already slows down when CyberArk answers 429. Another integration may be using the tenant\'s limit: lower "Max Requests per Second" under Options, or run the batch later.',
		};
	if (status !== undefined)
		return {
			message: `CyberArk answered ${path} with HTTP ${status}`,
			description:
				status >= 500
					? 'CyberArk or a proxy in front of it failed.' +
						(failure.mayHaveApplied && !idempotent
							? ' The change may have been applied: check before running again.'
							: ' Try again later.')
					: `Check Tenant URL (${origin}).`,
		};
	if (failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT')
		return {
			message: `CyberArk did not answer ${path} in time`,
			description: idempotent
				? 'Try again later.'
				: 'The change may have been applied: check before running again.',
		};
	return {
		message: `Could not reach ${origin}`,
		description: `Check Tenant URL and that n8n can reach the tenant (proxy, firewall); ${failure.message}.`,
	};
}

// ---------------------------------------------------------------------------------------------
// The credential's Test button (after the token exchange, which reads as above)
// ---------------------------------------------------------------------------------------------

export const whoami = {
	unreachable: (origin: string, code: string): Wording => ({
		message: `CyberArk issued a token, but ${origin}/Security/whoami could not be reached`,
		description: `Check that n8n can reach the tenant (error code ${code || 'unknown'}).`,
	}),
	refused: (status: number): Wording => ({
		message: `CyberArk issued a token, but refused it for /Security/whoami (HTTP ${status})`,
		description:
			'Allow "Security/whoami" in the REST regexes of the scope named in Scope, or set Scope to a scope that allows it.',
	}),
	notCyberArk: (status: number, isJson: boolean): Wording => ({
		message: `CyberArk issued a token, but /Security/whoami answered HTTP ${status}${isJson ? '' : ' with a body that is not JSON'}`,
		description: 'Check Tenant URL: it must be the address of your CyberArk Identity tenant.',
	}),
	successFalse: (said: string): Wording => ({
		message: 'The token works, but CyberArk refused /Security/whoami',
		description: `Allow "Security/whoami" in the scope's REST regexes.${said ? ` CyberArk said: "${said}"` : ''}`,
	}),
	ok: 'Connection successful!',
};
