// Engine tests: workflows run through n8n-core's WorkflowExecute against the sandbox tenant over loopback.
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { capturedLogs, CredentialStore, runNode } from '../../harness';

const SECRET = 'Xyzzy-Client-Secret-7731';
const PASSWORD = 'Plugh-Owner-Password-4412';

let sandbox: Sandbox;
let store: CredentialStore;

beforeEach(async () => {
	sandbox = await startSandbox({ tenant: { clientSecret: SECRET, password: PASSWORD } });
	store = new CredentialStore(sandbox.credentials());
});
afterEach(async () => sandbox.close());

const create = (extra: object = {}) => ({
	resource: 'user',
	operation: 'create',
	userName: '={{ $json.login }}',
	email: '={{ $json.mail }}',
	additionalFields: { displayName: '={{ $json.name }}' },
	...extra,
});

const hire = (n: number) => ({
	login: `user${n}@example.com`,
	mail: `user${n}@acme.test`,
	name: `User ${n}`,
});

/** Everything a person or a log could see of a run. */
function visible(result: Awaited<ReturnType<typeof runNode>>): string {
	const error = result.error as unknown as
		| { toJSON?: () => object; description?: string; message?: string }
		| undefined;
	return (
		JSON.stringify([
			result.items,
			error?.toJSON?.() ?? error,
			error?.message,
			error?.description,
			result.run.data.resultData,
		]) + capturedLogs.join('\n')
	);
}

function expectNoSecrets(text: string, token?: string) {
	expect(text).not.toContain(SECRET);
	expect(text).not.toContain(PASSWORD);
	expect(text).not.toContain(Buffer.from(`${sandbox.config.clientId}:${SECRET}`).toString('base64'));
	if (token) expect(text).not.toContain(token);
}

describe('Create User', () => {
	test('100 items: 100 users with their fields, exactly one token exchange', async () => {
		const input = Array.from({ length: 100 }, (_, i) => hire(i));
		const result = await runNode(store, create(), input);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(100);
		result.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({
				userName: `user${i}@example.com`,
				email: `user${i}@acme.test`,
				displayName: `User ${i}`,
				created: true,
			});
			expect(item.json.id).toMatch(/^[0-9a-f-]{36}$/);
			const user = sandbox.directory.users.get(item.json.id as string);
			expect(user).toMatchObject({
				Name: `user${i}@example.com`,
				Mail: `user${i}@acme.test`,
				DisplayName: `User ${i}`,
				InEverybodyRole: true,
			});
		});
		expect(sandbox.counters.tokensIssued).toBe(1);
		expect(sandbox.counters.tokenRequests).toBe(1);
		expect(store.preAuthentications).toBe(1);
		expect(store.data.accessToken).toBeTruthy();
	});

	test('the stored token is reused by the next execution; an expired one is re-minted exactly once', async () => {
		await runNode(store, create(), [hire(1)]);
		await runNode(store, create(), [hire(2)]);
		expect(sandbox.counters.tokensIssued).toBe(1);

		sandbox.expireTokens();
		const result = await runNode(store, create(), [hire(3), hire(4), hire(5)]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.created)).toEqual([true, true, true]);
		expect(sandbox.counters.tokensIssued).toBe(2);
		expect(sandbox.counters.unauthorized).toBe(1);
		expect(sandbox.directory.findByName('user3@example.com')).toBeDefined();
	});

	test('Continue On Fail: one output item per input, in order, errors saying what to fix', async () => {
		const input = [
			hire(1),
			{ login: 'no-suffix', mail: 'x@acme.test' },
			hire(2),
			{ login: 'x@unknown.example', mail: 'x@acme.test' },
			hire(1),
			{ login: 'y@example.com', mail: 'bad' },
		];
		const result = await runNode(store, create(), input, { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual(input.map((_, i) => ({ item: i })));
		expect(result.items.map((i) => i.json.error ?? 'ok')).toEqual([
			'ok',
			'User Name "no-suffix" has no login suffix',
			'ok',
			'The login suffix unknown.example is not valid for this tenant.',
			'The user name user1@example.com is already in use.',
			'Email "bad" is not an e-mail address',
		]);
		// Bad input is caught before anything is sent.
		expect(sandbox.counters.calls['/cdirectoryservice/createuser']).toBe(4);
	});

	test('bad input without Continue On Fail: NodeOperationError naming the item, nothing sent', async () => {
		const result = await runNode(store, create(), [
			hire(1),
			{ login: 'a b@example.com', mail: 'x@acme.test' },
		]);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(
			'User Name "a b@example.com" contains characters CyberArk does not allow: space',
		);
		expect(result.error?.description).toMatch(/Use only letters/);
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(sandbox.counters.calls['/cdirectoryservice/createuser']).toBe(1);
	});

	test("CyberArk's success:false becomes a NodeApiError carrying its Message", async () => {
		const result = await runNode(store, create({ additionalFields: { password: 'short' } }), [hire(1)]);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(
			'Password does not meet the password complexity requirements: it must contain at least 8 characters, an upper-case letter, a digit.',
		);
		expect(result.error?.context?.itemIndex).toBe(0);
		expectNoSecrets(visible(result));
		// The typed password stays in the node's parameters (part of the workflow), never in what the node says.
		expect(
			JSON.stringify([result.items, result.error?.message, result.error?.description, result.error?.context]),
		).not.toContain('short');
	});

	test('On Existing User: Return Existing outputs the user that is there, no duplicate', async () => {
		const first = await runNode(store, create(), [hire(7)]);
		const again = await runNode(store, create({ options: { onExisting: 'returnExisting' } }), [
			{ ...hire(7), name: 'Changed' },
		]);
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({
			id: first.items[0].json.id,
			userName: 'user7@example.com',
			displayName: 'User 7',
			created: false,
		});
		expect([...sandbox.directory.users.values()].filter((u) => u.Name === 'user7@example.com')).toHaveLength(
			1,
		);
	});

	test('On Existing User: Update applies the new fields', async () => {
		const first = await runNode(store, create(), [hire(8)]);
		const again = await runNode(store, create({ options: { onExisting: 'update' } }), [
			{ ...hire(8), name: 'Renamed', mail: 'new@acme.test' },
		]);
		expect(again.items[0].json).toMatchObject({
			id: first.items[0].json.id,
			displayName: 'Renamed',
			email: 'new@acme.test',
			created: false,
			updated: true,
		});
		expect(sandbox.directory.findByName('user8@example.com')).toMatchObject({
			DisplayName: 'Renamed',
			Mail: 'new@acme.test',
		});
	});

	test('On Existing User does not hide other refusals', async () => {
		const result = await runNode(store, create({ options: { onExisting: 'returnExisting' } }), [
			{ login: 'z@unknown.example', mail: 'z@acme.test' },
		]);
		expect(result.error?.message).toBe('The login suffix unknown.example is not valid for this tenant.');
	});

	test('429 with Retry-After is waited out and retried', async () => {
		sandbox.knobs.status429Every = 2;
		sandbox.knobs.retryAfterSeconds = 0;
		const result = await runNode(store, create(), [hire(1), hire(2), hire(3)]);
		expect(result.error).toBeUndefined();
		expect(result.items.every((i) => i.json.created === true)).toBe(true);
		expect(sandbox.counters.faults['429']).toBeGreaterThan(0);
		expect(sandbox.directory.users.size).toBe(3 + 3);
	});

	test('a lost answer to Create (malformed body, 502) is resolved by looking the user up: sent once, never claimed as created', async () => {
		sandbox.knobs.faultPath = '/CDirectoryService/CreateUser';
		sandbox.knobs.malformedEvery = 1;
		const malformed = await runNode(store, create(), [hire(1)]);
		sandbox.knobs.malformedEvery = 0;
		sandbox.knobs.status502Every = 1;
		const gateway = await runNode(store, create(), [hire(2)]);
		sandbox.knobs.status502Every = 0;
		for (const [result, n] of [
			[malformed, 1],
			[gateway, 2],
		] as const) {
			expect(result.error).toBeUndefined();
			const user = sandbox.directory.findByName(`user${n}@example.com`);
			// Whether this call created the user, or it existed before, cannot be known: null.
			expect(result.items[0].json).toMatchObject({ id: user!.Uuid, created: null });
		}
		expect(sandbox.counters.calls['/cdirectoryservice/createuser']).toBe(2);
	});

	test('a 503 on Create is retried (CyberArk did not apply it)', async () => {
		sandbox.knobs.status503Every = 1;
		setTimeout(() => (sandbox.knobs.status503Every = 0), 200);
		const result = await runNode(store, create(), [hire(1)]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.created).toBe(true);
	});
});

describe('Get Token', () => {
	test('one exchange per execution, the token on every item', async () => {
		const result = await runNode(store, { resource: 'token', operation: 'get' }, [{}, {}, {}, {}, {}]);
		expect(result.items).toHaveLength(5);
		expect(sandbox.counters.tokensIssued).toBe(1);
		const [first] = result.items;
		expect(first.json).toEqual({
			access_token: expect.any(String),
			token_type: 'Bearer',
			expires_in: 18000,
			expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			scope: 'n8n',
			// Where the token goes, so that a workflow need not repeat the tenant's URL.
			tenantUrl: sandbox.url,
		});
		expect(Date.parse(first.json.expires_at as string) - Date.now()).toBeGreaterThan(17_990_000);
		expect(result.items.map((i) => i.json.access_token)).toEqual(Array(5).fill(first.json.access_token));
		expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		// The token works for a management call.
		const whoami = await fetch(`${first.json.tenantUrl as string}/Security/whoami`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${first.json.access_token}` },
		});
		expect(((await whoami.json()) as { Result: { User: string } }).Result.User).toBe(
			'provisioner@example.com',
		);
		expectNoSecrets(visible(result));
	});

	test('client credentials grant', async () => {
		store.data.grantType = 'clientCredentials';
		const result = await runNode(store, { resource: 'token', operation: 'get' });
		expect(result.items[0].json.access_token).toBeTruthy();
	});

	test('a failed exchange with Continue On Fail gives every item the error', async () => {
		store.data.clientSecret = 'wrong';
		const result = await runNode(store, { resource: 'token', operation: 'get' }, [{}, {}], {
			continueOnFail: true,
		});
		expect(result.items.map((i) => i.json.error)).toEqual(
			Array(2).fill('CyberArk rejected the client ID or client secret (invalid_client)'),
		);
	});
});

describe('bad credentials', () => {
	const cases: Array<[string, object, RegExp]> = [
		[
			'wrong client secret',
			{ clientSecret: 'Wrong-Secret-0000' },
			/client ID or client secret \(invalid_client\)/,
		],
		[
			'wrong password',
			{ password: 'Wrong-Password-0000' },
			/username or password, or the user must pass MFA \(invalid_grant\)/,
		],
		['MFA user', { username: 'mfa.admin@example.com' }, /must pass MFA \(invalid_grant\)/],
		['unknown scope', { scope: 'nope' }, /scope "nope" is not defined/],
		['unknown app ID', { appId: 'no-such-app' }, /No OAuth2 app with application ID "no-such-app"/],
		['plain http tenant', { tenantUrl: 'http://tenant.example' }, /must use https/],
		['unreachable tenant', { tenantUrl: 'http://127.0.0.1:1' }, /^Could not reach http:\/\/127.0.0.1:1$/],
	];

	test.each(cases)('%s: clear error, no secret anywhere', async (_, override, message) => {
		const wrong = new CredentialStore({ ...sandbox.credentials(), ...override });
		for (const parameters of [create(), { resource: 'token', operation: 'get' }]) {
			const result = await runNode(wrong, parameters, [hire(1)]);
			expect(result.error?.message).toMatch(message);
			expect(result.error?.description).toBeTruthy();
			const text = visible(result);
			expectNoSecrets(text);
			expect(text).not.toContain('Wrong-Secret-0000');
			expect(text).not.toContain('Wrong-Password-0000');
		}
		expect(sandbox.directory.findByName('user1@example.com')).toBeUndefined();
	});

	test('a token the tenant keeps refusing fails clearly after two re-mints', async () => {
		const result = await runNode(store, create(), [hire(1)]);
		const token = store.data.accessToken as string;
		sandbox.knobs.tokenLifetimeSeconds = 0;
		sandbox.expireTokens();
		const refused = await runNode(store, create(), [hire(2)]);
		expect(result.error).toBeUndefined();
		expect(refused.error?.message).toMatch(
			/refused the access token \(HTTP 401\), even after a new token was fetched/,
		);
		// The second fresh token tells a revoked token from a refusal.
		expect(sandbox.counters.tokensIssued).toBe(3);
		expectNoSecrets(visible(refused), token);
		expectNoSecrets(visible(refused), store.data.accessToken as string);
	});
});

test("n8n's log captures a run's errors (so the secret checks here read real log lines)", async () => {
	const before = capturedLogs.length;
	await runNode(store, create(), [{ login: 'log check@example.com', mail: 'x@acme.test' }]);
	expect(capturedLogs.slice(before).some((line) => line.includes('User Name "log check@example.com"'))).toBe(
		true,
	);
});

describe('concurrency', () => {
	test('output keeps the input order and pairing at concurrency 10; exactly one token exchange from an empty token', async () => {
		sandbox.knobs.latencyMs = 5;
		const input = Array.from({ length: 60 }, (_, i) =>
			i % 9 === 4 ? { login: `bad ${i}@example.com`, mail: 'x@acme.test' } : hire(i),
		);
		const result = await runNode(store, create({ options: { concurrency: 10 } }), input, {
			continueOnFail: true,
		});
		expect(result.items.map((i) => i.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		result.items.forEach((item, i) => {
			if (i % 9 === 4)
				expect(item.json.error).toMatch(/^User Name "bad \d+@example.com" contains characters/);
			else expect(item.json).toMatchObject({ userName: `user${i}@example.com`, created: true });
		});
		expect(sandbox.counters.tokensIssued).toBe(1);
		expect(sandbox.directory.users.size).toBe(3 + 60 - 7);
	});

	test('the credential is read once per run, whatever the number of items and requests', async () => {
		await runNode(
			store,
			create({ options: { concurrency: 5 } }),
			Array.from({ length: 40 }, (_, i) => hire(i)),
		);
		expect(sandbox.counters.managementRequests).toBe(40);
		expect(store.reads).toBe(1);
		await runNode(store, { resource: 'user', operation: 'getAll', returnAll: true }, [{}, {}, {}]);
		expect(store.reads).toBe(2);
	});

	test('an expired token is renewed once for the whole batch', async () => {
		await runNode(store, create(), [hire(0)]);
		sandbox.expireTokens();
		const result = await runNode(
			store,
			create({ options: { concurrency: 10 } }),
			Array.from({ length: 30 }, (_, i) => hire(i + 1)),
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.counters.tokensIssued).toBe(2);
	});

	test('a 429 with Retry-After pauses the whole batch: the other items send nothing until it has passed', async () => {
		Object.assign(sandbox.knobs, {
			faultPath: '/CDirectoryService/CreateUser',
			status429Every: 25,
			retryAfterSeconds: 1,
			latencyMs: 20,
		});
		const result = await runNode(
			store,
			create({ options: { concurrency: 10 } }),
			Array.from({ length: 60 }, (_, i) => hire(i)),
		);
		expect(result.error).toBeUndefined();
		expect(result.items.every((i) => i.json.created === true)).toBe(true);
		const creates = sandbox.requestLog.filter((r) => r.path === '/cdirectoryservice/createuser');
		const refused = creates.find((r) => r.status === 429)!;
		expect(refused).toBeDefined();
		// Only the other 9 calls already on their way when the 429 came may arrive after it (on a loaded
		// machine, late); then nothing from any item until Retry-After has passed. Without the pause, the
		// 35 items left would all be sent within that second.
		const during = creates.filter((r) => r.at > refused.at && r.at < refused.at + 950);
		expect(during.length).toBeLessThanOrEqual(9);
		expect(creates.filter((r) => r.at >= refused.at + 950).length).toBeGreaterThan(0);
	});

	test('without Continue On Fail the first failed item (in input order) fails the run', async () => {
		const input = [
			hire(0),
			hire(1),
			{ login: 'nope', mail: 'x@acme.test' },
			hire(3),
			{ login: 'also bad', mail: 'x@acme.test' },
		];
		const result = await runNode(store, create({ options: { concurrency: 5 } }), input);
		expect(result.error?.message).toBe('User Name "nope" has no login suffix');
		expect(result.error?.context?.itemIndex).toBe(2);
	});

	test('a request that hangs ends at the timeout with a clear error', async () => {
		sandbox.knobs.faultPath = '/CDirectoryService/GetUserByName';
		sandbox.knobs.hangEvery = 1;
		const result = await runNode(
			store,
			{
				resource: 'user',
				operation: 'get',
				userId: { __rl: true, mode: 'userName', value: 'x@example.com' },
				options: { timeout: 1 },
			},
			[{}],
		);
		expect(result.error?.message).toBe('CyberArk did not answer /CDirectoryService/GetUserByName in time');
	});
});
