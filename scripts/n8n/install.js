'use strict';
// Installs what a real n8n needs, once, into a cache outside the checkout (keyed by version): Node 24 from
// the npm registry when the system's Node is older, n8n itself with its SQLite driver built for that Node;
// and this package, built and packed with `npm pack` and installed into an n8n user folder the way n8n
// installs community nodes.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const N8N_VERSION = process.env.N8N_VERSION ?? '2.41.1';
const NODE_VERSION = '24.21.0';
const ROOT = path.join(__dirname, '..', '..');
const CACHE =
	process.env.N8N_CACHE_DIR ??
	path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'n8n-nodes-cyberark-identity');

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

module.exports = { ensureN8n, packPackage, installPackage, step, CACHE, ROOT, N8N_VERSION };
