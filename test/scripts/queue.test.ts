// The queue stack's check for its server binaries (scripts/n8n/queue.js): a missing one is named with its Debian package.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { queueBinaries } = require('../../scripts/n8n/queue');

function fakeInstall(files: string[]) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-bin-'));
	for (const file of files) {
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		fs.writeFileSync(path.join(root, file), '#!/bin/sh\n', { mode: 0o755 });
	}
	return root;
}

test('both servers missing: the error names both Debian packages and the apt-get line', () => {
	const root = fakeInstall([]);
	expect(() =>
		queueBinaries({ postgresBase: path.join(root, 'postgresql'), searchPath: path.join(root, 'bin') }),
	).toThrow(
		/PostgreSQL server .*: Debian package "postgresql"\n.*Redis server \(redis-server\): Debian package "redis-server"\nInstall them with: sudo apt-get install -y postgresql redis-server/s,
	);
});

test('only Redis missing: only redis-server is asked for', () => {
	const root = fakeInstall(['postgresql/15/bin/initdb', 'postgresql/15/bin/pg_ctl']);
	let message = '';
	try {
		queueBinaries({ postgresBase: path.join(root, 'postgresql'), searchPath: path.join(root, 'bin') });
	} catch (error) {
		message = (error as Error).message;
	}
	expect(message).toContain('Install them with: sudo apt-get install -y redis-server');
	expect(message).not.toContain('"postgresql"');
});

test('both present: the newest PostgreSQL version and redis-server from the PATH', () => {
	const root = fakeInstall([
		'postgresql/13/bin/initdb',
		'postgresql/13/bin/pg_ctl',
		'postgresql/15/bin/initdb',
		'postgresql/15/bin/pg_ctl',
		'postgresql/16/bin/initdb',
		'bin/redis-server',
	]);
	expect(
		queueBinaries({ postgresBase: path.join(root, 'postgresql'), searchPath: path.join(root, 'bin') }),
	).toEqual({
		pg: path.join(root, 'postgresql', '15', 'bin'),
		redis: path.join(root, 'bin', 'redis-server'),
	});
});
