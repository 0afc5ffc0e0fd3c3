// Output schemas, end to end: a real n8n (N8N_VERSION, 2.41.1 by default) with the packed package
// serves /schemas/n8n-nodes-cyberark-identity.cyberArkIdentity/<version>/<resource>/<operation>.json
// from the package's dist/nodes/CyberArkIdentity/__schema__/, as its editor asks for them (no login:
// the editor fetches them without credentials), for the version string the editor derives from the
// node's version (1 → "1.0.0").
//
// Environment: SCHEMAS_N8N_PORT (default 6110; the task runner broker uses the next port).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { outputSchemas } from '../../nodes/CyberArkIdentity/outputSchemas';
import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

const n8nTools = require('../../scripts/n8n');

const PORT = Number(process.env.SCHEMAS_N8N_PORT ?? 6110);
const NODE_TYPE = 'n8n-nodes-cyberark-identity.cyberArkIdentity';

let sandbox: Sandbox;
let server: { url: string; stop: () => Promise<void>; output: () => string };
let userFolder: string;
let installedNodeDir: string;

beforeAll(async () => {
	sandbox = await startSandbox({});
	const n8n = n8nTools.ensureN8n();
	userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-schemas-e2e-'));
	const env = await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), { tenantOrigin: sandbox.url, workflows: [] });
	installedNodeDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-cyberark-identity', 'dist', 'nodes', 'CyberArkIdentity');
	server = await n8nTools.startServer(n8n, { ...env, ...n8nTools.ownerEnv(n8n), N8N_RUNNERS_BROKER_PORT: String(PORT + 1) }, { port: PORT });
});

afterAll(async () => {
	await server?.stop();
	await sandbox?.close();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

/** The editor's version string for a node version: padded to three parts (its schema preview does this). */
const editorVersion = (version: number) => String(version).split('.').concat(['0', '0']).slice(0, 3).join('.');

test('the installed package carries a schema file for every operation', () => {
	for (const [resource, operations] of Object.entries(outputSchemas())) {
		for (const operation of Object.keys(operations)) {
			expect(fs.existsSync(path.join(installedNodeDir, '__schema__', 'v1.0.0', resource, `${operation}.json`))).toBe(true);
		}
	}
});

test('n8n serves every schema at the URL its editor asks for, unauthenticated, with the packaged content', async () => {
	// The node's version as n8n reports it to the editor, and the URL the editor builds from it.
	const api = await n8nTools.login(server.url);
	const types = (await (await api('/types/nodes.json')).json()) as Array<{ name: string; version: number | number[] }>;
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
	expect(served).toHaveLength(16);
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
