'use strict';
// Benchmark part roster (npm run bench -- roster): a nightly HR roster through Create or Update (the
// built node in n8n-core's real WorkflowExecute) against the sandbox tenant in its own process, under
// CyberArk's documented rate limits unless --limits=off. Three runs of one roster: the first creates
// everyone, the second applies a roster with a share of changes (movers, renames, leavers, joiners,
// people missing from the export), the third repeats it and must send zero writes.
//   npm run bench -- roster [--size=2000] [--change=0.02] [--concurrency=4] [--knobs='{"latencyMs":0}'] [--limits=off]
const path = require('node:path');
const { DOCUMENTED_LIMITS } = require('../../sandbox/server');
const { builtEngine, CredentialStore } = require('../engine');
const { markdownTable } = require('./doc');
const { startSandboxProcess } = require('./sandbox');

const DEPARTMENTS = ['Engineering', 'Finance', 'Sales'];
const PORT = Number(process.env.BENCH_SANDBOX_PORT ?? 4410);

/** The lower-case paths of the write endpoints (as the sandbox counts calls), from the built endpoint table. */
function writePaths() {
	const { ENDPOINT } = require(path.join(__dirname, '..', '..', 'dist', 'nodes/shared/endpoints.js'));
	return Object.values(ENDPOINT)
		.filter((e) => e.kind === 'write')
		.map((e) => e.path.toLowerCase());
}

/** The roster of `size` people, and the same roster with `share` of its rows changed in the ways HR changes them. */
function rosters(size, share) {
	const person = (n) => ({
		login: `hr${n}@example.com`,
		email: `hr${n}@acme.test`,
		name: `Person ${n}`,
		department: DEPARTMENTS[n % 3],
		status: 'active',
	});
	const base = Array.from({ length: size }, (_, n) => person(n));
	const changed = Math.max(5, Math.round(size * share));
	const each = Math.floor(changed / 5);
	const next = base.map((p) => ({ ...p }));
	let n = 0;
	for (let i = 0; i < each; i++, n++) next[n].department = DEPARTMENTS[(n + 1) % 3]; // movers
	for (let i = 0; i < each; i++, n++) next[n].name = `${next[n].name} (renamed)`; // name changes
	for (let i = 0; i < each; i++, n++) next[n].status = 'terminated'; // leavers
	const missing = next.splice(n, each); // missing from the export: deprovisioned
	for (let i = 0; i < changed - 4 * each; i++) next.push(person(size + i)); // joiners
	return { base, next, missing: missing.length };
}

/** A role list parameter as the editor stores it: one role picker per role, by name. */
const roleEntries = (...names) => ({
	role: names.map((value) => ({ roleId: { __rl: true, mode: 'name', value } })),
});

const parameters = (concurrency) => ({
	resource: 'user',
	operation: 'upsert',
	userName: '={{ $json.login }}',
	email: '={{ $json.email }}',
	active: "={{ $json.status !== 'terminated' }}",
	additionalFields: {
		displayName: '={{ $json.name }}',
		roles: roleEntries('={{ $json.department }}'),
		sendEmailInvite: false,
	},
	options: {
		scopeRole: { __rl: true, mode: 'name', value: 'HR Sync' },
		managedRoles: roleEntries(...DEPARTMENTS),
		deprovisionMissing: true,
		maxDeprovision: 1000,
		concurrency,
	},
});

/** One roster run: its timing, the requests the tenant counted and what the node reported per row. */
async function runRoster({ engine, sandbox, store, run, roster, concurrency }) {
	await sandbox.control('reset-counters');
	const started = process.hrtime.bigint();
	const result = await engine.run(store, parameters(concurrency), roster);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (result.error) throw new Error(`${run}: ${result.error.message}`);
	const { counters } = await sandbox.state();
	const actions = {};
	for (const item of result.items)
		actions[item.json.action ?? 'error'] = (actions[item.json.action ?? 'error'] ?? 0) + 1;
	const writes = writePaths();
	return {
		run,
		rows: roster.length,
		seconds,
		requests: counters.managementRequests,
		writes: Object.entries(counters.calls)
			.filter(([p]) => writes.includes(p))
			.reduce((sum, [, count]) => sum + count, 0),
		rateLimited: counters.rateLimited,
		actions,
	};
}

/** The three roster runs against a fresh sandbox, one result per run. */
async function benchRoster({ size, changeRate, concurrency, knobs, rateLimits }) {
	const engine = builtEngine();
	const sandbox = await startSandboxProcess(PORT);
	try {
		await sandbox.control('knobs', knobs);
		await sandbox.control('rate-limits', rateLimits);
		const store = new CredentialStore(sandbox.credentials);
		const { base, next } = rosters(size, changeRate);
		const results = [];
		for (const [run, roster] of [
			['first run: everyone created', base],
			[`${Math.round(changeRate * 100)} % changed`, next],
			['same roster again', next],
		])
			results.push(await runRoster({ engine, sandbox, store, run, roster, concurrency }));
		return results;
	} finally {
		sandbox.stop();
	}
}

/** The part: its table and its section of BENCHMARKS.md. */
async function bench(options = {}) {
	const size = Number(options.size ?? 2000);
	const changeRate = Number(options.change ?? 0.02);
	const concurrency = Number(options.concurrency ?? 4);
	const knobs = JSON.parse(options.knobs ?? '{}');
	const limited = options.limits !== 'off';
	const runs = await benchRoster({
		size,
		changeRate,
		concurrency,
		knobs,
		rateLimits: limited ? DOCUMENTED_LIMITS : { enabled: false },
	});
	const fmt = (n, d = 1) => n.toFixed(d);
	const header = [
		'run',
		'rows',
		'seconds',
		'requests sent',
		'of which writes',
		'requests per row',
		'429s',
		'outcome',
	];
	const table = markdownTable(
		header,
		runs.map((r) => [
			r.run,
			r.rows,
			fmt(r.seconds),
			r.requests,
			r.writes,
			fmt(r.requests / r.rows, 3),
			r.rateLimited,
			Object.entries(r.actions)
				.map(([a, n]) => `${n} ${a}`)
				.join(', '),
		]),
	);
	const title = `Create or Update: a ${size}-person roster, concurrency ${concurrency}, ${limited ? "CyberArk's documented rate limits" : 'no rate limits'}${Object.keys(knobs).length ? `, sandbox knobs ${JSON.stringify(knobs)}` : ''}`;
	return {
		title,
		table,
		markdown: `## ${title}\n\nThe built node in n8n-core's WorkflowExecute (\`npm run bench -- roster\`), the sandbox in its own process. Three runs of one roster: the first creates everyone (CreateUser each, then the department roles and the scope role in batches of up to 100 users per UpdateRole call), the second applies ${Math.round(changeRate * 100)} % of changes (movers, renames, leavers signed out, joiners, people missing from the export), the third repeats it. Before role memberships were batched (one UpdateRole per person and role), the first run sent 6,022 requests and took 45 s, the second 90 requests.\n\n${table}\n`,
	};
}

module.exports = { bench };
