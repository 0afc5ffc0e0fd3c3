// End-to-end: a real n8n (2.41.1 by default, N8N_VERSION to change) with the packed package installed
// as n8n installs community packages, driven through its CLI and server, against the sandbox tenant.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

// Plain JavaScript helpers, shared with npm start.
const n8nTools = require('../../scripts/n8n');

const SECRET = 'E2e-Client-Secret-Quux-5150';
const PASSWORD = 'E2e-Owner-Password-Frob-6061';
const CA = 'n8n-nodes-cyberark-identity.cyberArkIdentity';

let sandbox: Sandbox;
let n8n: { version: string; dir: string };
let env: Record<string, string>;
let userFolder: string;
const logFile = () => path.join(userFolder, 'n8n.log');

const cred = (id: string, name: string) => ({ cyberArkIdentityApi: { id, name } });
const trigger = {
	id: 't',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function workflow(id: string, nodes: object[], chain: string[]) {
	const connections: Record<string, object> = {};
	for (let i = 0; i < chain.length - 1; i++)
		connections[chain[i]] = { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] };
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

function createUsers(id: string, count: number, credential: object, prefix: string) {
	return workflow(
		id,
		[
			trigger,
			{
				id: 'c',
				name: 'Hires',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { login: '${prefix}' + i + '@example.com', mail: '${prefix}' + i + '@acme.test', name: 'E2E User ' + i } }));`,
				},
			},
			{
				id: 'u',
				name: 'Create',
				type: CA,
				typeVersion: 1,
				position: [400, 0],
				credentials: credential,
				parameters: {
					resource: 'user',
					operation: 'create',
					userName: '={{ $json.login }}',
					email: '={{ $json.mail }}',
					additionalFields: { displayName: '={{ $json.name }}', mobileNumber: '+1 555 0100' },
					options: { onExisting: 'returnExisting' },
				},
			},
		],
		['Start', 'Hires', 'Create'],
	);
}

async function importWorkflows(workflows: object[]) {
	const file = path.join(userFolder, `wf-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(workflows));
	const result = await n8nTools.n8nCommand(n8n, env, ['import:workflow', `--input=${file}`]);
	expect(result.code).toBe(0);
}

async function importCredentials(credentials: object[]) {
	const file = path.join(userFolder, `cred-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(credentials));
	const result = await n8nCommand(['import:credentials', `--input=${file}`]);
	fs.rmSync(file);
	expect(result.code).toBe(0);
}

function n8nCommand(args: string[], extraEnv: Record<string, string> = {}) {
	return n8nTools.n8nCommand(n8n, { ...env, ...extraEnv }, args) as Promise<{
		code: number;
		signal: string | null;
		stdout: string;
		stderr: string;
	}>;
}

/** Runs a workflow with `n8n execute`; tolerates only the known isolated-vm crash at exit, after complete output. */
async function execute(id: string) {
	const result = await n8nCommand(['execute', `--id=${id}`, '--rawOutput']);
	const crashedAfterOutput = result.code === 139 || result.signal === 'SIGSEGV';
	const json = n8nTools.executionJson(result.stdout);
	if (crashedAfterOutput && !json)
		throw new Error(`n8n crashed before printing a result:\n${result.stdout}\n${result.stderr}`);
	return { ...result, ok: result.code === 0 || (crashedAfterOutput && json?.status === 'success'), json };
}

function nodeOutput(
	json: {
		data: {
			resultData: {
				runData: Record<string, Array<{ data: { main: Array<Array<{ json: Record<string, unknown> }>> } }>>;
			};
		};
	},
	node: string,
) {
	return json.data.resultData.runData[node][0].data.main[0].map((i) => i.json);
}

function expectNoSecrets(text: string) {
	expect(text).not.toContain(SECRET);
	expect(text).not.toContain(PASSWORD);
	expect(text).not.toContain(Buffer.from(`${sandbox.config.clientId}:${SECRET}`).toString('base64'));
}

beforeAll(
	async () => {
		n8n = n8nTools.ensureN8n();
		sandbox = await startSandbox({ tenant: { clientSecret: SECRET, password: PASSWORD } });
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
		await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), { tenantOrigin: sandbox.url });
		// Console output at info level keeps `n8n execute --rawOutput` parseable; the file gets the same lines.
		env = n8nTools.n8nEnv(n8n, userFolder, {
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console,file',
			N8N_LOG_FILE_LOCATION: logFile(),
		});
	},
	30 * 60 * 1000,
);

afterAll(async () => {
	await sandbox?.close();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

test('n8n loads the node (and its AI tool variant) from the packed package, with icons', async () => {
	const out = path.join(userFolder, 'nodes.json');
	const result = await n8nCommand(['export:nodes', `--output=${out}`]);
	expect(result.code).toBe(0);
	const nodes = JSON.parse(fs.readFileSync(out, 'utf8')) as Array<{
		name: string;
		credentials?: Array<{ name: string }>;
		iconUrl?: { light: string; dark: string };
	}>;
	const node = nodes.find((n) => n.name === CA)!;
	expect(node).toBeDefined();
	expect(nodes.some((n) => n.name === `${CA}Tool`)).toBe(true);
	expect(node.credentials?.map((c) => c.name)).toEqual(['cyberArkIdentityApi']);
	const packageDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-cyberark-identity');
	for (const icon of [node.iconUrl!.light, node.iconUrl!.dark]) {
		expect(icon).toMatch(/^icons\/n8n-nodes-cyberark-identity\/dist\/icons\//);
		expect(
			fs.readFileSync(path.join(packageDir, icon.replace('icons/n8n-nodes-cyberark-identity/', '')), 'utf8'),
		).toMatch(/^<svg/);
	}
	// Installed from the tarball: only what `files` publishes.
	expect(fs.readdirSync(packageDir).sort()).toEqual([
		'LICENSE',
		'README.md',
		'dist',
		'index.js',
		'package.json',
	]);
});

test('25 Create User items: 25 users with their fields and exactly one token exchange', async () => {
	await importWorkflows([
		createUsers('e2eCreate25', 25, cred('cyberArkSandbox', 'CyberArk Identity (sandbox)'), 'e2e'),
	]);
	const before = sandbox.counters.tokensIssued;
	const run = await execute('e2eCreate25');
	expect(run.ok).toBe(true);
	const items = nodeOutput(run.json, 'Create');
	expect(items).toHaveLength(25);
	for (let i = 0; i < 25; i++) {
		const user = sandbox.directory.findByName(`e2e${i}@example.com`);
		expect(user).toMatchObject({
			Mail: `e2e${i}@acme.test`,
			DisplayName: `E2E User ${i}`,
			MobileNumber: '+1 555 0100',
		});
		expect(items[i]).toMatchObject({ id: user!.Uuid, created: true });
	}
	expect(sandbox.counters.tokensIssued - before).toBe(1);
	expectNoSecrets(run.stdout + run.stderr);
});

test("the token lives in n8n's database: 5 more executions, no new exchange; expired, exactly one more", async () => {
	const before = sandbox.counters.tokensIssued;
	for (let i = 0; i < 5; i++) {
		const run = await execute('e2eCreate25');
		expect(run.ok).toBe(true);
		expect(nodeOutput(run.json, 'Create').every((item) => item.created === false)).toBe(true);
	}
	expect(sandbox.counters.tokensIssued).toBe(before);
	expect([...sandbox.directory.users.values()].filter((u) => u.Name.startsWith('e2e'))).toHaveLength(25);

	sandbox.expireTokens();
	const unauthorizedBefore = sandbox.counters.unauthorized;
	const run = await execute('e2eCreate25');
	expect(run.ok).toBe(true);
	expect(sandbox.counters.tokensIssued).toBe(before + 1);
	expect(sandbox.counters.unauthorized).toBe(unauthorizedBefore + 1);
});

describe('bad credentials fail with the mapped message and leak no secret', () => {
	const cases: Array<[string, object, RegExp]> = [
		[
			'badSecret',
			{ clientSecret: 'E2e-Wrong-Secret-7777' },
			/CyberArk rejected the client ID or client secret \(invalid_client\)/,
		],
		[
			'badPassword',
			{ password: 'E2e-Wrong-Password-8888' },
			/CyberArk rejected the username or password, or the user must pass MFA \(invalid_grant\)/,
		],
		['mfaUser', { username: 'mfa.admin@example.com' }, /must pass MFA \(invalid_grant\)/],
	];

	beforeAll(async () => {
		await importCredentials(
			cases.map(([id, override]) => ({
				id,
				name: id,
				type: 'cyberArkIdentityApi',
				data: { ...sandbox.credentials(), ...override },
			})),
		);
		await importWorkflows(cases.map(([id]) => createUsers(`e2e${id}`, 2, cred(id, id), `never-${id}-`)));
	});

	test.each(cases)('%s', async (id, _override, message) => {
		const run = await execute(`e2e${id}`);
		expect(run.ok).toBe(false);
		expect(run.stdout + run.stderr).toMatch(message);
		// Once more with n8n's most verbose logging, into a file of its own.
		const debugLog = path.join(userFolder, `debug-${id}.log`);
		const verbose = await n8nCommand(['execute', `--id=e2e${id}`, '--rawOutput'], {
			N8N_LOG_LEVEL: 'debug',
			N8N_LOG_OUTPUT: 'file',
			N8N_LOG_FILE_LOCATION: debugLog,
		});
		expect(verbose.code).not.toBe(0);
		expect(fs.readFileSync(debugLog, 'utf8')).toMatch(message);
		const everything =
			run.stdout +
			run.stderr +
			verbose.stdout +
			verbose.stderr +
			fs.readFileSync(logFile(), 'utf8') +
			fs.readFileSync(debugLog, 'utf8');
		expectNoSecrets(everything);
		expect(everything).not.toContain('E2e-Wrong-Secret-7777');
		expect(everything).not.toContain('E2e-Wrong-Password-8888');
		expect(sandbox.directory.findByName(`never-${id}-0@example.com`)).toBeUndefined();
	});
});

test('example: bulk import creates the valid employees and summarises the failures', async () => {
	const run = await execute('exBulkImport');
	expect(run.ok).toBe(true);
	const [summary] = nodeOutput(run.json, 'Summary');
	expect(summary).toMatchObject({ total: 6, created: 3, existing: 0, failed: 3 });
	expect((summary.failures as Array<{ login: string }>).map((f) => f.login)).toEqual([
		'bulk grace@example.com',
		'bulk.edsger@example.com',
		'bulk.linus@elsewhere.example',
	]);
	for (const login of ['bulk.ada@example.com', 'bulk.alan@example.com', 'bulk.barbara@example.com'])
		expect(sandbox.directory.findByName(login)).toBeDefined();
});

test("example: a custom call with the node's Custom API Call, Get Token's output in an HTTP Request, and the credential in one", async () => {
	const run = await execute('exTokenCustomCalls');
	expect(run.ok).toBe(true);
	expect(nodeOutput(run.json, 'whoami with the node')[0]).toMatchObject({
		success: true,
		Result: { User: 'provisioner@example.com' },
	});
	expect(nodeOutput(run.json, 'whoami with the token')[0]).toMatchObject({
		success: true,
		Result: { User: 'provisioner@example.com' },
	});
	expect(nodeOutput(run.json, 'whoami with the credential')[0]).toMatchObject({
		success: true,
		Result: { User: 'provisioner@example.com' },
	});
});

describe('n8n server', () => {
	let server: { url: string; stop: () => Promise<void>; output: () => string };

	beforeAll(async () => {
		await n8nTools.activateWorkflow(n8n, env, 'exHrOnboarding');
		server = await n8nTools.startServer(
			n8n,
			{ ...env, ...n8nTools.ownerEnv(n8n), N8N_RUNNERS_BROKER_PORT: '5699' },
			{ port: 5698 },
		);
	});
	afterAll(async () => server?.stop());

	async function postHire(body: object) {
		// A webhook may answer 404 for a moment after readiness: retry briefly.
		for (let attempt = 0; ; attempt++) {
			const response = await fetch(`${server.url}/webhook/new-hire`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(body),
			});
			if (response.status !== 404 || attempt > 40) return response;
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	test('the editor gets the credential type and its icon; the Test button passes', async () => {
		const editor = await n8nTools.login(server.url);
		const types = (await (await editor('/types/credentials.json')).json()) as Array<{
			name: string;
			iconUrl?: { light: string };
		}>;
		const type = types.find((t) => t.name === 'cyberArkIdentityApi');
		expect(type).toBeDefined();
		// The Test button: the editor sends the credential as it got it (secrets redacted), n8n fills them in.
		const { data: stored } = (await (
			await editor('/rest/credentials/cyberArkSandbox?includeData=true')
		).json()) as { data: { id: string; name: string; type: string; data: object } };
		expect(JSON.stringify(stored)).not.toContain(SECRET);
		const before = sandbox.counters.calls['/security/whoami'] ?? 0;
		const tested = await editor('/rest/credentials/test', {
			method: 'POST',
			body: JSON.stringify({ credentials: stored }),
		});
		expect(await tested.json()).toEqual({ data: { status: 'OK', message: 'Connection successful!' } });
		expect(sandbox.counters.calls['/security/whoami']).toBe(before + 1);
		const icon = await editor(`/${type!.iconUrl!.light}`);
		expect(icon.status).toBe(200);
		expect(await icon.text()).toMatch(/^<svg/);
	});

	test('example: HR onboarding webhook creates the hire once, however often HR sends it', async () => {
		const hire = {
			employeeId: 'E1001',
			login: 'ada.lovelace@example.com',
			email: 'ada@acme.test',
			firstName: 'Ada',
			lastName: 'Lovelace',
			department: 'Finance',
			mobile: '+1 555 0199',
		};
		const first = await postHire(hire);
		expect(first.status).toBe(200);
		const created = (await first.json()) as { userId: string; created: boolean; role: string };
		expect(created).toMatchObject({ userName: 'ada.lovelace@example.com', created: true, role: 'Finance' });
		const user = sandbox.directory.findByName('ada.lovelace@example.com')!;
		expect(user).toMatchObject({
			Uuid: created.userId,
			Mail: 'ada@acme.test',
			DisplayName: 'Ada Lovelace',
			MobileNumber: '+1 555 0199',
		});
		const finance = [...sandbox.directory.roles.values()].find((r) => r.Name === 'Finance')!;
		expect(finance.members.has(user.Uuid)).toBe(true);

		const again = await postHire(hire);
		expect(again.status).toBe(200);
		expect(await again.json()).toMatchObject({ userId: created.userId, created: false });
		expect(
			[...sandbox.directory.users.values()].filter((u) => u.Name === 'ada.lovelace@example.com'),
		).toHaveLength(1);
		expectNoSecrets(server.output());
	});

	test('example: offboarding finds the leaver by e-mail; as shipped it previews, with Dry Run off it disables them and removes the role', async () => {
		const user = sandbox.directory.findByName('ada.lovelace@example.com')!;
		const finance = [...sandbox.directory.roles.values()].find((r) => r.Name === 'Finance')!;
		const preview = await execute('exOffboarding');
		expect(preview.ok).toBe(true);
		expect(sandbox.directory.findByName('ada.lovelace@example.com')!.State).not.toBe('Disabled');
		expect(finance.members.has(user.Uuid)).toBe(true);
		expect(nodeOutput(preview.json, 'Remove from role')).toEqual([
			expect.objectContaining({ dryRun: true, id: user.Uuid, roleId: finance.ID, roleName: 'Finance' }),
		]);

		await importWorkflows([
			n8nTools.liveCopy(
				n8nTools.exampleWorkflows(sandbox.url).find((w: { id: string }) => w.id === 'exOffboarding'),
				'exOffboardingLive',
			),
		]);
		const run = await execute('exOffboardingLive');
		expect(run.ok).toBe(true);
		expect(sandbox.directory.findByName('ada.lovelace@example.com')!.State).toBe('Disabled');
		expect(finance.members.has(user.Uuid)).toBe(false);
		expect(nodeOutput(run.json, 'Remove from role')).toEqual([
			{ id: user.Uuid, roleId: finance.ID, roleName: 'Finance', member: false },
		]);
	});
});

test("no secret reached n8n's log file", () => {
	const log = fs.readFileSync(logFile(), 'utf8');
	expect(log.length).toBeGreaterThan(1000);
	expectNoSecrets(log);
});
