import { roleQuery } from '../../../nodes/CyberArkIdentity/roles/directory';
import { userQuery } from '../../../nodes/CyberArkIdentity/users/queries';
import { sqlContains, sqlString } from '../../../nodes/shared/redrock';
import { runQuery } from '../../../sandbox/redrock';

describe('sqlString', () => {
	test('quotes and doubles single quotes', () => {
		expect(sqlString("O'Brien", 'x')).toBe("'O''Brien'");
		expect(sqlString("' OR 1=1 --", 'x')).toBe("''' OR 1=1 --'");
		expect(sqlContains("a'b", 'x')).toBe("'%a''b%' ESCAPE '!'");
	});

	test.each([[''], [null], [{}], ['a\u0000b'], ['line\nbreak'], ['x'.repeat(300)]])('refuses %j', (value) => {
		expect(() => sqlString(value, 'Search')).toThrow(/Search/);
	});

	test('refuses a backslash, which could end the string in a dialect that escapes with it', () => {
		expect(() => sqlString("x\\' OR 1=1 --", 'Search')).toThrow(
			'Search contains a backslash (\\), which this node does not put into a CyberArk query',
		);
		expect(() => sqlContains('DOMAIN\\jane', 'User Contains')).toThrow(/User Contains contains a backslash/);
	});
});

describe('userQuery', () => {
	test('no filter', () => {
		expect(userQuery({})).toBe(
			'Select ID, Username, DisplayName, Email, MobileNumber, LastLogin, Status from User ORDER BY Username',
		);
	});

	test('every filter', () => {
		expect(
			userQuery({ search: 'jane', userName: 'j@acme.example', email: 'j@x.example', status: 'suspended' }),
		).toBe(
			"Select ID, Username, DisplayName, Email, MobileNumber, LastLogin, Status from User WHERE (Username LIKE '%jane%' ESCAPE '!' OR DisplayName LIKE '%jane%' ESCAPE '!' OR Email LIKE '%jane%' ESCAPE '!') AND Username = 'j@acme.example' AND Email = 'j@x.example' AND Status = 'Suspended' ORDER BY Username",
		);
	});

	test('refuses a status CyberArk does not document', () => {
		expect(() => userQuery({ status: "Active' OR '1'='1" })).toThrow(
			/not one of Active, Created, Invited, Suspended/,
		);
		expect(() => userQuery({ status: 'Disabled' })).toThrow(/not one of/);
	});

	test('role names', () => {
		expect(roleQuery({ name: "R&D's" })).toBe(
			"Select ID, Name, Description from Role WHERE Name LIKE '%R&D''s%' ESCAPE '!' ORDER BY Name",
		);
	});
});

describe('injection attempts stay inside their string literal (run on the sandbox query engine)', () => {
	const rows = [
		{
			ID: '1',
			Username: 'alice@acme.example',
			DisplayName: 'Alice',
			Email: 'alice@x.example',
			MobileNumber: null,
			LastLogin: null,
			Status: 'Active',
		},
		{
			ID: '2',
			Username: "o'brien@acme.example",
			DisplayName: "Pat O'Brien",
			Email: 'pat@x.example',
			MobileNumber: null,
			LastLogin: null,
			Status: 'Locked',
		},
	];
	const tables = { User: () => ({ rows, entity: 'User' }) };
	const attacks = [
		"' OR 1=1 --",
		"' OR '1'='1",
		"x' OR Username LIKE '%",
		"'; DELETE FROM User; --",
		"\\' OR 1=1 --",
		"%' OR ''='",
	];

	test.each(attacks)('%s finds nothing in any filter, or is refused before it is sent', (attack) => {
		for (const filter of ['search', 'userName', 'email'] as const) {
			if (attack.includes('\\')) expect(() => userQuery({ [filter]: attack })).toThrow(/backslash/);
			else expect(runQuery(tables, userQuery({ [filter]: attack })).FullCount).toBe(0);
		}
	});

	test('the unescaped script would have returned every user (the test can fail)', () => {
		expect(runQuery(tables, `Select ID from User WHERE Username = '' OR 1=1 --'`).FullCount).toBe(2);
	});

	test('a real apostrophe still matches', () => {
		expect(
			runQuery(tables, userQuery({ search: "O'Brien" })).Results.map(
				(r: { Row: { ID: string } }) => r.Row.ID,
			),
		).toEqual(['2']);
	});
});
