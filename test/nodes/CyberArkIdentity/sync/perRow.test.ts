// Create or Update: a row whose value cannot go into CyberArk's queries fails that row, before anything
// is sent, and never the whole run.
import type { IDataObject } from 'n8n-workflow';

import { buildTenant, syncParameters } from './scenario';

test('an e-mail with a backslash fails its own row (Continue On Fail); the other rows are synced', async () => {
	const tenant = buildTenant([]);
	const rows = [
		{ login: 'p0@example.com', email: 'p0@acme.test', active: true, dept: ['Eng'] },
		{ login: 'p1@example.com', email: 'p\\1@acme.test', active: true, dept: ['Eng'] },
		{ login: 'p2@example.com', email: 'p2@acme.test', active: true, dept: ['Fin'] },
	];
	const parameters = syncParameters({
		matchBy: 'email',
		deprovisionMissing: false,
		deprovisionAction: 'disable',
		managed: ['Eng', 'Fin'],
		scope: false,
		maxDeprovision: 10,
		maxDeprovisionPercent: 100,
		signOut: true,
		continueOnFail: true,
		concurrency: 1,
	});
	const outcome = await tenant.run(parameters, rows as unknown as IDataObject[], { continueOnFail: true });
	expect(outcome.error).toBeUndefined();
	expect(outcome.items.map((i) => i.json.error ?? i.json.action)).toEqual([
		'created',
		'Email "p\\1@acme.test" contains a backslash (\\), which CyberArk\'s queries cannot take',
		'created',
	]);
	expect(outcome.items[1].pairedItem).toEqual({ item: 1 });
	expect(tenant.sandbox.directory.findByName('p1@example.com')).toBeUndefined();
});
