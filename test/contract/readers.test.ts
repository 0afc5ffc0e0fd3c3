// Every reader of nodes/shared/readers.ts against the shapes public clients show (fixtures.ts):
// each documented form is read, and an answer in none of them fails loudly, naming the endpoint and
// the field and pointing at npm run smoke.
import {
	createdUserId,
	redrockPage,
	roleMembers,
	roleRow,
	rolesOfUser,
	rosterState,
	UnexpectedAnswer,
	USER_RECORD_KEYS,
	userId,
	userRow,
	userState,
	whoami,
} from '../../nodes/shared/readers';
import { stateName } from '../../nodes/CyberArkIdentity/users/simplify';
import { ANSWERS, REDROCK } from './fixtures';

/** The result of the shape whose source mentions `source`. */
function shape(endpoint: string, source: string): any {
	const found = ANSWERS[endpoint].find((s) => s.source.includes(source));
	if (!found) throw new Error(`no ${source} shape for ${endpoint}`);
	return structuredClone(found.result);
}

function loud(read: () => unknown, endpoint: string, field: RegExp) {
	let error: unknown;
	try {
		read();
	} catch (e) {
		error = e;
	}
	expect(error).toBeInstanceOf(UnexpectedAnswer);
	const { message, description } = error as UnexpectedAnswer;
	expect(message).toContain(endpoint);
	expect(message).toMatch(field);
	expect(description).toContain('npm run smoke');
}

describe("a user's roles (GetUsersRolesAndAdministrativeRights)", () => {
	const endpoint = '/UserMgmt/GetUsersRolesAndAdministrativeRights';

	test("the role ID from Entities[].Key, as CyberArk's Privilege Cloud scripts read it, with no Row.ID", () => {
		const answer = shape(endpoint, 'pCloudServices/Reports');
		expect(answer.Results[0].Row).not.toHaveProperty('ID');
		expect(rolesOfUser(answer)).toEqual([{ id: answer.Results[0].Entities[0].Key, name: null }]);
	});

	test('the entity of type Role is taken when several are listed', () => {
		const answer = {
			Results: [
				{
					Entities: [
						{ Type: 'User', Key: 'u' },
						{ Type: 'Role', Key: 'r' },
					],
					Row: {},
				},
			],
		};
		expect(rolesOfUser(answer)[0].id).toBe('r');
	});

	test('Row.ID when there is no entity', () => {
		expect(rolesOfUser({ Results: [{ Row: { ID: 'r1', Name: 'HR' } }] })).toEqual([{ id: 'r1', name: 'HR' }]);
	});

	test("the role name from Row.Name (HashiCorp's Vault plugin), else Row.RoleName (CyberArk's identity-sample-java)", () => {
		const key = { Entities: [{ Type: 'Role', Key: 'r' }] };
		const vault = shape(endpoint, 'vault-plugin-auth-centrify').Results[0];
		const java = shape(endpoint, 'identity-sample-java').Results[0];
		expect(rolesOfUser({ Results: [{ ...vault, ...key }] })[0].name).toBe(vault.Row.Name);
		expect(rolesOfUser({ Results: [{ ...java, ...key }] })[0].name).toBe(java.Row.RoleName);
	});

	test('no role ID in any known form: an error naming the endpoint and the field, not undefined', () => {
		loud(() => rolesOfUser(shape(endpoint, 'vault-plugin-auth-centrify')), endpoint, /role ID/);
		loud(() => rolesOfUser({ results: [] }), endpoint, /Results/);
		loud(() => rolesOfUser(null), endpoint, /Results/);
	});
});

describe('the members of a role (GetRoleMembers)', () => {
	const endpoint = '/Roles/GetRoleMembers';

	test.each(['identityadmin-sdk-go', 'idsec-sdk-golang'])(
		'Row.Guid, Row.Name and Row.Type as %s shows them',
		(source) => {
			const answer = shape(endpoint, source);
			const row = answer.Results[0].Row;
			expect(roleMembers(answer)).toEqual([{ id: row.Guid, name: row.Name, type: 'User' }]);
		},
	);

	test('Type in any case (the SDKs compare it upper-cased); the entity Key when Row.Guid is missing', () => {
		const answer = {
			Results: [{ Entities: [{ Type: 'Group', Key: 'g1' }], Row: { Name: 'Ops', Type: 'GROUP' } }],
		};
		expect(roleMembers(answer)).toEqual([{ id: 'g1', name: 'Ops', type: 'Group' }]);
	});

	test('a member of unknown type is never taken for a user', () => {
		loud(() => roleMembers({ Results: [{ Row: { Guid: 'x', Name: 'x' } }] }), endpoint, /member type/);
		loud(() => roleMembers({ Results: [{ Row: { Guid: 'x', Type: 'Device' } }] }), endpoint, /member type/);
		loud(() => roleMembers({ Results: [{ Row: { Name: 'x', Type: 'User' } }] }), endpoint, /member ID/);
	});
});

describe('user records', () => {
	test("the ID from Uuid (GetUserByName, as CyberArk's demo scripts read it; GetUserAttributes)", () => {
		const byName = shape('/CDirectoryService/GetUserByName', 'cybr-demos');
		expect(userId(byName, '/CDirectoryService/GetUserByName')).toBe(byName.Uuid);
		const attributes = shape('/UserMgmt/GetUserAttributes', 'recorded answer');
		expect(userId(attributes, '/UserMgmt/GetUserAttributes')).toBe(attributes.Uuid);
		expect(userId({ ID: 'row-id' }, '/Redrock/query')).toBe('row-id');
		loud(
			() => userId({ Name: 'x@y.z' }, '/CDirectoryService/GetUserByName'),
			'/CDirectoryService/GetUserByName',
			/user ID/,
		);
	});

	test('CreateUser answers the new ID as Result', () => {
		for (const { result } of ANSWERS['/CDirectoryService/CreateUser'])
			expect(createdUserId(result)).toBe(result);
		loud(() => createdUserId({ Uuid: 'x' }), '/CDirectoryService/CreateUser', /new user's ID/);
	});

	test('the state from GetUserAttributes State; a cloud lock from CloudState', () => {
		expect(userState(shape('/UserMgmt/GetUserAttributes', 'recorded answer'))).toBe('None');
		expect(userState(shape('/UserMgmt/GetUserAttributes', 'idsec-sdk-golang'))).toBe('Disabled');
		expect(userState({ State: 'None', CloudState: 'Locked' })).toBe('Locked');
		expect(userState({ State: 'Disabled', CloudState: 'Locked' })).toBe('Disabled');
		loud(() => userState({ CloudState: 'None' }), '/UserMgmt/GetUserAttributes', /State/);
	});

	test('a State naming several states (a combination of flags): Disabled wins; an unknown part fails closed', () => {
		for (const state of ['Disabled,Locked', 'Locked, Disabled', 'disabled , expired', 'None,Disabled'])
			expect(userState({ State: state })).toBe('Disabled');
		expect(userState({ State: 'Locked,Expired' })).toBe('Locked');
		expect(userState({ State: 'None, None' })).toBe('None');
		expect(userState({ State: 'None', CloudState: 'Locked,Disabled' })).toBe('Disabled');
		for (const state of ['Disabled,Frozen', 'Frozen', 'Locked,', ','])
			loud(() => userState({ State: state }), '/UserMgmt/GetUserAttributes', /State/);
		loud(
			() => userState({ State: 'None', CloudState: 'Frozen' }),
			'/UserMgmt/GetUserAttributes',
			/CloudState/,
		);
		expect(stateName('Disabled, Locked')).toBe('disabled');
		expect(rosterState({ Status: 'Disabled,Locked' })).toBe('Disabled');
	});

	test('the record keys the output schemas rely on are those of the recorded answer', () => {
		const recorded = Object.keys(shape('/UserMgmt/GetUserAttributes', 'recorded answer'));
		expect(USER_RECORD_KEYS.filter((k) => !recorded.includes(k))).toEqual(['PasswordNeverExpire']);
		expect(recorded.filter((k) => !USER_RECORD_KEYS.includes(k))).toEqual([]);
	});

	test("Redrock User.Status tells the state only for the data dictionary's values and state names", () => {
		for (const status of ['Active', 'Invited', 'Created', 'Not Invited'])
			expect(rosterState({ Status: status })).toBe('None');
		expect(rosterState({ Status: 'Disabled' })).toBe('Disabled');
		expect(rosterState({ Status: 'Suspended' })).toBeUndefined();
		expect(rosterState({ Status: 'Gesperrt' })).toBeUndefined();
		expect(rosterState({})).toBeUndefined();
	});
});

describe('Redrock', () => {
	test.each(REDROCK.map((s) => [s.source, s.result]))('rows and FullCount (%s)', (_source, result: any) => {
		const answer = structuredClone(result);
		answer.Results[0].Row = { ID: 'u1', Username: 'a@b.c' };
		expect(redrockPage(answer)).toEqual({
			rows: [{ ID: 'u1', Username: 'a@b.c' }],
			fullCount: answer.FullCount,
		});
	});

	test('without FullCount the count is unknown, not the page length', () => {
		expect(redrockPage({ Results: [] }).fullCount).toBeUndefined();
	});

	test('rows of User and Role', () => {
		expect(userRow({ ID: 'u1', Username: 'a@b.c', Email: null })).toEqual({ id: 'u1', userName: 'a@b.c' });
		expect(roleRow({ ID: 'r1', Name: 'HR', Description: '' })).toEqual({
			id: 'r1',
			name: 'HR',
			description: '',
		});
		expect(roleRow({ ID: 'r1', Name: 'HR' }).description).toBeNull();
		loud(() => redrockPage({ Results: [{ Entities: [] }] }), '/Redrock/query', /Row/);
		loud(() => userRow({ Username: 'a@b.c' }), '/Redrock/query', /User\.ID/);
		loud(() => roleRow({ ID: 'r1' }), '/Redrock/query', /Role\.Name/);
	});
});

test('whoami: User and UserUuid', () => {
	const result = shape('/Security/whoami', 'vault-plugin-auth-centrify');
	expect(whoami(result)).toEqual({ user: result.User, userUuid: result.UserUuid });
	loud(() => whoami({ User: 'x' }), '/Security/whoami', /UserUuid/);
});

test('an error lists the keys that came back, never their values', () => {
	loud(
		() => userState({ Mail: 'secret.person@acme.example', Password: 'hunter2' }),
		'/UserMgmt/GetUserAttributes',
		/State/,
	);
	try {
		userState({ Mail: 'secret.person@acme.example', Password: 'hunter2' });
	} catch (error) {
		expect((error as Error).message).toContain('Mail, Password');
		expect((error as Error).message).not.toMatch(/secret\.person|hunter2/);
	}
});
