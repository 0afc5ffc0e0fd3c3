'use strict';
// A real n8n for the demo (npm start) and the end-to-end suite: Node 24 and n8n installed once
// from the npm registry into a cache outside the checkout (keyed by version), this package packed
// with `npm pack` and installed into a private n8n user folder the way n8n installs community nodes.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const N8N_VERSION = process.env.N8N_VERSION ?? '2.41.1';
const NODE_VERSION = '24.21.0';
const ROOT = path.join(__dirname, '..', '..');
const CACHE =
	process.env.N8N_CACHE_DIR ??
	path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'n8n-nodes-cyberark-identity');
const ENCRYPTION_KEY = 'n8n-nodes-cyberark-identity-local-key';

function step(message) {
	process.stdout.write(`» ${message}\n`);
}

function run(command, args, options = {}) {
	return execFileSync(command, args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		...options,
	});
}

/**
 * The environment for npm commands that install n8n's runtime. `npm start` and `npm run …` pass this
 * project's npm configuration to their scripts as npm_config_* variables (its .npmrc sets
 * ignore-scripts=true), and a child npm would obey it: `npm rebuild sqlite3` would then build nothing
 * and still report success. The runtime install gets none of it.
 */
function runtimeInstallEnv(env = process.env) {
	const clean = {};
	for (const [key, value] of Object.entries(env)) {
		if (
			/^npm_(config|package|lifecycle)_/i.test(key) ||
			key === 'npm_command' ||
			key === 'npm_execpath' ||
			key === 'npm_node_execpath'
		)
			continue;
		clean[key] = value;
	}
	return clean;
}

function seconds(since) {
	return `${Math.round((Date.now() - since) / 1000)} s`;
}

/** A Node.js binary n8n accepts: the system one when it is 24+, else node-<os>-<arch>@24 from the npm registry. */
function nodeBinary(major) {
	if (Number(process.versions.node.split('.')[0]) >= major) return process.execPath;
	const dir = path.join(CACHE, `node-${NODE_VERSION}`);
	const pkg = `node-${process.platform}-${process.arch}`;
	const bin = path.join(dir, 'node_modules', pkg, 'bin', 'node');
	const marker = path.join(dir, '.complete');
	if (!fs.existsSync(marker)) {
		const started = Date.now();
		step(`Installing Node.js ${NODE_VERSION} into ${dir} (first run only, ~10 s)`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		try {
			run(
				'npm',
				['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', `${pkg}@${NODE_VERSION}`],
				{ env: runtimeInstallEnv() },
			);
			const version = run(bin, ['--version']).trim();
			if (version !== `v${NODE_VERSION}`) throw new Error(`${bin} reports ${version}`);
		} catch (error) {
			fs.rmSync(dir, { recursive: true, force: true });
			throw installFailure(`Node.js ${NODE_VERSION}`, error);
		}
		fs.writeFileSync(marker, new Date().toISOString());
		step(`Node.js ${NODE_VERSION} installed in ${seconds(started)}`);
	}
	return bin;
}

/** Node 24 for n8n 2.x; n8n 1.x runs on the system's Node 20. */
function runtimeFor(version) {
	const nodeBin = nodeBinary(Number(version.split('.')[0]) >= 2 ? 24 : 20);
	const binDir = path.dirname(nodeBin);
	const env = { ...runtimeInstallEnv(), PATH: `${binDir}${path.delimiter}${process.env.PATH}` };
	const headers = path.dirname(binDir);
	if (nodeBin !== process.execPath && fs.existsSync(path.join(headers, 'include', 'node')))
		env.npm_config_nodedir = headers;
	return { nodeBin, env };
}

function installFailure(what, error) {
	const output = [error.stdout, error.stderr, error.message]
		.filter(Boolean)
		.join('\n')
		.trim()
		.split('\n')
		.slice(-30)
		.join('\n');
	return new Error(
		`Installing ${what} failed; nothing was kept in the cache, so the next start tries again from scratch.\n` +
			`To retry: run the same command again (a network hiccup is the usual cause). To start over by hand: rm -rf "${CACHE}".\n` +
			`Last output:\n${output}`,
	);
}

/**
 * Loads n8n's SQLite driver with the runtime's Node and opens an in-memory database: the check that
 * the native build exists and matches this Node.js, made before the install is marked complete.
 */
function checkSqlite(dir, runtime) {
	const script =
		"const sqlite3 = require(require.resolve('sqlite3', { paths: [require('path').join(process.argv[1], 'node_modules', 'n8n')] }));" +
		"const db = new sqlite3.Database(':memory:'); db.get('select 1 as ok', (e, row) => { if (e || !row || row.ok !== 1) { console.error(e); process.exit(1); } db.close(); });";
	run(runtime.nodeBin, ['-e', script, dir], { env: runtime.env });
}

/** Installs n8n (once per version) and returns how to run it. */
function ensureN8n(version = N8N_VERSION) {
	const runtime = runtimeFor(version);
	const dir = path.join(CACHE, `n8n-${version}`);
	const main = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const marker = path.join(dir, '.complete');
	if (!fs.existsSync(marker)) {
		// Built in a staging folder of this process and renamed when it works: an interrupted install never
		// looks complete, and two installs at once (a test beside npm start) do not clobber each other.
		const staging = `${dir}.partial-${process.pid}`;
		fs.rmSync(staging, { recursive: true, force: true });
		fs.mkdirSync(staging, { recursive: true });
		// n8n 1.x takes xlsx from cdn.sheetjs.com, outside the npm registry: use the registry's last xlsx instead
		// (only n8n's spreadsheet nodes use it).
		const overrides = version.startsWith('1.') ? { xlsx: '0.18.5' } : undefined;
		fs.writeFileSync(
			path.join(staging, 'package.json'),
			JSON.stringify({ name: 'n8n-runtime', private: true, overrides }),
		);
		let started = Date.now();
		try {
			step(`Installing n8n ${version} into ${dir} (first run only: about 4 minutes)`);
			// Install scripts off: some optional packages download sources from outside the npm registry.
			run('npm', ['install', `n8n@${version}`, '--ignore-scripts', '--no-audit', '--no-fund'], {
				cwd: staging,
				env: runtime.env,
			});
			step(`n8n ${version} installed in ${seconds(started)}`);
			started = Date.now();
			step('Building sqlite3 for this Node.js (first run only: about 2 minutes)');
			// The one native module n8n needs, built with install scripts explicitly on.
			run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], {
				cwd: staging,
				env: runtime.env,
			});
			checkSqlite(staging, runtime);
			step(`sqlite3 built and loaded in ${seconds(started)}`);
		} catch (error) {
			fs.rmSync(staging, { recursive: true, force: true });
			throw installFailure(`n8n ${version}`, error);
		}
		fs.writeFileSync(path.join(staging, '.complete'), new Date().toISOString());
		if (fs.existsSync(marker)) {
			fs.rmSync(staging, { recursive: true, force: true }); // another process finished first
		} else {
			fs.rmSync(dir, { recursive: true, force: true }); // an install from before staging folders, never completed
			fs.renameSync(staging, dir);
		}
	}
	return { version, dir, main, ...runtime };
}

/** Builds and packs this package; returns the tarball's path. */
function packPackage(outDir) {
	step('Building and packing n8n-nodes-cyberark-identity');
	run('npm', ['run', 'build'], { cwd: ROOT });
	fs.mkdirSync(outDir, { recursive: true });
	const name = run('npm', ['pack', '--pack-destination', outDir, '--silent'], { cwd: ROOT })
		.trim()
		.split('\n')
		.pop();
	return path.join(outDir, name);
}

/** Installs a packed tarball into a user folder as n8n installs community packages. */
function installPackage(userFolder, tarball, runtime) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest))
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	step(`Installing the package into ${nodesDir}`);
	run('npm', ['install', tarball, '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund'], {
		cwd: nodesDir,
		env: runtime.env,
	});
}

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

module.exports = {
	ensureN8n,
	packPackage,
	installPackage,
	n8nEnv,
	n8nCommand,
	executionJson,
	passwordHash,
	startServer,
	step,
	CACHE,
	ROOT,
	N8N_VERSION,
};

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

module.exports.exampleWorkflows = exampleWorkflows;
module.exports.prepareUserFolder = prepareUserFolder;
module.exports.SANDBOX_ORIGIN = SANDBOX_ORIGIN;
module.exports.CREDENTIAL = CREDENTIAL;

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

module.exports.OWNER = OWNER;
module.exports.activateWorkflow = activateWorkflow;
module.exports.ownerEnv = ownerEnv;
module.exports.login = login;
