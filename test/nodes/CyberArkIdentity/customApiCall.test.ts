// Custom API Call: a POST to any path of the credential's tenant, the token handled by the credential,
// through the same client as every operation (CyberArk's envelope, Dry Run, no other host).
import { jsonBody, tenantPath } from '../../../nodes/CyberArkIdentity/actions/customApiCall/call';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { CredentialStore, runNode } from '../../harness';

let sandbox: Sandbox;
let store: CredentialStore;
let jane: string;

beforeEach(async () => {
	sandbox = await startSandbox();
	store = new CredentialStore(sandbox.credentials());
	jane = sandbox.directory.createUser({
		Name: 'jane@example.com',
		Mail: 'jane@acme.test',
		SendEmailInvite: false,
	});
	sandbox.resetCounters();
});
afterEach(async () => sandbox.close());

const call = (parameters: object) => ({ resource: 'customApiCall', operation: 'call', ...parameters });

test("POSTs to the path on the credential's tenant with the token and outputs CyberArk's answer", async () => {
	const result = await runNode(store, call({ path: '/Security/whoami' }), [{}, {}]);
	expect(result.error).toBeUndefined();
	expect(result.items.map((i) => i.json)).toEqual([
		{ success: true, Result: expect.objectContaining({ User: 'provisioner@example.com' }) },
		{ success: true, Result: expect.objectContaining({ User: 'provisioner@example.com' }) },
	]);
	expect(sandbox.counters.calls['/security/whoami']).toBe(2);
	expect(sandbox.counters.tokensIssued).toBe(1);
});

test('sends the JSON body and the query parameters; an expression may give the body as an object', async () => {
	const [user] = (
		await runNode(store, call({ path: 'CDirectoryService/GetUser', body: '={{ { ID: $json.id } }}' }), [
			{ id: jane },
		])
	).items;
	expect(user.json.Result).toMatchObject({ Name: 'jane@example.com' });
	const signedOut = await runNode(
		store,
		call({
			path: '/UserMgmt/SignOutEverywhere',
			queryParameters: { parameter: [{ name: 'ID', value: '={{ $json.id }}' }] },
		}),
		[{ id: jane }],
	);
	expect(signedOut.items[0].json).toEqual({ success: true, Result: null });
	expect(sandbox.signOuts).toEqual([jane]);
});

test("a refusal is an error with CyberArk's message; with Continue On Fail the item names its path first", async () => {
	const result = await runNode(
		store,
		call({ path: '/CDirectoryService/GetUser', body: '{"ID": "00000000-0000-4000-8000-000000000000"}' }),
		[{}],
		{ continueOnFail: true },
	);
	expect(result.items[0].json).toEqual({
		path: '/CDirectoryService/GetUser',
		error: 'User 00000000-0000-4000-8000-000000000000 not found.',
	});
});

test('Dry Run shows the request and sends nothing', async () => {
	const result = await runNode(
		store,
		call({ path: '/CDirectoryService/DeleteUser', body: JSON.stringify({ ID: jane }), dryRun: true }),
	);
	expect(result.items[0].json).toEqual({
		dryRun: true,
		action: 'call',
		requests: [{ path: '/CDirectoryService/DeleteUser', body: { ID: jane } }],
	});
	expect(sandbox.counters.calls['/cdirectoryservice/deleteuser']).toBeUndefined();
	expect(sandbox.directory.users.has(jane)).toBe(true);
});

test('a path that is not one of the tenant: refused before anything is sent', async () => {
	for (const path of [
		'https://elsewhere.example/Security/whoami',
		'//elsewhere.example/x',
		'/a/../b',
		'/x?y=1',
		'={{ "" }}',
		'/a b',
	]) {
		const result = await runNode(store, call({ path }));
		expect([path, result.error?.message]).toEqual([path, expect.stringMatching(/^Path /)]);
	}
	expect(sandbox.counters.managementRequests).toBe(0);
});

test('tenantPath and jsonBody', () => {
	expect(tenantPath(' Security/whoami ')).toBe('/Security/whoami');
	expect(tenantPath('/UserMgmt/GetUserAttributes')).toBe('/UserMgmt/GetUserAttributes');
	expect(jsonBody('')).toEqual({});
	expect(jsonBody({ ID: 'x' })).toEqual({ ID: 'x' });
	expect(() => jsonBody('{nope')).toThrow('Body is not valid JSON');
	expect(() => jsonBody('[1]')).toThrow('Body must be a JSON object');
});
