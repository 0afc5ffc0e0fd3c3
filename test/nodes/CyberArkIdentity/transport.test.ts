import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { TokenExchangeError } from '../../../nodes/CyberArkIdentity/token';
import {
	CyberArkError,
	DEFAULT_RETRY,
	describeFailure,
	retryDelay,
	shouldRetry,
	toNodeError,
	tokenError,
	UncertainOutcomeError,
	unwrapEnvelope,
} from '../../../nodes/CyberArkIdentity/transport';

const node: INode = { id: '1', name: 'CyberArk Identity', type: 'cyberArkIdentity', typeVersion: 1, position: [0, 0], parameters: {} };

function axiosLike(status: number, headers: Record<string, string> = {}, data: unknown = '') {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, headers, data },
		config: { headers: { Authorization: 'Bearer secret-token' } },
	});
}

describe('unwrapEnvelope', () => {
	test('returns Result of a successful envelope', () => {
		expect(unwrapEnvelope(node, '/x', { success: true, Result: 'uuid-1', Message: null })).toBe('uuid-1');
		expect(unwrapEnvelope(node, '/x', { success: true })).toBeNull();
		expect(unwrapEnvelope(node, '/x', '{"success":true,"Result":{"a":1}}')).toEqual({ a: 1 });
	});

	test("turns success:false into a NodeApiError with CyberArk's Message verbatim", () => {
		let error: CyberArkError | undefined;
		try {
			unwrapEnvelope(node, '/Roles/UpdateRole', { success: false, Result: null, Message: 'The role "x" does not exist.', ErrorID: 'abc:1' }, 3);
		} catch (e) {
			error = e as CyberArkError;
		}
		expect(error).toBeInstanceOf(CyberArkError);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('The role "x" does not exist.');
		expect(error!.description).toContain('/Roles/UpdateRole');
		expect(error!.description).toContain('abc:1');
		expect(error!.context.itemIndex).toBe(3);
	});

	test('a value CyberArk echoes back from the request is masked in the error', () => {
		expect(() => unwrapEnvelope(node, '/UserMgmt/ResetUserPassword', { success: false, Message: 'Password Weak-Pass1 was used before.' }, 0, ['Weak-Pass1'])).toThrow(
			'Password *** was used before.',
		);
	});

	test('success:false without a message still fails', () => {
		expect(() => unwrapEnvelope(node, '/x', { success: false, Message: null })).toThrow('CyberArk refused /x without a message');
	});

	test.each([['<html>login</html>'], ['{"success":tr'], [null], [{ Result: 1 }], [42]])('a body that is not an envelope (%j) is an uncertain outcome', (body) => {
		expect(() => unwrapEnvelope(node, '/x', body)).toThrow(UncertainOutcomeError);
		expect(() => unwrapEnvelope(node, '/x', body)).toThrow(/not a CyberArk response/);
	});
});

describe('describeFailure', () => {
	test('reads status, Retry-After and body through the NodeApiError n8n wraps it in', () => {
		const wrapped = new NodeApiError(node, axiosLike(429, { 'retry-after': '3' }, '<html/>'));
		expect(describeFailure(wrapped)).toEqual({ status: 429, retryAfter: '3', mayHaveApplied: false, message: 'HTTP 429' });
	});

	test('reads a bare axios error', () => {
		expect(describeFailure(axiosLike(503))).toMatchObject({ status: 503, mayHaveApplied: false });
		expect(describeFailure(axiosLike(502))).toMatchObject({ status: 502, mayHaveApplied: true });
		expect(describeFailure(axiosLike(504))).toMatchObject({ status: 504, mayHaveApplied: true });
	});

	test('connection errors: refused cannot have applied, reset and timeout may have', () => {
		expect(describeFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toMatchObject({ code: 'ECONNREFUSED', mayHaveApplied: false });
		expect(describeFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toMatchObject({ code: 'ECONNRESET', mayHaveApplied: true });
		expect(describeFailure(new NodeApiError(node, Object.assign(new Error('t'), { code: 'ECONNABORTED' })))).toMatchObject({ code: 'ECONNABORTED', mayHaveApplied: true });
	});

	test('keeps nothing of the request', () => {
		expect(JSON.stringify(describeFailure(new NodeApiError(node, axiosLike(500))))).not.toContain('secret-token');
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
		for (const status of [400, 401, 403, 404, 500]) expect(shouldRetry(at(status), read, 1, DEFAULT_RETRY)).toBe(false);
	});

	test('a write is retried only when CyberArk cannot have applied it', () => {
		expect(shouldRetry(at(429), write, 1, DEFAULT_RETRY)).toBe(true);
		expect(shouldRetry(at(503), write, 1, DEFAULT_RETRY)).toBe(true);
		expect(shouldRetry(at(502), write, 1, DEFAULT_RETRY)).toBe(false);
		expect(shouldRetry(at(504), write, 1, DEFAULT_RETRY)).toBe(false);
		expect(shouldRetry(describeFailure(Object.assign(new Error(), { code: 'ECONNREFUSED' })), write, 1, DEFAULT_RETRY)).toBe(true);
		expect(shouldRetry(describeFailure(Object.assign(new Error(), { code: 'ECONNRESET' })), write, 1, DEFAULT_RETRY)).toBe(false);
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
		expect(retryDelay({ retryAfter: 'Wed, 25 Nov 2026 10:00:05 GMT', mayHaveApplied: false, message: '' }, 1, policy, Math.random, now)).toBe(5000);
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

describe('token failures inside the errors n8n wraps them in', () => {
	const failure = () => new TokenExchangeError('CyberArk rejected the client ID or client secret (invalid_client)', 'Check Client ID.', 401);

	test('n8n 2.x: the wrapper keeps the original as cause and copies its context', () => {
		const wrapped = new NodeApiError(node, failure());
		const error = toNodeError(node, wrapped, 2);
		expect(error.message).toBe('CyberArk rejected the client ID or client secret (invalid_client)');
		expect(error.description).toBe('Check Client ID.');
	});

	test('n8n 1.x: the wrapper drops the original; message, description and context remain', () => {
		const wrapped = new NodeApiError(node, failure());
		Object.defineProperty(wrapped, 'cause', { value: undefined });
		const error = tokenError(node, wrapped, 1);
		expect(error.message).toBe('CyberArk rejected the client ID or client secret (invalid_client)');
		expect(error.httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(1);
	});
});
