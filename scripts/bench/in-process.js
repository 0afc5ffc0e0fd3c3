'use strict';
// Benchmark part in-process (npm run bench -- in-process): the node's throughput and overhead against a
// raw axios loop, measured side by side in n8n-core's engine against the sandbox tenant (in a child
// process) over loopback; and the peak memory of a 10,000-item run in a fresh process (this file, --rss).
const { spawn } = require('node:child_process');
const axios = require('axios');
const { builtEngine, CredentialStore } = require('../engine');
const { markdownTable } = require('./doc');
const { mintToken, sandboxAt, startSandboxProcess } = require('./sandbox');

const PORT = Number(process.env.BENCH_SANDBOX_PORT ?? 4020);
const tenant = sandboxAt(PORT);

const hires = (prefix, count) =>
	Array.from({ length: count }, (_, i) => ({
		login: `${prefix}${i}@example.com`,
		mail: `${prefix}${i}@acme.test`,
		name: `Bench ${i}`,
	}));
const createParameters = (concurrency) => ({
	resource: 'user',
	operation: 'create',
	userName: '={{ $json.login }}',
	email: '={{ $json.mail }}',
	additionalFields: { displayName: '={{ $json.name }}' },
	options: { concurrency, maxRequestsPerSecond: 0 },
});

/** Runs Create User through the node in n8n's engine; returns seconds and token exchanges. */
async function runNode(engine, prefix, count, concurrency) {
	await tenant.control('reset-counters');
	const store = new CredentialStore(tenant.credentials);
	const started = process.hrtime.bigint();
	const result = await engine.run(store, createParameters(concurrency), hires(prefix, count));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const failed = result.items.filter((i) => i.json.error).length + (result.error ? count : 0);
	if (failed)
		throw new Error(
			`${failed} items failed: ${result.error?.message ?? result.items.find((i) => i.json.error).json.error}`,
		);
	const { counters } = await tenant.state();
	return { seconds, tokens: counters.tokensIssued };
}

/** The same requests without n8n: one token exchange, then sequential axios POSTs (the HTTP Request node pattern). */
async function runRaw(prefix, count) {
	await tenant.control('reset-counters');
	const started = process.hrtime.bigint();
	const token = await mintToken(tenant.url, tenant.credentials);
	const headers = { Authorization: `Bearer ${token}`, 'X-IDAP-NATIVE-CLIENT': 'true' };
	for (const hire of hires(prefix, count)) {
		const response = await axios.post(
			`${tenant.url}/CDirectoryService/CreateUser`,
			{ Name: hire.login, Mail: hire.mail, DisplayName: hire.name },
			{ headers },
		);
		if (!response.data.success) throw new Error(response.data.Message);
	}
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const { counters } = await tenant.state();
	return { seconds, tokens: counters.tokensIssued };
}

/** Peak RSS of a fresh process running 10,000 Create User items (concurrency 10). */
function peakRss() {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [__filename, '--rss'], {
			env: { ...process.env, BENCH_SANDBOX_PORT: String(PORT) },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.on('exit', (code) =>
			code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`rss run exited with ${code}`)),
		);
	});
}

async function rssChild() {
	const engine = builtEngine();
	let peak = process.memoryUsage().rss;
	const baseline = peak;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const run = await runNode(engine, 'rss', 10_000, 10);
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage().rss);
	process.stdout.write(
		JSON.stringify({
			baselineMb: baseline / 2 ** 20,
			peakMb: peak / 2 ** 20,
			seconds: run.seconds,
			tokens: run.tokens,
		}),
	);
}

const fmt = (n, digits = 0) => n.toFixed(digits);

/** The part: its table and its section of BENCHMARKS.md. */
async function bench() {
	const sandbox = await startSandboxProcess(PORT, { SANDBOX_RATE_LIMITS: 'off' });
	const engine = builtEngine();
	const rows = [];
	try {
		// Warm both paths up (JIT, sockets) before measuring.
		await runNode(engine, 'warm', 200, 1);
		await runRaw('warmraw', 200);

		await tenant.control('knobs', { latencyMs: 0 });
		const node = await runNode(engine, 'fast', 1000, 1);
		const raw = await runRaw('fastraw', 1000);
		const nodeMs = (node.seconds * 1000) / 1000;
		const rawMs = (raw.seconds * 1000) / 1000;
		rows.push([
			'1,000 Create User, 0 ms latency: node (concurrency 1)',
			`${fmt(1000 / node.seconds)} users/s`,
			`${fmt(nodeMs, 2)} ms/item`,
			node.tokens,
		]);
		rows.push([
			'1,000 Create User, 0 ms latency: raw axios loop',
			`${fmt(1000 / raw.seconds)} users/s`,
			`${fmt(rawMs, 2)} ms/item`,
			raw.tokens,
		]);
		rows.push([
			'node time / raw loop time (target ≤ 1.3×)',
			`${fmt(node.seconds / raw.seconds, 2)}×`,
			`overhead ${fmt(nodeMs - rawMs, 2)} ms/item`,
			'',
		]);

		await tenant.control('knobs', { latencyMs: 50 });
		for (const concurrency of [1, 5, 10, 20]) {
			const run = await runNode(engine, `c${concurrency}x`, 500, concurrency);
			const ideal = concurrency / 0.05;
			rows.push([
				`500 Create User, 50 ms latency, concurrency ${concurrency}${concurrency === 10 ? ' (target ≥ 150/s)' : ''}`,
				`${fmt(500 / run.seconds)} users/s`,
				`ideal ${fmt(ideal)}/s (${fmt((100 * 500) / run.seconds / ideal)}%)`,
				run.tokens,
			]);
		}
		const pattern = await runRaw('httppattern', 500);
		rows.push([
			'500 Create User, 50 ms latency: HTTP Request pattern (token once, sequential calls)',
			`${fmt(500 / pattern.seconds)} users/s`,
			'ideal 20/s',
			pattern.tokens,
		]);

		await tenant.control('knobs', { latencyMs: 0 });
		const rss = await peakRss();
		rows.push([
			'10,000 Create User, concurrency 10: peak RSS of the n8n engine process',
			`${fmt(rss.peakMb)} MB`,
			`baseline ${fmt(rss.baselineMb)} MB, ${fmt(10000 / rss.seconds)} users/s`,
			rss.tokens,
		]);
	} finally {
		sandbox.stop();
	}

	const table = markdownTable(['scenario', 'result', 'detail', 'token exchanges'], rows);
	const title = "In n8n's engine, in process";
	return {
		title,
		table,
		markdown: `## ${title}

"node" is the built CyberArk Identity node run through n8n-core's real \`WorkflowExecute\` (parameters resolved from
expressions per item, the credential's token cached as n8n caches it), with pacing off (Max Requests per Second 0), against
the sandbox in its own process without rate limits. The raw loop sends the same requests with axios and no n8n. This
harness hides costs a real n8n has (credential reads from its database, task runners): the next section is the one
that counts.

${table}

- **Token exchanges**: at most one per scenario: the credential's token is minted once and cached as n8n caches it;
  with concurrency above 1 the first requests share one exchange (the credential's single flight). A 0 means the scenario started from an empty
  stored token within 30 s of the previous scenario's exchange for the same credential, and the process's single-flight
  exchange (\`singleFlight.ts\`) handed over that token instead of minting another.
- **Memory**: the peak holds the batch's 10,000 input and output items, which n8n keeps for the run.
`,
	};
}

module.exports = { bench };

if (require.main === module && process.argv.includes('--rss')) {
	rssChild().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
