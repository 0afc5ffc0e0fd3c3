import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { unwrapEnvelope } from '../../../nodes/shared/transport/envelope';
import { CyberArkError, UncertainOutcomeError } from '../../../nodes/shared/transport/errors';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { CredentialStore, runNode } from '../../harness';
import type { OtherOrigin } from '../../otherOrigin';
import { startOtherOrigin } from '../../otherOrigin';

const node: INode = {
	id: '1',
	name: 'CyberArk Identity',
	type: 'cyberArkIdentity',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('unwrapEnvelope', () => {
	test('returns Result of a successful envelope', () => {
		expect(unwrapEnvelope(node, '/x', { success: true, Result: 'uuid-1', Message: null })).toBe('uuid-1');
		expect(unwrapEnvelope(node, '/x', { success: true })).toBeNull();
		expect(unwrapEnvelope(node, '/x', '{"success":true,"Result":{"a":1}}')).toEqual({ a: 1 });
	});

	test("turns success:false into a NodeApiError with CyberArk's Message verbatim", () => {
		let error: CyberArkError | undefined;
		try {
			unwrapEnvelope(
				node,
				'/Roles/UpdateRole',
				{ success: false, Result: null, Message: 'The role "x" does not exist.', ErrorID: 'abc:1' },
				3,
			);
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
		expect(() =>
			unwrapEnvelope(
				node,
				'/UserMgmt/ResetUserPassword',
				{ success: false, Message: 'Password Weak-Pass1 was used before.' },
				0,
				['Weak-Pass1'],
			),
		).toThrow('Password *** was used before.');
	});

	test('success:false without a message still fails', () => {
		expect(() => unwrapEnvelope(node, '/x', { success: false, Message: null })).toThrow(
			'CyberArk refused /x without a message',
		);
	});

	test.each([['<html>login</html>'], ['{"success":tr'], [null], [{ Result: 1 }], [42]])(
		'a body that is not an envelope (%j) is an uncertain outcome',
		(body) => {
			expect(() => unwrapEnvelope(node, '/x', body)).toThrow(UncertainOutcomeError);
			expect(() => unwrapEnvelope(node, '/x', body)).toThrow(/not a CyberArk response/);
		},
	);
});

describe('in the engine', () => {
	let sandbox: Sandbox;
	let store: CredentialStore;
	beforeEach(async () => {
		sandbox = await startSandbox();
		store = new CredentialStore(sandbox.credentials());
	});
	afterEach(async () => sandbox.close());

	const create = (options: object = {}) => ({
		resource: 'user',
		operation: 'create',
		userName: '={{ $json.login }}',
		email: '={{ $json.mail }}',
		additionalFields: {},
		options,
	});
	const hires = (prefix: string, count: number) =>
		Array.from({ length: count }, (_, i) => ({
			login: `${prefix}${i}@example.com`,
			mail: `${prefix}${i}@acme.test`,
		}));

	describe('a management call that is redirected to another origin', () => {
		let other: OtherOrigin;
		beforeEach(async () => {
			other = await startOtherOrigin();
			Object.assign(sandbox.knobs, {
				redirectPaths: ['/cdirectoryservice/createuser'],
				redirectTo: other.url,
			});
		});
		afterEach(async () => other.close());

		test.each([308, 307, 302, 301])(
			"%i: the bearer token stays home, the answer there is not taken for CyberArk's, the run fails naming it",
			async (status) => {
				sandbox.knobs.redirectStatus = status;
				const result = await runNode(store, create(), hires('moved', 1));
				expect(other.received).toEqual([]);
				expect(result.error?.message).toBe(
					`The tenant URL ${sandbox.url} redirects to ${other.url}; use that URL`,
				);
				expect(result.error?.description).toContain('/CDirectoryService/CreateUser');
				expect(result.items).toEqual([]);
				// A token was minted (the token endpoint does not redirect) and sent only to the tenant.
				expect(sandbox.counters.tokensIssued).toBe(1);
				expect(sandbox.counters.faults.redirect).toBe(1);
			},
		);

		test('with Continue On Fail every item gets the redirect error, and nothing is retried', async () => {
			sandbox.knobs.redirectStatus = 308;
			const result = await runNode(store, create({ concurrency: 5 }), hires('moved', 6), {
				continueOnFail: true,
			});
			expect(other.received).toEqual([]);
			expect(result.items.map((i) => i.json.error)).toEqual(
				Array(6).fill(`The tenant URL ${sandbox.url} redirects to ${other.url}; use that URL`),
			);
			expect(sandbox.counters.faults.redirect).toBe(6);
		});
	});

	describe("an endpoint the OAuth2 app's scope does not allow (401 for a fresh token)", () => {
		const refusedCreate =
			/even after a new token was fetched: the OAuth2 app's scope does not allow \/CDirectoryService\/CreateUser$/;

		beforeEach(() => {
			// Everything the node calls except CreateUser.
			sandbox.knobs.scopeRestRegexes = [
				'Security/whoami',
				'CDirectoryService/GetUser.*',
				'UserMgmt/.*',
				'Redrock/query',
			];
		});

		test.each([1, 20])(
			'30 items at concurrency %i: at most 3 token exchanges, every item says which endpoint and which setting',
			async (concurrency) => {
				const result = await runNode(store, create({ concurrency }), hires('scoped', 30), {
					continueOnFail: true,
				});
				expect(result.items).toHaveLength(30);
				// The run's token, then one fresh token refused (it could have been revoked at that instant),
				// then a second one refused: the scope.
				expect(sandbox.counters.tokensIssued).toBeLessThanOrEqual(3);
				for (const item of result.items) expect(item.json.error).toMatch(refusedCreate);
				// Only the calls in flight until the second refusal came back were sent (each once more by n8n).
				expect(sandbox.counters.faults.scopeRefused).toBeLessThanOrEqual(4 * concurrency);
				expect(sandbox.directory.findByName('scoped0@example.com')).toBeUndefined();
			},
		);

		test("the description names the credential's Scope and the REST regexes", async () => {
			const result = await runNode(store, create(), hires('scoped', 1));
			expect(result.error?.message).toMatch(refusedCreate);
			expect(result.error?.description).toMatch(
				/add a REST regex matching CDirectoryService\/CreateUser to the scope "n8n" named in the credential's Scope/,
			);
		});

		test('endpoints the scope allows keep working in the same run', async () => {
			const getByName = {
				resource: 'user',
				operation: 'get',
				userId: { __rl: true, mode: 'userName', value: '={{ $json.login }}' },
			};
			const result = await runNode(store, getByName, [
				{ login: sandbox.config.username },
				{ login: sandbox.config.username },
			]);
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(2);
			expect(sandbox.counters.tokensIssued).toBe(1);
		});

		test('a token that expires, then an endpoint refused: one renewal for the expiry, one to confirm the refusal', async () => {
			sandbox.knobs.scopeRestRegexes = null;
			await runNode(store, create(), hires('before', 1));
			sandbox.expireTokens();
			sandbox.knobs.scopeRestRegexes = [
				'Security/whoami',
				'CDirectoryService/GetUser.*',
				'UserMgmt/.*',
				'Redrock/query',
			];
			const result = await runNode(store, create(), hires('after', 5), { continueOnFail: true });
			for (const item of result.items) expect(item.json.error).toMatch(refusedCreate);
			expect(sandbox.counters.tokensIssued).toBe(3);
		});
	});

	test.each([1, 10])(
		'a fresh token revoked on its first use (concurrency %i): the call is retried with another, not taken for a scope refusal',
		async (concurrency) => {
			await runNode(store, create(), hires('before', 1));
			sandbox.expireTokens();
			// The run's token is expired; n8n's fresh one (the second issued) is revoked as it is first used.
			sandbox.knobs.revokeOnFirstUse = [2];
			const result = await runNode(store, create({ concurrency }), hires('revoked', 20), {
				continueOnFail: true,
			});
			expect(result.items.map((item) => item.json.error)).toEqual(Array(20).fill(undefined));
			expect(sandbox.counters.faults.tokenRevoked).toBe(1);
			expect(sandbox.directory.findByName('revoked19@example.com')).toBeDefined();
			expect(sandbox.counters.tokensIssued).toBe(3);
		},
	);
});
