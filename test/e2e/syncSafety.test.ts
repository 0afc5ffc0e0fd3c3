// End-to-end: Create or Update's safety rails and bulk writes on a real n8n (2.41.1 by default,
// N8N_VERSION to change) with the packed package, against the sandbox tenant: the budget for taking
// access away, a changed e-mail under Match by Email, Dry Run given as the text "true", signing leavers
// out, the writes of a first run, and the users never deprovisioned (the service user; a disabled user
// whose Status reads Active).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';
import { roleEntries } from '../harness';
import { writesByPath } from '../writes';

const n8nTools = require('../../scripts/n8n');

const PORTS = { N8N_PORT: '6210', N8N_RUNNERS_BROKER_PORT: '6211' };
const CA = 'n8n-nodes-cyberark-identity.cyberArkIdentity';
let sandbox: Sandbox;
let n8n: { version: string; dir: string };
let env: Record<string, string>;
let userFolder: string;

interface Row {
	login: string;
	mail: string;
	active?: boolean;
	dept?: string;
}

const people = (prefix: string, count: number, over: Partial<Row> = {}): Row[] =>
	Array.from({ length: count }, (_, n) => ({
		login: `${prefix}${n}@example.com`,
		mail: `${prefix}${n}@acme.test`,
		dept: ['Engineering', 'Finance', 'Sales'][n % 3],
		...over,
	}));

/** Manual Trigger → a Code node giving `rows` → the CyberArk Identity node with `parameters`. */
function workflow(id: string, rows: Row[], parameters: object) {
	const node = (name: string, type: string, x: number, extra: object) => ({
		id: name,
		name,
		type,
		typeVersion: type === CA ? 1 : type.endsWith('.code') ? 2 : 1,
		position: [x, 0],
		...extra,
	});
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 0, { parameters: {} }),
			node('Rows', 'n8n-nodes-base.code', 200, {
				parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` },
			}),
			node('CyberArk', CA, 400, { credentials: { cyberArkIdentityApi: n8nTools.CREDENTIAL }, parameters }),
		],
		connections: {
			Start: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'CyberArk', type: 'main', index: 0 }]] },
		},
	};
}

function sync(options: object, dryRun: unknown = false) {
	return {
		resource: 'user',
		operation: 'upsert',
		dryRun,
		userName: '={{ $json.login }}',
		email: '={{ $json.mail }}',
		active: '={{ $json.active !== false }}',
		additionalFields: { roles: roleEntries('={{ $json.dept }}'), sendEmailInvite: false },
		options: { managedRoles: roleEntries('Engineering', 'Finance', 'Sales'), ...options },
	};
}

const SCOPES = [
	'Scope Inactive',
	'Scope Email',
	'Scope Dry',
	'Scope First',
	'Scope Leavers',
	'Scope Quiet',
	'Scope Caller',
];

const WORKFLOWS = [
	workflow(
		'ssInactive',
		people('inactive', 25, { active: false }),
		sync({ scopeRole: 'Scope Inactive', maxDeprovision: 10 }),
	),
	workflow(
		'ssEmail',
		[...people('mail', 2), { login: 'mail2@example.com', mail: 'mail2.new@acme.test', dept: 'Sales' }],
		sync({ scopeRole: 'Scope Email', matchBy: 'email', deprovisionMissing: true }),
	),
	workflow('ssDrySync', people('dry', 2), sync({ scopeRole: 'Scope Dry' }, '={{ "true" }}')),
	workflow('ssDryCreate', people('drycreate', 2), {
		resource: 'user',
		operation: 'create',
		dryRun: '={{ "true" }}',
		userName: '={{ $json.login }}',
		email: '={{ $json.mail }}',
		additionalFields: { sendEmailInvite: false },
	}),
	workflow('ssFirst', people('first', 40), sync({ scopeRole: 'Scope First', concurrency: 4 })),
	workflow(
		'ssLeavers',
		people('leaver', 4).slice(0, 3),
		sync({ scopeRole: 'Scope Leavers', deprovisionMissing: true, maxDeprovisionPercent: 50 }),
	),
	workflow(
		'ssCaller',
		[...people('caller', 2), { login: 'caller9@example.com', mail: 'caller2@acme.test', dept: 'Sales' }],
		sync({
			scopeRole: 'Scope Caller',
			deprovisionMissing: true,
			deprovisionAction: 'delete',
			maxDeprovisionPercent: 100,
		}),
	),
	workflow(
		'ssQuiet',
		people('quiet', 4).slice(0, 3),
		sync({ scopeRole: 'Scope Quiet', deprovisionMissing: true, maxDeprovisionPercent: 50, signOut: false }),
	),
];

const writes = () => writesByPath(sandbox.counters.calls);

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function execute(id: string) {
	sandbox.resetCounters();
	const result = await n8nTools.n8nCommand(n8n, env, ['execute', `--id=${id}`, '--rawOutput']);
	const json = n8nTools.executionJson(result.stdout);
	if (!json)
		throw new Error(`n8n printed no result (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
	const runData = json.data.resultData.runData.CyberArk?.[0];
	const items: Array<Record<string, unknown>> = (runData?.data?.main?.[0] ?? []).map(
		(i: { json: Record<string, unknown> }) => i.json,
	);
	return {
		code: result.code as number,
		items,
		error: json.data.resultData.error as { message: string } | undefined,
	};
}

/** Existing users in a scope role (and their department), created directly in the tenant. */
function seed(rows: Row[], scope: string): string[] {
	const d = sandbox.directory;
	const role = (name: string) => [...d.roles.values()].find((r) => r.Name === name)!.ID;
	return rows.map((row) => {
		const id = d.createUser({ Name: row.login, Mail: row.mail, SendEmailInvite: false });
		for (const name of [scope, row.dept!]) d.updateRole({ Name: role(name), Users: { Add: [id] } });
		return id;
	});
}

const state = (login: string) => sandbox.directory.attributes(sandbox.directory.findByName(login)!).State;

beforeAll(
	async () => {
		n8n = n8nTools.ensureN8n();
		sandbox = await startSandbox({
			roles: ['Engineering', 'Finance', 'Sales', ...SCOPES].map((Name) => ({ Name, Description: '' })),
		});
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-sync-safety-'));
		await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), {
			tenantOrigin: sandbox.url,
			workflows: WORKFLOWS,
		});
		env = n8nTools.n8nEnv(n8n, userFolder, PORTS);
	},
	30 * 60 * 1000,
);

afterAll(async () => {
	await sandbox?.close();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

test('a roster turning 25 people inactive with Max Deprovision 10 fails before any write', async () => {
	seed(people('inactive', 25), 'Scope Inactive');
	const run = await execute('ssInactive');
	expect(run.code).toBe(1);
	expect(run.error?.message).toBe(
		'25 people would lose access, more than Max Deprovision (10); nothing was changed',
	);
	expect(writes()).toEqual({});
	expect(people('inactive', 25).every((p) => state(p.login) === 'None')).toBe(true);
});

test('match by email: a person whose e-mail changed is updated, never deprovisioned', async () => {
	const [, , moved] = seed(people('mail', 3), 'Scope Email');
	const run = await execute('ssEmail');
	expect(run.code).toBe(0);
	expect(run.items.map((i) => [i.action, i.userName])).toEqual([
		['unchanged', 'mail0@example.com'],
		['unchanged', 'mail1@example.com'],
		['updated', 'mail2@example.com'],
	]);
	expect(run.items[2]).toMatchObject({
		id: moved,
		changes: { email: { from: 'mail2@acme.test', to: 'mail2.new@acme.test' } },
	});
	expect(writes()).toEqual({ '/cdirectoryservice/changeuser': 1 });
	expect(sandbox.directory.users.get(moved)!.Mail).toBe('mail2.new@acme.test');
	expect(state('mail2@example.com')).toBe('None');
});

test('Dry Run given as the text "true" writes nothing: Create or Update and Create User', async () => {
	for (const id of ['ssDrySync', 'ssDryCreate']) {
		const run = await execute(id);
		expect(run.code).toBe(0);
		expect(writes()).toEqual({});
		expect(run.items.map((i) => [i.dryRun, i.action])).toEqual([
			[true, id === 'ssDrySync' ? 'created' : 'create'],
			[true, id === 'ssDrySync' ? 'created' : 'create'],
		]);
	}
	expect(sandbox.directory.findByName('dry0@example.com')).toBeUndefined();
	expect(sandbox.directory.findByName('drycreate0@example.com')).toBeUndefined();
});

test('a 40-person first run makes at most 1.2 writes per person', async () => {
	const run = await execute('ssFirst');
	expect(run.code).toBe(0);
	expect(run.items.every((i) => i.action === 'created')).toBe(true);
	const counts = writes();
	process.stdout.write(
		`40-person first run on n8n ${n8n.version}: ${total(counts)} writes ${JSON.stringify(counts)}\n`,
	);
	expect(counts['/cdirectoryservice/createuser']).toBe(40);
	expect(total(counts)).toBeLessThanOrEqual(48);
});

test('leavers are signed out everywhere by default, and are not when the option is off', async () => {
	const [, , , leaver] = seed(people('leaver', 4), 'Scope Leavers');
	const on = await execute('ssLeavers');
	expect(on.code).toBe(0);
	expect(on.items[3]).toMatchObject({ action: 'deprovisioned', id: leaver, signedOut: true });
	expect(writes()).toEqual({ '/cdirectoryservice/setuserstate': 1, '/usermgmt/signouteverywhere': 1 });
	expect(sandbox.signOuts).toEqual([leaver]);

	const [, , , quiet] = seed(people('quiet', 4), 'Scope Quiet');
	const off = await execute('ssQuiet');
	expect(off.code).toBe(0);
	expect(off.items[3]).toMatchObject({ action: 'deprovisioned', id: quiet });
	expect(off.items[3].signedOut).toBeUndefined();
	expect(writes()).toEqual({ '/cdirectoryservice/setuserstate': 1 });
	expect(sandbox.signOuts).toEqual([leaver]);
	expect(state('quiet3@example.com')).toBe('Disabled');
});

test('the service user and a disabled leaver whose Status reads Active are never deprovisioned; an e-mail does not claim the disabled one', async () => {
	const [, , disabled] = seed(people('caller', 3), 'Scope Caller');
	const d = sandbox.directory;
	d.setState(disabled, 'Disabled');
	// The user the credential signs in as, in the scope role by mistake; a tenant whose Status reads
	// Active for a disabled user.
	[...d.roles.values()].find((r) => r.Name === 'Scope Caller')!.members.add(sandbox.owner.Uuid);
	sandbox.knobs.statusWhenNotActive = 'Active';
	try {
		const run = await execute('ssCaller');
		expect(run.code).toBe(0);
		expect(run.items.map((i) => [i.action, i.userName])).toEqual([
			['unchanged', 'caller0@example.com'],
			['unchanged', 'caller1@example.com'],
			['created', 'caller9@example.com'],
		]);
		expect(Object.keys(writes()).sort()).toEqual(['/cdirectoryservice/createuser', '/roles/updaterole']);
		expect(d.users.get(disabled)!.Name).toBe('caller2@example.com');
		expect(state('caller2@example.com')).toBe('Disabled');
		expect(d.users.has(sandbox.owner.Uuid)).toBe(true);
	} finally {
		sandbox.knobs.statusWhenNotActive = 'Suspended';
	}
});
