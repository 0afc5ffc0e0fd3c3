import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { TokenFailure } from './token';
import { redact, tenantOrigin } from './token';
import { InvalidInput } from './validate';

export const CREDENTIAL_TYPE = 'cyberArkIdentityApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface ApiCall {
	/** Path on the tenant, e.g. `/CDirectoryService/CreateUser`. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/**
	 * Whether sending the call twice does no harm. Calls that are not idempotent are only
	 * retried when CyberArk cannot have applied them (429, 503, connection refused).
	 */
	idempotent: boolean;
	/** Values the body carries that must not reappear in an error, should CyberArk echo them (passwords). */
	secrets?: string[];
}

export interface RetryPolicy {
	/** Attempts for 5xx, timeouts, unreadable answers and an unreachable token endpoint. */
	maxAttempts: number;
	/** Attempts for 429: CyberArk asks to slow down, so the batch waits and tries longer. */
	maxRateLimitedAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, maxRateLimitedAttempts: 10, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 60_000 };

/** What went wrong with one attempt, stripped of the request (which holds the bearer token). */
export interface Failure {
	status?: number;
	retryAfter?: string;
	code?: string;
	/** The call reached CyberArk and may have been applied although no valid answer came back. */
	mayHaveApplied: boolean;
	message: string;
}

export interface Envelope {
	success: boolean;
	Result?: unknown;
	Message?: string | null;
	MessageID?: string | null;
	ErrorID?: string | null;
	ErrorCode?: string | null;
	Exception?: unknown;
}

/** A CyberArk answer of HTTP 200 with `success:false`. */
export class CyberArkError extends NodeApiError {
	constructor(node: INode, path: string, envelope: Envelope, itemIndex?: number, secrets: string[] = []) {
		const message = redact(envelope.Message?.trim() || `CyberArk refused ${path} without a message`, secrets);
		super(node, sanitizeEnvelope({ ...envelope, Message: message }), {
			message,
			description: `CyberArk Identity answered ${path} with success:false${envelope.ErrorID ? ` (error ID ${envelope.ErrorID})` : ''}.`,
			itemIndex,
		});
		this.name = 'NodeApiError';
	}
}

/**
 * The call may or may not have been applied: the answer was lost or unreadable after CyberArk
 * received it. Callers of non-idempotent calls resolve this by reading the current state.
 */
export class UncertainOutcomeError extends NodeApiError {
	constructor(...args: ConstructorParameters<typeof NodeApiError>) {
		super(...args);
		this.name = 'NodeApiError';
	}
}

function sanitizeEnvelope(envelope: Envelope): JsonObject {
	return {
		success: false,
		Message: envelope.Message ?? null,
		MessageID: envelope.MessageID ?? null,
		ErrorID: envelope.ErrorID ?? null,
		ErrorCode: envelope.ErrorCode ?? null,
	};
}

const CONNECT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

/** Reads status, headers and body out of whatever n8n's request helpers threw. */
export function describeFailure(error: unknown): Failure {
	const e = error as {
		cause?: { response?: HttpResponse; code?: string; message?: string };
		response?: HttpResponse;
		code?: string;
		httpCode?: string | null;
		message?: string;
	};
	const response = e?.cause?.response ?? e?.response;
	const code = e?.cause?.code ?? e?.code;
	const status = response?.status ?? (e?.httpCode && /^\d{3}$/.test(e.httpCode) ? Number(e.httpCode) : undefined);
	if (status !== undefined) {
		const header = response?.headers?.['retry-after'] ?? response?.headers?.['Retry-After'];
		return {
			status,
			retryAfter: header === undefined ? undefined : String(header),
			mayHaveApplied: ![401, 403, 404, 405, 408, 429, 503].includes(status),
			message: `HTTP ${status}`,
		};
	}
	const connectFailed = code !== undefined && CONNECT_CODES.includes(code);
	return {
		code,
		mayHaveApplied: !connectFailed,
		message: code ? `error code ${code}` : 'the request failed before CyberArk answered',
	};
}

interface HttpResponse {
	status?: number;
	headers?: Record<string, unknown>;
	data?: unknown;
}

const TRANSIENT_STATUS = [429, 502, 503, 504];

/** Whether another attempt is worth it and safe. */
export function shouldRetry(failure: Failure, call: Pick<ApiCall, 'idempotent'>, attempt: number, policy: RetryPolicy): boolean {
	if (attempt >= (failure.status === 429 ? policy.maxRateLimitedAttempts : policy.maxAttempts)) return false;
	const transient =
		(failure.status !== undefined && TRANSIENT_STATUS.includes(failure.status)) ||
		(failure.status === undefined && failure.code !== undefined);
	if (!transient) return false;
	return call.idempotent || !failure.mayHaveApplied;
}

/** Milliseconds to wait before the next attempt: Retry-After when given, else jittered exponential back-off. */
export function retryDelay(failure: Failure, attempt: number, policy: RetryPolicy, random: () => number = Math.random, now = Date.now()): number {
	if (failure.retryAfter !== undefined) {
		const seconds = Number(failure.retryAfter);
		const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(failure.retryAfter) - now;
		if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), policy.maxDelayMs);
	}
	const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Returns `Result` of a successful envelope; throws CyberArkError for `success:false`. */
export function unwrapEnvelope(node: INode, path: string, body: unknown, itemIndex?: number, secrets: string[] = []): unknown {
	const envelope = parseEnvelope(body);
	if (!envelope) {
		throw new UncertainOutcomeError(node, { message: 'malformed answer' } as JsonObject, {
			message: `CyberArk answered ${path} with something that is not a CyberArk response`,
			description:
				'The body was not the JSON envelope CyberArk sends ({"success": ..., "Result": ...}). A proxy or a login page may be answering: check Tenant URL.',
			itemIndex,
		});
	}
	if (envelope.success !== true) throw new CyberArkError(node, path, envelope, itemIndex, secrets);
	return envelope.Result ?? null;
}

function parseEnvelope(body: unknown): Envelope | undefined {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (!value || typeof value !== 'object' || typeof (value as Envelope).success !== 'boolean') return undefined;
	return value as Envelope;
}

function failureError(node: INode, call: ApiCall, failure: Failure, origin: string, itemIndex?: number): NodeApiError {
	const httpCode = failure.status === undefined ? undefined : String(failure.status);
	let message: string;
	let description: string;
	if (failure.status === 401) {
		message = 'CyberArk refused the access token (HTTP 401), even after a new token was fetched';
		description =
			`The token from the credential was not accepted for ${call.path}. Check that the app's scope allows this endpoint in its REST regexes, and that the service user may call it.`;
	} else if (failure.status === 403) {
		message = `CyberArk denied ${call.path} (HTTP 403)`;
		description = 'The service user lacks the administrative right this call needs (e.g. User Management), or the scope does not allow the endpoint.';
	} else if (failure.status === 429) {
		message = 'CyberArk is rate limiting the requests (HTTP 429), and retries did not get through';
		description = 'Lower the concurrency or split the batch, then run again.';
	} else if (failure.status !== undefined) {
		message = `CyberArk answered ${call.path} with HTTP ${failure.status}`;
		description =
			failure.status >= 500
				? 'CyberArk or a proxy in front of it failed.' + (failure.mayHaveApplied && !call.idempotent ? ' The change may have been applied: check before running again.' : ' Try again later.')
				: `Check Tenant URL (${origin}).`;
	} else if (failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT') {
		message = `CyberArk did not answer ${call.path} in time`;
		description = call.idempotent ? 'Try again later.' : 'The change may have been applied: check before running again.';
	} else {
		message = `Could not reach ${origin}`;
		description = `Check Tenant URL and that n8n can reach the tenant (proxy, firewall); ${failure.message}.`;
	}
	const uncertain = failure.mayHaveApplied && !call.idempotent;
	const ErrorClass = uncertain ? UncertainOutcomeError : NodeApiError;
	return new ErrorClass(node, { message, httpCode: httpCode ?? null } as JsonObject, { message, description, httpCode, itemIndex });
}

/**
 * What every call of one node run shares: the tenant (read from the credential once) and the
 * back-off a 429 imposes on the whole batch. Keyed by n8n's execution context, which is one
 * object for all items of a run.
 */
interface RunState {
	origin: string;
	skipSslCertificateValidation: boolean;
	pausedUntil: number;
	timeoutMs?: number;
}

const runs = new WeakMap<object, RunState>();

/** Settings of a node run that every call follows. */
export async function configureRun(this: Context, settings: { timeoutMs?: number }): Promise<void> {
	Object.assign(await runState.call(this), settings);
}

async function runState(this: Context, itemIndex?: number): Promise<RunState> {
	let state = runs.get(this);
	if (!state) {
		const credentials = await this.getCredentials(CREDENTIAL_TYPE, itemIndex);
		let origin: string;
		try {
			origin = tenantOrigin(credentials.tenantUrl);
		} catch (error) {
			throw tokenError(this.getNode(), error, itemIndex);
		}
		state = { origin, skipSslCertificateValidation: credentials.ignoreSslIssues === true, pausedUntil: 0 };
		runs.set(this, state);
	}
	return state;
}

/**
 * Sends one management call: POST with a JSON body and the credential's bearer token
 * (n8n mints it in the credential's pre-authentication and re-mints it once on a 401),
 * retries transient failures within bounds, and unwraps CyberArk's envelope. A 429 with
 * Retry-After pauses every call of the run, not just the one that got it.
 */
export async function cyberArkRequest(
	this: Context,
	call: ApiCall,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY,
): Promise<unknown> {
	const state = await runState.call(this, itemIndex);
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${state.origin}${call.path}`,
		qs: call.qs,
		body: call.body ?? {},
		json: true,
		timeout: state.timeoutMs ?? policy.timeoutMs,
		skipSslCertificateValidation: state.skipSslCertificateValidation,
	};
	for (let attempt = 1; ; attempt++) {
		const pause = state.pausedUntil - Date.now();
		if (pause > 0) await sleep(pause);
		let body: unknown;
		try {
			body = await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...options });
		} catch (error) {
			const tokenFailure = tokenExchangeFailure(error);
			const failure = tokenFailure ? tokenEndpointFailure(tokenFailure) : describeFailure(error);
			if (failure && shouldRetry(failure, call, attempt, policy)) {
				const delay = retryDelay(failure, attempt, policy);
				if (failure.retryAfter !== undefined) state.pausedUntil = Math.max(state.pausedUntil, Date.now() + delay);
				await sleep(delay);
				continue;
			}
			if (tokenFailure) throw tokenError(this.getNode(), error, itemIndex);
			throw failureError(this.getNode(), call, failure!, state.origin, itemIndex);
		}
		if (parseEnvelope(body) === undefined && call.idempotent && attempt < policy.maxAttempts) {
			await sleep(retryDelay({ mayHaveApplied: true, message: 'malformed' }, attempt, policy));
			continue;
		}
		return unwrapEnvelope(this.getNode(), call.path, body, itemIndex, call.secrets);
	}
}

interface TokenFailureError {
	message: string;
	description?: string | null;
	tokenFailure: TokenFailure;
}

/**
 * n8n wraps what the credential's pre-authentication threw in a NodeApiError, keeping its message,
 * description and context (n8n 1.x drops the original error); the context says it is ours.
 */
function tokenExchangeFailure(error: unknown): TokenFailureError | undefined {
	const e = error as { message?: string; description?: string | null; context?: { tokenExchange?: TokenFailure } };
	const tokenFailure = e?.context?.tokenExchange;
	if (!tokenFailure || typeof e.message !== 'string') return undefined;
	return { message: e.message, description: e.description, tokenFailure };
}

/** A token endpoint that is down or overloaded: the management call was never sent. */
function tokenEndpointFailure({ message, tokenFailure }: TokenFailureError): Failure | undefined {
	if (!tokenFailure.transient) return undefined;
	const status = tokenFailure.status ?? undefined;
	return { status, code: status === undefined ? 'ECONNREFUSED' : undefined, mayHaveApplied: false, message };
}

export function tokenError(node: INode, error: unknown, itemIndex?: number): NodeApiError {
	const source = tokenExchangeFailure(error)!;
	const httpCode = source.tokenFailure.status === null ? undefined : String(source.tokenFailure.status);
	return new NodeApiError(node, { message: source.message } as JsonObject, {
		message: source.message,
		description: source.description ?? undefined,
		httpCode,
		itemIndex,
	});
}

/** Any error of one item as the NodeApiError or NodeOperationError n8n shows, tied to that item. */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof InvalidInput) {
		return new NodeOperationError(node, error.message, { itemIndex, description: error.description });
	}
	if (tokenExchangeFailure(error)) return tokenError(node, error, itemIndex);
	return new NodeOperationError(node, error as Error, { itemIndex });
}
