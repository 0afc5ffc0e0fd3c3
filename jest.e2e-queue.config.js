/** Queue-mode end-to-end suite (npm run test:e2e:queue): n8n main + 2 workers on Postgres and Redis. */
const base = require('./jest.e2e.config');

/** @type {import('jest').Config} */
module.exports = { ...base, roots: ['<rootDir>/test/e2e-queue'] };
