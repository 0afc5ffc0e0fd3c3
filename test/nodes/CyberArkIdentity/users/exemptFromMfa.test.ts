// Exempt From MFA: a bounded window in which the user logs in without MFA.
import { exemptionMinutes, MAX_MINUTES } from '../../../../nodes/CyberArkIdentity/actions/user/exemptFromMfa';
import type { Sandbox } from '../../../../sandbox/server';
import { startSandbox } from '../../../../sandbox/server';
import { CredentialStore, runNode } from '../../../harness';

let sandbox: Sandbox;
let store: CredentialStore;
let id: string;

beforeEach(async () => {
	sandbox = await startSandbox({});
	store = new CredentialStore(sandbox.credentials());
	id = sandbox.directory.createUser({ Name: 'jane@example.com', SendEmailInvite: false });
});
afterEach(async () => sandbox.close());

const exempt = async (parameters: object) =>
	await runNode(
		store,
		{
			resource: 'user',
			operation: 'exemptFromMfa',
			userId: { __rl: true, mode: 'id', value: id },
			...parameters,
		},
		[{}],
		{ continueOnFail: true },
	);

test('exempts the user for the minutes given, from now', async () => {
	const before = Date.now();
	const result = await exempt({ minutes: 30 });
	expect(result.items[0].json).toEqual({ id, mfaExemptMinutes: 30 });
	const until = sandbox.lifecycle.mfaExemptUntil.get(id)!;
	expect(until - before).toBeGreaterThanOrEqual(30 * 60_000);
	expect(until - Date.now()).toBeLessThanOrEqual(30 * 60_000);
});

test("CyberArk's default of 10 minutes when Minutes is not set", async () => {
	const result = await exempt({});
	expect(result.items[0].json).toEqual({ id, mfaExemptMinutes: 10 });
	expect(sandbox.requestLog.find((r) => r.path === '/cdirectoryservice/exemptuserfrommfa')).toBeDefined();
});

test.each([0, -5, 2.5, MAX_MINUTES + 1, 'soon', ''])(
	'Minutes %p is refused before anything is sent',
	async (minutes) => {
		const result = await exempt({ minutes });
		expect(result.items[0].json.error).toMatch(/Minutes must be a whole number from 1 to 1440/);
		expect(sandbox.counters.calls['/cdirectoryservice/exemptuserfrommfa']).toBeUndefined();
		expect(sandbox.lifecycle.mfaExemptUntil.size).toBe(0);
	},
);

test('exemptionMinutes takes numbers and their text', () => {
	expect(exemptionMinutes(1)).toBe(1);
	expect(exemptionMinutes('45')).toBe(45);
	expect(exemptionMinutes(MAX_MINUTES)).toBe(MAX_MINUTES);
	expect(() => exemptionMinutes(null)).toThrow(/whole number/);
});

test('Dry Run shows the ID and minutes in the query string and exempts nobody', async () => {
	const result = await exempt({ minutes: 15, dryRun: true });
	expect(result.items[0].json).toEqual({
		dryRun: true,
		action: 'exemptFromMfa',
		id,
		requests: [{ path: '/CDirectoryService/ExemptUserFromMfa', body: {}, qs: { ID: id, timespan: 15 } }],
	});
	expect(sandbox.lifecycle.mfaExemptUntil.size).toBe(0);
});
