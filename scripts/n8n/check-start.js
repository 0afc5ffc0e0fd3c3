'use strict';
// The README's first command, tested as written: runs `npm start` headless, waits until n8n answers
// /healthz/readiness and lists the CyberArk Identity node among its node types, then stops it with
// Ctrl-C (SIGINT) and checks that it exits. CI runs it on an empty N8N_CACHE_DIR, so the cold
// install path (Node 24, n8n, sqlite3's native build) is exercised on every run.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { login, OWNER } = require('.');

const ROOT = path.join(__dirname, '..', '..');
const PORT = Number(process.env.N8N_PORT ?? 5678);
const NODE_TYPE = 'n8n-nodes-cyberark-identity.cyberArkIdentity';
const TIMEOUT_MS = Number(process.env.CHECK_START_TIMEOUT_MS ?? 30 * 60 * 1000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ready(url) {
	try {
		return (await fetch(`${url}/healthz/readiness`)).ok;
	} catch {
		return false;
	}
}

async function main() {
	const started = Date.now();
	const child = spawn('npm', ['start'], {
		cwd: ROOT,
		env: { ...process.env, N8N_PORT: String(PORT) },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	const echo = (d) => {
		output += d;
		process.stdout.write(d);
	};
	child.stdout.on('data', echo);
	child.stderr.on('data', echo);
	const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
	const url = `http://127.0.0.1:${PORT}`;
	try {
		while (!(await ready(url)) || !output.includes('n8n is running')) {
			if (child.exitCode !== null)
				throw new Error(`npm start exited with code ${child.exitCode} before n8n was ready`);
			if (Date.now() - started > TIMEOUT_MS)
				throw new Error(`n8n was not ready within ${TIMEOUT_MS / 1000} s`);
			await sleep(1000);
		}
		const readyAfter = Date.now() - started;
		const request = await login(url, OWNER);
		const types = await (await request('/types/nodes.json')).json();
		const names = types.map((t) => t.name);
		if (!names.includes(NODE_TYPE))
			throw new Error(`n8n is up but ${NODE_TYPE} is not among its ${names.length} node types`);
		console.log(`\ncheck-start: n8n ready with ${NODE_TYPE} loaded after ${Math.round(readyAfter / 1000)} s`);
	} finally {
		if (child.exitCode === null) process.kill(-child.pid, 'SIGINT');
		const timer = setTimeout(() => child.exitCode === null && process.kill(-child.pid, 'SIGKILL'), 30_000);
		const { code, signal } = await exited;
		clearTimeout(timer);
		console.log(
			`check-start: npm start stopped (code ${code}, signal ${signal}) after ${Math.round((Date.now() - started) / 1000)} s in all`,
		);
	}
}

main().catch((error) => {
	console.error(`check-start failed: ${error.message}`);
	process.exit(1);
});
