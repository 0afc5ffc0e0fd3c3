/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFiles: ['<rootDir>/test/setup.ts'],
	// test/e2e runs against a real n8n: npm run test:e2e
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	testTimeout: 120000,
	// n8n-core keeps module-level handles (DNS cache, agents) that outlive a test file.
	forceExit: true,
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};
