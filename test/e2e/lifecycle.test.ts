// End-to-end in a real n8n (the packed package, `n8n execute`): the lifecycle operations of issue 20 —
// sign-out everywhere (alone, on Disable by default, not with the option off), invitations, MFA
// exemption, extended attributes, and roles created, renamed, read and deleted — and the offboarding
// example signing the leaver out. Each person holds a real session on the sandbox tenant.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';
import { logIn, signedIn } from '../sessions';

const n8nTools = require('../../scripts/n8n');

const SECRET = 'E2e-Lifecycle-Secret-4242';
const PASSWORD = 'E2e-Lifecycle-Owner-4343';
const PERSON_PASSWORD = 'Person-Passw0rd-1';
const CA = 'n8n-nodes-cyberark-identity.cyberArkIdentity';
const credentials = { cyberArkIdentityApi: { id: 'cyberArkSandbox', name: 'CyberArk Identity (sandbox)' } };

let sandbox: Sandbox;
let n8n: { version: string; dir: string };
let env: Record<string, string>;
let userFolder: string;

type Json = Record<string, unknown>;
type Execution = {
	data: { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: Json }>> } }>> } };
};

/** A CyberArk Identity node in a workflow. */
function node(name: string, parameters: Json) {
	return { id: name, name, type: CA, typeVersion: 1, position: [0, 0], credentials, parameters };
}

/** A workflow: Start, then the nodes one after the other. */
function chain(id: string, nodes: Json[]) {
	const all = [
		{
			id: 'start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...nodes,
	];
	const connections: Json = {};
	for (let i = 0; i < all.length - 1; i++)
		connections[all[i].name as string] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes: all, connections };
}

const byLogin = (value: string) => ({ __rl: true, mode: 'userName', value });
const roleByName = (value: string) => ({ __rl: true, mode: 'name', value });
const roleById = (expression: string) => ({ __rl: true, mode: 'id', value: `={{ ${expression} }}` });

/** Runs a workflow with `n8n execute`; tolerates only the known isolated-vm crash at exit, after complete output. */
async function execute(id: string) {
	const result = await n8nTools.n8nCommand(n8n, env, ['execute', `--id=${id}`, '--rawOutput']);
	const json = n8nTools.executionJson(result.stdout) as (Execution & { status?: string }) | undefined;
	const crashedAfterOutput = result.code === 139 || result.signal === 'SIGSEGV';
	if (crashedAfterOutput && !json) throw new Error(`n8n crashed before printing a result:\n${result.stdout}`);
	const ok = result.code === 0 || (crashedAfterOutput && json?.status === 'success');
	if (!ok) throw new Error(`execution failed:\n${result.stdout}\n${result.stderr}`);
	return { json: json!, text: `${result.stdout}${result.stderr}` };
}

const output = (run: { json: Execution }, name: string) =>
	run.json.data.resultData.runData[name][0].data.main[0].map((item) => item.json);

beforeAll(
	async () => {
		n8n = n8nTools.ensureN8n();
		sandbox = await startSandbox({ tenant: { clientSecret: SECRET, password: PASSWORD } });
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-lifecycle-'));
		await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), { tenantOrigin: sandbox.url });
		env = n8nTools.n8nEnv(n8n, userFolder, { N8N_LOG_LEVEL: 'info' });
		const lifecycle = chain('e2eLifecycle', [
			node('Create role', {
				resource: 'role',
				operation: 'create',
				roleName: 'Auditors',
				additionalFields: { description: 'External audit' },
			}),
			node('Create role again', {
				resource: 'role',
				operation: 'create',
				roleName: 'Auditors',
				options: { onExisting: 'returnExisting' },
			}),
			node('Rename role', {
				resource: 'role',
				operation: 'update',
				roleId: roleById("$('Create role').item.json.id"),
				updateFields: { newName: 'Auditors EMEA' },
			}),
			node('Finance apps', { resource: 'role', operation: 'getApplications', roleId: roleByName('Finance') }),
			node('Invite', { resource: 'user', operation: 'sendInvite', userId: byLogin('grace@example.com') }),
			node('Exempt from MFA', {
				resource: 'user',
				operation: 'exemptFromMfa',
				userId: byLogin('grace@example.com'),
				minutes: 20,
			}),
			node('Set attributes', {
				resource: 'user',
				operation: 'setExtendedAttributes',
				userId: byLogin('grace@example.com'),
				extendedAttributes: {
					attribute: [
						{ name: 'EmployeeID', value: 'E-42' },
						{ name: 'CostCenter', value: 'CC-7' },
					],
				},
			}),
			node('Get attributes', {
				resource: 'user',
				operation: 'getExtendedAttributes',
				userId: byLogin('grace@example.com'),
			}),
			node('Sign out', { resource: 'user', operation: 'signOut', userId: byLogin('grace@example.com') }),
			node('Disable, sessions kept', {
				resource: 'user',
				operation: 'disable',
				userId: byLogin('linus@example.com'),
				options: { signOut: false },
			}),
			node('Disable', { resource: 'user', operation: 'disable', userId: byLogin('alan@example.com') }),
			node('Delete role (dry run)', {
				resource: 'role',
				operation: 'delete',
				dryRun: true,
				roleId: roleById("$('Create role').item.json.id"),
			}),
			node('Delete role', {
				resource: 'role',
				operation: 'delete',
				roleId: roleById("$('Create role').item.json.id"),
			}),
		]);
		// The offboarding example ships with Dry Run on; a copy with it off offboards for real.
		const offboarding = n8nTools
			.exampleWorkflows(sandbox.url)
			.find((w: { id: string }) => w.id === 'exOffboarding');
		const file = path.join(userFolder, 'lifecycle.json');
		fs.writeFileSync(file, JSON.stringify([lifecycle, n8nTools.liveCopy(offboarding, 'exOffboardingLive')]));
		expect((await n8nTools.n8nCommand(n8n, env, ['import:workflow', `--input=${file}`])).code).toBe(0);
	},
	30 * 60 * 1000,
);

afterAll(async () => {
	await sandbox?.close();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

/** A person with a session of their own, as a browser or app would hold. */
async function person(name: string, fields: Json = {}) {
	const id = sandbox.directory.createUser({
		Name: name,
		Password: PERSON_PASSWORD,
		SendEmailInvite: false,
		...fields,
	});
	return { id, session: await logIn(sandbox, name, PERSON_PASSWORD) };
}

test('the lifecycle operations in one workflow, run twice', async () => {
	const grace = await person('grace@example.com', { Mail: 'grace@acme.test' });
	const linus = await person('linus@example.com');
	const alan = await person('alan@example.com');
	const finance = [...sandbox.directory.roles.values()].find((r) => r.Name === 'Finance')!.ID;
	const tokensBefore = sandbox.counters.tokensIssued;
	const signOutsBefore = sandbox.counters.calls['/usermgmt/signouteverywhere'] ?? 0;

	const run = await execute('e2eLifecycle');
	const [created] = output(run, 'Create role');
	expect(created).toMatchObject({ name: 'Auditors', description: 'External audit', created: true });
	expect(output(run, 'Create role again')).toEqual([{ ...created, created: false }]);
	expect(output(run, 'Rename role')).toEqual([
		{ id: created.id, name: 'Auditors EMEA', description: 'External audit', updated: true },
	]);
	expect(output(run, 'Finance apps')).toEqual([
		{
			id: expect.any(String),
			name: 'NetSuite',
			description: 'ERP',
			appType: 'Web',
			roleId: finance,
			roleName: 'Finance',
		},
	]);
	expect(output(run, 'Invite')).toEqual([
		{ id: grace.id, userName: 'grace@example.com', emailInvite: true, smsInvite: false },
	]);
	expect(sandbox.lifecycle.invites).toEqual([
		{ userId: grace.id, email: true, sms: false, role: 'Invited Users' },
	]);
	expect(output(run, 'Exempt from MFA')).toEqual([{ id: grace.id, mfaExemptMinutes: 20 }]);
	expect(sandbox.lifecycle.mfaExemptUntil.get(grace.id)! - Date.now()).toBeGreaterThan(19 * 60_000);
	expect(output(run, 'Set attributes')).toEqual([
		{
			id: grace.id,
			attributes: { EmployeeID: 'E-42', CostCenter: 'CC-7' },
			changed: ['EmployeeID', 'CostCenter'],
		},
	]);
	expect(output(run, 'Get attributes')).toEqual([
		{ id: grace.id, attributes: { EmployeeID: 'E-42', CostCenter: 'CC-7' } },
	]);
	expect(output(run, 'Sign out')).toEqual([{ id: grace.id, signedOut: true }]);
	expect(await signedIn(sandbox, grace.session)).toBe(false);

	// Disable signs out by default; with the option off the sessions stay.
	expect(output(run, 'Disable, sessions kept')).toEqual([
		{ id: linus.id, state: 'disabled', signedOut: false },
	]);
	expect(await signedIn(sandbox, linus.session)).toBe(true);
	expect(output(run, 'Disable')).toEqual([{ id: alan.id, state: 'disabled', signedOut: true }]);
	expect(await signedIn(sandbox, alan.session)).toBe(false);
	expect(sandbox.counters.calls['/usermgmt/signouteverywhere'] - signOutsBefore).toBe(2);

	// Dry Run shows the delete and leaves the role; then it is deleted.
	expect(output(run, 'Delete role (dry run)')).toEqual([
		{
			dryRun: true,
			action: 'delete',
			id: created.id,
			name: 'Auditors EMEA',
			requests: [{ path: '/SaasManage/DeleteRole', body: { Name: created.id } }],
		},
	]);
	expect(output(run, 'Delete role')).toEqual([
		{ id: created.id, name: 'Auditors EMEA', description: 'External audit', deleted: true },
	]);
	expect(sandbox.directory.roles.has(created.id as string)).toBe(false);
	expect(sandbox.counters.tokensIssued - tokensBefore).toBe(1);

	// Safe to run twice: the second run recreates and deletes a role of its own, writes no attribute
	// (they already have those values), and signs out again without harm.
	const setsBefore = sandbox.counters.calls['/extdata/setcolumns'];
	const again = await execute('e2eLifecycle');
	expect(output(again, 'Set attributes')[0]).toMatchObject({ changed: [] });
	expect(sandbox.counters.calls['/extdata/setcolumns']).toBe(setsBefore);
	expect(output(again, 'Create role')[0]).toMatchObject({ created: true });
	expect([...sandbox.directory.roles.values()].filter((r) => r.Name.startsWith('Auditors'))).toEqual([]);
	expect(run.text + again.text).not.toContain(SECRET);
	expect(run.text + again.text).not.toContain(PASSWORD);
});

test('example: offboarding, as shipped, previews; with Dry Run off it disables the leaver, signs them out everywhere and removes the role', async () => {
	const ada = await person('ada.lovelace@example.com', { Mail: 'ada@acme.test' });
	const finance = [...sandbox.directory.roles.values()].find((r) => r.Name === 'Finance')!;
	sandbox.directory.updateRole({ Name: finance.ID, Users: { Add: [ada.id] } });
	const preview = await execute('exOffboarding');
	expect(output(preview, 'Disable and sign out')).toEqual([
		expect.objectContaining({ dryRun: true, action: 'disable', id: ada.id }),
	]);
	expect(output(preview, 'Remove from role')).toEqual([
		expect.objectContaining({ dryRun: true, id: ada.id, roleId: finance.ID, roleName: 'Finance' }),
	]);
	expect(sandbox.directory.users.get(ada.id)!.State).not.toBe('Disabled');
	expect(finance.members.has(ada.id)).toBe(true);

	const run = await execute('exOffboardingLive');
	expect(output(run, 'Disable and sign out')).toEqual([{ id: ada.id, state: 'disabled', signedOut: true }]);
	expect(sandbox.directory.users.get(ada.id)!.State).toBe('Disabled');
	expect(await signedIn(sandbox, ada.session)).toBe(false);
	expect(finance.members.has(ada.id)).toBe(false);
});
