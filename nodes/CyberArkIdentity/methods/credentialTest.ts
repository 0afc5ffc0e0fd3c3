import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { redirected, whoami } from '../../shared/transport/failures';
import type { FullResponse } from '../../shared/transport/token';
import {
	credentialSecrets,
	errorCode,
	exchangeToken,
	parseJson,
	redact,
	tenantOrigin,
} from '../../shared/transport/token';

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
	{ message, description }: { message: string; description?: string | null },
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
		return failure(error as { message: string; description?: string | null }, data);
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
		return failure(whoami.unreachable(origin, errorCode(error)), data);
	}
	const status = response.statusCode;
	const body = parseJson(response.body);
	if (status >= 300 && status < 400)
		return failure(redirected(origin, '/Security/whoami', status, response.headers?.location), data);
	if (status === 401 || status === 403) return failure(whoami.refused(status), data);
	if (status !== 200 || !body || typeof body.success !== 'boolean')
		return failure(whoami.notCyberArk(status, body !== undefined), data);
	if (body.success === false)
		return failure(whoami.successFalse(typeof body.Message === 'string' ? body.Message : ''), data);
	return { status: 'OK', message: whoami.ok };
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
