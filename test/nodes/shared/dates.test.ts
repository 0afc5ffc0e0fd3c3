// The one reader of CyberArk's dates, used by the action node's simplified users and by the trigger.
import { cyberArkDate, cyberArkTime } from '../../../nodes/shared/dates';

test('cyberArkTime: /Date(ms)/ (with or without a zone offset), numbers and ISO 8601; else undefined', () => {
	expect(cyberArkTime('/Date(1700000000000)/')).toBe(1700000000000);
	expect(cyberArkTime('/Date(1700000000000+0200)/')).toBe(1700000000000);
	expect(cyberArkTime('/Date(-5)/')).toBe(-5);
	expect(cyberArkTime(42)).toBe(42);
	expect(cyberArkTime('2024-01-01T00:00:00Z')).toBe(Date.parse('2024-01-01T00:00:00Z'));
	for (const bad of ['soon', '', null, undefined, NaN, {}, '/Date(x)/'])
		expect(cyberArkTime(bad)).toBeUndefined();
});

test('cyberArkDate: /Date(ms)/ as ISO 8601, null when absent, other text as it is', () => {
	expect(cyberArkDate('/Date(1700000000000)/')).toBe('2023-11-14T22:13:20.000Z');
	expect(cyberArkDate('/Date(1700000000000-0500)/')).toBe('2023-11-14T22:13:20.000Z');
	expect(cyberArkDate(null)).toBeNull();
	expect(cyberArkDate('')).toBeNull();
	expect(cyberArkDate('2024-01-01')).toBe('2024-01-01');
});
