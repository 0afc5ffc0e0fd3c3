// Send Invite: the invitation e-mail (or SMS) for an existing user, through /UserMgmt/InviteUsers.
import type { Sandbox } from '../../../../sandbox/server';
import { startSandbox } from '../../../../sandbox/server';
import { CredentialStore, runNode } from '../../../harness';

let sandbox: Sandbox;
let store: CredentialStore;

beforeEach(async () => {
	sandbox = await startSandbox({});
	store = new CredentialStore(sandbox.credentials());
});
afterEach(async () => sandbox.close());

function user(fields: { Mail?: string; MobileNumber?: string } = {}): string {
	return sandbox.directory.createUser({ Name: 'jane@example.com', SendEmailInvite: false, ...fields });
}

const invite = async (id: string, parameters: object = {}) =>
	await runNode(
		store,
		{
			resource: 'user',
			operation: 'sendInvite',
			userId: { __rl: true, mode: 'id', value: id },
			...parameters,
		},
		[{}],
		{ continueOnFail: true },
	);

test('e-mails the invitation: the user as an entity with ID and login name, as the SDKs send it', async () => {
	const id = user({ Mail: 'jane@acme.test' });
	const result = await invite(id);
	expect(result.items.map((i) => i.json)).toEqual([
		{ id, userName: 'jane@example.com', emailInvite: true, smsInvite: false },
	]);
	expect(sandbox.lifecycle.invites).toEqual([{ userId: id, email: true, sms: false, role: 'Invited Users' }]);
});

test('by SMS, and by both', async () => {
	const id = user({ Mail: 'jane@acme.test', MobileNumber: '+1 555 0100' });
	await invite(id, { sendBy: 'sms' });
	await invite(id, { sendBy: 'emailAndSms' });
	expect(sandbox.lifecycle.invites.map(({ email, sms }) => ({ email, sms }))).toEqual([
		{ email: false, sms: true },
		{ email: true, sms: true },
	]);
});

test.each([
	['email', {}, /has no e-mail address/],
	['sms', { Mail: 'jane@acme.test' }, /has no mobile number/],
	['emailAndSms', { Mail: 'jane@acme.test' }, /has no mobile number/],
])(
	'Send By %s with nowhere to send it: the item fails before InviteUsers is sent',
	async (sendBy, fields, message) => {
		const id = user(fields);
		const result = await invite(id, { sendBy });
		expect(result.items[0].json.error).toMatch(message);
		expect(sandbox.counters.calls['/usermgmt/inviteusers']).toBeUndefined();
	},
);

test('Dry Run shows the request and sends no invitation', async () => {
	const id = user({ Mail: 'jane@acme.test' });
	const result = await invite(id, { dryRun: true });
	expect(result.items[0].json).toEqual({
		dryRun: true,
		action: 'sendInvite',
		id,
		userName: 'jane@example.com',
		requests: [
			{
				path: '/UserMgmt/InviteUsers',
				body: {
					EmailInvite: true,
					SmsInvite: false,
					Role: 'Invited Users',
					Entities: [{ Type: 'User', Guid: id, Name: 'jane@example.com' }],
				},
			},
		],
	});
	expect(sandbox.lifecycle.invites).toEqual([]);
});

test('an unknown user fails the item; no invitation goes out', async () => {
	const result = await invite('c2c7bcc6-9560-44e0-8dff-5be221cd37ee');
	expect(result.items[0].json.error).toMatch(/not found/);
	expect(sandbox.lifecycle.invites).toEqual([]);
});
