// End-to-end: the nightly HR sync example (examples/hr-sync.json) on a real n8n (2.41.1 by default,
// N8N_VERSION to change) with the packed package, against the sandbox tenant: Dry Run as shipped,
// then the same roster live, twice, the second time with zero writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';
import { writesByPath } from '../writes';

const n8nTools = require('../../scripts/n8n');

// This suite's own ports: the sandbox, and n8n's task broker (`n8n execute` starts one).
const SANDBOX_PORT = Number(process.env.HR_SYNC_SANDBOX_PORT ?? 4410);
const PORTS = { N8N_PORT: '6010', N8N_RUNNERS_BROKER_PORT: '6011' };
let sandbox: Sandbox;
let n8n: { version: string; dir: string };
let env: Record<string, string>;
let userFolder: string;

const example = () =>
	JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'hr-sync.json'), 'utf8'));

const writes = () => writesByPath(sandbox.counters.calls);

async function execute(id: string) {
	const result = await n8nTools.n8nCommand(n8n, env, ['execute', `--id=${id}`, '--rawOutput']);
	const json = n8nTools.executionJson(result.stdout);
	if (!json)
		throw new Error(`n8n printed no result (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
	return { ...result, json };
}

function output(
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

const roleId = (name: string) => [...sandbox.directory.roles.values()].find((r) => r.Name === name)!.ID;
const attributesOf = (login: string) =>
	sandbox.lifecycle.extendedValues.get(sandbox.directory.findByName(login)!.Uuid);
const rolesOf = (login: string) =>
	sandbox.directory
		.rolesOf(sandbox.directory.findByName(login)!.Uuid)
		.map((r: { Name: string }) => r.Name)
		.filter((n: string) => n !== 'Everybody')
		.sort();

beforeAll(
	async () => {
		n8n = n8nTools.ensureN8n();
		sandbox = await startSandbox({ port: SANDBOX_PORT });
		// Before the sync: Alan is in the wrong department, Edsger is about to leave, Linus left HR's roster.
		const d = sandbox.directory;
		const alan = d.createUser({
			Name: 'alan.turing@example.com',
			Mail: 'alan@acme.test',
			DisplayName: 'Alan Turing',
			SendEmailInvite: false,
		});
		const edsger = d.createUser({
			Name: 'edsger.dijkstra@example.com',
			Mail: 'edsger@acme.test',
			DisplayName: 'Edsger Dijkstra',
			SendEmailInvite: false,
		});
		const linus = d.createUser({
			Name: 'linus.torvalds@example.com',
			Mail: 'linus@acme.test',
			DisplayName: 'Linus Torvalds',
			SendEmailInvite: false,
		});
		d.updateRole({ Name: roleId('Sales'), Users: { Add: [alan] } });
		d.updateRole({ Name: roleId('Finance'), Users: { Add: [edsger] } });
		d.updateRole({ Name: roleId('HR Sync'), Users: { Add: [alan, edsger, linus] } });

		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-hr-sync-'));
		const live = example();
		live.id = 'exHrSyncLive';
		live.name = `${live.name} (live)`;
		const liveSync = live.nodes.find((n: { name: string }) => n.name === 'Sync to CyberArk');
		liveSync.parameters.dryRun = false;
		// This tenant syncs three people, so one leaver is a third of them: the percentage limit (20 % as
		// shipped) would stop the run, as it should for a real roster. Raised for this run, as the run's
		// own message says to.
		liveSync.parameters.options.maxDeprovisionPercent = 100;
		// One mover, Alan, from Engineering to Finance, synced on his own (no deprovisioning): a run of a
		// handful of people reads each one's roles with GetUsersRolesAndAdministrativeRights.
		const mover = JSON.parse(JSON.stringify(live));
		mover.id = 'exHrSyncMover';
		mover.name = `${live.name} (one mover)`;
		mover.nodes.find((n: { name: string }) => n.name === 'HR roster').parameters.jsCode =
			"return [{ json: { login: 'alan.turing@example.com', email: 'alan@acme.test', name: 'Alan Turing', department: 'Finance', status: 'active' } }];";
		mover.nodes.find(
			(n: { name: string }) => n.name === 'Sync to CyberArk',
		).parameters.options.deprovisionMissing = false;
		const workflows = [example(), live, mover].map((w) =>
			JSON.parse(JSON.stringify(w).split(n8nTools.SANDBOX_ORIGIN).join(sandbox.url)),
		);
		await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), {
			tenantOrigin: sandbox.url,
			workflows,
		});
		env = n8nTools.n8nEnv(n8n, userFolder, { ...PORTS, N8N_LOG_LEVEL: 'info' });
	},
	30 * 60 * 1000,
);

afterAll(async () => {
	await sandbox?.close();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

test('the example as shipped (Dry Run on) reports the plan and writes nothing', async () => {
	sandbox.resetCounters();
	const run = await execute('exHrSync');
	expect(run.code).toBe(0);
	expect(writes()).toEqual({});
	const [summary] = output(run.json, 'What would change');
	expect(summary).toMatchObject({
		dryRun: true,
		people: 5,
		created: 3,
		updated: 1,
		disabled: 1,
		deprovisioned: 1,
		unchanged: 0,
		failed: 0,
	});
	const synced = output(run.json, 'Sync to CyberArk');
	expect(synced.map((s) => [s.action, s.userName])).toEqual([
		['created', 'ada.lovelace@example.com'],
		['updated', 'alan.turing@example.com'],
		['created', 'grace.hopper@example.com'],
		['created', 'barbara.liskov@example.com'],
		['disabled', 'edsger.dijkstra@example.com'],
		['deprovisioned', 'linus.torvalds@example.com'],
	]);
	// Who moved where, by name: the summary tells Alan went from Sales to Engineering.
	expect(synced[1]).toMatchObject({
		rolesAdded: [{ id: roleId('Engineering'), name: 'Engineering' }],
		rolesRemoved: [{ id: roleId('Sales'), name: 'Sales' }],
		extendedAttributes: {
			EmployeeID: { from: null, to: 'E-1002' },
			CostCenter: { from: null, to: 'CC-100' },
		},
		requests: expect.arrayContaining([
			{
				path: '/ExtData/SetColumns',
				body: {
					Table: 'users',
					ID: sandbox.directory.findByName('alan.turing@example.com')!.Uuid,
					Columns: { EmployeeID: 'E-1002', CostCenter: 'CC-100' },
				},
			},
		]),
	});
	expect(Object.keys(synced[0])[0]).toBe('dryRun');
	expect(summary.changes).toContainEqual(
		expect.objectContaining({
			userName: 'alan.turing@example.com',
			rolesAdded: [expect.objectContaining({ name: 'Engineering' })],
			rolesRemoved: [expect.objectContaining({ name: 'Sales' })],
		}),
	);
	expect(sandbox.directory.findByName('ada.lovelace@example.com')).toBeUndefined();
	expect(sandbox.lifecycle.extendedValues.size).toBe(0);
});

test('live: the roster applied, then applied again with zero writes', async () => {
	sandbox.resetCounters();
	const first = await execute('exHrSyncLive');
	expect(first.code).toBe(0);
	const firstCounters = { requests: sandbox.counters.managementRequests, writes: writes() };
	expect(output(first.json, 'What would change')[0]).toMatchObject({
		dryRun: false,
		created: 3,
		updated: 1,
		disabled: 1,
		deprovisioned: 1,
		failed: 0,
	});
	expect(rolesOf('ada.lovelace@example.com')).toEqual(['Engineering', 'HR Sync']);
	expect(rolesOf('alan.turing@example.com')).toEqual(['Engineering', 'HR Sync']);
	expect(
		sandbox.directory.attributes(sandbox.directory.findByName('edsger.dijkstra@example.com')).State,
	).toBe('Disabled');
	expect(sandbox.directory.attributes(sandbox.directory.findByName('linus.torvalds@example.com')).State).toBe(
		'Disabled',
	);
	// Employee ID and cost center from the roster, for everyone in it (the leaver in the roster too).
	expect(attributesOf('ada.lovelace@example.com')).toEqual({ EmployeeID: 'E-1001', CostCenter: 'CC-100' });
	expect(attributesOf('edsger.dijkstra@example.com')).toEqual({ EmployeeID: 'E-1005', CostCenter: 'CC-200' });
	expect(attributesOf('linus.torvalds@example.com')).toBeUndefined();

	sandbox.resetCounters();
	const second = await execute('exHrSyncLive');
	expect(second.code).toBe(0);
	const [summary] = output(second.json, 'What would change');
	expect(summary).toMatchObject({
		people: 5,
		unchanged: 5,
		created: 0,
		updated: 0,
		disabled: 0,
		deprovisioned: 0,
		failed: 0,
	});
	expect(writes()).toEqual({});
	process.stdout.write(
		`HR sync on n8n ${n8n.version}, 5 people: first run ${firstCounters.requests} requests (writes ${JSON.stringify(firstCounters.writes)}); ` +
			`second run ${sandbox.counters.managementRequests} requests, ${Object.keys(writes()).length} write paths, calls ${JSON.stringify(sandbox.counters.calls)}\n`,
	);
	// Reads only: whoami (the caller, never written), the role list, one user query, one GetRoleMembers per
	// role (3 managed + scope), one query for the scope's leavers, GetUserAttributes for the row with Active
	// off and the leaver left from the first run (a decision to disable never rests on Status), and one
	// GetColumns per person in the roster (each row gives extended attributes).
	expect(sandbox.counters.calls['/extdata/getcolumns']).toBe(5);
	expect(sandbox.counters.managementRequests).toBeLessThanOrEqual(15);
});

test('a mover between managed roles leaves the old role, against roles answered by Entities[].Key without Row.ID', async () => {
	// The sandbox answers a user's roles as CyberArk's own scripts read them: the role ID only in Entities[].Key.
	const answer = sandbox.call(
		'/usermgmt/getusersrolesandadministrativerights',
		new URL(`${sandbox.url}/?ID=${sandbox.directory.findByName('alan.turing@example.com')!.Uuid}`),
		{},
		{ subject: sandbox.owner },
	) as { Results: Array<{ Entities: Array<{ Key: string }>; Row: Record<string, unknown> }> };
	expect(answer.Results.length).toBeGreaterThan(0);
	for (const r of answer.Results) {
		expect(r.Row).not.toHaveProperty('ID');
		expect(r.Entities[0].Key).toEqual(expect.any(String));
	}
	expect(rolesOf('alan.turing@example.com')).toEqual(['Engineering', 'HR Sync']);

	sandbox.resetCounters();
	const run = await execute('exHrSyncMover');
	expect(run.code).toBe(0);
	expect(output(run.json, 'Sync to CyberArk')).toEqual([
		expect.objectContaining({
			action: 'updated',
			userName: 'alan.turing@example.com',
			rolesAdded: [{ id: roleId('Finance'), name: 'Finance' }],
			rolesRemoved: [{ id: roleId('Engineering'), name: 'Engineering' }],
		}),
	]);
	expect(sandbox.counters.calls['/usermgmt/getusersrolesandadministrativerights']).toBe(1);
	expect(rolesOf('alan.turing@example.com')).toEqual(['Finance', 'HR Sync']);
});
