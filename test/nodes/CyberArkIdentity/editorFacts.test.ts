// What a newcomer sees in the editor before running anything: the canvas subtitles, the node creator's
// entries, the docs links, the help beside the fields, and no parameter the editor could flag falsely.
import fs from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { CyberArkIdentityApi } from '../../../credentials/CyberArkIdentityApi.credentials';
import { CyberArkIdentity, resources } from '../../../nodes/CyberArkIdentity/CyberArkIdentity.node';
import { CyberArkIdentityTrigger } from '../../../nodes/CyberArkIdentityTrigger/CyberArkIdentityTrigger.node';

const ROOT = path.join(__dirname, '..', '..', '..');
const node = new CyberArkIdentity().description;
const trigger = new CyberArkIdentityTrigger().description;
const credential = new CyberArkIdentityApi();

/** Evaluates a `={{ … }}` subtitle as n8n does, with these parameter values. */
function subtitle(description: INodeTypeDescription, parameters: Record<string, unknown>): string {
	const body = /^=\{\{([\s\S]*)\}\}$/.exec(description.subtitle!)![1];
	// n8n's expression ends at the first "}}": the subtitle must not contain one.
	expect(body).not.toContain('}}');
	return new Function('$parameter', `return (${body});`)(parameters) as string;
}

/** Every parameter, nested ones included. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => [
		p,
		...allProperties(
			((p.options ?? []) as Array<INodeProperties | { values?: INodeProperties[] }>).flatMap((o) =>
				'values' in o && o.values ? o.values : 'type' in o ? [o as INodeProperties] : [],
			),
		),
	]);
}

describe('the canvas says what a node does in the names the editor shows', () => {
	test.each([
		['user', 'upsert', 'Create or Update: User'],
		['user', 'getAll', 'Get Many: User'],
		['user', 'addToRole', 'Add to Role: User'],
		['role', 'getMembers', 'Get Members: Role'],
		['token', 'get', 'Get: Token'],
		['customApiCall', 'call', 'Custom API Call'],
	])('%s %s: "%s"', (resource, operation, expected) => {
		expect(subtitle(node, { resource, operation })).toBe(expected);
	});

	test('every operation has a subtitle of display names, none of internal values', () => {
		for (const [resource, operations] of Object.entries(resources))
			for (const [operation, { option }] of Object.entries(operations))
				expect(subtitle(node, { resource, operation })).toContain(option.name);
	});

	test("the trigger's subtitle names its events, other event types as CyberArk names them", () => {
		expect(subtitle(trigger, { event: ['Cloud.Core.LoginFail'] })).toBe('Failed Login');
		expect(
			subtitle(trigger, {
				event: ['Cloud.Core.MfaSummary', 'Cloud.Core.OAuthToken.InvalidClient'],
				customEventTypes: ' Cloud.Core.Login.ServiceLogin, ',
			}),
		).toBe('MFA Summary, Client Rejected, Cloud.Core.Login.ServiceLogin');
		expect(subtitle(trigger, { event: ['*'] })).toBe('All Events');
	});
});

describe("n8n's node creator", () => {
	const events = trigger.properties.find((p) => p.name === 'event')!.options as INodePropertyOptions[];

	test('lists each trigger event by its name ("On MFA Summary"), not lowercased', () => {
		for (const event of events) expect(event.action).toBe(`On ${event.name}`);
		expect(events.find((e) => e.value === 'Cloud.Core.MfaSummary')!.action).toBe('On MFA Summary');
	});

	test("shows the trigger's description for the package's one entry: it says what the action node does", () => {
		expect(trigger.description).toMatch(/users and roles/);
		expect(trigger.description).toMatch(/audit events/);
		expect(node.description).toMatch(/users and roles/);
	});

	test('offers a Custom API Call among the actions', () => {
		const resource = node.properties.find((p) => p.name === 'resource')!;
		expect((resource.options as INodePropertyOptions[]).map((o) => o.name)).toContain('Custom API Call');
		const operation = node.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('customApiCall'),
		)!;
		expect(operation.options).toEqual([
			expect.objectContaining({ name: 'Custom API Call', action: 'Make a custom API call' }),
		]);
	});
});

describe('docs links land', () => {
	const codex = (file: string) =>
		JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as {
			resources: Record<string, Array<{ url: string }>>;
		};
	const links = [
		credential.documentationUrl,
		...Object.values(codex('nodes/CyberArkIdentity/CyberArkIdentity.node.json').resources).flat(),
		...Object.values(
			codex('nodes/CyberArkIdentityTrigger/CyberArkIdentityTrigger.node.json').resources,
		).flat(),
	].map((link) => (typeof link === 'string' ? link : link.url));

	test.each(links)(
		'%s: no #fragment (n8n appends its parameters after the URL), a file of this repository',
		(url) => {
			expect(url).not.toContain('#');
			const file = /\/blob\/main\/(.+)$/.exec(url)?.[1];
			expect(file).toBeDefined();
			expect(fs.existsSync(path.join(ROOT, file!))).toBe(true);
		},
	);

	test('the credential links to the page where its values come from', () => {
		expect(credential.documentationUrl).toMatch(/docs\/setup\.md$/);
		expect(fs.readFileSync(path.join(ROOT, 'docs', 'setup.md'), 'utf8')).toMatch(/Application ID/);
	});
});

describe('help beside the fields', () => {
	test('Grant Type is explained, each of its choices too', () => {
		const grant = credential.properties.find((p) => p.name === 'grantType')!;
		expect(grant.description).toMatch(/access token/);
		expect(grant.hint).toBeTruthy();
		for (const option of grant.options as INodePropertyOptions[]) expect(option.description).toBeTruthy();
	});

	test("the credential's key fields carry an inline hint", () => {
		for (const name of ['tenantUrl', 'appId', 'clientId', 'username', 'scope'])
			expect([name, credential.properties.find((p) => p.name === name)!.hint]).toEqual([
				name,
				expect.any(String),
			]);
	});

	test('Dry Run and the login name carry an inline hint', () => {
		for (const name of ['dryRun', 'userName'])
			expect(node.properties.filter((p) => p.name === name).every((p) => p.hint)).toBe(true);
	});
});

test('no option list is loaded from the tenant: an expression there would be flagged "not supported" in the editor', () => {
	for (const description of [node, trigger])
		for (const property of allProperties(description.properties))
			expect([property.name, property.typeOptions?.loadOptionsMethod]).toEqual([property.name, undefined]);
});

test('roles are given with role pickers: from the list, by name or by ID', () => {
	const roleParameters = allProperties(node.properties).filter((p) =>
		['roles', 'managedRoles', 'scopeRole', 'roleId'].includes(p.name),
	);
	expect(roleParameters.length).toBeGreaterThan(0);
	for (const property of roleParameters) {
		const picker =
			property.type === 'fixedCollection'
				? ((property.options as Array<{ values: INodeProperties[] }>)[0].values[0] as INodeProperties)
				: property;
		expect([property.name, picker.type]).toEqual([property.name, 'resourceLocator']);
		expect(picker.modes!.map((m) => m.name)).toEqual(['list', 'name', 'id']);
	}
});
