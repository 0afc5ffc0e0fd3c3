'use strict';
// Benchmark part real-n8n (npm run bench -- real-n8n): the node in a REAL n8n 2.41.1 — the packed package installed as n8n installs
// community packages, the credential read from n8n's database, `n8n execute` for single runs and `n8n start`
// with webhooks for concurrent executions — against the sandbox tenant over loopback, with and without
// CyberArk's documented rate limits.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSandbox, DOCUMENTED_LIMITS } = require('../../sandbox/server');
const n8nTools = require('../n8n');
const { markdownTable } = require('./doc');
const { mintToken } = require('./sandbox');

const CA = 'n8n-nodes-cyberark-identity.cyberArkIdentity';
const CREDENTIAL = { cyberArkIdentityApi: { id: n8nTools.CREDENTIAL.id, name: n8nTools.CREDENTIAL.name } };
const PORTS = { sandbox: 4030, n8n: 5730, broker: 5731 };

const trigger = {
	id: 't',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
/** A Code node that makes `count` hires, their names prefixed with the trigger's `prefix` (a fresh one by default). */
const hiresNode = (count) => ({
	id: 'h',
	name: 'Hires',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [200, 0],
	parameters: {
		jsCode: `const prefix = $('Start').first().json.prefix ?? 'p' + Date.now() + '-'; return Array.from({ length: ${count} }, (_, i) => ({ json: { login: prefix + i + '@example.com', mail: prefix + i + '@acme.test', name: 'Bench ' + i } }));`,
	},
});

function chain(id, nodes) {
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++)
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

/** Manual trigger → N hires → Create User through this node with the given options. */
function nodeWorkflow(id, count, options) {
	return chain(id, [
		trigger,
		hiresNode(count),
		{
			id: 'c',
			name: 'Create',
			type: CA,
			typeVersion: 1,
			position: [400, 0],
			credentials: CREDENTIAL,
			parameters: {
				resource: 'user',
				operation: 'create',
				userName: '={{ $json.login }}',
				email: '={{ $json.mail }}',
				additionalFields: { displayName: '={{ $json.name }}' },
				options,
			},
		},
	]);
}

/**
 * The same CreateUser requests sent by n8n's own HTTP Request node with a bearer header: the body as
 * fields (its default, one expression per field, as the node's three) or as one JSON expression.
 */
function httpRequestWorkflow(id, count, tenant, token, bodyAs = 'fields') {
	const body =
		bodyAs === 'fields'
			? {
					specifyBody: 'keypair',
					bodyParameters: {
						parameters: [
							{ name: 'Name', value: '={{ $json.login }}' },
							{ name: 'Mail', value: '={{ $json.mail }}' },
							{ name: 'DisplayName', value: '={{ $json.name }}' },
						],
					},
				}
			: {
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ Name: $json.login, Mail: $json.mail, DisplayName: $json.name }) }}',
				};
	return chain(id, [
		trigger,
		hiresNode(count),
		{
			id: 'c',
			name: 'Create',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [400, 0],
			parameters: {
				method: 'POST',
				url: `${tenant}/CDirectoryService/CreateUser`,
				sendHeaders: true,
				headerParameters: {
					parameters: [
						{ name: 'Authorization', value: `Bearer ${token}` },
						{ name: 'X-IDAP-NATIVE-CLIENT', value: 'true' },
					],
				},
				sendBody: true,
				...body,
				options: {},
			},
		},
	]);
}

/** Webhook → N hires → Create → answer, for concurrent executions in one n8n process. */
function webhookWorkflow(id, count, options) {
	const workflow = nodeWorkflow(id, count, options);
	workflow.nodes[0] = {
		id: 't',
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: '5b0f7c1e-8d2a-4f61-9c3b-0a7e6d5c4b3a',
		parameters: { path: 'bench-hires', httpMethod: 'POST', responseMode: 'lastNode', options: {} },
	};
	workflow.nodes[1].parameters.jsCode = workflow.nodes[1].parameters.jsCode.replace(
		"$('Start').first().json.prefix",
		"$('Start').first().json.body.prefix",
	);
	return workflow;
}

const fmt = (n, digits = 0) => n.toFixed(digits);

/** Seconds a limit-bound run of n requests needs at best: the burst goes at once, the rest at the rate. */
function limitBoundSeconds(requests, limit) {
	return Math.max(0, requests - limit.burst) / limit.rate;
}

/** The part: its table and its section of BENCHMARKS.md. */
async function bench() {
	const n8n = n8nTools.ensureN8n('2.41.1');
	const sandbox = await startSandbox({ port: PORTS.sandbox });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'cyberark-bench-n8n-'));
	const token = await mintToken(sandbox.url, sandbox.credentials());
	const workflows = [
		nodeWorkflow('benchNodeWarm', 100, { concurrency: 1, maxRequestsPerSecond: 0 }),
		nodeWorkflow('benchNode1', 1, { concurrency: 1, maxRequestsPerSecond: 0 }),
		nodeWorkflow('benchNode500', 500, { concurrency: 1, maxRequestsPerSecond: 0 }),
		nodeWorkflow('benchNode500c20', 500, { concurrency: 20, maxRequestsPerSecond: 0 }),
		httpRequestWorkflow('benchHttpWarm', 100, sandbox.url, token),
		httpRequestWorkflow('benchHttp1', 1, sandbox.url, token),
		httpRequestWorkflow('benchHttp500', 500, sandbox.url, token),
		httpRequestWorkflow('benchHttpJson500', 500, sandbox.url, token, 'json'),
		nodeWorkflow('benchNode200c10', 200, { concurrency: 10, maxRequestsPerSecond: 0 }),
		...[1, 5, 10, 20].map((c) => nodeWorkflow(`benchLimitsC${c}`, 2000, { concurrency: c })),
		nodeWorkflow('benchNoPacingC20', 2000, { concurrency: 20, maxRequestsPerSecond: 0 }),
		nodeWorkflow('benchTenant20', 600, { concurrency: 10 }),
		nodeWorkflow('benchNoLimitsC20', 2000, { concurrency: 20 }),
		webhookWorkflow('benchWebhook', 200, { concurrency: 5 }),
	];
	const env = await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), {
		tenantOrigin: sandbox.url,
		workflows,
	});
	const runEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(PORTS.broker) };

	const cpuFile = path.join(userFolder, 'cpu-ms');
	const cpuEnv = {
		...runEnv,
		NODE_OPTIONS: `${runEnv.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'cpu-report.js')}`.trim(),
		CPU_REPORT_FILE: cpuFile,
	};

	/**
	 * Runs one workflow with `n8n execute`; returns the Create node's own execution time, the CPU time the
	 * whole n8n process used (ms) and the sandbox's counters.
	 */
	async function execute(id) {
		sandbox.resetCounters();
		fs.rmSync(cpuFile, { force: true });
		const result = await n8nTools.n8nCommand(n8n, cpuEnv, ['execute', `--id=${id}`, '--rawOutput'], {
			timeoutMs: 15 * 60_000,
		});
		const cpuMs = fs.existsSync(cpuFile) ? Number(fs.readFileSync(cpuFile, 'utf8')) : NaN;
		const json = n8nTools.executionJson(result.stdout);
		const run = json?.data?.resultData?.runData?.Create?.[0];
		if (!run)
			throw new Error(`${id} did not run:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
		const items = run.data.main[0];
		const failed = items.filter((i) => i.json.error || i.json.success === false).length;
		if (failed)
			throw new Error(
				`${id}: ${failed} items failed, e.g. ${JSON.stringify(items.find((i) => i.json.error || i.json.success === false).json)}`,
			);
		return {
			seconds: run.executionTime / 1000,
			cpuMs,
			items: items.length,
			counters: { ...sandbox.counters },
		};
	}

	const rows = [];
	const limits = (value) => sandbox.limiter.configure(value);
	try {
		// 0 ms latency, no limits: per-item cost of the node against n8n's own HTTP Request node. Each side
		// three times, alternating, the median kept; CPU per item is the process's CPU time beyond a 1-item run.
		limits({ enabled: false });
		sandbox.knobs.latencyMs = 0;
		await execute('benchNodeWarm');
		await execute('benchHttpWarm');
		const scenarios = ['benchNode500', 'benchNode500c20', 'benchHttp500', 'benchHttpJson500'];
		const runs = Object.fromEntries(scenarios.map((id) => [id, []]));
		const base = { node: [], http: [] };
		for (let round = 0; round < 3; round++) {
			base.node.push((await execute('benchNode1')).cpuMs);
			base.http.push((await execute('benchHttp1')).cpuMs);
			for (const id of scenarios) runs[id].push(await execute(id));
		}
		const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
		const perItem = (id) => (median(runs[id].map((r) => r.seconds)) * 1000) / 500;
		const cpuPerItem = (id, side) => (median(runs[id].map((r) => r.cpuMs)) - median(base[side])) / 499;
		const row = (label, id, side) => {
			const last = runs[id][runs[id].length - 1];
			rows.push([
				label,
				`${fmt(perItem(id), 2)} ms/item`,
				`${fmt(1000 / perItem(id))} users/s; CPU ${fmt(cpuPerItem(id, side), 2)} ms/item`,
				last.counters.managementRequests,
				last.counters.tokensIssued,
			]);
		};
		row('500 Create User, 0 ms, pacing off: this node, concurrency 1', 'benchNode500', 'node');
		row('500 Create User, 0 ms, pacing off: this node, concurrency 20', 'benchNode500c20', 'node');
		row(
			"500 Create User, 0 ms: n8n's HTTP Request node, the same fields as three body expressions (it sends every item's request at once)",
			'benchHttp500',
			'http',
		);
		row(
			"500 Create User, 0 ms: n8n's HTTP Request node, one JSON body expression",
			'benchHttpJson500',
			'http',
		);
		rows.push([
			'this node ÷ HTTP Request node, same fields, per item (target ≤ 1.0)',
			`${fmt(perItem('benchNode500c20') / perItem('benchHttp500'), 2)}× at concurrency 20`,
			`${fmt(perItem('benchNode500') / perItem('benchHttp500'), 2)}× at concurrency 1; CPU ${fmt(cpuPerItem('benchNode500c20', 'node') / cpuPerItem('benchHttp500', 'http'), 2)}×`,
			'',
			'',
		]);

		sandbox.knobs.latencyMs = 50;
		const c10 = await execute('benchNode200c10');
		rows.push([
			'200 Create User, 50 ms, concurrency 10, no limits (target ≥ 150/s)',
			`${fmt(200 / c10.seconds)} users/s`,
			`ideal 200/s (${fmt((100 * 200) / c10.seconds / 200)}%)`,
			c10.counters.managementRequests,
			c10.counters.tokensIssued,
		]);

		// CyberArk's documented limits, 50 ms latency.
		limits(DOCUMENTED_LIMITS);
		const documented = DOCUMENTED_LIMITS.endpoint;
		for (const c of [1, 5, 10, 20]) {
			limits(DOCUMENTED_LIMITS); // full buckets for every scenario
			const run = await execute(`benchLimitsC${c}`);
			const idealSeconds = Math.max((2000 * 0.05) / c, limitBoundSeconds(2000, documented));
			const ideal = 2000 / idealSeconds;
			const { rateLimited, managementRequests } = run.counters;
			rows.push([
				`2,000 Create User, 50 ms, documented limits, concurrency ${c}`,
				`${fmt(2000 / run.seconds)} users/s`,
				`ideal ${fmt(ideal)}/s (${fmt((100 * 2000) / run.seconds / ideal)}%); 429s ${rateLimited} (${fmt((100 * rateLimited) / managementRequests, 2)}%); ${fmt(managementRequests / 2000, 3)} requests/item`,
				managementRequests,
				run.counters.tokensIssued,
			]);
		}
		limits(DOCUMENTED_LIMITS);
		const unpaced = await execute('benchNoPacingC20');
		rows.push([
			'2,000 Create User, 50 ms, documented limits, concurrency 20, pacing off',
			`${fmt(2000 / unpaced.seconds)} users/s`,
			`429s ${unpaced.counters.rateLimited} (${fmt((100 * unpaced.counters.rateLimited) / unpaced.counters.managementRequests, 1)}%); ${fmt(unpaced.counters.managementRequests / 2000, 2)} requests/item`,
			unpaced.counters.managementRequests,
			unpaced.counters.tokensIssued,
		]);

		limits({ ...DOCUMENTED_LIMITS, endpoint: { rate: 20, burst: 30 } });
		const slow = await execute('benchTenant20');
		rows.push([
			'600 Create User, 50 ms, a tenant limited to 20/s, option at default, concurrency 10',
			`${fmt(600 / slow.seconds, 1)} users/s`,
			`${fmt((100 * 600) / slow.seconds / 20)}% of 20/s; 429s ${slow.counters.rateLimited} (${fmt((100 * slow.counters.rateLimited) / slow.counters.managementRequests, 1)}%)`,
			slow.counters.managementRequests,
			slow.counters.tokensIssued,
		]);

		limits({ enabled: false });
		const free = await execute('benchNoLimitsC20');
		rows.push([
			'2,000 Create User, 50 ms, no limits (pacing at its default), concurrency 20',
			`${fmt(2000 / free.seconds)} users/s`,
			`ideal ${fmt(Math.min(400, 2000 / limitBoundSeconds(2000, documented)))}/s with pacing`,
			free.counters.managementRequests,
			free.counters.tokensIssued,
		]);

		// 10 concurrent executions of 200 creates each in one n8n process (a webhook storm), documented limits.
		limits(DOCUMENTED_LIMITS);
		await n8nTools.activateWorkflow(n8n, env, 'benchWebhook');
		const server = await n8nTools.startServer(
			n8n,
			{ ...runEnv, ...n8nTools.ownerEnv(n8n) },
			{ port: PORTS.n8n },
		);
		try {
			await new Promise((r) => setTimeout(r, 3000));
			sandbox.resetCounters();
			const started = Date.now();
			const answers = await Promise.all(
				Array.from({ length: 10 }, (_, e) =>
					fetch(`${server.url}/webhook/bench-hires`, {
						method: 'POST',
						headers: { 'Content-Type': 'application/json' },
						body: JSON.stringify({ prefix: `storm${e}-` }),
					}).then((r) => r.status),
				),
			);
			const seconds = (Date.now() - started) / 1000;
			const created = [...sandbox.directory.users.values()].filter((u) => u.Name.startsWith('storm')).length;
			const { rateLimited, managementRequests, tokensIssued } = sandbox.counters;
			rows.push([
				'10 concurrent executions × 200 Create User (webhooks, n8n start), 50 ms, documented limits',
				`${fmt(created / seconds)} users/s`,
				`${created} created, answers ${[...new Set(answers)].join('/')}; ideal ${fmt(2000 / Math.max(limitBoundSeconds(2000, documented), (2000 * 0.05) / 50))}/s; 429s ${rateLimited} (${fmt((100 * rateLimited) / managementRequests, 2)}%)`,
				managementRequests,
				tokensIssued,
			]);
		} finally {
			await server.stop();
		}
	} finally {
		await sandbox.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}

	const table = markdownTable(
		['scenario (real n8n 2.41.1)', 'result', 'detail', 'requests', 'token exchanges'],
		rows,
	);
	const title = 'In a real n8n 2.41.1';
	return {
		title,
		table,
		markdown: `## ${title}

The packed package installed in n8n 2.41.1 (SQLite, the credential encrypted in n8n's database), each scenario one
\`n8n execute\` (times are n8n's own execution time of the Create node) or, for concurrent executions, \`n8n start\`
with a webhook workflow. The sandbox tenant runs on loopback in the benchmark's process; "documented limits" is
CyberArk's published rate limiting (90 requests/s per endpoint, burst 150; 1,600/s for the tenant, burst 3,500), enforced
by the sandbox with HTTP 429. The ideal of a limited run is min(concurrency ÷ latency, what the limits allow with their
burst) over the whole run.

${table}

Reading the figures:
- **Per item against the HTTP Request node** (0 ms, pacing off on both sides, the same three fields as expressions;
  the median of three alternating runs). Before the node read the credential once per run, it cost 12.8 ms per item
  here against the HTTP Request node's 2.8: n8n read, decrypted and resolved the credential for every request.
  Profiled since (\`--cpu-prof\` of the n8n process): what is left per item is n8n's own expression evaluation (its
  global context and luxon's date setup for each of the three expressions), the same work the HTTP Request node does
  for the same fields. The **CPU per item** column says so: the n8n process spends less CPU per item on this node than
  on the HTTP Request node (0.6×). The wall-clock ratio moves between runs on this 2-core machine (0.91× and 1.26× at
  concurrency 20 on the same day, with other work running): n8n, its task runner and the sandbox share two cores,
  so wall time per item at 0 ms latency measures scheduling as much as the node.
- **Concurrency 10 at 50 ms without limits** stays under 10 ÷ latency because every item costs n8n CPU time on one
  thread shared with the sandbox and a run of 200 items carries its own start (the token exchange, the first batch);
  the 150/s target is not met in real n8n on this machine (122–140/s in today's runs, 137/s before; 154/s in
  n8n's engine in process, above).
- **With the documented limits** the node runs at the limit-bound ideal from concurrency 10 on without a single 429;
  with pacing off, the same run provokes hundreds of 429s and is slower. A tenant limited below the documented rate is
  found within seconds (the 429s of that row are the first burst's) and then followed.
`,
	};
}

module.exports = { bench };
