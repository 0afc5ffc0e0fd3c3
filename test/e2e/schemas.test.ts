// Output schemas, end to end: a real n8n (N8N_VERSION, 2.41.1 by default) with the packed package
// serves /schemas/n8n-nodes-cyberark-identity.cyberArkIdentity/<version>/<resource>/<operation>.json
// from the package's dist/nodes/CyberArkIdentity/__schema__/, as its editor asks for them (no login:
// the editor fetches them without credentials), for the version string the editor derives from the
// node's version (1 → "1.0.0").
//
// On n8n 2.x the editor itself is checked too (Debian's Chromium driven by playwright-core, as in
// editor.test.ts): a node after an unexecuted Create shows Create's fields from the schema.
//
// Environment: SCHEMAS_N8N_PORT (default 6110; the task runner broker uses the next port), CHROMIUM_PATH
// (default /usr/bin/chromium), SKIP_BROWSER_TESTS=1 to skip the browser step on purpose, E2E_ARTIFACTS_DIR
// (the screenshot; default test/e2e/artifacts/schemas-n8n-<version>/), UPDATE_DOCS_SCREENSHOTS=1 to refresh
// docs/schema-preview.png.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser } from 'playwright-core';

import { resources } from '../../nodes/CyberArkIdentity/CyberArkIdentity.node';

/** Every operation's output schema, by resource and operation: what the build writes into the package. */
const outputSchemas = () =>
	Object.fromEntries(
		Object.entries(resources).map(([resource, operations]) => [
			resource,
			Object.fromEntries(Object.entries(operations).map(([name, operation]) => [name, operation.output])),
		]),
	);
import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

const n8nTools = require('../../scripts/n8n');

const PORT = Number(process.env.SCHEMAS_N8N_PORT ?? 6110);
const NODE_TYPE = 'n8n-nodes-cyberark-identity.cyberArkIdentity';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VERSION: string = n8nTools.N8N_VERSION;
// The browser step follows n8n 2.x's editor (its test ids); on 1.x the HTTP checks run.
const ARTIFACTS =
	process.env.E2E_ARTIFACTS_DIR ??
	path.join(n8nTools.ROOT, 'test', 'e2e', 'artifacts', `schemas-n8n-${VERSION}`);
const browserTest =
	Number(VERSION.split('.')[0]) >= 2 && process.env.SKIP_BROWSER_TESTS !== '1' ? test : test.skip;

/** Manual Trigger → CyberArk Create (never run) → Edit Fields: the editor previews Create's output from its schema. */
const PREVIEW_WORKFLOW = {
	id: 'schemaPreview',
	name: 'Schema preview',
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
			name: 'Create user',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [220, 0],
			credentials: { cyberArkIdentityApi: n8nTools.CREDENTIAL },
			parameters: {
				resource: 'user',
				operation: 'create',
				userName: 'jane@example.com',
				email: 'jane@acme.test',
			},
		},
		{
			id: 's',
			name: 'Next step',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [440, 0],
			parameters: {},
		},
	],
	connections: {
		Start: { main: [[{ node: 'Create user', type: 'main', index: 0 }]] },
		'Create user': { main: [[{ node: 'Next step', type: 'main', index: 0 }]] },
	},
};

let sandbox: Sandbox;
let server: { url: string; stop: () => Promise<void>; output: () => string };
let userFolder: string;
let installedNodeDir: string;

beforeAll(async () => {
	sandbox = await startSandbox({});
	const n8n = n8nTools.ensureN8n();
	userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-schemas-e2e-'));
	const env = await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), {
		tenantOrigin: sandbox.url,
		workflows: [PREVIEW_WORKFLOW],
	});
	installedNodeDir = path.join(
		userFolder,
		'.n8n',
		'nodes',
		'node_modules',
		'n8n-nodes-cyberark-identity',
		'dist',
		'nodes',
		'CyberArkIdentity',
	);
	server = await n8nTools.startServer(
		n8n,
		{ ...env, ...n8nTools.ownerEnv(n8n), N8N_RUNNERS_BROKER_PORT: String(PORT + 1) },
		{ port: PORT },
	);
});

afterAll(async () => {
	await server?.stop();
	await sandbox?.close();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

/** The editor's version string for a node version: padded to three parts (its schema preview does this). */
const editorVersion = (version: number) =>
	String(version).split('.').concat(['0', '0']).slice(0, 3).join('.');

test('the installed package carries a schema file for every operation', () => {
	for (const [resource, operations] of Object.entries(outputSchemas())) {
		for (const operation of Object.keys(operations)) {
			expect(
				fs.existsSync(path.join(installedNodeDir, '__schema__', 'v1.0.0', resource, `${operation}.json`)),
			).toBe(true);
		}
	}
});

test('n8n serves every schema at the URL its editor asks for, unauthenticated, with the packaged content', async () => {
	// The node's version as n8n reports it to the editor, and the URL the editor builds from it.
	const api = await n8nTools.login(server.url);
	const types = (await (await api('/types/nodes.json')).json()) as Array<{
		name: string;
		version: number | number[];
	}>;
	const node = types.find((t) => t.name === NODE_TYPE);
	expect(node).toBeDefined();
	const version = editorVersion([node!.version].flat().slice(-1)[0]);
	expect(version).toBe('1.0.0');

	const served: string[] = [];
	for (const [resource, operations] of Object.entries(outputSchemas())) {
		for (const [operation, schema] of Object.entries(operations)) {
			const url = `${server.url}/schemas/${NODE_TYPE}/${version}/${resource}/${operation}.json`;
			const response = await fetch(url);
			expect({ url, status: response.status }).toEqual({ url, status: 200 });
			const body = await response.json();
			expect(body).toEqual(schema);
			// What the editor's schema preview accepts: an object schema with properties.
			expect(body.type).toBe('object');
			expect(Object.keys(body.properties).length).toBeGreaterThan(0);
			served.push(`${resource}/${operation}`);
		}
	}
	expect(served).toContain('user/create');
	expect(served).toHaveLength(Object.values(resources).flatMap((ops) => Object.keys(ops)).length);
});

test('an operation, version or node without a schema answers 404', async () => {
	for (const url of [
		`/schemas/${NODE_TYPE}/1.0.0/user/noSuchOperation.json`,
		`/schemas/${NODE_TYPE}/2.0.0/user/create.json`,
		`/schemas/n8n-nodes-cyberark-identity.noSuchNode/1.0.0/user/create.json`,
		`/schemas/${NODE_TYPE}/1.0.0/..%2F..%2F..%2Fpackage.json`,
	]) {
		const response = await fetch(`${server.url}${url}`);
		expect({ url, status: response.status }).toEqual({ url, status: 404 });
	}
});

browserTest(
	"the editor shows an unexecuted Create's output fields, read from its schema, in the next node",
	async () => {
		if (!fs.existsSync(CHROMIUM)) {
			throw new Error(
				`The browser step needs Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (or CHROMIUM_PATH; SKIP_BROWSER_TESTS=1 skips it).`,
			);
		}
		const { chromium, selectors } = await import('playwright-core');
		selectors.setTestIdAttribute('data-test-id');
		let browser: Browser | undefined;
		try {
			browser = await chromium.launch({
				executablePath: CHROMIUM,
				args: ['--no-sandbox', '--disable-dev-shm-usage'],
			});
			const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
			page.setDefaultTimeout(30_000);
			const schemaRequests: Array<{ url: string; status: number }> = [];
			page.on('response', (r) => {
				if (r.url().includes('/schemas/'))
					schemaRequests.push({ url: new URL(r.url()).pathname, status: r.status() });
			});
			await page.goto(`${server.url}/signin`);
			await page.getByTestId('emailOrLdapLoginId').locator('input').fill(n8nTools.OWNER.email);
			await page.getByTestId('password').locator('input').fill(n8nTools.OWNER.password);
			await page.getByTestId('form-submit-button').click();
			await page.waitForURL((url) => !url.pathname.includes('signin'));

			await page.goto(`${server.url}/workflow/${PREVIEW_WORKFLOW.id}`);
			await page.getByTestId('canvas-node').filter({ hasText: 'Next step' }).dblclick();
			const input = page.getByTestId('ndv-input-panel');
			// Keys only the schema can tell: Create never ran, and these are not among its parameters' values.
			for (const key of ['created', 'sendSmsInvite', 'createdAt'])
				await input.getByText(key, { exact: true }).first().waitFor();
			expect(schemaRequests).toContainEqual({
				url: `/schemas/${NODE_TYPE}/1.0.0/user/create.json`,
				status: 200,
			});
			fs.mkdirSync(ARTIFACTS, { recursive: true });
			const shot = path.join(ARTIFACTS, 'schema-preview.png');
			await page.screenshot({ path: shot });
			process.stdout.write(`\nSchema preview screenshot: ${shot}\n`);
			if (process.env.UPDATE_DOCS_SCREENSHOTS === '1')
				fs.copyFileSync(shot, path.join(n8nTools.ROOT, 'docs', 'schema-preview.png'));
		} finally {
			await browser?.close();
		}
	},
);
