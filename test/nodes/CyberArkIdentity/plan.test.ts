// The diff planner of Create or Update as a pure function: CyberArk record + HR row + roles → changes.
import { ENDPOINT } from '../../../nodes/shared/endpoints';
import { InvalidInput } from '../../../nodes/shared/transport/errors';
import type { CurrentUser, HrRow } from '../../../nodes/CyberArkIdentity/sync/plan';
import {
	checkRow,
	leaverCalls,
	membershipChanges,
	missingFields,
	planUser,
	userCalls,
} from '../../../nodes/CyberArkIdentity/sync/plan';

const ID = 'c2c7bcc6-9560-44e0-8dff-5be221cd37ee';
const MANAGER = '0f1e2d3c-4b5a-4697-8877-665544332211';

/** GetUser's record of Jane, as the sandbox (and CyberArk) gives it: booleans as strings. */
const record = {
	Uuid: ID,
	Name: 'jane@example.com',
	Mail: 'jane@acme.test',
	DisplayName: 'Jane Doe',
	Description: null,
	MobileNumber: '+1 555 0100',
	OfficeNumber: null,
	HomeNumber: null,
	ReportsTo: MANAGER,
	PasswordNeverExpire: 'False',
	ForcePasswordChangeNext: 'True',
};

const jane = (over: Partial<CurrentUser> = {}): CurrentUser => ({
	id: ID,
	userName: 'jane@example.com',
	record,
	state: 'None',
	roles: [],
	...over,
});
const row = (values: HrRow['values'] = {}, over: Partial<HrRow> = {}): HrRow => ({
	userName: 'jane@example.com',
	values,
	active: true,
	roles: [],
	...over,
});
const noRoles = { managed: [] };

describe('fields', () => {
	test('a record that matches the row: unchanged, nothing to send', () => {
		const plan = planUser(
			row({
				email: 'jane@acme.test',
				displayName: 'Jane Doe',
				mobileNumber: '+1 555 0100',
				reportsTo: MANAGER,
				passwordNeverExpire: false,
				forcePasswordChangeNext: true,
			}),
			jane(),
			noRoles,
		);
		expect(plan).toEqual({ action: 'unchanged', secrets: [], changes: {}, rolesAdded: [], rolesRemoved: [] });
		expect(userCalls(plan, ID, true)).toEqual([]);
	});

	test('text fields: a different value is sent, a field CyberArk has empty is set, fields the row leaves empty are not touched', () => {
		const plan = planUser(
			row({ displayName: 'Jane Smith', description: 'Finance, Berlin' }),
			jane(),
			noRoles,
		);
		expect(plan.action).toBe('updated');
		expect(plan.changes).toEqual({
			displayName: { from: 'Jane Doe', to: 'Jane Smith' },
			description: { from: null, to: 'Finance, Berlin' },
		});
		expect(userCalls(plan, ID, true)).toEqual([
			{
				endpoint: ENDPOINT.changeUser,
				body: { ID, DisplayName: 'Jane Smith', Description: 'Finance, Berlin' },
			},
		]);
	});

	test('text compares exactly (case matters in a display name)', () => {
		expect(planUser(row({ displayName: 'jane doe' }), jane(), noRoles).changes).toEqual({
			displayName: { from: 'Jane Doe', to: 'jane doe' },
		});
	});

	test('email and manager ID ignore case, as CyberArk does', () => {
		expect(
			planUser(row({ email: 'JANE@ACME.TEST', reportsTo: MANAGER.toUpperCase() }), jane(), noRoles).action,
		).toBe('unchanged');
		expect(planUser(row({ email: 'jane.doe@acme.test' }), jane(), noRoles).changes).toEqual({
			email: { from: 'jane@acme.test', to: 'jane.doe@acme.test' },
		});
	});

	test('phone numbers', () => {
		expect(
			planUser(row({ mobileNumber: '+1 555 0199', officeNumber: '+49 30 1234' }), jane(), noRoles).change,
		).toEqual({ MobileNumber: '+1 555 0199', OfficeNumber: '+49 30 1234' });
	});

	test("booleans: CyberArk's 'True'/'False' strings against the row's booleans", () => {
		expect(
			planUser(row({ passwordNeverExpire: true, forcePasswordChangeNext: true }), jane(), noRoles).changes,
		).toEqual({ passwordNeverExpire: { from: false, to: true } });
		expect(planUser(row({ forcePasswordChangeNext: false }), jane(), noRoles).change).toEqual({
			ForcePasswordChangeNext: false,
		});
	});

	test('fields only CyberArk takes at creation (invites, password, service user) are never sent for an existing user', () => {
		const plan = planUser(
			row({ sendEmailInvite: true, password: 'Secret-Passw0rd', serviceUser: true, inEverybodyRole: false }),
			jane(),
			noRoles,
		);
		expect(plan.action).toBe('unchanged');
	});

	test('a Redrock row (Email, no Description): the planner reads Email, and says which fields need the full record', () => {
		const redrock = {
			ID,
			Username: 'jane@example.com',
			DisplayName: 'Jane Doe',
			Email: 'jane@acme.test',
			MobileNumber: null,
			Status: 'Active',
		};
		expect(missingFields({ email: 'x@acme.test', displayName: 'J' }, redrock)).toEqual([]);
		expect(missingFields({ description: 'x', reportsTo: MANAGER, displayName: 'J' }, redrock)).toEqual([
			'Description',
			'ReportsTo',
		]);
		expect(planUser(row({ email: 'new@acme.test' }), jane({ record: redrock }), noRoles).change).toEqual({
			Mail: 'new@acme.test',
		});
		expect(() => planUser(row({ description: 'x' }), jane({ record: redrock }), noRoles)).toThrow(
			'lacks Description',
		);
	});

	test('a different login name (the row found its user by e-mail) is a rename; case is no difference', () => {
		const renamed = planUser(row({}, { userName: 'jane.doe@example.com' }), jane(), noRoles);
		expect(renamed.changes).toEqual({ userName: { from: 'jane@example.com', to: 'jane.doe@example.com' } });
		expect(renamed.change).toEqual({ Name: 'jane.doe@example.com' });
		expect(planUser(row({}, { userName: 'JANE@example.com' }), jane(), noRoles).action).toBe('unchanged');
	});
});

describe('state', () => {
	test('a leaver is disabled; already disabled, nothing is sent', () => {
		const plan = planUser(row({}, { active: false }), jane(), noRoles);
		expect(plan.action).toBe('disabled');
		expect(userCalls(plan, ID, false)).toEqual([
			{ endpoint: ENDPOINT.setUserState, body: { ID, state: 'Disabled' } },
		]);
		expect(userCalls(plan, ID, true)).toEqual([
			{ endpoint: ENDPOINT.setUserState, body: { ID, state: 'Disabled' } },
			{ endpoint: ENDPOINT.signOutEverywhere, qs: { ID } },
		]);
		expect(planUser(row({}, { active: false }), jane({ state: 'Disabled' }), noRoles).action).toBe(
			'unchanged',
		);
		expect(planUser(row({}, { active: false }), jane({ state: 'Locked' }), noRoles).action).toBe('disabled');
	});

	test('a rehire is enabled; an active or locked user is not touched', () => {
		expect(planUser(row(), jane({ state: 'Disabled' }), noRoles)).toMatchObject({
			action: 'enabled',
			state: 'None',
		});
		expect(planUser(row(), jane({ state: 'Active' }), noRoles).action).toBe('unchanged');
		expect(planUser(row(), jane({ state: 'Locked' }), noRoles).action).toBe('unchanged');
		expect(userCalls(planUser(row(), jane({ state: 'Disabled' }), noRoles), ID, true)).toEqual([
			{ endpoint: ENDPOINT.setUserState, body: { ID, state: 'None' } },
		]);
	});

	test('keepAccess (a joiner found at creation): never disabled, never removed from a role', () => {
		const plan = planUser(
			row({}, { active: false, roles: ['sales'] }),
			jane({ roles: ['eng'] }),
			{ managed: ['eng', 'sales'] },
			true,
		);
		expect(plan).toMatchObject({ action: 'updated', rolesAdded: ['sales'], rolesRemoved: [] });
		expect(plan.state).toBeUndefined();
	});

	test('a leaver whose fields also changed: disabled, with the changes', () => {
		const plan = planUser(row({ displayName: 'Jane S.' }, { active: false }), jane(), noRoles);
		expect(plan).toMatchObject({
			action: 'disabled',
			changes: { displayName: { from: 'Jane Doe', to: 'Jane S.' } },
		});
		expect(userCalls(plan, ID, true).map((c) => c.endpoint.path)).toEqual([
			'/CDirectoryService/ChangeUser',
			'/CDirectoryService/SetUserState',
			'/UserMgmt/SignOutEverywhere',
		]);
	});
});

describe('roles', () => {
	const scope = { managed: ['eng', 'fin', 'sales'], scope: 'sync' };

	test('a mover: added to the new managed role, removed from the old one, other roles untouched', () => {
		const plan = planUser(row({}, { roles: ['sales'] }), jane({ roles: ['eng', 'sync', 'vpn'] }), scope);
		expect(plan).toMatchObject({ action: 'updated', rolesAdded: ['sales'], rolesRemoved: ['eng'] });
		expect(membershipChanges(plan, ID, 4)).toEqual([
			{ roleId: 'sales', userId: ID, member: true, itemIndex: 4 },
			{ roleId: 'eng', userId: ID, member: false, itemIndex: 4 },
		]);
	});

	test('the scope role is added when missing; roles the user already has cost nothing', () => {
		expect(planUser(row({}, { roles: ['eng'] }), jane({ roles: ['eng'] }), scope).rolesAdded).toEqual([
			'sync',
		]);
		expect(planUser(row({}, { roles: ['eng'] }), jane({ roles: ['eng', 'sync'] }), scope).action).toBe(
			'unchanged',
		);
	});

	test('without managed roles nothing is ever removed', () => {
		expect(
			planUser(row({}, { roles: [] }), jane({ roles: ['eng', 'fin'] }), { managed: [] }).rolesRemoved,
		).toEqual([]);
	});
});

describe('joiners', () => {
	test('created with the fields sent, the password masked in changes, all wanted roles added', () => {
		const plan = planUser(
			row({ email: 'jane@acme.test', displayName: 'Jane', password: 'Secret-Passw0rd' }, { roles: ['eng'] }),
			undefined,
			{ managed: ['eng'], scope: 'sync' },
		);
		expect(plan).toMatchObject({
			action: 'created',
			create: {
				Name: 'jane@example.com',
				Mail: 'jane@acme.test',
				DisplayName: 'Jane',
				Password: 'Secret-Passw0rd',
			},
			secrets: ['Secret-Passw0rd'],
			changes: {
				userName: { from: null, to: 'jane@example.com' },
				email: { from: null, to: 'jane@acme.test' },
				displayName: { from: null, to: 'Jane' },
				password: { from: null, to: '********' },
			},
			rolesAdded: ['eng', 'sync'],
		});
		expect(userCalls(plan, ID, true)).toEqual([]);
	});

	test('an inactive person without an account is skipped', () => {
		expect(
			planUser(row({ email: 'a@acme.test' }, { active: false, roles: ['eng'] }), undefined, { managed: [] }),
		).toEqual({ action: 'skipped', secrets: [], changes: {}, rolesAdded: [], rolesRemoved: [] });
	});

	test("Create's own checks hold: no email while the invite is on fails the row", () => {
		expect(() => planUser(row({ displayName: 'Jane' }), undefined, noRoles)).toThrow(
			'Email is required while "Send Email Invite" is on',
		);
	});
});

describe('rows, keys and deprovisioning', () => {
	test('checkRow reads the HR status and leaves roles to the caller', () => {
		expect(
			checkRow({
				userName: ' jane@example.com ',
				email: '',
				active: 'false',
				additionalFields: { displayName: 'Jane', roles: 'Finance' },
			}),
		).toEqual({ userName: 'jane@example.com', values: { displayName: 'Jane' }, active: false });
		for (const active of [undefined, '', 'yes', 1])
			expect(() =>
				checkRow({ userName: 'jane@example.com', email: 'j@acme.test', active, additionalFields: {} }),
			).toThrow(/^Active must be true or false/);
		expect(() => checkRow({ userName: 'jane', email: '', active: true, additionalFields: {} })).toThrow(
			InvalidInput,
		);
	});

	test('a leaver: disabled then signed out; deleted after being signed out; sign-out can be turned off', () => {
		expect(leaverCalls('disable', 'c', true)).toEqual([
			{ endpoint: ENDPOINT.setUserState, body: { ID: 'c', state: 'Disabled' } },
			{ endpoint: ENDPOINT.signOutEverywhere, qs: { ID: 'c' } },
		]);
		expect(leaverCalls('delete', 'c', true)).toEqual([
			{ endpoint: ENDPOINT.signOutEverywhere, qs: { ID: 'c' } },
			{ endpoint: ENDPOINT.deleteUser, body: { ID: 'c' } },
		]);
		expect(leaverCalls('delete', 'c', false)).toEqual([{ endpoint: ENDPOINT.deleteUser, body: { ID: 'c' } }]);
	});
});
