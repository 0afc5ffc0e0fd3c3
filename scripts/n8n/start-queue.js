'use strict';
// npm run start:queue: n8n's production shape on one machine. PostgreSQL (a throwaway cluster of
// Debian's `postgresql`), Redis (Debian's `redis-server`), n8n 2.41.1 main (editor, webhooks) and
// 2 workers (QUEUE_WORKERS to change) in queue mode, the sandbox tenant, the credential and the
// example workflows, with the HR onboarding webhook active. Ctrl-C stops everything.
// Ports: N8N_PORT (main, default 5678; main's task broker +1, worker i's health check +2+2i and task
// broker +3+2i), QUEUE_SANDBOX_PORT (4010), DB_POSTGRESDB_PORT (5433), QUEUE_BULL_REDIS_PORT (6380).
const path = require('node:path');
const { OWNER, ROOT, step } = require('.');
const { startQueueStack, stackPorts } = require('./queue');

const DIR = path.join(ROOT, '.n8n-queue');

async function main() {
	const ports = stackPorts();
	const workers = Math.max(1, Number(process.env.QUEUE_WORKERS ?? 2));
	let stack;
	let stopping = false;
	const stopAll = async () => {
		if (stopping) return;
		stopping = true;
		step('Stopping n8n, the workers, Redis, PostgreSQL and the sandbox');
		await stack?.stop();
		process.exit(0);
	};
	process.on('SIGINT', stopAll);
	process.on('SIGTERM', stopAll);

	stack = await startQueueStack({ dir: DIR, ports, workers, logLevel: process.env.N8N_LOG_LEVEL ?? 'info' });
	const url = stack.main.url;
	console.log(`
n8n is running in queue mode with the CyberArk Identity node: ${url}
  Log in:     ${OWNER.email} / ${OWNER.password}   (local only)
  Shape:      main (editor, webhooks) + ${workers} worker${workers === 1 ? '' : 's'} (pids ${stack.workers.map((w) => w.pid).join(', ')}),
              PostgreSQL on 127.0.0.1:${ports.postgres}, Redis on 127.0.0.1:${ports.redis}, sandbox tenant on ${stack.tenantOrigin}
  Logs:       ${stack.logs}/main.log, worker-<n>.log
  Credential: "CyberArk Identity (sandbox)" (Overview > Credentials) - open it and press Test
  Workflows:  "CyberArk: HR onboarding (webhook)" is active; its executions run on the workers:
              curl -X POST ${url}/webhook/new-hire -H 'Content-Type: application/json' \\
                -d '{"login":"ada.lovelace@example.com","email":"ada@acme.test","firstName":"Ada","lastName":"Lovelace","department":"Finance"}'
  Ctrl-C stops n8n, the workers, Redis, PostgreSQL and the sandbox.`);
}

main().catch((error) => {
	console.error(error.message ?? error);
	process.exit(1);
});
