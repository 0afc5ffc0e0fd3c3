// Create User's honesty and its checks before the first write: a lost answer never claims a user it
// cannot know it created, roles are resolved before CreateUser, and a switch that cannot be read stops
// the item. Engine tests against the sandbox tenant over loopback (a lost answer needs a real 502).
import type { Sandbox } from '../../../../sandbox/server';
import { startSandbox } from '../../../../sandbox/server';
import { CredentialStore, roleEntries, runNode } from '../../../harness';
import { validate } from '../../../jsonSchema';
import { output } from '../../../../nodes/CyberArkIdentity/actions/user/create';

let sandbox: Sandbox;
let store: CredentialStore;
let financeId: string;

beforeEach(async () => {
	sandbox = await startSandbox({ roles: [{ Name: 'Finance', Description: '' }] });
	store = new CredentialStore(sandbox.credentials());
	financeId = [...sandbox.directory.roles.values()].find((r) => r.Name === 'Finance')!.ID;
});
afterEach(async () => sandbox.close());

const create = (extra: object = {}) => ({
	resource: 'user',
	operation: 'create',
	userName: 'jane@example.com',
	email: 'jane@acme.test',
	additionalFields: { displayName: 'Jane New', roles: roleEntries(financeId) },
	...extra,
});
const calls = (path: string) => sandbox.counters.calls[path] ?? 0;
const finance = () => sandbox.directory.roles.get(financeId)!.members;
/** CyberArk applies (or refuses) CreateUser, and its answer is lost on the way back. */
const loseCreateAnswers = () =>
	Object.assign(sandbox.knobs, { faultPath: '/CDirectoryService/CreateUser', status502Every: 1 });

describe('a lost answer to CreateUser never claims a user it cannot know it created', () => {
	let before: string;
	beforeEach(() => {
		before = sandbox.directory.createUser({
			Name: 'jane@example.com',
			Mail: 'old@acme.test',
			DisplayName: 'Jane Before',
			SendEmailInvite: false,
		});
		loseCreateAnswers();
	});

	test('On Existing User Fail, with roles to add: the item fails saying the user may have existed before; nothing else is written', async () => {
		const result = await runNode(store, create());
		expect(result.items).toEqual([]);
		expect(result.error?.message).toBe(
			'CyberArk\'s answer to /CDirectoryService/CreateUser was lost, and a user named "jane@example.com" exists now: this call may have created it, or it existed before',
		);
		expect(result.error?.description).toMatch(/roles and extended attributes were not set/);
		expect(result.error?.description).toMatch(/On Existing User/);
		expect(finance().has(before)).toBe(false);
		expect(calls('/roles/updaterole')).toBe(0);
		expect(sandbox.directory.users.get(before)!.DisplayName).toBe('Jane Before');
	});

	test("Continue On Fail: the same, as the item's error", async () => {
		const result = await runNode(store, create(), [{}], { continueOnFail: true });
		expect(result.items.map((i) => i.json)).toEqual([
			{
				userName: 'jane@example.com',
				error: expect.stringMatching(/may have created it, or it existed before$/),
			},
		]);
	});

	test('On Existing User Fail, with nothing more to set: the user that exists, created null (not known)', async () => {
		const result = await runNode(store, create({ additionalFields: { displayName: 'Jane New' } }));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: before, displayName: 'Jane Before', created: null });
		expect(validate(result.items[0].json, output)).toEqual([]);
		expect(sandbox.counters.calls['/cdirectoryservice/changeuser']).toBeUndefined();
	});

	test('Return Existing User: the user unchanged, created null (not known), no roles added', async () => {
		const result = await runNode(store, create({ options: { onExisting: 'returnExisting' } }));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: before, displayName: 'Jane Before', created: null });
		expect(validate(result.items[0].json, output)).toEqual([]);
		expect(result.items[0].json.roles).toBeUndefined();
		expect(finance().has(before)).toBe(false);
	});

	test('Update Existing User: the fields and roles applied to the user that exists, created null', async () => {
		const result = await runNode(store, create({ options: { onExisting: 'update' } }));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id: before,
			displayName: 'Jane New',
			email: 'jane@acme.test',
			created: null,
			updated: true,
			roles: [{ id: financeId, name: 'Finance' }],
		});
		expect(validate(result.items[0].json, output)).toEqual([]);
		expect(sandbox.directory.users.get(before)).toMatchObject({
			DisplayName: 'Jane New',
			Mail: 'jane@acme.test',
		});
		expect(finance().has(before)).toBe(true);
		expect(calls('/cdirectoryservice/createuser')).toBe(1);
	});
});

test('a user this call did create, whose answer was lost, is not sent twice (Update Existing User finishes it)', async () => {
	loseCreateAnswers();
	const result = await runNode(store, create({ options: { onExisting: 'update' } }));
	const user = sandbox.directory.findByName('jane@example.com')!;
	expect(result.items[0].json).toMatchObject({ id: user.Uuid, created: null, updated: true });
	expect(finance().has(user.Uuid)).toBe(true);
	expect(calls('/cdirectoryservice/createuser')).toBe(1);
});

describe('roles given by name are resolved before CreateUser', () => {
	test('a role name becomes its ID; the user is added to it', async () => {
		const result = await runNode(store, create({ additionalFields: { roles: roleEntries('finance') } }));
		expect(result.error).toBeUndefined();
		const user = sandbox.directory.findByName('jane@example.com')!;
		expect(result.items[0].json).toMatchObject({
			id: user.Uuid,
			created: true,
			roles: [{ id: financeId, name: 'Finance' }],
		});
		expect(finance().has(user.Uuid)).toBe(true);
	});

	test('an unknown role fails the item before anything is written', async () => {
		const result = await runNode(
			store,
			create({ additionalFields: { roles: roleEntries('Finance', 'Nope') } }),
			[{}, {}],
			{ continueOnFail: true },
		);
		expect(result.items.map((i) => i.json.error)).toEqual(
			Array(2).fill('Roles: no role named "Nope" (or with that ID) exists in the tenant'),
		);
		expect(calls('/cdirectoryservice/createuser')).toBe(0);
		expect(sandbox.directory.findByName('jane@example.com')).toBeUndefined();
	});

	test('a role name with a comma, given as text, is refused with how to give it', async () => {
		const result = await runNode(store, create({ additionalFields: { roles: roleEntries('Sales, EMEA') } }));
		expect(result.error?.message).toBe('Roles: no role named "Sales" (or with that ID) exists in the tenant');
		expect(result.error?.description).toMatch(/as a list/);
		expect(calls('/cdirectoryservice/createuser')).toBe(0);
	});
});

describe('a switch in Additional Fields that cannot be read stops the item before anything is sent', () => {
	test.each([
		['sendEmailInvite', 'Send Email Invite', ''],
		['inEverybodyRole', 'In Everybody Role', 'yes'],
		['passwordNeverExpire', 'Password Never Expires', null],
	])('Create: %s', async (param, label, value) => {
		const result = await runNode(store, create({ additionalFields: { [param]: value } }));
		expect(result.error?.message).toMatch(new RegExp(`^${label} must be true or false, but the value is`));
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(calls('/cdirectoryservice/createuser')).toBe(0);
	});

	test('Update: an empty Force Password Change is an error, not "leave as is"', async () => {
		const id = sandbox.directory.createUser({ Name: 'jane@example.com', SendEmailInvite: false });
		const result = await runNode(store, {
			resource: 'user',
			operation: 'update',
			userId: { __rl: true, mode: 'id', value: id },
			updateFields: { displayName: 'Jane', forcePasswordChangeNext: '' },
		});
		expect(result.error?.message).toBe(
			'Force Password Change at Next Login must be true or false, but the value is empty',
		);
		expect(calls('/cdirectoryservice/changeuser')).toBe(0);
	});

	test('the texts "true" and "false" are read as switches', async () => {
		const result = await runNode(store, create({ additionalFields: { sendEmailInvite: 'false' } }));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ created: true, sendEmailInvite: false });
	});
});
