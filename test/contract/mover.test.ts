// Finding 1 of issue 19: against a tenant that answers a user's roles as CyberArk's own scripts read
// them (the role ID in Results[].Entities[].Key, no Row.ID), a mover between managed roles must leave
// the old role. Create or Update reads a handful of people's roles one user at a time
// (GetUsersRolesAndAdministrativeRights), which is the path these runs take.
import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';
import { CredentialStore, roleEntries, runNode } from '../harness';

let sandbox: Sandbox;
let store: CredentialStore;
const roleId: Record<string, string> = {};

beforeEach(async () => {
	sandbox = await startSandbox({
		roles: ['Engineering', 'Finance', 'Sales'].map((Name) => ({ Name, Description: '' })),
	});
	store = new CredentialStore(sandbox.credentials());
	for (const role of sandbox.directory.roles.values()) roleId[role.Name] = role.ID;
});
afterEach(async () => sandbox.close());

const roleNames = (login: string) =>
	sandbox.directory
		.rolesOf(sandbox.directory.findByName(login)!.Uuid)
		.map((r: { Name: string }) => r.Name)
		.filter((n: string) => n !== 'Everybody')
		.sort();

test('a mover from Sales to Engineering leaves Sales, read from Entities[].Key', async () => {
	const d = sandbox.directory;
	const id = d.createUser({ Name: 'ada@example.com', Mail: 'ada@acme.test', SendEmailInvite: false });
	d.updateRole({ Name: roleId.Sales, Users: { Add: [id] } });

	const result = await runNode(store, {
		resource: 'user',
		operation: 'upsert',
		userName: 'ada@example.com',
		email: 'ada@acme.test',
		additionalFields: { roles: roleEntries('Engineering'), sendEmailInvite: false },
		// Leaving Sales takes access away: in a tenant of four users that is 25 %, over the default 20 %.
		options: { managedRoles: roleEntries('Engineering', 'Finance', 'Sales'), maxDeprovisionPercent: 100 },
	});
	expect(result.error).toBeUndefined();
	expect(result.items.map((i) => i.json)).toEqual([
		expect.objectContaining({
			action: 'updated',
			rolesAdded: [{ id: roleId.Engineering, name: 'Engineering' }],
			rolesRemoved: [{ id: roleId.Sales, name: 'Sales' }],
		}),
	]);
	expect(roleNames('ada@example.com')).toEqual(['Engineering']);
	// The run read the user's roles with the per-user call, whose answer has no Row.ID.
	expect(sandbox.counters.calls['/usermgmt/getusersrolesandadministrativerights']).toBe(1);
});

test('a tenant answering a role with no ID in any known form stops the run, naming the endpoint and npm run smoke', async () => {
	const d = sandbox.directory;
	const id = d.createUser({ Name: 'ada@example.com', Mail: 'ada@acme.test', SendEmailInvite: false });
	d.updateRole({ Name: roleId.Sales, Users: { Add: [id] } });
	// Stand in for such a tenant: the sandbox's answer without the entities.
	const call = sandbox.call.bind(sandbox);
	sandbox.call = ((path: string, url: URL, body: object, session: object) => {
		const answer = call(path, url, body, session) as { Results: Array<{ Row: object }> };
		if (path !== '/usermgmt/getusersrolesandadministrativerights') return answer;
		return { ...answer, Results: answer.Results.map((r) => ({ Row: r.Row })) };
	}) as typeof sandbox.call;
	const result = await runNode(store, {
		resource: 'user',
		operation: 'upsert',
		userName: 'ada@example.com',
		email: 'ada@acme.test',
		additionalFields: { roles: roleEntries('Engineering'), sendEmailInvite: false },
		options: { managedRoles: roleEntries('Engineering', 'Finance', 'Sales') },
	});
	expect(result.error?.message).toContain('/UserMgmt/GetUsersRolesAndAdministrativeRights');
	expect(result.error?.message).toContain('role ID');
	expect(result.error?.description).toContain('npm run smoke');
	expect(roleNames('ada@example.com')).toEqual(['Sales']);
	expect(sandbox.counters.calls['/roles/updaterole']).toBeUndefined();
});
