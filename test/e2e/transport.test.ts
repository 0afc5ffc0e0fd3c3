// End-to-end in a real n8n (2.41.1 by default, N8N_VERSION to change): a tenant URL that redirects to
// another origin gets no credential there and fails clearly; an endpoint the OAuth2 app's scope refuses
// is not mistaken for an expired token.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';
import type { OtherOrigin } from '../otherOrigin';
import { startOtherOrigin } from '../otherOrigin';

const n8nTools = require('../../scripts/n8n');

const SECRET = 'E2e-Transport-Secret-Vorpal-2231';
const PASSWORD = 'E2e-Transport-Password-Frumious-4490';
const CA = 'n8n-nodes-cyberark-identity.cyberArkIdentity';

let sandbox: Sandbox;
let other: OtherOrigin;
let n8n: { version: string; dir: string };
let env: Record<string, string>;
let userFolder: string;

function createWorkflow(id: string, credentialId: string, count: number, prefix: string) {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 't',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'c',
				name: 'Hires',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { login: '${prefix}' + i + '@example.com', mail: '${prefix}' + i + '@acme.test' } }));`,
				},
			},
			{
				id: 'u',
				name: 'Create',
				type: CA,
				typeVersion: 1,
				position: [400, 0],
				credentials: { cyberArkIdentityApi: { id: credentialId, name: credentialId } },
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'user',
					operation: 'create',
					userName: '={{ $json.login }}',
					email: '={{ $json.mail }}',
					additionalFields: {},
					options: { concurrency: 5 },
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Hires', type: 'main', index: 0 }]] },
			Hires: { main: [[{ node: 'Create', type: 'main', index: 0 }]] },
		},
	};
}

async function n8nCommand(args: string[]) {
	return (await n8nTools.n8nCommand(n8n, env, args)) as {
		code: number;
		signal: string | null;
		stdout: string;
		stderr: string;
	};
}

async function importFile(command: string, content: object[]) {
	const file = path.join(userFolder, `${command}-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(content));
	const result = await n8nCommand([command, `--input=${file}`]);
	fs.rmSync(file);
	expect(result.code).toBe(0);
}

/** Runs a workflow with `n8n execute`; the Create node's output items (errors included, Continue On Fail). */
async function execute(id: string) {
	const result = await n8nCommand(['execute', `--id=${id}`, '--rawOutput']);
	const json = n8nTools.executionJson(result.stdout) as {
		data: {
			resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: object }>> } }>> };
		};
	} | null;
	if (!json) throw new Error(`n8n printed no result:\n${result.stdout}\n${result.stderr}`);
	const items = json.data.resultData.runData.Create?.[0]?.data?.main[0].map((i) => i.json) ?? [];
	return { ...result, items: items as Array<{ error?: string }>, text: result.stdout + result.stderr };
}

function expectNothingElsewhere() {
	expect(other.received).toEqual([]);
}

beforeAll(
	async () => {
		n8n = n8nTools.ensureN8n();
		sandbox = await startSandbox({ tenant: { clientSecret: SECRET, password: PASSWORD } });
		other = await startOtherOrigin();
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-transport-'));
		env = await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), { workflows: [] });
		// One credential per case, so each starts without a stored token.
		await importFile(
			'import:credentials',
			['tokenRedirect', 'callRedirect', 'scoped'].map((id) => ({
				id,
				name: id,
				type: 'cyberArkIdentityApi',
				data: sandbox.credentials(),
			})),
		);
		await importFile('import:workflow', [
			createWorkflow('wfTokenRedirect', 'tokenRedirect', 2, 'never-a-'),
			createWorkflow('wfCallRedirect', 'callRedirect', 2, 'never-b-'),
			createWorkflow('wfScoped', 'scoped', 30, 'scoped-'),
		]);
		sandbox.knobs.redirectTo = other.url;
	},
	30 * 60 * 1000,
);

afterAll(async () => {
	await sandbox?.close();
	await other?.close();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

afterEach(() => {
	Object.assign(sandbox.knobs, { redirectPaths: [], redirectStatus: 307, scopeRestRegexes: null });
	sandbox.resetCounters();
	other.received.length = 0;
});

test('the token endpoint answers 307 to another origin: nothing is sent there, the run says where the URL points', async () => {
	Object.assign(sandbox.knobs, { redirectPaths: ['/oauth2/token'], redirectStatus: 307 });
	const run = await execute('wfTokenRedirect');
	expectNothingElsewhere();
	expect(run.items).toHaveLength(2);
	for (const item of run.items)
		expect(item.error).toBe(`The tenant URL ${sandbox.url} redirects to ${other.url}; use that URL`);
	expect(sandbox.counters.faults.redirect).toBeGreaterThan(0);
	expect(sandbox.counters.tokensIssued).toBe(0);
	expect(run.text).not.toContain(SECRET);
	expect(run.text).not.toContain(PASSWORD);
});

test('a management call answers 308 to another origin: the bearer token stays home, nothing is taken for a success', async () => {
	Object.assign(sandbox.knobs, { redirectPaths: ['/cdirectoryservice/createuser'], redirectStatus: 308 });
	const run = await execute('wfCallRedirect');
	expectNothingElsewhere();
	expect(run.items).toHaveLength(2);
	// n8n 1.x drops the response (and its Location header) from the error of a management call.
	const message = n8n.version.startsWith('1.')
		? `The tenant URL ${sandbox.url} redirects /CDirectoryService/CreateUser elsewhere (HTTP 308)`
		: `The tenant URL ${sandbox.url} redirects to ${other.url}; use that URL`;
	for (const item of run.items) expect(item.error).toBe(message);
	expect(sandbox.counters.tokensIssued).toBe(1);
	expect(sandbox.counters.faults.redirect).toBe(2);
	expect(sandbox.directory.findByName('never-b-0@example.com')).toBeUndefined();
});

test("30 items refused by the OAuth2 app's scope: at most 3 token exchanges (one to confirm the refusal), each item names the endpoint and the setting", async () => {
	sandbox.knobs.scopeRestRegexes = [
		'Security/whoami',
		'CDirectoryService/GetUser.*',
		'UserMgmt/.*',
		'Redrock/query',
	];
	const run = await execute('wfScoped');
	expect(run.items).toHaveLength(30);
	expect(sandbox.counters.tokensIssued).toBeLessThanOrEqual(3);
	for (const item of run.items)
		expect(item.error).toBe(
			"CyberArk refused the access token (HTTP 401), even after a new token was fetched: the OAuth2 app's scope does not allow /CDirectoryService/CreateUser",
		);
	expect(sandbox.directory.findByName('scoped-0@example.com')).toBeUndefined();
});
