'use strict';
// The sandbox tenant as the benchmarks use it: in a process of its own (so its work does not share the
// measured process's thread), driven over its control endpoints; and a token minted as a workflow author
// would, once, for the requests sent without this node.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { credentialsFor } = require('../../sandbox/server');

const SANDBOX = path.join(__dirname, '..', 'tenant', 'sandbox.js');

/** A sandbox listening on the port: its URL, credential fields, control calls (`knobs`, `rate-limits`, `reset-counters`) and state. */
function sandboxAt(port) {
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		credentials: credentialsFor(url),
		control: (what, body) => post(`${url}/__sandbox/${what}`, body),
		state: async () => await (await fetch(`${url}/__sandbox/state`)).json(),
	};
}

/** Starts `npm run sandbox` on the port; resolves once it listens, as sandboxAt(port) with stop(). */
function startSandboxProcess(port, env = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [SANDBOX], {
			env: { ...process.env, SANDBOX_PORT: String(port), ...env },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		child.stdout.once('data', () => resolve({ ...sandboxAt(port), stop: () => child.kill() }));
		child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
}

async function post(url, body = {}) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status}`);
}

/** An access token from the tenant's OAuth2 token endpoint (the password grant of the sandbox's service user). */
async function mintToken(url, c) {
	const response = await fetch(`${url}/oauth2/token/${c.appId}`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`,
		},
		body: new URLSearchParams({
			grant_type: 'password',
			username: c.username,
			password: c.password,
			scope: c.scope,
		}).toString(),
	});
	return (await response.json()).access_token;
}

module.exports = { sandboxAt, startSandboxProcess, mintToken };
