'use strict';
// A real n8n for npm start, the end-to-end suites and the benchmarks: installed by ./install.js, run with
// a private user folder holding this package, a credential and the example workflows, and driven from its
// CLI (import, execute, publish) and its REST API (as the owner).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureN8n, packPackage, installPackage, step, CACHE, ROOT, N8N_VERSION } = require('./install');

const ENCRYPTION_KEY = 'n8n-nodes-cyberark-identity-local-key';

/** Environment of a quiet, local n8n using this user folder. */
function n8nEnv(n8n, userFolder, extra = {}) {
	return {
		...n8n.env,
		// jest sets NODE_ENV=test, which n8n reads as its own test mode.
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_SECURE_COOKIE: 'false',
		// isolated-vm's engine segfaults at exit in about 1 `n8n execute` of 7 (after printing its output).
		N8N_EXPRESSION_ENGINE: 'legacy',
		...extra,
	};
}

/** Runs an n8n CLI command; resolves with its exit code and output. */
function n8nCommand(n8n, env, args, { timeoutMs = 120_000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(n8n.nodeBin, [n8n.main, ...args], {
			env,
			cwd: env.N8N_USER_FOLDER,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
		}, timeoutMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
	});
}

/** The JSON block `n8n execute --rawOutput` prints after its log lines. */
function executionJson(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l === '{');
	const end = lines.lastIndexOf('}');
	if (start < 0 || end < start) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/** A bcrypt hash of the owner password, made with n8n's own bcryptjs. */
function passwordHash(n8n, password) {
	const bcrypt = require(require.resolve('bcryptjs', { paths: [path.join(n8n.dir, 'node_modules', 'n8n')] }));
	return bcrypt.hashSync(password, 10);
}

/** Starts `n8n start`; resolves once /healthz/readiness answers. */
async function startServer(n8n, env, { port = 5678, timeoutMs = 120_000, log } = {}) {
	const child = spawn(n8n.nodeBin, [n8n.main, 'start'], {
		env: { ...env, N8N_PORT: String(port) },
		cwd: env.N8N_USER_FOLDER,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const collect = (d) => {
		output += d;
		log?.(String(d));
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(`n8n exited with code ${child.exitCode} while starting:\n${output.slice(-4000)}`);
		try {
			const response = await fetch(`${url}/healthz/readiness`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`n8n did not become ready within ${timeoutMs} ms:\n${output.slice(-4000)}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		url,
		child,
		output: () => output,
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('close', () => resolve());
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
			}),
	};
}

const EXAMPLES = path.join(ROOT, 'examples');
const SANDBOX_ORIGIN = 'http://127.0.0.1:4010';
const CREDENTIAL = { id: 'cyberArkSandbox', name: 'CyberArk Identity (sandbox)' };

/** The example workflows, pointed at the given tenant (their HTTP Request nodes name a URL). */
function exampleWorkflows(tenantOrigin) {
	return fs
		.readdirSync(EXAMPLES)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) =>
			JSON.parse(fs.readFileSync(path.join(EXAMPLES, f), 'utf8').split(SANDBOX_ORIGIN).join(tenantOrigin)),
		);
}

/** A copy of a workflow that writes: Dry Run off on every node that has it, under another ID and name. */
function liveCopy(workflow, id) {
	const copy = JSON.parse(JSON.stringify(workflow));
	copy.id = id;
	copy.name = `${workflow.name} (live)`;
	for (const node of copy.nodes) if (node.parameters?.dryRun === true) node.parameters.dryRun = false;
	return copy;
}

/**
 * A private n8n user folder with this package installed, a CyberArk Identity API credential
 * (plain fields, encrypted by n8n on import) and the example workflows.
 */
async function prepareUserFolder(
	n8n,
	userFolder,
	credentialData,
	{ tenantOrigin, workflows = exampleWorkflows(tenantOrigin) } = {},
) {
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	installPackage(userFolder, packPackage(path.join(userFolder, 'pack')), n8n);
	const env = n8nEnv(n8n, userFolder);
	const credentialsFile = path.join(userFolder, 'credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([{ ...CREDENTIAL, type: 'cyberArkIdentityApi', data: credentialData }]),
	);
	step('Importing the credential (n8n encrypts it) and the example workflows');
	const imported = await n8nCommand(n8n, env, ['import:credentials', `--input=${credentialsFile}`]);
	fs.rmSync(credentialsFile);
	if (imported.code !== 0)
		throw new Error(`import:credentials failed:\n${imported.stdout}\n${imported.stderr}`);
	const workflowsFile = path.join(userFolder, 'workflows.json');
	fs.writeFileSync(workflowsFile, JSON.stringify(workflows));
	const importedWorkflows = await n8nCommand(n8n, env, ['import:workflow', `--input=${workflowsFile}`]);
	if (importedWorkflows.code !== 0)
		throw new Error(`import:workflow failed:\n${importedWorkflows.stdout}\n${importedWorkflows.stderr}`);
	return env;
}

const OWNER = {
	email: 'owner@example.com',
	password: 'Local-Owner-1',
	firstName: 'Local',
	lastName: 'Owner',
};

/** Environment that makes the given owner account exist without the setup screen. */
function ownerEnv(n8n, owner = OWNER) {
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: passwordHash(n8n, owner.password),
	};
}

/**
 * Logs in to the editor's REST API; returns a fetch that sends the session cookie. An instance
 * without an owner (n8n 1.x has no owner-by-environment) gets one through the setup endpoint first.
 */
async function login(serverUrl, owner = OWNER) {
	const headers = { 'browser-id': 'n8n-nodes-cyberark-identity', 'Content-Type': 'application/json' };
	const signIn = () =>
		fetch(`${serverUrl}/rest/login`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
	let response = await signIn();
	// n8n 1.x answers readiness a moment before its REST routes exist.
	for (let attempt = 0; response.status === 404 && attempt < 80; attempt++) {
		await new Promise((r) => setTimeout(r, 250));
		response = await signIn();
	}
	if (response.status === 401) {
		const { email, firstName, lastName, password } = owner;
		await fetch(`${serverUrl}/rest/owner/setup`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ email, firstName, lastName, password }),
		});
		response = await signIn();
	}
	if (!response.ok) throw new Error(`login failed: HTTP ${response.status} ${await response.text()}`);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	return (url, init = {}) =>
		fetch(url.startsWith('http') ? url : `${serverUrl}${url}`, {
			...init,
			headers: { ...headers, ...init.headers, Cookie: cookie },
		});
}

/** Activates a workflow from the CLI (n8n 2.x publishes; 1.x sets it active). */
async function activateWorkflow(n8n, env, id) {
	const args =
		Number(n8n.version.split('.')[0]) >= 2
			? ['publish:workflow', `--id=${id}`]
			: ['update:workflow', `--id=${id}`, '--active=true'];
	const result = await n8nCommand(n8n, env, args);
	if (result.code !== 0) throw new Error(`${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
}

module.exports = {
	ensureN8n,
	packPackage,
	installPackage,
	n8nEnv,
	n8nCommand,
	executionJson,
	passwordHash,
	startServer,
	exampleWorkflows,
	liveCopy,
	prepareUserFolder,
	ownerEnv,
	login,
	activateWorkflow,
	step,
	CACHE,
	ROOT,
	N8N_VERSION,
	SANDBOX_ORIGIN,
	CREDENTIAL,
	OWNER,
};
