// Finding a user by login name: "no such user" only when CyberArk says so unambiguously.
import type { IDataObject } from 'n8n-workflow';

import { resources } from '../../../../nodes/CyberArkIdentity/CyberArkIdentity.node';
import { ENDPOINT } from '../../../../nodes/shared/endpoints';
import { Failure } from '../../../../sandbox/directory';
import type { Sandbox } from '../../../../sandbox/server';
import { startSandbox } from '../../../../sandbox/server';
import { CredentialStore, runNode } from '../../../harness';

const NOT_AUTHORIZED = 'You are not authorized to perform this operation. Please contact your IT helpdesk.';

let sandbox: Sandbox;
let store: CredentialStore;
beforeEach(async () => {
	sandbox = await startSandbox();
	store = new CredentialStore(sandbox.credentials());
});
afterEach(async () => sandbox.close());

/** The tenant refuses these lower-case paths with success:false and a message that is not "not found". */
function refuse(paths: string[]) {
	const call = sandbox.call.bind(sandbox);
	sandbox.call = (path: string, url: URL, body: IDataObject, session: object) => {
		if (paths.includes(path)) throw new Failure(NOT_AUTHORIZED);
		return call(path, url, body, session);
	};
}

const getByName = (login: string) => ({
	resource: 'user',
	operation: 'get',
	userId: { __rl: true, mode: 'userName', value: login },
});

test('an unknown login name is "no such user" (GetUserByName refused it, the Redrock query found no row)', async () => {
	const result = await runNode(store, getByName('nobody@example.com'));
	expect(result.error?.message).toBe('No user with the login name "nobody@example.com" exists in the tenant');
	expect(sandbox.counters.calls['/redrock/query']).toBe(1);
});

test('a known login name costs one call', async () => {
	const result = await runNode(store, getByName(sandbox.config.username));
	expect(result.error).toBeUndefined();
	expect(sandbox.counters.calls['/redrock/query']).toBeUndefined();
});

test("any other refusal of GetUserByName surfaces as CyberArk's message", async () => {
	refuse(['/cdirectoryservice/getuserbyname']);
	const result = await runNode(store, getByName(sandbox.config.username));
	expect(result.error?.message).toBe(NOT_AUTHORIZED);
	expect(result.error?.description).toContain('/CDirectoryService/GetUserByName');
});

test('a refusal of both GetUserByName and the query is not "no such user" either', async () => {
	refuse(['/cdirectoryservice/getuserbyname', '/redrock/query']);
	const result = await runNode(store, getByName('nobody@example.com'));
	expect(result.error?.message).toBe(NOT_AUTHORIZED);
});

describe('Create with On Existing User = Return Existing', () => {
	const create = (login: string) => ({
		resource: 'user',
		operation: 'create',
		userName: login,
		email: 'x@acme.test',
		additionalFields: {},
		options: { onExisting: 'returnExisting' },
	});

	test('a real duplicate returns the user that exists', async () => {
		const result = await runNode(store, create(sandbox.config.username));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: sandbox.owner.Uuid, created: false });
	});

	test("a refused create whose lookup is refused too reports the create's refusal", async () => {
		refuse(['/cdirectoryservice/createuser', '/cdirectoryservice/getuserbyname']);
		const result = await runNode(store, create('new.hire@example.com'));
		expect(result.error?.message).toBe(NOT_AUTHORIZED);
		expect(result.error?.description).toContain('/CDirectoryService/CreateUser');
	});
});

test('every operation that looks users up by login name declares the confirming query too', () => {
	const operations = Object.values(resources).flatMap((ops) => Object.entries(ops));
	const byName = operations.filter(([, op]) => op.endpoints.includes(ENDPOINT.getUserByName));
	expect(byName.length).toBeGreaterThan(5);
	for (const [key, op] of byName)
		expect([key, op.endpoints.includes(ENDPOINT.redrockQuery)]).toEqual([key, true]);
});
