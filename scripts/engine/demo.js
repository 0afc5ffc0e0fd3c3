'use strict';
// Headless demo: the sandbox tenant plus an HR provisioning run of the built node through n8n-core's
// workflow engine, printing what happened. Run `npm run build` first (npm run demo does).
const { sandboxRateLimits, startSandbox } = require('../../sandbox/server');
const { builtEngine, CredentialStore } = require('.');

const newHires = [
	{ login: 'ada.lovelace@example.com', mail: 'ada@acme.test', name: 'Ada Lovelace' },
	{ login: 'alan.turing@example.com', mail: 'alan@acme.test', name: 'Alan Turing' },
	{ login: 'grace hopper@example.com', mail: 'grace@acme.test', name: 'Grace Hopper' },
	{ login: 'linus@unknown-suffix.example', mail: 'linus@acme.test', name: 'Linus T.' },
	{ login: 'ada.lovelace@example.com', mail: 'ada@acme.test', name: 'Ada Lovelace (sent twice by HR)' },
];

function table(rows) {
	const keys = Object.keys(rows[0]);
	const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
	const line = (cells) => cells.map((c, i) => String(c).padEnd(width[i])).join('  ');
	return [
		line(keys),
		line(width.map((w) => '-'.repeat(w))),
		...rows.map((r) => line(keys.map((k) => r[k]))),
	].join('\n');
}

async function main() {
	const sandbox = await startSandbox({
		port: Number(process.env.SANDBOX_PORT ?? 0),
		rateLimits: sandboxRateLimits(),
	});
	const engine = builtEngine();
	const store = new CredentialStore(sandbox.credentials());
	console.log(
		`Sandbox tenant on ${sandbox.url} (OAuth2 app "${sandbox.config.appId}", service user ${sandbox.config.username})\n`,
	);

	console.log(
		`HR sends ${newHires.length} new hires; the CyberArk Identity node runs "Create User" (Continue On Fail, On Existing User: Return Existing):\n`,
	);
	const created = await engine.run(
		store,
		{
			resource: 'user',
			operation: 'create',
			userName: '={{ $json.login }}',
			email: '={{ $json.mail }}',
			additionalFields: { displayName: '={{ $json.name }}' },
			options: { onExisting: 'returnExisting' },
		},
		newHires,
		{ continueOnFail: true },
	);
	console.log(
		table(
			created.items.map((item, i) => ({
				item: item.pairedItem.item,
				login: newHires[i].login,
				result: item.json.error ? 'failed' : item.json.created ? 'created' : 'already there',
				'id or error': item.json.error ?? item.json.id,
			})),
		),
	);

	const token = await engine.run(store, { resource: 'token', operation: 'get' });
	console.log(
		`\n"Get Token" output: token_type=${token.items[0].json.token_type}, expires_at=${token.items[0].json.expires_at}, scope=${token.items[0].json.scope}`,
	);
	console.log(
		`\nToken exchanges at the tenant: ${sandbox.counters.tokensIssued} (1 cached by the credential for every Create User call, 1 by Get Token)`,
	);
	console.log(
		`Users in the tenant now: ${[...sandbox.directory.users.values()].map((u) => u.Name).join(', ')}`,
	);
	await sandbox.close();
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
