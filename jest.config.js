/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFiles: ['<rootDir>/test/setup.ts'],
	// Slower suites of their own: npm run test:e2e (a real n8n), npm run test:e2e:queue (n8n in queue mode),
	// npm run test:faults (fault injection).
	testPathIgnorePatterns: [
		'/node_modules/',
		'<rootDir>/test/e2e/',
		'<rootDir>/test/e2e-queue/',
		'<rootDir>/test/faults/',
	],
	testTimeout: 120000,
	// n8n-core keeps module-level handles (DNS cache, agents) that outlive a test file.
	forceExit: true,
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};
