// What the engine tests of Create or Update share: a sandbox tenant with the department roles, the
// node's parameters for a roster, and counts of the writes the tenant applied.
import type { Sandbox } from '../../../../sandbox/server';
import { startSandbox } from '../../../../sandbox/server';
import type { RunResult } from '../../../harness';
import { CredentialStore, roleEntries, runNode } from '../../../harness';
import { writeCount, writesByPath } from '../../../writes';

export const ROLES = ['Engineering', 'Finance', 'Sales', 'HR Sync', 'VPN'];

export interface Person {
	login?: string;
	mail?: string;
	name?: string;
	dept?: string | string[];
	active?: unknown;
	mobile?: string;
	description?: string;
	password?: string;
}

export const person = (n: number, dept: string | string[] = 'Engineering'): Person => ({
	login: `p${n}@example.com`,
	mail: `p${n}@acme.test`,
	name: `Person ${n}`,
	dept,
});

/** Create or Update's parameters for rows shaped like `Person`; `options` may carry dryRun. */
export function parameters(options: Record<string, unknown> = {}, extra: object = {}) {
	const { dryRun, ...rest } = options;
	return {
		...(dryRun === undefined ? {} : { dryRun }),
		resource: 'user',
		operation: 'upsert',
		userName: '={{ $json.login }}',
		email: '={{ $json.mail }}',
		active: '={{ $json.active !== false }}',
		additionalFields: {
			displayName: '={{ $json.name }}',
			roles: roleEntries('={{ $json.dept }}'),
			sendEmailInvite: false,
			...extra,
		},
		options: { scopeRole: 'HR Sync', managedRoles: roleEntries('Engineering', 'Finance', 'Sales'), ...rest },
	};
}

/** A fresh tenant per test, and the helpers that read it. */
export class Tenant {
	readonly roleId: Record<string, string> = {};
	readonly store: CredentialStore;

	private constructor(readonly sandbox: Sandbox) {
		this.store = new CredentialStore(sandbox.credentials());
		for (const role of sandbox.directory.roles.values()) this.roleId[role.Name] = role.ID;
	}

	static async start(): Promise<Tenant> {
		return new Tenant(await startSandbox({ roles: ROLES.map((Name) => ({ Name, Description: '' })) }));
	}

	async close() {
		await this.sandbox.close();
	}

	/** Write requests the tenant applied since its counters were reset, by path. */
	writesByPath(): Record<string, number> {
		return writesByPath(this.sandbox.counters.calls);
	}

	writes(): number {
		return writeCount(this.sandbox.counters.calls);
	}

	async run(
		people: Person[],
		options: Record<string, unknown> = {},
		extra: object = {},
		settings: { continueOnFail?: boolean; parameters?: Record<string, unknown> } = {},
	): Promise<RunResult> {
		return await runNode(
			this.store,
			{ ...parameters(options, extra), ...settings.parameters },
			people as never,
			settings,
		);
	}

	/** A run that must succeed: its output items' JSON. */
	async sync(people: Person[], options: Record<string, unknown> = {}, extra: object = {}) {
		const result = await this.run(people, options, extra);
		if (result.error) throw new Error(`${result.error.message} — ${result.error.description ?? ''}`);
		return result.items.map((i) => i.json);
	}

	user(login: string) {
		return this.sandbox.directory.findByName(login)!;
	}

	state(login: string): string {
		return this.sandbox.directory.attributes(this.user(login)).State;
	}

	rolesOf(login: string): string[] {
		return this.sandbox.directory
			.rolesOf(this.user(login).Uuid)
			.map((r: { Name: string }) => r.Name)
			.filter((n: string) => n !== 'Everybody')
			.sort();
	}

	/** Existing users, created directly in the tenant, in the scope role and their department. */
	seed(people: Person[], roles: string[] = ['HR Sync']): string[] {
		return people.map((p) => {
			const id = this.sandbox.directory.createUser({
				Name: p.login,
				Mail: p.mail,
				DisplayName: p.name,
				SendEmailInvite: false,
			});
			const depts = [p.dept ?? []].flat();
			for (const role of [...roles, ...depts])
				this.sandbox.directory.updateRole({ Name: this.roleId[role], Users: { Add: [id] } });
			return id;
		});
	}
}
