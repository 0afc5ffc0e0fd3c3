// The trigger's poll() through n8n-core's PollContext against the sandbox tenant: seeding, injected events,
// late logging, bursts, filters, restarts, manual runs and failures surfacing as n8n's poll errors.
// (The cursor's logic under ties, large bursts and simulated clocks: cursor.test.ts and property.test.ts.)
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CyberArkIdentityApi } from '../../../credentials/CyberArkIdentityApi.credentials';
import {
	CyberArkIdentityTrigger,
	CURSOR_KEY,
	reportWarnings,
} from '../../../nodes/CyberArkIdentityTrigger/CyberArkIdentityTrigger.node';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { capturedLogs, CredentialStore } from '../../harness';

const { createPoller } = require('../../../scripts/engine');

const MIN = 60_000;

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox()));
afterAll(async () => sandbox.close());

type Poller = {
	poll: (o?: { mode?: string; activation?: string }) => Promise<IDataObject[] | null>;
	activate: () => Promise<IDataObject[] | null>;
	restart: () => void;
	stored: () => IDataObject;
};

function poller(parameters: IDataObject, store = new CredentialStore(sandbox.credentials())): Poller {
	return createPoller({
		NodeClass: CyberArkIdentityTrigger,
		CredentialClass: CyberArkIdentityApi,
		store,
		parameters,
	});
}

let n = 0;
/** Injects events; each gets a distinct user so a test's filters see only its own. */
function inject(events: IDataObject[]): IDataObject[] {
	return events.map((e) => sandbox.events.record({ ip: '198.51.100.7', ...e }));
}
const uniqueUser = () => `trigger${++n}@acme.example`;

test('first activation starts from now; injected events come out once, oldest first, simplified', async () => {
	const user = uniqueUser();
	inject([{ type: 'Cloud.Core.LoginFail', user, occurredAt: Date.now() - 2 * MIN }]); // history
	const trigger = poller({ event: ['Cloud.Core.LoginFail'], filters: { userEquals: user } });
	expect(await trigger.activate()).toBeNull();
	expect(trigger.stored()[CURSOR_KEY]).toMatchObject({ v: 2, pos: { t: expect.any(Number) }, recent: {} });

	const now = Date.now();
	const [b, a] = inject([
		{ type: 'Cloud.Core.LoginFail', user, userId: 'u-1', occurredAt: now - 1000, AuthMethod: 'Password' },
		{ type: 'Cloud.Core.LoginFail', user, userId: 'u-1', occurredAt: now - 2000 },
	]);
	inject([{ type: 'Cloud.Core.Login', user, occurredAt: now }]);
	const items = await trigger.poll();
	expect(items).toEqual([
		expect.objectContaining({
			id: a.ID,
			type: 'Cloud.Core.LoginFail',
			occurredAt: new Date(now - 2000).toISOString(),
			user,
			userId: 'u-1',
			sourceIp: '198.51.100.7',
			level: 'Warning',
		}),
		expect.objectContaining({
			id: b.ID,
			occurredAt: new Date(now - 1000).toISOString(),
			authMethod: 'Password',
			tenant: 'SANDBOX1',
		}),
	]);
	expect(await trigger.poll()).toBeNull();
});

test('a late-logged event within the window, a restart, a burst of ties larger than a poll: each event exactly once', async () => {
	const user = uniqueUser();
	const trigger = poller({
		event: ['Cloud.Core.LoginFail', 'Cloud.Core.MfaSummary'],
		filters: { userContains: user },
		options: { maxEvents: 40 },
	});
	const now = Date.now();
	inject([{ type: 'Cloud.Core.LoginFail', user, occurredAt: now - 10 * MIN }]); // the last one before activation
	await trigger.activate();
	const first = inject([{ type: 'Cloud.Core.MfaSummary', user, occurredAt: now }]);
	expect((await trigger.poll())!.map((i) => i.id)).toEqual([first[0].ID]);

	const late = inject([{ type: 'Cloud.Core.LoginFail', user, occurredAt: now - 3 * MIN }]);
	trigger.restart(); // n8n restarts: the cursor comes back from the stored static data
	expect((await trigger.poll())!.map((i) => i.id)).toEqual([late[0].ID]);

	// 90 events in one millisecond (fewer than the 100 hashes a cursor keeps of events logged this minute).
	const burst = inject(
		Array.from({ length: 90 }, () => ({ type: 'Cloud.Core.LoginFail', user, occurredAt: now + 1 })),
	);
	const polls: unknown[][] = [];
	for (let i = 0; i < 3; i++) {
		if (i === 1) trigger.restart();
		polls.push(((await trigger.poll()) ?? []).map((item) => item.id));
	}
	expect(polls.map((p) => p.length)).toEqual([40, 40, 10]);
	expect(polls.flat().sort()).toEqual(burst.map((e) => e.ID).sort());
	expect(await trigger.poll()).toBeNull();
	expect(JSON.stringify(trigger.stored()[CURSOR_KEY]).length).toBeLessThan(4096);
});

test('User Contains matches % and _ as typed: a_c finds a_c, not abc', async () => {
	const trigger = poller({ event: ['Cloud.Core.LoginFail'], filters: { userContains: 'like_test_a_c@' } });
	await trigger.activate();
	const [wanted] = inject([{ type: 'Cloud.Core.LoginFail', user: 'like_test_a_c@acme.example' }]);
	inject([
		{ type: 'Cloud.Core.LoginFail', user: 'like_test_abc@acme.example' },
		{ type: 'Cloud.Core.LoginFail', user: 'likextestxaxc@acme.example' },
	]);
	expect((await trigger.poll())!.map((i) => i.user)).toEqual([wanted.NormalizedUser]);
});

test('events the sandbox records itself: token exchanges and user changes', async () => {
	const trigger = poller({
		event: ['Cloud.Core.LoginFail', 'Cloud.Core.OAuthToken.InvalidClient'],
		customEventTypes: 'Sandbox.UserCloudLockChanged',
	});
	await trigger.activate();
	const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
	const basic = (secret: string) =>
		`Basic ${Buffer.from(`${sandbox.config.clientId}:${secret}`).toString('base64')}`;
	const token = (secret: string, password: string) =>
		fetch(`${sandbox.url}/oauth2/token/${sandbox.config.appId}`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Authorization: basic(secret),
				'X-Forwarded-For': '203.0.113.9',
			},
			body: form({
				grant_type: 'password',
				username: sandbox.config.username,
				password,
				scope: sandbox.config.scope,
			}),
		});
	await token(sandbox.config.clientSecret, 'wrong-password');
	await token('wrong-secret', sandbox.config.password);
	const good = (await (await token(sandbox.config.clientSecret, sandbox.config.password)).json()) as {
		access_token: string;
	};
	const target = sandbox.directory.addAccount({ Name: `locked${++n}@example.com`, Password: 'Whatever-1' });
	await fetch(`${sandbox.url}/UserMgmt/SetCloudLock?user=${target.Uuid}&lockUser=true`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${good.access_token}` },
	});
	const items = (await trigger.poll())!;
	expect(items.map((i) => [i.type, i.sourceIp])).toEqual([
		['Cloud.Core.LoginFail', '203.0.113.9'],
		['Cloud.Core.OAuthToken.InvalidClient', '203.0.113.9'],
		['Sandbox.UserCloudLockChanged', '127.0.0.1'],
	]);
	expect(items[0]).toMatchObject({ user: sandbox.config.username });
	expect(items[2]).toMatchObject({
		user: sandbox.config.username,
		entityName: target.Name,
		entityType: 'User',
		entityId: target.Uuid,
	});
});

test("Simplify off gives CyberArk's row; a source IP filter; all events", async () => {
	const user = uniqueUser();
	const trigger = poller({ event: ['*'], filters: { sourceIp: '192.0.2.44' }, simplify: false });
	await trigger.activate();
	const [row] = inject([
		{ type: 'Cloud.Core.StartImpersonate', user, ip: '192.0.2.44', ImpersonatorUuid: 'imp-1' },
	]);
	inject([{ type: 'Cloud.Core.Logout', user, ip: '192.0.2.45' }]);
	const items = (await trigger.poll())!;
	expect(items).toHaveLength(1);
	expect(items[0]).toMatchObject({
		ID: row.ID,
		EventType: 'Cloud.Core.StartImpersonate',
		WhenOccurred: expect.stringMatching(/^\/Date\(\d+\)\/$/),
		ImpersonatorUuid: 'imp-1',
	});
});

test("a manual test run returns the latest matching events and leaves the trigger's place alone", async () => {
	const user = uniqueUser();
	const trigger = poller({ event: ['Cloud.Core.Logout'], filters: { userEquals: user } });
	// Nothing to show: it says how to make an event, not n8n's generic "no data".
	const empty = await trigger.poll({ mode: 'manual' }).catch((e) => e);
	expect(empty).toBeInstanceOf(NodeOperationError);
	expect(empty.message).toBe('No matching audit event in the tenant yet');
	expect(empty.description).toMatch(/sign in to the tenant's user portal with a wrong password/);
	const events = inject(
		Array.from({ length: 7 }, (_, i) => ({
			type: 'Cloud.Core.Logout',
			user,
			occurredAt: Date.now() - 10_000 + i,
		})),
	);
	const sample = (await trigger.poll({ mode: 'manual' }))!;
	expect(sample.map((i) => i.id)).toEqual(events.slice(2).map((e) => e.ID));
	expect(trigger.stored()[CURSOR_KEY]).toBeUndefined();
	await trigger.activate();
	expect(await trigger.poll()).toBeNull(); // activation starts after them
});

test('bad filters are a NodeOperationError naming the field; nothing is sent', async () => {
	const before = sandbox.counters.eventQueries;
	for (const [parameters, message] of [
		[{ event: [] }, /No event type is selected/],
		[
			{ event: ['Cloud.Core.Login'], customEventTypes: "a' OR '1'='1" },
			/Other Event Types .* is not a CyberArk event type name/,
		],
		[{ event: ['*'], filters: { sourceIp: 'not an ip' } }, /Source IP "not an ip" is not an IP address/],
	] as const) {
		const error = await poller(parameters as IDataObject)
			.activate()
			.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
	}
	expect(sandbox.counters.eventQueries).toBe(before);
});

describe("failures surface as poll errors with the node's messages; the place stays until events are emitted", () => {
	afterEach(() =>
		Object.assign(sandbox.knobs, { status503Every: 0, status429Every: 0, faultPath: '', tokenDownUntil: 0 }),
	);

	test('HTTP 503 on every Redrock call, then recovery: nothing lost', async () => {
		const user = uniqueUser();
		const trigger = poller({ event: ['Cloud.Core.LoginFail'], filters: { userEquals: user } });
		await trigger.activate();
		const stored = JSON.stringify(trigger.stored());
		const events = inject([{ type: 'Cloud.Core.LoginFail', user }]);
		Object.assign(sandbox.knobs, { status503Every: 1, faultPath: '/redrock/query' });
		const error = await trigger.poll().catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('CyberArk answered /Redrock/query with HTTP 503');
		expect(JSON.stringify(trigger.stored())).toBe(stored);
		Object.assign(sandbox.knobs, { status503Every: 0, faultPath: '' });
		expect((await trigger.poll())!.map((i) => i.id)).toEqual([events[0].ID]);
	}, 60_000);

	test('HTTP 429 beyond the retries: the rate-limit message with httpCode 429 (n8n backs off the poll)', async () => {
		const trigger = poller({ event: ['Cloud.Core.LoginFail'] });
		await trigger.activate();
		Object.assign(sandbox.knobs, { status429Every: 1, retryAfterSeconds: 0, faultPath: '/redrock/query' });
		const error = await trigger.poll().catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'CyberArk kept rate limiting the requests (HTTP 429), and the retries did not get through',
		);
		expect(error.httpCode).toBe('429');
	}, 60_000);

	test("a wrong client secret: the credential's message, no secret in the error or the logs", async () => {
		const secret = 'Trigger-Wrong-Secret-4242';
		const trigger = poller(
			{ event: ['Cloud.Core.LoginFail'] },
			new CredentialStore(sandbox.credentials({ clientSecret: secret })),
		);
		const error = await trigger.activate().catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/CyberArk rejected the client ID or client secret \(invalid_client\)/);
		expect(
			JSON.stringify(error) + error.message + (error.description ?? '') + capturedLogs.join('\n'),
		).not.toContain(secret);
	});

	test('an expired token is renewed once by n8n, and the poll goes on', async () => {
		const store = new CredentialStore(sandbox.credentials());
		const user = uniqueUser();
		const trigger = poller({ event: ['Cloud.Core.LoginFail'], filters: { userEquals: user } }, store);
		await trigger.activate();
		sandbox.expireTokens();
		const events = inject([{ type: 'Cloud.Core.LoginFail', user }]);
		expect((await trigger.poll())!.map((i) => i.id)).toEqual([events[0].ID]);
		expect(store.preAuthentications).toBe(2);
	});
});

test("a window that cannot be honoured is said in n8n's log and as an execution hint where n8n offers one", () => {
	const lines: unknown[][] = [];
	const hints: unknown[] = [];
	const context = {
		logger: { warn: (...args: unknown[]) => lines.push(args) },
		getNode: () => ({ name: 'Failed logins' }),
		getWorkflow: () => ({ id: 'wf1' }),
	};
	const window = {
		kind: 'window',
		fromMs: Date.UTC(2031, 2, 1, 12, 3),
		windowFromMs: Date.UTC(2031, 2, 1, 12),
		pages: 50,
	} as const;
	reportWarnings(context as never, [window]);
	expect(lines).toEqual([
		[
			'CyberArk Identity Trigger: The Late Event Window could not be re-read whole in this poll (50 pages): events logged late that occurred between 2031-03-01T12:00:00.000Z and 2031-03-01T12:03:00.000Z were not looked for and will not be emitted. Narrow the filters or the Late Event Window.',
			{ node: 'Failed logins', workflowId: 'wf1' },
		],
	]);
	reportWarnings({ ...context, addExecutionHints: (...h: unknown[]) => hints.push(...h) } as never, [
		{ kind: 'group', loggedMs: 0, count: 700 },
	]);
	expect(hints).toEqual([
		expect.objectContaining({
			type: 'warning',
			message: expect.stringMatching(/^700 events logged in the same millisecond/),
		}),
	]);
});
