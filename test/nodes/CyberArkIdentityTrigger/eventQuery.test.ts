// The trigger's Event scripts: every value checked and quoted, dates as collectors send them, and the
// place-based bounds run on the sandbox's Redrock engine.
import {
	afterMark,
	backwardScript,
	eventConditions,
	eventType,
	forwardScript,
	millisecondScript,
	newestScript,
	redrockDate,
	upToMark,
} from '../../../nodes/CyberArkIdentityTrigger/eventQuery';
import { EventLog } from '../../../sandbox/events';
import { runQuery } from '../../../sandbox/redrock';

test('event types as ORs, sorted and de-duplicated; custom types added; "all" drops the type filter', () => {
	expect(eventConditions({ types: ['Cloud.Core.LoginFail', 'Cloud.Core.Login', 'Cloud.Core.Login'] })).toBe(
		"(EventType = 'Cloud.Core.Login' OR EventType = 'Cloud.Core.LoginFail')",
	);
	expect(
		eventConditions({
			types: ['Cloud.Core.LoginFail'],
			customEventTypes: ' Cloud.Core.Login.ServiceLogin ,, X.Y-z_1 ',
		}),
	).toBe(
		"(EventType = 'Cloud.Core.Login.ServiceLogin' OR EventType = 'Cloud.Core.LoginFail' OR EventType = 'X.Y-z_1')",
	);
	expect(eventConditions({ types: ['*', 'Cloud.Core.Login'] })).toBe('');
	expect(eventConditions({ types: [], customEventTypes: 'Cloud.Core.Logout' })).toBe(
		"(EventType = 'Cloud.Core.Logout')",
	);
});

test('user and source IP filters; LIKE wildcards in User Contains are escaped', () => {
	expect(
		eventConditions({
			types: ['*'],
			userContains: "o'brien_%",
			userEquals: 'jane@acme.example',
			sourceIp: '2001:db8::7',
		}),
	).toBe(
		"NormalizedUser LIKE '%o''brien!_!%%' ESCAPE '!' AND NormalizedUser = 'jane@acme.example' AND FromIPAddress = '2001:db8::7'",
	);
});

test.each([
	[{ types: [] }, /No event type is selected/],
	[
		{ types: ["Cloud.Core.Login' OR 1=1 --"] },
		/Event "Cloud.Core.Login' OR 1=1 --" is not a CyberArk event type name/,
	],
	[
		{ types: ['Cloud.Core.Login'], customEventTypes: "x') OR ('1'='1" },
		/Other Event Types .* is not a CyberArk event type name/,
	],
	[{ types: [{}] }, /Event must be text/],
	[{ types: ['*'], sourceIp: "1.2.3.4' OR '1'='1" }, /Source IP .* is not an IP address/],
	[{ types: ['*'], userEquals: 'a\nb' }, /User Is contains a control character/],
])('refuses %j', (filters, message) => {
	expect(() => eventConditions(filters)).toThrow(message);
});

test('eventType', () => {
	expect(eventType('Cloud.Core.MfaSummary')).toBe('Cloud.Core.MfaSummary');
	expect(() => eventType('1abc')).toThrow(/not a CyberArk event type name/);
});

test("dates as Cortex XSOAR's collector writes them: UTC, six fractional digits, no zone", () => {
	expect(redrockDate(Date.parse('2026-11-26T10:11:12.345Z'))).toBe("'2026-11-26T10:11:12.345000'");
	expect(redrockDate(-5)).toBe("'1970-01-01T00:00:00.000000'");
	expect(redrockDate(1e20)).toBe("'9999-12-31T23:59:59.999000'");
	expect(() => redrockDate(NaN)).toThrow(/not a number/);
});

test('scripts: bounds by place, one ORDER BY column each, the conditions in parentheses', () => {
	const t = Date.parse('2026-11-26T10:00:00Z');
	expect(afterMark({ t })).toBe("WhenOccurred >= '2026-11-26T10:00:00.001000'");
	expect(afterMark({ t, id: "a'b" })).toBe(
		"(WhenOccurred >= '2026-11-26T10:00:00.001000' OR (WhenOccurred >= '2026-11-26T10:00:00.000000' AND ID > 'a''b'))",
	);
	expect(upToMark({ t })).toBe("WhenOccurred < '2026-11-26T10:00:00.001000'");
	expect(upToMark({ t, id: 'x' })).toBe(
		"(WhenOccurred < '2026-11-26T10:00:00.000000' OR (WhenOccurred < '2026-11-26T10:00:00.001000' AND ID <= 'x'))",
	);
	expect(forwardScript("EventType = 'A'", { t })).toMatch(
		/^Select ID, EventType, WhenOccurred, WhenLogged, .* from Event WHERE WhenOccurred >= '2026-11-26T10:00:00.001000' AND \(EventType = 'A'\) ORDER BY WhenOccurred ASC$/,
	);
	expect(backwardScript('', t - 1000, { t })).toMatch(
		/ from Event WHERE WhenOccurred >= '2026-11-26T09:59:59.000000' AND WhenOccurred < '2026-11-26T10:00:00.001000' ORDER BY WhenOccurred DESC$/,
	);
	expect(millisecondScript('', t, { afterId: 'k' })).toMatch(
		/ WHERE WhenOccurred >= '2026-11-26T10:00:00.000000' AND WhenOccurred < '2026-11-26T10:00:00.001000' AND ID > 'k' ORDER BY ID ASC$/,
	);
	expect(newestScript('')).toMatch(/ from Event ORDER BY WhenOccurred DESC$/);
});

describe('on the sandbox engine', () => {
	const log = new EventLog();
	const t = Date.parse('2026-11-26T10:00:00Z');
	const at = (
		id: string,
		ms: number,
		user = 'jane@acme.example',
		type = 'Cloud.Core.LoginFail',
		ip = '10.0.0.1',
	) => log.record({ id, type, user, ip, occurredAt: ms });
	at('b', t);
	at('a', t);
	at('c', t);
	at('d', t + 1);
	at('e', t - 1);
	at('o', t + 2000, "o'brien@acme.example", 'Cloud.Core.LoginFail', '10.0.0.2');
	at('l', t + 3000, 'jane@acme.example', 'Cloud.Core.Login');
	at('x', t + 4000, 'a_c@acme.example');
	at('y', t + 5000, 'abc@acme.example');
	const tables = { Event: () => ({ rows: log.rows(), entity: 'Event' }) };
	const ids = (script: string) => runQuery(tables, script).Results.map((r) => r.Row.ID as string);
	const fails = eventConditions({ types: ['Cloud.Core.LoginFail'] });

	test('after and up to a place: whole milliseconds, or by ID within one', () => {
		expect(ids(forwardScript(fails, { t: t - 1 })).sort()).toEqual(['a', 'b', 'c', 'd', 'o', 'x', 'y']);
		expect(ids(forwardScript(fails, { t, id: 'a' })).sort()).toEqual(['b', 'c', 'd', 'o', 'x', 'y']);
		expect(ids(forwardScript(fails, { t }))).toEqual(['d', 'o', 'x', 'y']);
		expect(ids(backwardScript(fails, t - 1, { t, id: 'b' })).sort()).toEqual(['a', 'b', 'e']);
		expect(ids(millisecondScript(fails, t, { afterId: 'a' }))).toEqual(['b', 'c']);
		expect(ids(millisecondScript(fails, t, { upToId: 'b' }))).toEqual(['a', 'b']);
	});

	test('type, user and IP filters select what they say; % and _ in User Contains match only themselves', () => {
		const users = (script: string) => runQuery(tables, script).Results.map((r) => r.Row.NormalizedUser);
		expect(users(forwardScript(eventConditions({ types: ['*'], userContains: "O'Brien" }), { t }))).toEqual([
			"o'brien@acme.example",
		]);
		expect(ids(forwardScript(eventConditions({ types: ['*'], sourceIp: '10.0.0.2' }), { t }))).toEqual(['o']);
		expect(ids(forwardScript(eventConditions({ types: ['*'], userContains: 'a_c' }), { t }))).toEqual(['x']);
		expect(ids(forwardScript(eventConditions({ types: ['*'], userContains: '%' }), { t }))).toEqual([]);
	});

	test.each(["' OR 1=1 --", "x' OR NormalizedUser LIKE '%", "%' OR ''='", "!' ESCAPE '!"])(
		'%s in a user filter finds nothing',
		(attack) => {
			expect(ids(forwardScript(eventConditions({ types: ['*'], userContains: attack }), { t: -1 }))).toEqual(
				[],
			);
			expect(ids(forwardScript(eventConditions({ types: ['*'], userEquals: attack }), { t: -1 }))).toEqual(
				[],
			);
		},
	);

	test('the unescaped filter would have matched every event (the test can fail)', () => {
		expect(ids("Select ID from Event WHERE NormalizedUser = '' OR 1=1 --'")).toHaveLength(9);
		expect(ids("Select ID from Event WHERE NormalizedUser LIKE '%a_c%'")).toEqual(['x', 'y']);
	});
});
