import {
	buildChangeUser,
	buildCreateUser,
	updatableFrom,
} from '../../../nodes/CyberArkIdentity/users/requests';
import { simplifyUser } from '../../../nodes/CyberArkIdentity/users/simplify';
import { cyberArkDate } from '../../../nodes/shared/dates';
import { InvalidInput } from '../../../nodes/shared/transport/errors';

const base = { userName: 'jane.doe@acme.example', email: 'jane.doe@acme.example', additionalFields: {} };

describe('buildCreateUser', () => {
	test('sends only what was set, so CyberArk defaults apply', () => {
		expect(buildCreateUser(base)).toEqual({
			body: { Name: 'jane.doe@acme.example', Mail: 'jane.doe@acme.example' },
			summary: { userName: 'jane.doe@acme.example', email: 'jane.doe@acme.example' },
			secrets: [],
		});
	});

	test('maps every additional field to its CyberArk name', () => {
		const { body, summary } = buildCreateUser({
			...base,
			additionalFields: {
				displayName: ' Jane Doe ',
				description: 'Finance',
				password: 'Initial-Passw0rd',
				mobileNumber: '+1 (555) 010-0100',
				officeNumber: '+44 20 7946 0000',
				homeNumber: 5550100,
				reportsTo: ' Grace.Hopper@acme.example ',
				forcePasswordChangeNext: false,
				passwordNeverExpire: 'true',
				sendEmailInvite: true,
				sendSmsInvite: true,
				inEverybodyRole: false,
				serviceUser: false,
			},
		});
		expect(body).toEqual({
			Name: 'jane.doe@acme.example',
			Mail: 'jane.doe@acme.example',
			DisplayName: 'Jane Doe',
			Description: 'Finance',
			Password: 'Initial-Passw0rd',
			MobileNumber: '+1 (555) 010-0100',
			OfficeNumber: '+44 20 7946 0000',
			HomeNumber: '5550100',
			ReportsTo: 'Grace.Hopper@acme.example',
			ForcePasswordChangeNext: false,
			PasswordNeverExpire: true,
			SendEmailInvite: true,
			SendSmsInvite: true,
			InEverybodyRole: false,
			ServiceUser: false,
		});
		expect(summary).not.toHaveProperty('password');
		expect(JSON.stringify(summary)).not.toContain('Initial-Passw0rd');
		expect(summary).toMatchObject({
			displayName: 'Jane Doe',
			homeNumber: '5550100',
			passwordNeverExpire: true,
			serviceUser: false,
		});
	});

	test('no e-mail is fine once the e-mail invite is off', () => {
		expect(
			buildCreateUser({
				userName: 'svc-backup@acme.example',
				email: '',
				additionalFields: { sendEmailInvite: false, serviceUser: true },
			}).body,
		).toEqual({
			Name: 'svc-backup@acme.example',
			SendEmailInvite: false,
			ServiceUser: true,
		});
	});

	test('a password is sent exactly as typed', () => {
		expect(buildCreateUser({ ...base, additionalFields: { password: ' spaced Pa55 ' } }).body.Password).toBe(
			' spaced Pa55 ',
		);
	});

	const bad: Array<[string, object, RegExp]> = [
		['empty user name', { userName: '' }, /User Name is empty/],
		['user name from an empty expression', { userName: undefined }, /User Name is empty/],
		['user name of spaces', { userName: '   ' }, /User Name is empty/],
		['user name without suffix', { userName: 'jane.doe' }, /has no login suffix/],
		[
			'user name with a space',
			{ userName: 'jane doe@acme.example' },
			/characters CyberArk does not allow: space/,
		],
		['user name with an apostrophe', { userName: "o'brien@acme.example" }, /does not allow: "'"/],
		['user name with umlaut', { userName: 'jürgen@acme.example' }, /does not allow: "ü"/],
		['user name with nothing before @', { userName: '@acme.example' }, /nothing before the @/],
		['user name with empty suffix', { userName: 'jane@' }, /invalid login suffix ""/],
		['user name with a bad suffix', { userName: 'jane@acme..example' }, /invalid login suffix/],
		[
			'user name that is an object',
			{ userName: { name: 'x' } },
			/User Name must be text, but the value is an object/,
		],
		['user name that is a list', { userName: ['a@b.c'] }, /must be text, but the value is a list/],
		['user name that is too long', { userName: `${'a'.repeat(300)}@acme.example` }, /too long/],
		['user name with a line break', { userName: 'jane\n@acme.example' }, /control character/],
		['invalid e-mail', { email: 'jane.doe' }, /Email "jane.doe" is not an e-mail address/],
		['e-mail with a space', { email: 'jane doe@acme.example' }, /not an e-mail address/],
		['e-mail with a backslash', { email: 'jane\\doe@acme.example' }, /contains a backslash/],
		['no e-mail while the invite is on', { email: '' }, /Email is required while "Send Email Invite" is on/],
		['no e-mail (null from an expression) while the invite is on', { email: null }, /Email is required/],
		[
			'phone with letters',
			{ additionalFields: { mobileNumber: 'call me' } },
			/Mobile Number "call me" is not a phone number/,
		],
		[
			'phone too short',
			{ additionalFields: { officeNumber: '12' } },
			/Office Number "12" is not a phone number/,
		],
		[
			'reports-to that is a user ID, not a login name',
			{ additionalFields: { reportsTo: 'c2c7bcc6-9560-44e0-8dff-5be221cd37ee' } },
			/Reports To "c2c7bcc6-9560-44e0-8dff-5be221cd37ee" is a user ID; CyberArk takes the manager's login name/,
		],
		[
			'reports-to without a login suffix',
			{ additionalFields: { reportsTo: 'boss' } },
			/Reports To "boss" has no login suffix/,
		],
		[
			'switch that is not a boolean',
			{ additionalFields: { sendEmailInvite: 'yes' } },
			/Send Email Invite must be true or false/,
		],
		[
			'switch that is a number',
			{ additionalFields: { serviceUser: 1 } },
			/Service User must be true or false, but the value is a number/,
		],
		[
			'SMS invite without a mobile number',
			{ additionalFields: { sendSmsInvite: true } },
			/"Send SMS Invite" needs a Mobile Number/,
		],
		[
			'service user in the Everybody role',
			{ additionalFields: { serviceUser: true, inEverybodyRole: true } },
			/service user cannot be in the Everybody role/,
		],
		['password that is an object', { additionalFields: { password: { x: 1 } } }, /Password must be text/],
		[
			'display name that is too long',
			{ additionalFields: { displayName: 'x'.repeat(257) } },
			/Display Name is too long/,
		],
	];

	test.each(bad)('%s', (_, override, message) => {
		const input = {
			...base,
			...override,
			additionalFields: { ...(override as { additionalFields?: object }).additionalFields },
		};
		let error: InvalidInput | undefined;
		try {
			buildCreateUser(input);
		} catch (e) {
			error = e as InvalidInput;
		}
		expect(error).toBeInstanceOf(InvalidInput);
		expect(error!.message).toMatch(message);
		expect(error!.description.length).toBeGreaterThan(15);
	});

	test('error messages never contain the password', () => {
		try {
			buildCreateUser({ ...base, additionalFields: { password: 'Secret\tPass1' } });
		} catch (e) {
			expect((e as InvalidInput).message + (e as InvalidInput).description).not.toContain('Secret');
		}
		expect.assertions(1);
	});
});

describe('buildChangeUser', () => {
	test('maps update fields and keeps the ID', () => {
		expect(
			buildChangeUser('u-1', {
				displayName: 'Jane',
				email: 'j@acme.example',
				passwordNeverExpire: false,
				mobileNumber: '+1 555 0100',
			}),
		).toEqual({
			ID: 'u-1',
			DisplayName: 'Jane',
			Mail: 'j@acme.example',
			PasswordNeverExpire: false,
			MobileNumber: '+1 555 0100',
		});
	});

	test('refuses an update that changes nothing', () => {
		expect(() => buildChangeUser('u-1', {})).toThrow(/Nothing to update/);
		expect(() => buildChangeUser('u-1', { displayName: '  ' })).toThrow(/Nothing to update/);
	});

	test('validates what it sends', () => {
		expect(() => buildChangeUser('u-1', { email: 'nope' })).toThrow(/not an e-mail address/);
	});

	test('updatableFrom keeps only what Update can change', () => {
		expect(
			updatableFrom({
				userName: 'a@b.c',
				email: 'a@b.c',
				displayName: 'A',
				sendEmailInvite: true,
				inEverybodyRole: false,
			}),
		).toEqual({ email: 'a@b.c', displayName: 'A' });
	});
});

describe('shaping CyberArk records', () => {
	test('cyberArkDate', () => {
		expect(cyberArkDate('/Date(1700000000000)/')).toBe('2023-11-14T22:13:20.000Z');
		expect(cyberArkDate('/Date(1700000000000+0000)/')).toBe('2023-11-14T22:13:20.000Z');
		expect(cyberArkDate(null)).toBeNull();
		expect(cyberArkDate('2024-01-01')).toBe('2024-01-01');
	});

	test('simplifyUser flattens the raw record', () => {
		expect(
			simplifyUser(
				{
					Uuid: 'u-1',
					Name: 'jane@acme.example',
					Mail: 'jane@acme.example',
					DisplayName: 'Jane',
					PasswordNeverExpire: 'True',
					ForcePasswordChangeNext: 'False',
					CreateDate: '/Date(0)/',
				},
				{ State: 'Locked' },
			),
		).toEqual({
			id: 'u-1',
			userName: 'jane@acme.example',
			email: 'jane@acme.example',
			displayName: 'Jane',
			state: 'locked',
			passwordNeverExpire: true,
			forcePasswordChangeNext: false,
			createdAt: '1970-01-01T00:00:00.000Z',
		});
	});
});
