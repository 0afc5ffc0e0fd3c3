'use strict';
// Benchmark part queue (npm run bench -- queue): 10 concurrent senders deliver 100 hires each (1,000
// webhook deliveries) to the HR onboarding example (Create User with "Return Existing User", add to the
// department role, respond) on n8n main + 1 worker, then main + 2 workers, against the sandbox tenant
// under CyberArk's documented rate limits. Reports users/s, 429s and token exchanges per shape.
//   npm run bench -- queue [--workers=1,2] [--senders=10] [--per-sender=100] [--knobs='{"latencyMs":20}'] [--limits=off]
// --knobs sets the sandbox's knobs (sandbox/server.js); --limits=off lifts the rate limits.
// Ports: QUEUE_BENCH_N8N_PORT (5710; the stack uses it to +5 for 2 workers), QUEUE_BENCH_SANDBOX_PORT
// (4110), QUEUE_BENCH_POSTGRES_PORT (5440), QUEUE_BENCH_REDIS_PORT (6390).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DOCUMENTED_LIMITS } = require('../../sandbox/server');
const { startQueueStack, stackPorts, postWebhook, executionsByWorker } = require('../n8n/queue');
const { markdownTable } = require('./doc');

/** 429 answers the sandbox gave: from its rate limits, or injected by a knob. */
function rateLimited(counters) {
	const injected = Object.entries(counters.faults ?? {})
		.filter(([name]) => /429|rate/i.test(name))
		.reduce((sum, [, n]) => sum + n, 0);
	return injected + (counters.rateLimited ?? 0);
}

async function runShape({ workers, senders, perSender, knobs, rateLimits, ports }) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-bench-queue-${workers}w-`));
	// Info level: each worker logs the executions it starts, which gives the split between workers.
	const stack = await startQueueStack({
		dir,
		ports,
		workers,
		sandbox: { knobs, rateLimits },
		logLevel: 'info',
	});
	try {
		const url = `${stack.main.url}/webhook/new-hire`;
		// Warm-up: the webhook is registered, the token minted and stored, each worker loaded the node.
		for (let i = 0; i < workers * 2; i++)
			await (
				await postWebhook(url, {
					login: `warm${i}@example.com`,
					email: `warm${i}@acme.test`,
					firstName: 'W',
					lastName: 'U',
					department: 'Sales',
				})
			).text();
		const before = { ...stack.sandbox.counters, faults: { ...stack.sandbox.counters.faults } };
		const users = stack.sandbox.directory.users.size;
		const executions = executionsByWorker(stack.workers);
		let failed = 0;
		const started = process.hrtime.bigint();
		await Promise.all(
			Array.from({ length: senders }, async (_, s) => {
				for (let i = 0; i < perSender; i++) {
					const n = s * perSender + i;
					const response = await postWebhook(url, {
						employeeId: `B${n}`,
						login: `bench${n}@example.com`,
						email: `bench${n}@acme.test`,
						firstName: 'Bench',
						lastName: `User ${n}`,
						department: ['Engineering', 'Finance', 'Sales'][n % 3],
					});
					const body = await response.text();
					if (response.status !== 200 || !JSON.parse(body).userId) failed++;
				}
			}),
		);
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		const counters = stack.sandbox.counters;
		const created = stack.sandbox.directory.users.size - users;
		return {
			workers,
			deliveries: senders * perSender,
			failed,
			created,
			seconds: Number(seconds.toFixed(1)),
			usersPerSecond: Number((created / seconds).toFixed(1)),
			rateLimited: rateLimited(counters) - rateLimited(before),
			tokenExchanges: counters.tokensIssued,
			managementRequests: counters.managementRequests - before.managementRequests,
			executionsPerWorker: executionsByWorker(stack.workers).map((n, w) => n - executions[w]),
		};
	} finally {
		await stack.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** The part: its table and its section of BENCHMARKS.md. */
async function bench(options = {}, env = process.env) {
	const knobs = JSON.parse(options.knobs ?? '{}');
	const limited = options.limits !== 'off';
	const shape = {
		senders: Number(options.senders ?? 10),
		perSender: Number(options['per-sender'] ?? 100),
		knobs,
		rateLimits: limited ? DOCUMENTED_LIMITS : { enabled: false },
		ports: stackPorts({
			N8N_PORT: env.QUEUE_BENCH_N8N_PORT ?? '5710',
			QUEUE_SANDBOX_PORT: env.QUEUE_BENCH_SANDBOX_PORT ?? '4110',
			DB_POSTGRESDB_PORT: env.QUEUE_BENCH_POSTGRES_PORT ?? '5440',
			QUEUE_BULL_REDIS_PORT: env.QUEUE_BENCH_REDIS_PORT ?? '6390',
		}),
	};
	const rows = [];
	for (const workers of (options.workers ?? '1,2').split(',').map(Number))
		rows.push(await runShape({ ...shape, workers }));
	const title = `Queue mode (n8n 2.41.1 main + workers, Postgres, Redis): ${rows[0]?.deliveries ?? 0} webhook deliveries from ${shape.senders} concurrent senders, ${limited ? "CyberArk's documented rate limits" : 'no rate limits'}, sandbox knobs ${JSON.stringify(knobs)}`;
	const table = markdownTable(
		[
			'workers',
			'users created',
			'failed',
			'time (s)',
			'users/s',
			'429s',
			'token exchanges',
			'executions per worker',
		],
		rows.map((r) => [
			r.workers,
			r.created,
			r.failed,
			r.seconds,
			r.usersPerSecond,
			r.rateLimited,
			r.tokenExchanges,
			r.executionsPerWorker.join(' / '),
		]),
	);
	return { title, table, markdown: `## ${title}\n\n${table}\n` };
}

module.exports = { bench };
