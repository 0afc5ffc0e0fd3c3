// Queue mode end to end: n8n 2.41.1 main + 2 workers on Postgres and Redis (scripts/n8n/queue.js), the
// packed package, the sandbox tenant, and the HR onboarding example (webhook → Create User with
// "On Existing User: Return Existing User" → add to role → respond) driven through its webhook.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Sandbox } from '../../sandbox/server';

// Plain JavaScript helpers, shared with npm run start:queue.
const queue = require('../../scripts/n8n/queue');

const SECRET = 'Queue-Client-Secret-Plugh-1729';
const PASSWORD = 'Queue-Owner-Password-Xyzzy-8128';
const WORKERS = 2;

// Ports of this suite; other suites and `npm start` use others.
const env = process.env;
const ports = queue.stackPorts({
	N8N_PORT: env.QUEUE_E2E_N8N_PORT ?? '5710',
	QUEUE_SANDBOX_PORT: env.QUEUE_E2E_SANDBOX_PORT ?? '4110',
	DB_POSTGRESDB_PORT: env.QUEUE_E2E_POSTGRES_PORT ?? '5440',
	QUEUE_BULL_REDIS_PORT: env.QUEUE_E2E_REDIS_PORT ?? '6390',
});

interface Worker {
	index: number;
	logFile: string;
	kill: () => Promise<void>;
}
let stack: {
	main: { url: string; logFile: string };
	workers: Worker[];
	sandbox: Sandbox;
	logs: string;
	stop: () => Promise<void>;
};
let sandbox: Sandbox;
let dir: string;

interface Answer {
	status: number;
	body?: { userId?: string; userName?: string; created?: boolean };
	error?: string;
}

const hire = (prefix: string, i: number) => ({
	employeeId: `${prefix}-${i}`,
	login: `${prefix}.${i}@example.com`,
	email: `${prefix}.${i}@acme.test`,
	firstName: 'Queue',
	lastName: `Hire ${i}`,
	department: ['Engineering', 'Finance', 'Sales'][i % 3],
	mobile: '+1 555 0100',
});

/** One delivery of a hire to the onboarding webhook; a timeout or a dropped connection is an answer too. */
async function deliver(body: object, timeoutMs = 60_000): Promise<Answer> {
	try {
		const response = await queue.postWebhook(`${stack.main.url}/webhook/new-hire`, body, { timeoutMs });
		const text = await response.text();
		let parsed: Answer['body'];
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		return {
			status: response.status,
			body: parsed,
			...(response.status === 200 ? {} : { error: text.slice(0, 300) }),
		};
	} catch (error) {
		return { status: 0, error: String((error as Error).message ?? error) };
	}
}

const usersNamed = (prefix: string) =>
	[...sandbox.directory.users.values()].filter((u) => u.Name.startsWith(`${prefix}.`));

beforeAll(
	async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-e2e-'));
		stack = await queue.startQueueStack({
			dir,
			ports,
			workers: WORKERS,
			sandbox: { tenant: { clientSecret: SECRET, password: PASSWORD }, knobs: { latencyMs: 2 } },
			// Most verbose logging: the secret check below reads every line n8n can write.
			logLevel: 'debug',
		});
		sandbox = stack.sandbox;
	},
	20 * 60 * 1000,
);

afterAll(async () => {
	await stack?.stop();
	if (dir && !process.env.KEEP_E2E) fs.rmSync(dir, { recursive: true, force: true });
});

test('100 hires each delivered twice at the same moment, 20 requests in flight: 100 users, both deliveries answer with the same id, both workers ran executions, token exchanges ≤ workers', async () => {
	const before = queue.executionsByWorker(stack.workers) as number[];
	const pairs = (await queue.inFlight(
		Array.from({ length: 100 }, (_, i) => i),
		10,
		async (i: number) => {
			const body = hire('dup', i);
			return await Promise.all([deliver(body), deliver(body)]);
		},
	)) as Array<[Answer, Answer]>;

	const failures = pairs.flat().filter((a) => a.status !== 200 || !a.body?.userId);
	expect(failures).toEqual([]);
	const users = usersNamed('dup');
	expect(users).toHaveLength(100);
	pairs.forEach(([a, b], i) => {
		const user = sandbox.directory.findByName(`dup.${i}@example.com`)!;
		expect(a.body!.userId).toBe(user.Uuid);
		expect(b.body!.userId).toBe(user.Uuid);
		// One delivery created the user, the other found it: never two users, never two "created".
		expect([a.body!.created, b.body!.created].sort()).toEqual([false, true]);
	});
	const after = queue.executionsByWorker(stack.workers) as number[];
	const ran = after.map((n, w) => n - before[w]);
	expect(ran.reduce((s, n) => s + n, 0)).toBeGreaterThanOrEqual(200);
	for (const n of ran) expect(n).toBeGreaterThan(0);
	// The token lives encrypted in Postgres: one exchange per worker at most, for the whole run.
	expect(sandbox.counters.tokensIssued).toBeGreaterThanOrEqual(1);
	expect(sandbox.counters.tokensIssued).toBeLessThanOrEqual(WORKERS);
	process.stdout.write(
		`queue: executions per worker ${ran.join(' / ')}, token exchanges ${sandbox.counters.tokensIssued}\n`,
	);
});

test('tokens expired under concurrent traffic: re-mints ≤ workers, every delivery answered', async () => {
	const issued = sandbox.counters.tokensIssued;
	const unauthorized = sandbox.counters.unauthorized;
	// A tenant answering in 150 ms keeps most of the 20 executions' requests in flight at once.
	sandbox.knobs.latencyMs = 150;
	let answered = 0;
	const answers = (await queue
		.inFlight(
			Array.from({ length: 100 }, (_, i) => i),
			20,
			async (i: number) => {
				const answer = await deliver(hire('exp', i));
				// Every token this tenant issued stops working at once, under full traffic.
				if (++answered === 30) sandbox.expireTokens();
				return answer;
			},
		)
		.finally(() => (sandbox.knobs.latencyMs = 2))) as Answer[];
	expect(answers.filter((a) => a.status !== 200)).toEqual([]);
	expect(usersNamed('exp')).toHaveLength(100);
	const remints = sandbox.counters.tokensIssued - issued;
	const refused = sandbox.counters.unauthorized - unauthorized;
	process.stdout.write(
		`queue: forced expiry: ${refused} requests refused with the expired token, ${remints} re-mints\n`,
	);
	// Many requests were refused at once (each a pre-authentication in n8n), yet at most one exchange per worker.
	expect(refused).toBeGreaterThan(2 * WORKERS);
	expect(remints).toBeGreaterThanOrEqual(1);
	expect(remints).toBeLessThanOrEqual(WORKERS);
});

test('a worker killed with SIGKILL mid-batch: the deliveries that failed are re-sent and every hire exists exactly once', async () => {
	const victim = stack.workers[WORKERS - 1];
	let answered = 0;
	let killed: Promise<void> | undefined;
	const first = (await queue.inFlight(
		Array.from({ length: 100 }, (_, i) => i),
		20,
		async (i: number) => {
			// A webhook whose execution died with its worker gets no answer: the sender gives up after 15 s.
			const answer = await deliver(hire('kill', i), 15_000);
			if (++answered === 25) killed = victim.kill();
			return answer;
		},
	)) as Answer[];
	await killed;
	const failed = first.map((a, i) => (a.status === 200 && a.body?.userId ? -1 : i)).filter((i) => i >= 0);
	process.stdout.write(
		`queue: worker ${victim.index + 1} killed after 25 answers; ${failed.length} deliveries failed and are re-sent\n`,
	);
	// Executions that were running on the killed worker cannot answer.
	expect(failed.length).toBeGreaterThan(0);

	// HR re-sends what got no answer.
	const second = (await queue.inFlight(
		failed,
		20,
		async (i: number) => await deliver(hire('kill', i)),
	)) as Answer[];
	expect(second.filter((a) => a.status !== 200 || !a.body?.userId)).toEqual([]);
	const answers = first.map((a, i) => (failed.includes(i) ? second[failed.indexOf(i)] : a));
	for (let i = 0; i < 100; i++) {
		const matching = usersNamed('kill').filter((u) => u.Name === `kill.${i}@example.com`);
		expect(matching).toHaveLength(1);
		expect(answers[i].body!.userId).toBe(matching[0].Uuid);
	}
	expect(usersNamed('kill')).toHaveLength(100);
});

test('no secret or token in any n8n process log (main and workers, debug level)', () => {
	const files = [stack.main.logFile, ...stack.workers.map((w) => w.logFile)];
	const secrets = [
		SECRET,
		PASSWORD,
		Buffer.from(`${sandbox.config.clientId}:${SECRET}`).toString('base64'),
		encodeURIComponent(PASSWORD),
		...sandbox.tokens.keys(),
	];
	expect(sandbox.tokens.size).toBeGreaterThan(0);
	for (const file of files) {
		const log = fs.readFileSync(file, 'utf8');
		// The logs are real and at their most verbose: info and debug lines, executions of the node.
		expect({
			file: path.basename(file),
			debug: / \| debug +\| /.test(log),
			info: / \| info +\| /.test(log),
		}).toEqual({ file: path.basename(file), debug: true, info: true });
		for (const secret of secrets)
			expect(log.includes(secret) ? `${path.basename(file)} contains a secret` : 'clean').toBe('clean');
	}
	const workerLogs = stack.workers.map((w) => fs.readFileSync(w.logFile, 'utf8')).join('\n');
	expect(/Worker started execution/.test(workerLogs)).toBe(true);
	expect(/CyberArk/.test(workerLogs)).toBe(true);
});
