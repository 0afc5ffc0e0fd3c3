// n8n's own lint configuration for community nodes (@n8n/node-cli, what the verification runs), applied to
// what the package ships. Tests, the sandbox and the scripts are not shipped and run on Node with fs, process
// and test secrets, which the community-node rules forbid in nodes; TypeScript checks them instead.
import { config } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

export default [
	globalIgnores([
		'test/**',
		'sandbox/**',
		'scripts/**',
		'*.js',
		'*.mjs',
		'coverage/**',
		'.n8n-local/**',
		'.n8n-queue/**',
	]),
	...config,
];
