import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	DEFAULT_RETRY,
	describeFailure,
	retryDelay,
	shouldRetry,
} from '../../../nodes/shared/transport/retry';

const node: INode = {
	id: '1',
	name: 'CyberArk Identity',
	type: 'cyberArkIdentity',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function axiosLike(status: number, headers: Record<string, string> = {}, data: unknown = '') {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, headers, data },
		config: { headers: { Authorization: 'Bearer secret-token' } },
	});
}

describe('describeFailure', () => {
	test('reads status, Retry-After and body through the NodeApiError n8n wraps it in', () => {
		const wrapped = new NodeApiError(
			node,
			axiosLike(429, { 'retry-after': '3' }, '<html/>') as unknown as JsonObject,
		);
		expect(describeFailure(wrapped)).toEqual({
			status: 429,
			retryAfter: '3',
			mayHaveApplied: false,
			message: 'HTTP 429',
		});
	});

	test('reads a bare axios error', () => {
		expect(describeFailure(axiosLike(503))).toMatchObject({ status: 503, mayHaveApplied: false });
		expect(describeFailure(axiosLike(502))).toMatchObject({ status: 502, mayHaveApplied: true });
		expect(describeFailure(axiosLike(504))).toMatchObject({ status: 504, mayHaveApplied: true });
	});

	test('connection errors: refused cannot have applied, reset and timeout may have', () => {
		expect(describeFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toMatchObject({
			code: 'ECONNREFUSED',
			mayHaveApplied: false,
		});
		expect(describeFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toMatchObject({
			code: 'ECONNRESET',
			mayHaveApplied: true,
		});
		expect(
			describeFailure(
				new NodeApiError(
					node,
					Object.assign(new Error('t'), { code: 'ECONNABORTED' }) as unknown as JsonObject,
				),
			),
		).toMatchObject({ code: 'ECONNABORTED', mayHaveApplied: true });
	});

	test.each([301, 302, 307, 308])(
		'a redirect (%i): where it points, never applied, never retried',
		(status) => {
			const failure = describeFailure(
				new NodeApiError(
					node,
					axiosLike(status, { location: 'https://elsewhere.example/x' }) as unknown as JsonObject,
				),
			);
			expect(failure).toMatchObject({
				status,
				location: 'https://elsewhere.example/x',
				mayHaveApplied: false,
			});
			expect(shouldRetry(failure, { idempotent: true }, 1, DEFAULT_RETRY)).toBe(false);
		},
	);

	test('keeps nothing of the request', () => {
		expect(
			JSON.stringify(describeFailure(new NodeApiError(node, axiosLike(500) as unknown as JsonObject))),
		).not.toContain('secret-token');
	});
});

describe('shouldRetry', () => {
	const read = { idempotent: true };
	const write = { idempotent: false };
	const at = (status: number) => describeFailure(axiosLike(status));

	test.each([429, 502, 503, 504])('retries %i for idempotent calls', (status) => {
		expect(shouldRetry(at(status), read, 1, DEFAULT_RETRY)).toBe(true);
	});

	test('never retries what is not transient', () => {
		for (const status of [400, 401, 403, 404, 500])
			expect(shouldRetry(at(status), read, 1, DEFAULT_RETRY)).toBe(false);
	});

	test('a write is retried only when CyberArk cannot have applied it', () => {
		expect(shouldRetry(at(429), write, 1, DEFAULT_RETRY)).toBe(true);
		expect(shouldRetry(at(503), write, 1, DEFAULT_RETRY)).toBe(true);
		expect(shouldRetry(at(502), write, 1, DEFAULT_RETRY)).toBe(false);
		expect(shouldRetry(at(504), write, 1, DEFAULT_RETRY)).toBe(false);
		expect(
			shouldRetry(
				describeFailure(Object.assign(new Error(), { code: 'ECONNREFUSED' })),
				write,
				1,
				DEFAULT_RETRY,
			),
		).toBe(true);
		expect(
			shouldRetry(
				describeFailure(Object.assign(new Error(), { code: 'ECONNRESET' })),
				write,
				1,
				DEFAULT_RETRY,
			),
		).toBe(false);
	});

	test('stops at the attempt bound; a rate limit gets more attempts than a failure', () => {
		expect(shouldRetry(at(503), read, DEFAULT_RETRY.maxAttempts - 1, DEFAULT_RETRY)).toBe(true);
		expect(shouldRetry(at(503), read, DEFAULT_RETRY.maxAttempts, DEFAULT_RETRY)).toBe(false);
		expect(shouldRetry(at(429), read, DEFAULT_RETRY.maxAttempts, DEFAULT_RETRY)).toBe(true);
		expect(shouldRetry(at(429), read, DEFAULT_RETRY.maxRateLimitedAttempts - 1, DEFAULT_RETRY)).toBe(true);
		expect(shouldRetry(at(429), read, DEFAULT_RETRY.maxRateLimitedAttempts, DEFAULT_RETRY)).toBe(false);
		expect(DEFAULT_RETRY.maxRateLimitedAttempts).toBeGreaterThan(DEFAULT_RETRY.maxAttempts);
	});
});

describe('retryDelay', () => {
	const policy = { ...DEFAULT_RETRY, baseDelayMs: 500, maxDelayMs: 30_000 };

	test('honours Retry-After in seconds', () => {
		expect(retryDelay({ retryAfter: '2', mayHaveApplied: false, message: '' }, 1, policy)).toBe(2000);
		expect(retryDelay({ retryAfter: '0', mayHaveApplied: false, message: '' }, 1, policy)).toBe(0);
	});

	test('honours Retry-After as an HTTP date', () => {
		const now = Date.parse('2026-11-25T10:00:00Z');
		expect(
			retryDelay(
				{ retryAfter: 'Wed, 25 Nov 2026 10:00:05 GMT', mayHaveApplied: false, message: '' },
				1,
				policy,
				Math.random,
				now,
			),
		).toBe(5000);
	});

	test('caps a long Retry-After', () => {
		expect(retryDelay({ retryAfter: '3600', mayHaveApplied: false, message: '' }, 1, policy)).toBe(30_000);
	});

	test('otherwise backs off exponentially with jitter between half and all of the ceiling', () => {
		const failure = { mayHaveApplied: false, message: '' };
		expect(retryDelay(failure, 1, policy, () => 0)).toBe(250);
		expect(retryDelay(failure, 1, policy, () => 1)).toBe(500);
		expect(retryDelay(failure, 3, policy, () => 1)).toBe(2000);
		expect(retryDelay(failure, 20, policy, () => 1)).toBe(30_000);
	});
});
