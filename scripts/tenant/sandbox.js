'use strict';
// Starts the sandbox tenant on its own and prints the credential fields that log in to it.
const { sandboxRateLimits, startSandbox } = require('../../sandbox/server');

startSandbox({
	port: Number(process.env.SANDBOX_PORT ?? 4010),
	host: process.env.SANDBOX_HOST ?? '127.0.0.1',
	rateLimits: sandboxRateLimits(),
}).then((sandbox) => {
	console.log(`CyberArk Identity sandbox tenant on ${sandbox.url}`);
	console.log(
		'Credential fields:',
		JSON.stringify({ ...sandbox.credentials(), accessToken: undefined }, null, 2),
	);
	console.log(
		`State and counters: GET ${sandbox.url}/__sandbox/state   Knobs: POST ${sandbox.url}/__sandbox/knobs`,
	);
	const stop = () => sandbox.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
});
