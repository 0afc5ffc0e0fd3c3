import { roleList } from '../../../../nodes/CyberArkIdentity/roles/directory';

test('roleList takes a list or comma-separated text, trimmed and without duplicates', () => {
	expect(roleList(['a', ' b ', 'a'])).toEqual(['a', 'b']);
	expect(roleList('a, b,,c')).toEqual(['a', 'b', 'c']);
	expect(roleList(undefined)).toEqual([]);
	expect(roleList('')).toEqual([]);
	expect(() => roleList([{ id: 1 }])).toThrow(/Roles must be text/);
});
