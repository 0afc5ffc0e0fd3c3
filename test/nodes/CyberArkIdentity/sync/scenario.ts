// Random tenants, rosters and options for the property tests of Create or Update, and what the tests
// read back: a tenant built from a description (so the same one can be built again), the node's
// parameters for a roster, a comparable picture of the tenant, and the plan of a Dry Run applied by hand.
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { Outcome, Parameters } from './inProcess';
import { InProcessTenant } from './inProcess';

export const ROLES = ['Eng', 'Fin', 'Sales', 'Scope', 'Other'];
const DEPARTMENTS = ['Eng', 'Fin', 'Sales'];

export interface UserSpec {
	login: string;
	email: string | null;
	state: 'None' | 'Disabled' | 'Locked';
	roles: string[];
}

export interface RowSpec {
	login: string;
	email: string;
	active: boolean;
	dept: string[];
}

export interface OptionsSpec {
	matchBy: 'userName' | 'email';
	deprovisionMissing: boolean;
	deprovisionAction: 'disable' | 'delete';
	managed: string[];
	scope: boolean;
	maxDeprovision: number;
	maxDeprovisionPercent: number;
	signOut: boolean;
	continueOnFail: boolean;
	concurrency: number;
}

/** Create or Update's options as most example-based tests run them, with `over` on top. */
export const exampleOptions = (over: Partial<OptionsSpec> = {}): OptionsSpec => ({
	matchBy: 'userName',
	deprovisionMissing: false,
	deprovisionAction: 'disable',
	managed: ['Eng', 'Fin', 'Sales'],
	scope: true,
	maxDeprovision: 10,
	maxDeprovisionPercent: 100,
	signOut: true,
	continueOnFail: false,
	concurrency: 1,
	...over,
});

export interface Scenario {
	users: UserSpec[];
	rows: RowSpec[];
	options: OptionsSpec;
}

/** The same address in another case now and then: CyberArk ignores case, and so must the node. */
const anyCase = (text: string) =>
	fc
		.array(fc.boolean(), { minLength: text.length, maxLength: text.length })
		.map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))
		.chain((cased) => fc.constantFrom(text, text, cased));

const login = fc.integer({ min: 0, max: 7 }).chain((n) => anyCase(`u${n}@example.com`));
const email = fc.integer({ min: 0, max: 5 }).chain((n) => anyCase(`m${n}@acme.test`));

const userSpec = fc.record({
	login,
	email: fc.option(email, { nil: null, freq: 4 }),
	state: fc.constantFrom<UserSpec['state']>('None', 'None', 'None', 'Disabled', 'Locked'),
	roles: fc.subarray(ROLES),
});

const rowSpec = fc.record({
	login,
	email: fc.oneof({ weight: 5, arbitrary: email }, { weight: 1, arbitrary: fc.constant('') }),
	active: fc.boolean(),
	dept: fc.subarray(DEPARTMENTS, { maxLength: 2 }),
});

const optionsSpec = fc.record({
	matchBy: fc.constantFrom<OptionsSpec['matchBy']>('userName', 'email'),
	deprovisionMissing: fc.boolean(),
	deprovisionAction: fc.constantFrom<OptionsSpec['deprovisionAction']>('disable', 'delete'),
	managed: fc.subarray(DEPARTMENTS),
	scope: fc.constantFrom(true, true, true, false),
	maxDeprovision: fc.integer({ min: 0, max: 8 }),
	maxDeprovisionPercent: fc.constantFrom(0, 10, 20, 50, 100),
	signOut: fc.boolean(),
	continueOnFail: fc.boolean(),
	concurrency: fc.integer({ min: 1, max: 3 }),
});

const tenantUsers = fc.uniqueArray(userSpec, { maxLength: 8, selector: (u) => u.login.toLowerCase() });

/** Any tenant, roster and options: rosters with duplicates, missing keys and contradictions included. */
export const scenarios: fc.Arbitrary<Scenario> = fc.record({
	users: tenantUsers,
	rows: fc.array(rowSpec, { maxLength: 8 }),
	options: optionsSpec,
});

/** Rosters without a login name or an e-mail given twice: most runs apply every row. */
export const cleanScenarios: fc.Arbitrary<Scenario> = fc.record({
	users: tenantUsers,
	rows: fc
		.uniqueArray(rowSpec, { maxLength: 8, selector: (r) => r.login.toLowerCase() })
		.filter((rows) => new Set(rows.map((r) => r.email.toLowerCase())).size === rows.length),
	options: optionsSpec,
});

/** A fresh tenant holding these users (the sandbox's own accounts besides). */
export function buildTenant(users: UserSpec[]): InProcessTenant {
	const tenant = new InProcessTenant(ROLES);
	const d = tenant.sandbox.directory;
	const roleId = (name: string) => [...d.roles.values()].find((r) => r.Name === name)!.ID;
	for (const user of users) {
		const id = d.createUser({ Name: user.login, Mail: user.email ?? undefined, SendEmailInvite: false });
		if (user.state !== 'None') d.setState(id, user.state);
		for (const role of user.roles) d.updateRole({ Name: roleId(role), Users: { Add: [id] } });
	}
	tenant.sandbox.resetCounters();
	return tenant;
}

/** Create or Update's parameters for the scenario's options; each row's values come from its item. */
export function syncParameters(options: OptionsSpec, dryRun: unknown = false): Parameters {
	return {
		resource: 'user',
		operation: 'upsert',
		dryRun,
		userName: (json: IDataObject) => json.login,
		email: (json: IDataObject) => json.email,
		active: (json: IDataObject) => json.active,
		additionalFields: { roles: (json: IDataObject) => json.dept, sendEmailInvite: false },
		options: {
			matchBy: options.matchBy,
			deprovisionMissing: options.deprovisionMissing,
			deprovisionAction: options.deprovisionAction,
			managedRoles: options.managed,
			scopeRole: options.scope ? 'Scope' : '',
			maxDeprovision: options.maxDeprovision,
			maxDeprovisionPercent: options.maxDeprovisionPercent,
			signOut: options.signOut,
			concurrency: options.concurrency,
			maxRequestsPerSecond: 0,
		},
	};
}

export async function runScenario(
	tenant: InProcessTenant,
	scenario: Scenario,
	dryRun = false,
): Promise<Outcome> {
	const input = scenario.rows.map((row) => ({ ...row }) as unknown as IDataObject);
	return await tenant.run(syncParameters(scenario.options, dryRun), input, {
		continueOnFail: scenario.options.continueOnFail,
	});
}

export interface UserPicture {
	id: string;
	name: string;
	mail: string | null;
	state: string;
	roles: string[];
}

/** Every user with what the sync may change about it. */
export function users(tenant: InProcessTenant): UserPicture[] {
	const d = tenant.sandbox.directory;
	return [...d.users.values()].map((u) => ({
		id: u.Uuid,
		name: u.Name,
		mail: u.Mail,
		state: d.attributes(u).State,
		roles: d
			.rolesOf(u.Uuid)
			.map((r: { Name: string }) => r.Name)
			.sort(),
	}));
}

/**
 * The tenant as a value to compare across tenants built from one description (IDs differ): users by
 * login name, and who was signed out (named as before the run).
 */
export function picture(tenant: InProcessTenant, before: UserPicture[]): IDataObject {
	const byName: IDataObject = {};
	const now = users(tenant);
	for (const { id, name, ...rest } of now) byName[name.toLowerCase()] = rest as unknown as IDataObject;
	const names = new Map([...now, ...before].map((u) => [u.id, u.name.toLowerCase()]));
	const signedOut = tenant.sandbox.signOuts.map((id) => names.get(id) ?? id).sort();
	return { users: byName, signedOut };
}

const NEW_USER = /^<ID of the new user (.+)>$/;

/**
 * Applies a Dry Run's planned requests to another tenant built alike, item by item, as a person following
 * the plan would. The plan is `named` (IDs replaced by names) so that it can name this tenant's users.
 */
export function applyPlan(tenant: InProcessTenant, namedItems: unknown): void {
	const ids = new Map<string, string>();
	for (const role of tenant.sandbox.directory.roles.values()) ids.set(`role:${role.Name}`, role.ID);
	for (const user of users(tenant)) ids.set(`user:${user.name.toLowerCase()}`, user.id);
	const fill = (value: unknown): unknown => {
		if (typeof value === 'string')
			return ids.get(value) ?? ids.get(`new:${NEW_USER.exec(value)?.[1]?.toLowerCase()}`) ?? value;
		if (Array.isArray(value)) return value.map(fill);
		if (value && typeof value === 'object')
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
		return value;
	};
	const session = { subject: tenant.sandbox.owner };
	for (const item of namedItems as IDataObject[]) {
		for (const request of (item.requests ?? []) as Array<{
			path: string;
			body: IDataObject;
			qs?: IDataObject;
		}>) {
			const url = new URL(`https://plan.example${request.path}`);
			for (const [k, v] of Object.entries(request.qs ?? {})) url.searchParams.set(k, String(fill(v)));
			const body = fill(request.body) as IDataObject;
			const result = tenant.sandbox.call(request.path.toLowerCase(), url, body, session);
			if (request.path === '/CDirectoryService/CreateUser')
				ids.set(`new:${String(body.Name).toLowerCase()}`, String(result));
		}
	}
}

/** Output with every user and role ID replaced by its name, to compare runs on tenants built alike. */
export function named(tenant: InProcessTenant, before: UserPicture[], value: unknown): unknown {
	const names = new Map<string, string>();
	for (const role of tenant.sandbox.directory.roles.values()) names.set(role.ID, `role:${role.Name}`);
	// A user is named as it was before the run (a renamed one too); one created by the run as it is now.
	for (const user of [...users(tenant), ...before]) names.set(user.id, `user:${user.name.toLowerCase()}`);
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') return names.get(v) ?? v;
		if (Array.isArray(v)) return v.map(walk);
		if (v && typeof v === 'object')
			return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
		return v;
	};
	return walk(value);
}
