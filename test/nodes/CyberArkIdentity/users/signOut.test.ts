// Sign Out Everywhere, and the operations that take access away (Disable, Lock): they sign the user out
// unless told not to. Engine tests against the sandbox tenant: the user holds a session of their own.
import { Failure } from '../../../../sandbox/directory';
import type { Sandbox } from '../../../../sandbox/server';
import { startSandbox } from '../../../../sandbox/server';
import { CredentialStore, runNode } from '../../../harness';
import { logIn, signedIn } from '../../../sessions';

const PASSWORD = 'Jane-Passw0rd-1';

let sandbox: Sandbox;
let store: CredentialStore;
let id: string;
let session: string;

beforeEach(async () => {
	sandbox = await startSandbox({});
	store = new CredentialStore(sandbox.credentials());
	id = sandbox.directory.createUser({ Name: 'jane@example.com', Mail: 'jane@acme.test', Password: PASSWORD });
	session = await logIn(sandbox, 'jane@example.com', PASSWORD);
	sandbox.resetCounters();
});
afterEach(async () => sandbox.close());

const jane = { __rl: true, mode: 'id', value: '' };
const run = async (parameters: object, settings: { continueOnFail?: boolean } = {}) =>
	await runNode(store, { resource: 'user', userId: { ...jane, value: id }, ...parameters }, [{}], settings);
const signOuts = () => sandbox.counters.calls['/usermgmt/signouteverywhere'] ?? 0;

test('Sign Out Everywhere ends the sessions the user has', async () => {
	expect(await signedIn(sandbox, session)).toBe(true);
	const result = await run({ operation: 'signOut' });
	expect(result.error).toBeUndefined();
	expect(result.items.map((i) => i.json)).toEqual([{ id, signedOut: true }]);
	expect(await signedIn(sandbox, session)).toBe(false);
	// whoami: the session check itself.
	expect(signOuts()).toBe(1);
});

test('Sign Out Everywhere by login name, twice: no harm the second time', async () => {
	for (let i = 0; i < 2; i++) {
		const result = await run({
			operation: 'signOut',
			userId: { __rl: true, mode: 'userName', value: 'jane@example.com' },
		});
		expect(result.items[0].json).toEqual({ id, signedOut: true });
	}
	expect(signOuts()).toBe(2);
});

describe.each([
	['disable', 'disabled', () => sandbox.directory.users.get(id)!.State === 'Disabled'],
	['lock', 'locked', () => sandbox.directory.users.get(id)!.cloudLocked],
])('%s', (operation, state, applied) => {
	test('signs the user out everywhere by default, after the state change', async () => {
		const result = await run({ operation });
		expect(result.items.map((i) => i.json)).toEqual([{ id, state, signedOut: true }]);
		expect(applied()).toBe(true);
		expect(await signedIn(sandbox, session)).toBe(false);
		const paths = sandbox.requestLog.map((r) => r.path);
		const change = operation === 'disable' ? '/cdirectoryservice/setuserstate' : '/usermgmt/setcloudlock';
		expect(paths.indexOf('/usermgmt/signouteverywhere')).toBeGreaterThan(paths.indexOf(change));
	});

	test('keeps the sessions with Sign Out Everywhere off', async () => {
		const result = await run({ operation, options: { signOut: false } });
		expect(result.items.map((i) => i.json)).toEqual([{ id, state, signedOut: false }]);
		expect(applied()).toBe(true);
		expect(await signedIn(sandbox, session)).toBe(true);
		expect(signOuts()).toBe(0);
	});

	test('an option that is not true or false stops the item before anything is sent', async () => {
		const result = await run({ operation, options: { signOut: 'maybe' } });
		expect(result.error?.message).toMatch(/Sign Out Everywhere must be true or false/);
		expect(applied()).toBe(false);
		expect(sandbox.counters.managementRequests).toBe(0);
		// An expression that gives nothing is not "off" either.
		const empty = await run({ operation, options: { signOut: '' } });
		expect(empty.error?.message).toMatch(/Sign Out Everywhere must be true or false/);
	});

	test('Dry Run shows the sign-out among the requests and sends neither', async () => {
		const result = await run({ operation, dryRun: true });
		const [out] = result.items.map((i) => i.json);
		expect(out).toMatchObject({ dryRun: true, action: operation, id });
		expect((out.requests as Array<{ path: string; qs?: object }>).at(-1)).toEqual({
			path: '/UserMgmt/SignOutEverywhere',
			body: {},
			qs: { ID: id },
		});
		expect(applied()).toBe(false);
		expect(await signedIn(sandbox, session)).toBe(true);
		const off = await run({ operation, dryRun: true, options: { signOut: false } });
		expect(JSON.stringify(off.items[0].json)).not.toContain('SignOutEverywhere');
	});

	test('a failed sign-out fails the item and says the state change was made', async () => {
		sandbox.signOut = () => {
			throw new Failure('Sign-out is not available right now.');
		};
		const result = await run({ operation }, { continueOnFail: true });
		expect(result.items[0].json.error).toBe(
			`The user ${id} is ${state}, but signing them out everywhere failed: Sign-out is not available right now.`,
		);
		expect(applied()).toBe(true);
	});
});

test.each(['enable', 'unlock'])('%s gives access back and signs nobody out', async (operation) => {
	const result = await run({ operation });
	expect(Object.keys(result.items[0].json).sort()).toEqual(['id', 'state']);
	expect(signOuts()).toBe(0);
	expect(await signedIn(sandbox, session)).toBe(true);
});
