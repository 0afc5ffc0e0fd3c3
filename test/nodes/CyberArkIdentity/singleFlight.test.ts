// Single-flight token exchange: the unit (TokenSingleFlight) and the engine (n8n-core's WorkflowExecute
// with the harness's credentials helper, which fetches the credential per request as n8n does).
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { credentialKey, TokenSingleFlight } from '../../../nodes/shared/transport/singleFlight';
import type { TokenAnswer } from '../../../nodes/shared/transport/token';
import { CredentialStore, runNode } from '../../harness';

const CREDS = {
	tenantUrl: 'https://t.example',
	appId: 'app',
	grantType: 'password',
	clientId: 'c',
	clientSecret: 'Unit-Secret-4242',
	username: 'u',
	password: 'Unit-Password-4343',
	scope: 'n8n',
};

/** An exchange that answers when told to, counting its calls. */
function controlledExchange() {
	let calls = 0;
	const pending: Array<{ resolve: (a: TokenAnswer) => void; reject: (e: Error) => void }> = [];
	const exchange = () => {
		calls++;
		return new Promise<TokenAnswer>((resolve, reject) => pending.push({ resolve, reject }));
	};
	return {
		exchange,
		calls: () => calls,
		answer: (token: string, expiresIn = 18000) =>
			pending.shift()!.resolve({ access_token: token, token_type: 'Bearer', expires_in: expiresIn }),
		fail: (message: string) => pending.shift()!.reject(new Error(message)),
	};
}

const tick = () => new Promise((r) => setImmediate(r));

describe('TokenSingleFlight', () => {
	test('20 concurrent callers share one exchange and get the same token', async () => {
		const flights = new TokenSingleFlight();
		const x = controlledExchange();
		const results = Array.from({ length: 20 }, () =>
			flights.obtain({ ...CREDS, accessToken: 'old' }, x.exchange),
		);
		await tick();
		x.answer('new-1');
		const tokens = await Promise.all(results);
		expect(x.calls()).toBe(1);
		expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['new-1']));
		expect(tokens.filter((t) => t.outcome === 'exchanged')).toHaveLength(1);
		expect(flights.stats).toEqual({ exchanged: 1, joined: 19, reused: 0 });
	});

	test('a late 401 sent with the replaced token gets the new token; a 401 with the new token mints again', async () => {
		const flights = new TokenSingleFlight();
		const x = controlledExchange();
		const first = flights.obtain({ ...CREDS, accessToken: 'old' }, x.exchange);
		await tick();
		x.answer('new-1');
		expect((await first).accessToken).toBe('new-1');
		// The settled exchange replaced "old": a 401 that arrives now, for a request sent with "old".
		expect(await flights.obtain({ ...CREDS, accessToken: 'old' }, x.exchange)).toEqual({
			accessToken: 'new-1',
			outcome: 'reused',
		});
		// A request that read the credential before the new token was saved.
		expect(await flights.obtain({ ...CREDS, accessToken: '' }, x.exchange)).toEqual({
			accessToken: 'new-1',
			outcome: 'reused',
		});
		expect(x.calls()).toBe(1);
		// The tenant rejects the new token itself: that is a real expiry, so exchange again.
		const again = flights.obtain({ ...CREDS, accessToken: 'new-1' }, x.exchange);
		await tick();
		x.answer('new-2');
		expect(await again).toEqual({ accessToken: 'new-2', outcome: 'exchanged' });
		// Every token of the chain is now replaced by the newest.
		expect((await flights.obtain({ ...CREDS, accessToken: 'old' }, x.exchange)).accessToken).toBe('new-2');
		expect((await flights.obtain({ ...CREDS, accessToken: 'new-1' }, x.exchange)).accessToken).toBe('new-2');
		expect(x.calls()).toBe(2);
	});

	test('a token this process never replaced (minted by another worker) is exchanged', async () => {
		const flights = new TokenSingleFlight();
		const x = controlledExchange();
		const first = flights.obtain({ ...CREDS, accessToken: '' }, x.exchange);
		await tick();
		x.answer('mine');
		await first;
		const other = flights.obtain({ ...CREDS, accessToken: 'minted-elsewhere' }, x.exchange);
		await tick();
		x.answer('mine-2');
		expect(await other).toEqual({ accessToken: 'mine-2', outcome: 'exchanged' });
	});

	test('the windows are brief and bounded by the new token lifetime', async () => {
		let now = 1_000_000;
		const flights = new TokenSingleFlight({
			replacedWindowMs: 60_000,
			emptyWindowMs: 10_000,
			expiryMarginMs: 5_000,
			now: () => now,
		});
		const x = controlledExchange();
		const first = flights.obtain({ ...CREDS, accessToken: 'old' }, x.exchange);
		await tick();
		x.answer('new-1', 3600);
		await first;
		now += 11_000;
		// The empty token is shared for 10 s only; the replaced one for 60 s.
		const empty = flights.obtain({ ...CREDS, accessToken: '' }, x.exchange);
		await tick();
		x.answer('new-2', 3600);
		expect((await empty).outcome).toBe('exchanged');
		now += 61_000;
		const late = flights.obtain({ ...CREDS, accessToken: 'new-1' }, x.exchange);
		await tick();
		x.answer('new-3', 20);
		expect((await late).outcome).toBe('exchanged');
		// A token that lives 20 s is handed out for 20 - min(5, 10) = 15 s.
		now += 14_000;
		expect((await flights.obtain({ ...CREDS, accessToken: 'new-2' }, x.exchange)).outcome).toBe('reused');
		now += 2_000;
		const expired = flights.obtain({ ...CREDS, accessToken: 'new-2' }, x.exchange);
		await tick();
		x.answer('new-4', 0);
		expect((await expired).outcome).toBe('exchanged');
		// A token with no lifetime is never handed out after its own exchange.
		const zero = flights.obtain({ ...CREDS, accessToken: 'new-3' }, x.exchange);
		await tick();
		x.answer('new-5');
		expect((await zero).outcome).toBe('exchanged');
	});

	test('a token is forgotten once it can no longer be handed out', async () => {
		let now = 1_000_000;
		const flights = new TokenSingleFlight({ expiryMarginMs: 5_000, now: () => now });
		await flights.obtain({ ...CREDS, accessToken: '' }, async () => ({
			access_token: 'short-lived',
			token_type: 'Bearer',
			expires_in: 20,
		}));
		const held = () => JSON.stringify([...(flights as unknown as { entries: Map<string, unknown> }).entries]);
		expect(held()).toContain('short-lived');
		now += 15_000;
		// Any later call (here for another credential) sweeps the expired token out of memory.
		await flights.obtain({ ...CREDS, clientId: 'other', accessToken: '' }, async () => ({
			access_token: 'other-token',
			token_type: 'Bearer',
			expires_in: 3600,
		}));
		expect(held()).not.toContain('short-lived');
		expect(flights.size).toBe(1);
	});

	test('a failed exchange is shared by the callers waiting on it, then forgotten', async () => {
		const flights = new TokenSingleFlight();
		const x = controlledExchange();
		const results = Array.from({ length: 5 }, () =>
			flights.obtain({ ...CREDS, accessToken: '' }, x.exchange).catch((e: Error) => e.message),
		);
		await tick();
		x.fail('token endpoint down');
		expect(await Promise.all(results)).toEqual(Array(5).fill('token endpoint down'));
		const next = flights.obtain({ ...CREDS, accessToken: '' }, x.exchange);
		await tick();
		x.answer('new-1');
		expect(await next).toEqual({ accessToken: 'new-1', outcome: 'exchanged' });
		expect(x.calls()).toBe(2);
	});

	test('different credentials (another secret, tenant or user) do not share', async () => {
		const flights = new TokenSingleFlight();
		const x = controlledExchange();
		const a = flights.obtain({ ...CREDS, accessToken: '' }, x.exchange);
		const b = flights.obtain({ ...CREDS, clientSecret: 'Other-Secret', accessToken: '' }, x.exchange);
		const c = flights.obtain({ ...CREDS, tenantUrl: 'https://other.example', accessToken: '' }, x.exchange);
		const d = flights.obtain({ ...CREDS, username: 'v', accessToken: '' }, x.exchange);
		await tick();
		['a', 'b', 'c', 'd'].forEach((t) => x.answer(t));
		expect((await Promise.all([a, b, c, d])).map((r) => r.accessToken)).toEqual(['a', 'b', 'c', 'd']);
		expect(x.calls()).toBe(4);
	});

	test('keys hold no secret in clear; the map is bounded', async () => {
		const key = credentialKey(CREDS);
		expect(key).toMatch(/^[0-9a-f]{32}$/);
		expect(key).not.toContain('Unit-Secret');
		const flights = new TokenSingleFlight({ maxKeys: 3 });
		for (let i = 0; i < 10; i++) {
			await flights.obtain({ ...CREDS, clientId: `c${i}`, accessToken: '' }, async () => ({
				access_token: `t${i}`,
				token_type: 'Bearer',
				expires_in: 60,
			}));
		}
		expect(flights.size).toBe(3);
		expect(
			JSON.stringify([...(flights as unknown as { entries: Map<string, unknown> }).entries.keys()]),
		).not.toContain('Unit-Secret');
	});
});

describe('in the engine (n8n-core WorkflowExecute, credential fetched per request)', () => {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await startSandbox();
		sandbox.knobs.latencyMs = 5;
	});
	afterEach(async () => sandbox.close());

	/** Every token expires once, at the n-th management request from now (retries count too). */
	function expireOnceAt(n: number) {
		sandbox.resetCounters();
		const expire = sandbox.expireTokens.bind(sandbox);
		sandbox.expireTokens = () => {
			sandbox.knobs.expireTokensEvery = 0;
			expire();
		};
		sandbox.knobs.expireTokensEvery = n;
	}

	const hires = (prefix: string, count: number) =>
		Array.from({ length: count }, (_, i) => ({
			login: `${prefix}${i}@example.com`,
			mail: `${prefix}${i}@acme.test`,
		}));
	const create = {
		resource: 'user',
		operation: 'create',
		userName: '={{ $json.login }}',
		email: '={{ $json.mail }}',
		additionalFields: {},
		options: { concurrency: 20, onExisting: 'returnExisting' },
	};

	test('a token expiring mid-batch at concurrency 20 costs one exchange', async () => {
		const store = new CredentialStore(sandbox.credentials());
		await runNode(store, create, hires('warm', 1));
		expect(sandbox.counters.tokensIssued).toBe(1);
		// Every token expires at the 100th management request from now: 20 requests are in flight then.
		const preAuthenticationsBefore = store.preAuthentications;
		expireOnceAt(100);
		const result = await runNode(store, create, hires('mid', 150));
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.created)).toEqual(Array(150).fill(true));
		expect(sandbox.counters.faults.tokenExpired).toBe(1);
		// Several requests were refused with the expired token, and n8n asked for a new one for each ...
		expect(sandbox.counters.unauthorized).toBeGreaterThan(1);
		expect(store.preAuthentications - preAuthenticationsBefore).toBe(sandbox.counters.unauthorized);
		// ... but the tenant saw one exchange.
		expect(sandbox.counters.tokensIssued).toBe(1);
		expect(sandbox.directory.users.size).toBe(3 + 1 + 150);
	});

	test('5 concurrent executions at concurrency 20 from an empty token, then a forced expiry: one exchange each time', async () => {
		const store = new CredentialStore(sandbox.credentials());
		const runs = await Promise.all(
			Array.from({ length: 5 }, (_, e) => runNode(store, create, hires(`e${e}-`, 40))),
		);
		expect(runs.map((r) => r.error)).toEqual(Array(5).fill(undefined));
		expect(store.preAuthentications).toBeGreaterThanOrEqual(5);
		expect(sandbox.counters.tokensIssued).toBe(1);

		expireOnceAt(60);
		const again = await Promise.all(
			Array.from({ length: 5 }, (_, e) => runNode(store, create, hires(`f${e}-`, 20))),
		);
		expect(again.map((r) => r.error)).toEqual(Array(5).fill(undefined));
		expect(sandbox.counters.faults.tokenExpired).toBe(1);
		expect(sandbox.counters.unauthorized).toBeGreaterThan(1);
		expect(sandbox.counters.tokensIssued).toBe(1);
	});
});
