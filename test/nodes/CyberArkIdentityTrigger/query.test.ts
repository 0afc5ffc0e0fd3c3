// The Event scripts: every value checked and quoted in the Redrock module, run on the sandbox engine.
import {
	eventConditions,
	eventsAfterScript,
	eventType,
	newestEventsScript,
	redrockDate,
} from '../../../nodes/shared/redrock';
import { EventLog } from '../../../sandbox/events';
import { runQuery } from '../../../sandbox/redrock';

test('event types as an IN list, sorted and de-duplicated; custom types added; "all" drops the type filter', () => {
	expect(eventConditions({ types: ['Cloud.Core.LoginFail', 'Cloud.Core.Login', 'Cloud.Core.Login'] })).toBe(
		"EventType IN ('Cloud.Core.Login', 'Cloud.Core.LoginFail')",
	);
	expect(
		eventConditions({
			types: ['Cloud.Core.LoginFail'],
			customEventTypes: ' Cloud.Core.UserChange ,, X.Y-z_1 ',
		}),
	).toBe("EventType IN ('Cloud.Core.LoginFail', 'Cloud.Core.UserChange', 'X.Y-z_1')");
	expect(eventConditions({ types: ['*', 'Cloud.Core.Login'] })).toBe('');
	expect(eventConditions({ types: [], customEventTypes: 'Cloud.Core.Logout' })).toBe(
		"EventType IN ('Cloud.Core.Logout')",
	);
});

test('user and source IP filters', () => {
	expect(
		eventConditions({
			types: ['*'],
			userContains: "o'brien",
			userEquals: 'jane@acme.example',
			sourceIp: '2001:db8::7',
		}),
	).toBe(
		"NormalizedUser LIKE '%o''brien%' AND NormalizedUser = 'jane@acme.example' AND FromIPAddress = '2001:db8::7'",
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

test('scripts: after a time oldest first, newest first; dates in UTC without a zone', () => {
	expect(redrockDate(Date.parse('2026-11-26T10:11:12.345Z'))).toBe("'2026-11-26T10:11:12.345'");
	expect(redrockDate(-5)).toBe("'1970-01-01T00:00:00.000'");
	expect(eventsAfterScript("EventType IN ('A')", Date.parse('2026-11-26T10:00:00Z'))).toMatch(
		/^Select ID, EventType, WhenOccurred, WhenLogged, .* from Event WHERE WhenOccurred > '2026-11-26T10:00:00.000' AND EventType IN \('A'\) ORDER BY WhenOccurred ASC$/,
	);
	expect(newestEventsScript('')).toMatch(/ from Event ORDER BY WhenOccurred DESC$/);
});

describe('on the sandbox engine', () => {
	const log = new EventLog();
	const t = Date.parse('2026-11-26T10:00:00Z');
	log.record({
		type: 'Cloud.Core.LoginFail',
		user: 'jane@acme.example',
		ip: '10.0.0.1',
		occurredAt: t + 1000,
	});
	log.record({
		type: 'Cloud.Core.LoginFail',
		user: "o'brien@acme.example",
		ip: '10.0.0.2',
		occurredAt: t + 2000,
	});
	log.record({ type: 'Cloud.Core.Login', user: 'jane@acme.example', ip: '10.0.0.1', occurredAt: t + 3000 });
	log.record({ type: 'Cloud.Core.LoginFail', user: 'early@acme.example', occurredAt: t - 1000 });
	const tables = { Event: () => ({ rows: log.rows(), entity: 'Event' }) };
	const users = (script: string) =>
		runQuery(tables, script).Results.map((r: { Row: { NormalizedUser: string } }) => r.Row.NormalizedUser);

	test('time bound, type, user and IP filters select what they say', () => {
		expect(users(eventsAfterScript(eventConditions({ types: ['Cloud.Core.LoginFail'] }), t))).toEqual([
			'jane@acme.example',
			"o'brien@acme.example",
		]);
		expect(users(eventsAfterScript(eventConditions({ types: ['*'], userContains: "O'Brien" }), t))).toEqual([
			"o'brien@acme.example",
		]);
		expect(users(eventsAfterScript(eventConditions({ types: ['*'], sourceIp: '10.0.0.1' }), t))).toEqual([
			'jane@acme.example',
			'jane@acme.example',
		]);
		expect(users(newestEventsScript(eventConditions({ types: ['Cloud.Core.LoginFail'] })))).toEqual([
			"o'brien@acme.example",
			'jane@acme.example',
			'early@acme.example',
		]);
	});

	test.each(["' OR 1=1 --", "x' OR NormalizedUser LIKE '%", "%' OR ''='"])(
		'%s in a user filter finds nothing',
		(attack) => {
			expect(users(eventsAfterScript(eventConditions({ types: ['*'], userContains: attack }), 0))).toEqual(
				[],
			);
			expect(users(eventsAfterScript(eventConditions({ types: ['*'], userEquals: attack }), 0))).toEqual([]);
		},
	);

	test('the unescaped filter would have matched every event (the test can fail)', () => {
		expect(users("Select NormalizedUser from Event WHERE NormalizedUser = '' OR 1=1 --'")).toHaveLength(4);
	});
});
