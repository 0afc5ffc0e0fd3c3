/** End-to-end suite: a real n8n with the packed package, against the sandbox tenant. */
/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	// The first run installs n8n (minutes); every test drives n8n processes.
	testTimeout: 20 * 60 * 1000,
	maxWorkers: 1,
	forceExit: true,
};
