'use strict';
// n8n's production shape on one machine: Postgres (a throwaway cluster of Debian's `postgresql`),
// Redis (Debian's `redis-server`), an n8n main process that takes webhooks and enqueues executions,
// and workers that run them, all sharing one database and one N8N_ENCRYPTION_KEY; plus the sandbox
// tenant, the credential and the example workflows. Used by `npm run start:queue`, the queue
// end-to-end suite (test/e2e-queue) and the queue benchmark (scripts/bench/queue.js).
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { startSandbox } = require('../../sandbox/server');
const n8nTools = require('.');

const { step } = n8nTools;

/** Ports of one stack. Main HTTP P, its task broker P+1, worker i (0-based) health P+2+2i, broker P+3+2i. */
function stackPorts(env = process.env) {
	const main = Number(env.N8N_PORT ?? 5678);
	return {
		main,
		mainBroker: main + 1,
		worker: (i) => ({ health: main + 2 + 2 * i, broker: main + 3 + 2 * i }),
		sandbox: Number(env.QUEUE_SANDBOX_PORT ?? 4010),
		postgres: Number(env.DB_POSTGRESDB_PORT ?? 5433),
		redis: Number(env.QUEUE_BULL_REDIS_PORT ?? 6380),
	};
}

/** Debian's PostgreSQL server binaries (the newest version installed), or undefined. */
function postgresBin(base = '/usr/lib/postgresql') {
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter(
			(v) =>
				fs.existsSync(path.join(base, v, 'bin', 'initdb')) &&
				fs.existsSync(path.join(base, v, 'bin', 'pg_ctl')),
		)
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

/** The full path of `binary` on a PATH, or undefined. */
function onPath(binary, searchPath = process.env.PATH ?? '') {
	const dir = searchPath.split(path.delimiter).find((d) => d && fs.existsSync(path.join(d, binary)));
	return dir ? path.join(dir, binary) : undefined;
}

/** The server binaries queue mode needs; an error naming the Debian packages to install when one is missing. */
function queueBinaries({
	postgresBase = '/usr/lib/postgresql',
	searchPath = `${process.env.PATH ?? ''}${path.delimiter}/usr/bin`,
} = {}) {
	const pg = postgresBin(postgresBase);
	const redis = onPath('redis-server', searchPath);
	const missing = [];
	if (!pg)
		missing.push({
			what: 'PostgreSQL server (initdb, pg_ctl under /usr/lib/postgresql/<version>/bin)',
			pkg: 'postgresql',
		});
	if (!redis) missing.push({ what: 'Redis server (redis-server)', pkg: 'redis-server' });
	if (missing.length) {
		throw new Error(
			`Queue mode needs servers that are not installed:\n${missing.map((m) => `  - ${m.what}: Debian package "${m.pkg}"`).join('\n')}\n` +
				`Install them with: sudo apt-get install -y ${missing.map((m) => m.pkg).join(' ')}`,
		);
	}
	return { pg, redis };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL server command as the `postgres` user when we are root (the server refuses root). */
function asPostgres(command, args, options = {}) {
	if (isRoot())
		return execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
			encoding: 'utf8',
			...options,
		});
	return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

/** A throwaway Postgres cluster in `dir` listening on 127.0.0.1:port, with a database `n8n` owned by user `n8n`. */
function startPostgres(bin, dir, port) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	if (isRoot()) execFileSync('chown', ['postgres:postgres', dir]);
	try {
		asPostgres(path.join(bin, 'initdb'), [
			'-D',
			dir,
			'-A',
			'trust',
			'-U',
			'n8n',
			'--no-sync',
			'-E',
			'UTF8',
			'--locale=C',
		]);
		asPostgres(path.join(bin, 'pg_ctl'), [
			'-D',
			dir,
			'-l',
			path.join(dir, 'server.log'),
			'-w',
			'-t',
			'60',
			'-o',
			`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
			'start',
		]);
		execFileSync(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], {
			stdio: 'pipe',
		});
	} catch (error) {
		const log = path.join(dir, 'server.log');
		const detail = [error.stdout, error.stderr, fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '']
			.filter(Boolean)
			.join('\n')
			.trim()
			.split('\n')
			.slice(-15)
			.join('\n');
		throw new Error(`PostgreSQL did not start in ${dir} on port ${port}:\n${detail}`);
	}
	return {
		port,
		stop: async () => {
			try {
				asPostgres(path.join(bin, 'pg_ctl'), ['-D', dir, '-m', 'immediate', '-w', 'stop']);
			} catch {
				// already stopped
			}
		},
	};
}

/** A Redis server without persistence on 127.0.0.1:port, as a child of this process. */
async function startRedis(binary, port, logFile) {
	const child = spawn(
		binary,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--logfile', logFile],
		{ stdio: 'ignore' },
	);
	const deadline = Date.now() + 15_000;
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(
				`redis-server exited with code ${child.exitCode}: ${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : ''}`,
			);
		if (await redisPing(port)) break;
		if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	return { port, child, stop: () => stopChild(child) };
}

function redisPing(port) {
	return new Promise((resolve) => {
		const socket = require('node:net').connect(port, '127.0.0.1');
		socket.setTimeout(1000);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (d) => {
			socket.destroy();
			resolve(String(d).startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

function stopChild(child, signal = 'SIGTERM') {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		child.once('close', () => resolve());
		child.kill(signal);
		setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
	});
}

/** The environment every n8n process of the stack shares (one database, one Redis, one encryption key). */
function queueEnv(n8n, userFolder, ports, extra = {}) {
	return n8nTools.n8nEnv(n8n, userFolder, {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(ports.postgres),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(ports.redis),
		N8N_RUNNERS_BROKER_PORT: String(ports.mainBroker),
		...extra,
	});
}

/** Starts `n8n worker`; resolves once its /healthz/readiness answers (database migrated, Redis connected). */
async function startWorker(n8n, env, { index, ports, concurrency = 10, logFile, timeoutMs = 120_000 }) {
	const { health, broker } = ports.worker(index);
	const out = fs.openSync(logFile, 'a');
	const child = spawn(n8n.nodeBin, [n8n.main, 'worker', `--concurrency=${concurrency}`], {
		env: {
			...env,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(health),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(broker),
		},
		cwd: env.N8N_USER_FOLDER,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(
				`n8n worker ${index + 1} exited with code ${child.exitCode} while starting:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`,
			);
		try {
			if ((await fetch(`http://127.0.0.1:${health}/healthz/readiness`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(
				`n8n worker ${index + 1} did not become ready within ${timeoutMs} ms:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`,
			);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		index,
		pid: child.pid,
		child,
		logFile,
		health,
		stop: () => stopChild(child),
		kill: () => stopChild(child, 'SIGKILL'),
	};
}

/** Starts `n8n start` (the main process) with its output written to a log file. */
async function startMain(n8n, env, { port, logFile }) {
	const server = await n8nTools.startServer(n8n, env, {
		port,
		log: (text) => fs.appendFileSync(logFile, text),
	});
	return { ...server, logFile };
}

/**
 * The whole stack in `dir` (made afresh): Postgres, Redis, the sandbox (or the given tenant), the packed
 * package in n8n's user folder, the credential, the workflows (activated when listed in `activate`),
 * n8n main and `workers` workers. Returns handles and `stop()`, which stops everything it started.
 */
async function startQueueStack({
	dir,
	ports = stackPorts(),
	workers = 2,
	workerConcurrency = 10,
	sandbox: sandboxOptions = {},
	credential,
	tenantOrigin,
	workflows,
	activate = ['exHrOnboarding'],
	logLevel = 'info',
	extraEnv = {},
	owner = true,
} = {}) {
	const stoppers = [];
	const stop = async () => {
		while (stoppers.length) {
			try {
				await stoppers.pop()();
			} catch {
				// keep stopping the rest
			}
		}
	};
	try {
		const binaries = queueBinaries();
		const n8n = n8nTools.ensureN8n();
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		// The postgres user must reach its data folder inside.
		fs.chmodSync(dir, 0o755);
		const userFolder = path.join(dir, 'n8n');
		const logs = path.join(dir, 'logs');
		fs.mkdirSync(userFolder, { recursive: true });
		fs.mkdirSync(logs, { recursive: true });

		let sandbox;
		if (!credential) {
			sandbox = await startSandbox({ port: ports.sandbox, ...sandboxOptions });
			stoppers.push(() => sandbox.close());
			credential = sandbox.credentials();
			tenantOrigin = sandbox.url;
			step(`Sandbox tenant running on ${sandbox.url}`);
		}

		step(
			`Starting PostgreSQL (${binaries.pg}) on 127.0.0.1:${ports.postgres}, data in ${path.join(dir, 'postgres')}`,
		);
		const postgres = startPostgres(binaries.pg, path.join(dir, 'postgres'), ports.postgres);
		stoppers.push(postgres.stop);
		step(`Starting Redis on 127.0.0.1:${ports.redis}`);
		const redis = await startRedis(binaries.redis, ports.redis, path.join(logs, 'redis.log'));
		stoppers.push(redis.stop);

		n8nTools.installPackage(userFolder, n8nTools.packPackage(path.join(dir, 'pack')), n8n);
		const env = queueEnv(n8n, userFolder, ports, {
			N8N_LOG_LEVEL: logLevel,
			N8N_LOG_OUTPUT: 'console',
			...(owner ? n8nTools.ownerEnv(n8n) : {}),
			...extraEnv,
		});
		step('Importing the credential (n8n encrypts it into Postgres) and the workflows');
		const credentialsFile = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(
			credentialsFile,
			JSON.stringify([{ ...n8nTools.CREDENTIAL, type: 'cyberArkIdentityApi', data: credential }]),
		);
		const imported = await n8nTools.n8nCommand(n8n, env, [
			'import:credentials',
			`--input=${credentialsFile}`,
		]);
		fs.rmSync(credentialsFile);
		if (imported.code !== 0)
			throw new Error(`import:credentials failed:\n${imported.stdout}\n${imported.stderr}`);
		const workflowsFile = path.join(userFolder, 'workflows.json');
		fs.writeFileSync(workflowsFile, JSON.stringify(workflows ?? n8nTools.exampleWorkflows(tenantOrigin)));
		const importedWorkflows = await n8nTools.n8nCommand(n8n, env, [
			'import:workflow',
			`--input=${workflowsFile}`,
		]);
		if (importedWorkflows.code !== 0)
			throw new Error(`import:workflow failed:\n${importedWorkflows.stdout}\n${importedWorkflows.stderr}`);
		for (const id of activate) await n8nTools.activateWorkflow(n8n, env, id);

		step(
			`Starting n8n ${n8n.version} main on http://127.0.0.1:${ports.main} and ${workers} worker${workers === 1 ? '' : 's'} (about 20 s)`,
		);
		const [main, ...workerHandles] = await Promise.all([
			startMain(n8n, env, { port: ports.main, logFile: path.join(logs, 'main.log') }),
			...Array.from({ length: workers }, (_, index) =>
				startWorker(n8n, env, {
					index,
					ports,
					concurrency: workerConcurrency,
					logFile: path.join(logs, `worker-${index + 1}.log`),
				}),
			),
		]);
		stoppers.push(() => main.stop());
		for (const worker of workerHandles) stoppers.push(() => worker.stop());
		return {
			n8n,
			env,
			dir,
			userFolder,
			logs,
			ports,
			sandbox,
			tenantOrigin,
			main,
			workers: workerHandles,
			postgres,
			redis,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** Posts to a webhook of the stack, retrying the 404 a webhook gives for a moment after activation. */
async function postWebhook(url, body, { timeoutMs = 60_000 } = {}) {
	for (let attempt = 0; ; attempt++) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		if (response.status !== 404 || attempt > 120) return response;
		await response.text();
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** Runs `task` over `items` with at most `limit` in flight; returns the results in order. */
async function inFlight(items, limit, task) {
	const results = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, async () => {
			while (next < items.length) {
				const i = next++;
				results[i] = await task(items[i], i);
			}
		}),
	);
	return results;
}

/** Executions each worker started, read from its log ("Worker started execution <id> (job <n>)"). */
function executionsByWorker(workers) {
	return workers.map((w) => {
		const text = fs.existsSync(w.logFile) ? fs.readFileSync(w.logFile, 'utf8') : '';
		return new Set([...text.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1])).size;
	});
}

module.exports = {
	startQueueStack,
	stackPorts,
	queueBinaries,
	queueEnv,
	postWebhook,
	inFlight,
	executionsByWorker,
	startWorker,
};
