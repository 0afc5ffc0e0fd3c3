// End-to-end: the CyberArk Identity Trigger in a real n8n (`n8n start`, an active workflow polling every
// minute) against the sandbox tenant. Events injected into the sandbox's audit log must start executions
// carrying exactly those events, none twice across several polls, none lost across a restart of n8n, and
// a burst of 1,200 events sharing one timestamp must come out once each across several polls (the
// sandbox returns rows that tie in a different order on every query).
// Each execution posts its events to the sandbox's sink, which is how the test sees what n8n emitted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

const n8nTools = require('../../scripts/n8n');

const SECRET = 'E2e-Trigger-Secret-Plugh-7331';
const PASSWORD = 'E2e-Trigger-Password-Xyzzy-1337';
const PORT = Number(process.env.TRIGGER_E2E_N8N_PORT ?? 5810);
const BROKER_PORT = String(PORT + 1);
const SANDBOX_PORT = Number(process.env.TRIGGER_E2E_SANDBOX_PORT ?? 4210);
const DOMAIN = 'e2e-trigger.example';
const WORKFLOW_ID = 'e2eTriggerLogins';
const EXAMPLE_ID = 'exLockoutFailedLogins';

interface Sunk {
	id: string;
	type: string;
	user: string;
	occurredAt: string;
	execution: string;
}

let sandbox: Sandbox;
let n8n: { version: string; dir: string };
let env: Record<string, string>;
let userFolder: string;
let server: { url: string; stop: () => Promise<void>; output: () => string } | undefined;
const logFile = () => path.join(userFolder, 'n8n.log');
const log: string[] = [];
const sunk = () => (sandbox as unknown as { sink: Sunk[] }).sink;

function triggerWorkflow(sandboxUrl: string) {
	return {
		id: WORKFLOW_ID,
		name: 'CyberArk e2e: failed logins',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'trigger',
				name: 'Failed logins',
				type: 'n8n-nodes-cyberark-identity.cyberArkIdentityTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					event: ['Cloud.Core.LoginFail'],
					filters: { userContains: `@${DOMAIN}` },
				},
				credentials: { cyberArkIdentityApi: n8nTools.CREDENTIAL },
			},
			{
				id: 'sink',
				name: 'Report',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: `${sandboxUrl}/__sandbox/sink`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody:
						'={{ JSON.stringify({ id: $json.id, type: $json.type, user: $json.user, occurredAt: $json.occurredAt, execution: $execution.id }) }}',
				},
			},
		],
		connections: { 'Failed logins': { main: [[{ node: 'Report', type: 'main', index: 0 }]] } },
	};
}

async function until(what: string, condition: () => boolean, timeoutMs = 150_000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error(`Timed out waiting for ${what}\n${server?.output().slice(-3000) ?? ''}`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/** Waits for the next poll of the trigger to finish (its Redrock Event query, then a moment for the execution). */
async function nextPoll() {
	const before = sandbox.counters.eventQueries;
	await until('the next poll', () => sandbox.counters.eventQueries > before);
	await new Promise((r) => setTimeout(r, 5000));
}

async function start() {
	server = await n8nTools.startServer(
		n8n,
		{ ...env, ...n8nTools.ownerEnv(n8n), N8N_RUNNERS_BROKER_PORT: BROKER_PORT },
		{ port: PORT, log: (line: string) => log.push(line) },
	);
}

function failedLogins(users: string[], extra: object = {}) {
	// One millisecond apart, in this order (events of one millisecond come out ordered by ID).
	const base = Date.now() - users.length;
	return users.map((user, i) =>
		sandbox.events.record({
			type: 'Cloud.Core.LoginFail',
			user: `${user}@${DOMAIN}`,
			ip: '198.51.100.23',
			occurredAt: base + i,
			...extra,
		}),
	);
}

beforeAll(
	async () => {
		n8n = n8nTools.ensureN8n();
		sandbox = await startSandbox({
			port: SANDBOX_PORT,
			tenant: { clientSecret: SECRET, password: PASSWORD },
		});
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-trigger-'));
		const example = n8nTools.exampleWorkflows(sandbox.url).find((w: { id: string }) => w.id === EXAMPLE_ID);
		await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), {
			tenantOrigin: sandbox.url,
			workflows: [triggerWorkflow(sandbox.url), example],
		});
		env = n8nTools.n8nEnv(n8n, userFolder, {
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console,file',
			N8N_LOG_FILE_LOCATION: logFile(),
		});
		await n8nTools.activateWorkflow(n8n, env, WORKFLOW_ID);
		await n8nTools.activateWorkflow(n8n, env, EXAMPLE_ID);
	},
	30 * 60 * 1000,
);

afterAll(async () => {
	await server?.stop();
	await sandbox?.close();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

test('injected failed logins start executions with exactly those events, once each, across polls and a restart of n8n; the lock-out example locks the user with 5 of them', async () => {
	const started = Date.now();
	// History before activation: not emitted.
	failedLogins(['history']);
	await start();
	// Activation runs a first poll: it places the trigger at the newest matching event.
	await until('the activation poll', () => sandbox.counters.eventQueries > 0, 120_000);
	await new Promise((r) => setTimeout(r, 2000));

	const batchA = failedLogins(['alice', 'bob', 'carol']);
	sandbox.events.record({ type: 'Cloud.Core.Login', user: `alice@${DOMAIN}` }); // another type: not emitted
	// For the example workflow (it watches every failed login): 5 for mallory, 4 for trudy.
	const mallory = sandbox.directory.addAccount({
		Name: 'mallory@example.com',
		Password: 'Mallory-Pass-1',
	} as never) as { Uuid: string; cloudLocked: boolean };
	const trudy = sandbox.directory.addAccount({
		Name: 'trudy@example.com',
		Password: 'Trudy-Pass-1',
	} as never) as { Uuid: string; cloudLocked: boolean };
	for (let i = 0; i < 5; i++)
		sandbox.events.record({ type: 'Cloud.Core.LoginFail', user: 'mallory@example.com', ip: '203.0.113.66' });
	for (let i = 0; i < 4; i++)
		sandbox.events.record({ type: 'Cloud.Core.LoginFail', user: 'trudy@example.com', ip: '203.0.113.66' });
	await until('batch A in an execution', () => sunk().length >= 3);
	await until('the example to lock mallory', () => mallory.cloudLocked);
	await nextPoll(); // one more poll: nothing twice
	expect(trudy.cloudLocked).toBe(false);
	expect(sunk().map((s) => s.id)).toEqual(batchA.map((e) => e.ID));
	expect(new Set(sunk().map((s) => s.execution)).size).toBe(1);
	expect(sunk()[0]).toMatchObject({
		type: 'Cloud.Core.LoginFail',
		user: `alice@${DOMAIN}`,
		occurredAt: new Date(Number(/\d+/.exec(String(batchA[0].WhenOccurred))![0])).toISOString(),
	});

	// n8n stops; events happen while it is down, one of them logged late: it occurred before carol's.
	await server!.stop();
	server = undefined;
	const batchB = failedLogins(['dave', 'erin']);
	const [late] = failedLogins(['frank'], {
		occurredAt: Number(/\d+/.exec(String(batchA[2].WhenOccurred))![0]) - 1000,
	});
	await start();
	await until('batch B after the restart', () => sunk().length >= 6);
	const afterRestart = sunk().slice(3);
	expect(afterRestart.map((s) => s.id)).toEqual([late.ID, ...batchB.map((e) => e.ID)]);
	expect(new Set(afterRestart.map((s) => s.execution)).size).toBe(1);

	// More polls after the restart: still nothing twice.
	const batchC = failedLogins(['grace']);
	await until('batch C', () => sunk().length >= 7);
	await nextPoll();
	const all = sunk().map((s) => s.id);
	expect(all).toEqual([...batchA, late, ...batchB, ...batchC].map((e) => e.ID));
	expect(new Set(all).size).toBe(all.length);
	expect(all).not.toContain(
		sandbox.events.events.find((e) => e.row.NormalizedUser === `history@${DOMAIN}`)!.row.ID,
	);

	const text = log.join('') + fs.readFileSync(logFile(), 'utf8');
	expect(text).not.toContain(SECRET);
	expect(text).not.toContain(PASSWORD);
	process.stdout.write(
		`trigger e2e on n8n ${n8n.version}: ${all.length} events, ${new Set(sunk().map((s) => s.execution)).size} executions, ` +
			`${sandbox.counters.eventQueries} Event queries, one restart, ${Math.round((Date.now() - started) / 1000)} s\n`,
	);
});

test('1,200 failed logins sharing one timestamp: each delivered exactly once, across several polls', async () => {
	const started = Date.now();
	const before = sunk().length;
	const occurredAt = Date.now() - 1000;
	const burst = Array.from({ length: 1200 }, (_, i) =>
		sandbox.events.record({
			type: 'Cloud.Core.LoginFail',
			user: `tie${i}@${DOMAIN}`,
			ip: '198.51.100.24',
			occurredAt,
		}),
	);
	await until('the burst in executions', () => sunk().length >= before + burst.length, 10 * 60_000);
	await nextPoll(); // one more poll: nothing twice
	const got = sunk().slice(before);
	expect(got).toHaveLength(burst.length);
	expect(new Set(got.map((s) => s.id))).toEqual(new Set(burst.map((e) => e.ID)));
	const executions = new Set(got.map((s) => s.execution));
	expect(executions.size).toBeGreaterThanOrEqual(3); // Max Events per Poll is 500
	expect(got.every((s) => s.occurredAt === new Date(occurredAt).toISOString())).toBe(true);
	process.stdout.write(
		`trigger e2e, 1,200 ties: ${got.length} events once each in ${executions.size} executions, ` +
			`${Math.round((Date.now() - started) / 1000)} s\n`,
	);
});
