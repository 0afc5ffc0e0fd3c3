'use strict';
// npm start: a local n8n (2.41.1 on Node 24, installed on first use into a cache) with this package
// installed from its packed tarball, the sandbox tenant, a ready credential and the example workflows.
// With CYBERARK_* variables set, the credential points at that real tenant instead of the sandbox.
const path = require('node:path');
const { sandboxRateLimits, startSandbox } = require('../../sandbox/server');
const { realTenant, tenantOrigin: originOf } = require('../tenant/real');
const {
	ensureN8n,
	n8nEnv,
	OWNER,
	ownerEnv,
	prepareUserFolder,
	startServer,
	step,
	ROOT,
	SANDBOX_ORIGIN,
} = require('.');

const USER_FOLDER = path.join(ROOT, '.n8n-local');
const PORT = Number(process.env.N8N_PORT ?? 5678);

async function main() {
	const stoppers = [];
	const stopAll = async () => {
		for (const stop of stoppers.reverse()) await stop();
		process.exit(0);
	};
	process.on('SIGINT', stopAll);
	process.on('SIGTERM', stopAll);

	const n8n = ensureN8n();
	let credential = realTenant();
	let tenantOrigin;
	if (credential) {
		tenantOrigin = originOf(credential.tenantUrl);
		step(`Using the real tenant ${tenantOrigin} from CYBERARK_TENANT_URL`);
	} else {
		const sandbox = await startSandbox({
			port: Number(new URL(SANDBOX_ORIGIN).port),
			rateLimits: sandboxRateLimits(),
		});
		stoppers.push(() => sandbox.close());
		credential = sandbox.credentials();
		tenantOrigin = sandbox.url;
		step(`Sandbox tenant running on ${sandbox.url}`);
	}
	await prepareUserFolder(n8n, USER_FOLDER, credential, { tenantOrigin });
	const env = n8nEnv(n8n, USER_FOLDER, ownerEnv(n8n));
	step(`Starting n8n ${n8n.version} on http://127.0.0.1:${PORT} (about 15 s)`);
	const server = await startServer(n8n, env, { port: PORT });
	stoppers.push(() => server.stop());
	console.log(`
n8n is running with the CyberArk Identity node: ${server.url}
  Log in:     ${OWNER.email} / ${OWNER.password}   (local only)
  Credential: "CyberArk Identity (sandbox)" (Overview > Credentials) - open it and press Test
  Workflows:  "CyberArk: HR onboarding (webhook)", "CyberArk: bulk import of employees",
              "CyberArk: token for custom API calls", "CyberArk: offboarding",
              "CyberArk: nightly HR sync (joiners, movers, leavers)" (Dry Run on: run it, read the plan),
              "CyberArk: lock out after failed logins" (the trigger; activate it to poll the audit events)
  Try:        open "CyberArk: bulk import of employees" and click "Execute workflow"; or activate
              "HR onboarding" and send a new hire:
              curl -X POST ${server.url}/webhook/new-hire -H 'Content-Type: application/json' \\
                -d '{"login":"ada.lovelace@example.com","email":"ada@acme.test","firstName":"Ada","lastName":"Lovelace","department":"Finance"}'
  Ctrl-C stops n8n and the sandbox.`);
}

main().catch((error) => {
	console.error(error.message ?? error);
	process.exit(1);
});
