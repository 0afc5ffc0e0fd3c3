/** The retry policy: which failures are worth another attempt, and how long to wait before it. */
import type { CallFailure } from './failures';
import { attemptSummary } from './failures';

export interface RetryPolicy {
	/** Attempts for 5xx, timeouts, unreadable answers and an unreachable token endpoint. */
	maxAttempts: number;
	/** Attempts for 429 when nothing else bounds them: CyberArk asks to slow down, so the batch waits and tries longer. */
	maxRateLimitedAttempts: number;
	/** A 429 fails its item once the run has had no other answer for this long. */
	rateLimitPatienceMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
	maxAttempts: 5,
	maxRateLimitedAttempts: 30,
	rateLimitPatienceMs: 60_000,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
};

/** What went wrong with one attempt, stripped of the request (which holds the bearer token). */
export interface Failure extends CallFailure {
	retryAfter?: string;
}

interface HttpResponse {
	status?: number;
	headers?: Record<string, unknown>;
	data?: unknown;
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
	const status =
		response?.status ?? (e?.httpCode && /^\d{3}$/.test(e.httpCode) ? Number(e.httpCode) : undefined);
	if (status !== undefined) {
		const header = (name: string) => response?.headers?.[name] ?? response?.headers?.[name.toLowerCase()];
		const retryAfter = header('Retry-After');
		const location = header('Location');
		const redirect = status >= 300 && status < 400;
		return {
			status,
			retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
			...(redirect && typeof location === 'string' ? { location } : {}),
			// A redirect is an answer from in front of CyberArk's API, which never saw the call.
			mayHaveApplied: !redirect && ![401, 403, 404, 405, 408, 429, 503].includes(status),
			message: attemptSummary(status, undefined),
		};
	}
	const connectFailed = code !== undefined && CONNECT_CODES.includes(code);
	return { code, mayHaveApplied: !connectFailed, message: attemptSummary(undefined, code) };
}

const TRANSIENT_STATUS = [429, 502, 503, 504];

/** Whether another attempt is worth it and safe. */
export function shouldRetry(
	failure: Failure,
	call: { idempotent: boolean },
	attempt: number,
	policy: RetryPolicy,
): boolean {
	if (attempt >= (failure.status === 429 ? policy.maxRateLimitedAttempts : policy.maxAttempts)) return false;
	const transient =
		(failure.status !== undefined && TRANSIENT_STATUS.includes(failure.status)) ||
		(failure.status === undefined && failure.code !== undefined);
	if (!transient) return false;
	return call.idempotent || !failure.mayHaveApplied;
}

/** Milliseconds to wait before the next attempt: Retry-After when given, else jittered exponential back-off. */
export function retryDelay(
	failure: Failure,
	attempt: number,
	policy: RetryPolicy,
	random: () => number = Math.random,
	now = Date.now(),
): number {
	if (failure.retryAfter !== undefined) {
		const seconds = Number(failure.retryAfter);
		const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(failure.retryAfter) - now;
		if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), policy.maxDelayMs);
	}
	const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
