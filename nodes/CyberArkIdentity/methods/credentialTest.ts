import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import type { FullResponse } from '../../shared/transport/token';
import {
	credentialSecrets,
	errorCode,
	exchangeToken,
	parseJson,
	redact,
	tenantOrigin,
} from '../../shared/transport/token';

/** The name the node's `credentials[].testedBy` points at. */
export const CREDENTIAL_TEST = 'cyberArkIdentityApiTest';

/** The one helper n8n gives a credential test function (`CredentialTestContext`, 1.x and 2.x). */
type LegacyRequest = ICredentialTestFunctions['helpers']['request'];

/**
 * The same request expressed in the options n8n's credential test helper takes (the `request`
 * library's shape, proxied by n8n to axios): full response, no throw on a non-2xx status, the
 * certificate check as the credential says. n8n's own proxy and SSRF settings apply to it.
 */
function toLegacyOptions(options: IHttpRequestOptions): Record<string, unknown> {
	return {
		uri: options.url,
		method: options.method ?? 'GET',
		headers: options.headers,
		body: options.body,
		json: options.json === true,
		timeout: options.timeout,
		resolveWithFullResponse: true,
		simple: false,
		followRedirect: false,
		rejectUnauthorized: options.skipSslCertificateValidation !== true,
	};
}

/** One readable line (what failed, then what to do), with every secret of the form blanked out. */
function failure(
	message: string,
	description: string | null | undefined,
	data: ICredentialDataDecryptedObject,
): INodeCredentialTestResult {
	const text = description ? `${message}. ${description}` : message;
	return { status: 'Error', message: redact(text, credentialSecrets(data)) };
}

/**
 * The credential's Test button: the real token exchange with the values in the form (not the
 * token n8n stored earlier), then `/Security/whoami` with the new token. Every failure reads like
 * the node's own errors; a non-loopback http:// tenant fails before any request is made.
 */
export async function testCredential(
	request: LegacyRequest,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const httpRequest = async (options: IHttpRequestOptions) =>
		(await request(toLegacyOptions(options))) as unknown;
	let origin: string;
	let accessToken: string;
	try {
		origin = tenantOrigin(data.tenantUrl);
		accessToken = (await exchangeToken({ httpRequest }, data)).access_token;
	} catch (error) {
		const { message, description } = error as { message: string; description?: string | null };
		return failure(message, description, data);
	}

	let response: FullResponse;
	try {
		response = (await httpRequest({
			method: 'POST',
			url: `${origin}/Security/whoami`,
			headers: {
				Authorization: `Bearer ${accessToken}`,
				'X-IDAP-NATIVE-CLIENT': 'true',
				Accept: 'application/json',
			},
			body: {},
			json: true,
			skipSslCertificateValidation: data.ignoreSslIssues === true,
			timeout: 30_000,
		})) as FullResponse;
	} catch (error) {
		const code = errorCode(error) || 'unknown';
		return failure(
			`CyberArk issued a token, but ${origin}/Security/whoami could not be reached`,
			`Check that n8n can reach the tenant (error code ${code}).`,
			data,
		);
	}
	const body = parseJson(response.body);
	if (response.statusCode === 401 || response.statusCode === 403) {
		return failure(
			`CyberArk issued a token, but refused it for /Security/whoami (HTTP ${response.statusCode})`,
			'Allow "Security/whoami" in the REST regexes of the scope named in Scope, or set Scope to a scope that allows it.',
			data,
		);
	}
	if (response.statusCode !== 200 || !body || typeof body.success !== 'boolean') {
		return failure(
			`CyberArk issued a token, but /Security/whoami answered HTTP ${response.statusCode}${body ? '' : ' with a body that is not JSON'}`,
			'Check Tenant URL: it must be the address of your CyberArk Identity tenant.',
			data,
		);
	}
	if (body.success === false) {
		const said = typeof body.Message === 'string' && body.Message ? ` CyberArk said: "${body.Message}"` : '';
		return failure(
			'The token works, but CyberArk refused /Security/whoami',
			`Allow "Security/whoami" in the scope's REST regexes.${said}`,
			data,
		);
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** `methods.credentialTest` entry of the node: n8n calls it with the form's values when Test is pressed. */
export async function cyberArkIdentityApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	// The test context offers only n8n's request helper (no httpRequest): it is passed on as it is.
	const { helpers } = this;
	return await testCredential(helpers.request.bind(helpers), credential);
}
