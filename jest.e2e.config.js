/** End-to-end suite (npm run test:e2e): a real n8n (2.41.1; N8N_VERSION=1.123.81 for n8n 1.x) with the packed package, against the sandbox tenant. */
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
