// The options of a Create or Update run, read once from the first item and checked before anything is
// sent. Every option that decides whether something is written fails closed: a value that is not one
// of its choices is an error, never a default.
import type { IDataObject } from 'n8n-workflow';

import { InvalidInput } from '../../shared/transport/errors';
import { requiredFlag } from '../../shared/validate';
import { isBuiltIn } from '../actions/role/delete';
import { concurrencyOf } from '../descriptions/options';
import type { RoleDirectory } from '../roles/directory';
import type { Limits } from './budget';
import type { DeprovisionAction, MatchBy, RoleScope } from './plan';
import { DEFAULT_MAX_DEPROVISION, DEFAULT_MAX_DEPROVISION_PERCENT } from './options';

export interface SyncSettings {
	matchBy: MatchBy;
	deprovisionMissing: boolean;
	deprovisionAction: DeprovisionAction;
	/** Sign a user out everywhere when the sync disables or deprovisions them. */
	signOut: boolean;
	limits: Limits;
	concurrency: number;
}

/** A switch of the Options collection: its default when not set, else true/false or the texts. */
function switchOption(options: IDataObject, name: string, label: string, fallback: boolean): boolean {
	return options[name] === undefined ? fallback : requiredFlag(options[name], label);
}

/** An option with a fixed list of values: its default when not set, else one of them. */
function choice<T extends string>(options: IDataObject, name: string, label: string, values: T[]): T {
	const value = options[name] ?? values[0];
	if (values.includes(value as T)) return value as T;
	throw new InvalidInput(
		`${label} must be one of ${values.map((v) => `"${v}"`).join(', ')}, but the value is "${String(value).slice(0, 40)}"`,
		`Pick ${label} from the list; an expression must give one of these values.`,
	);
}

function limit(options: IDataObject, name: string, label: string, fallback: number, max: number): number {
	const value = Number(options[name] ?? fallback);
	if (options[name] === '' || !Number.isFinite(value) || value < 0 || value > max) {
		throw new InvalidInput(
			`${label} must be a number from 0 to ${max}`,
			`Set Options > ${label}, e.g. ${fallback}.`,
		);
	}
	return value;
}

export function readSyncSettings(options: IDataObject): SyncSettings {
	return {
		matchBy: choice(options, 'matchBy', 'Match By', ['userName', 'email']),
		deprovisionMissing: switchOption(options, 'deprovisionMissing', 'Deprovision Missing Users', false),
		deprovisionAction: choice(options, 'deprovisionAction', 'Deprovision Action', ['disable', 'delete']),
		signOut: switchOption(options, 'signOut', 'Sign Out Everywhere', true),
		limits: {
			max: Math.floor(limit(options, 'maxDeprovision', 'Max Deprovision', DEFAULT_MAX_DEPROVISION, Infinity)),
			percent: limit(
				options,
				'maxDeprovisionPercent',
				'Max Deprovision Percent',
				DEFAULT_MAX_DEPROVISION_PERCENT,
				100,
			),
		},
		concurrency: concurrencyOf(options),
	};
}

/** The managed roles and the scope role, resolved through the run's role directory. */
export function roleScopeOf(roles: RoleDirectory, options: IDataObject, settings: SyncSettings): RoleScope {
	const managed = roles.resolveAll(options.managedRoles, 'Managed Roles');
	const scope = roles.resolveAll(options.scopeRole, 'Scope Role');
	if (scope.length > 1)
		throw new InvalidInput('Scope Role names more than one role', 'Set Scope Role to one role name or ID.');
	const name = scope.length === 1 ? roles.nameOf(scope[0]) : undefined;
	if (name !== undefined && isBuiltIn({ id: scope[0], name })) {
		throw new InvalidInput(
			`Scope Role is the built-in role ${name}, which the sync cannot own`,
			'The scope role marks the people this sync manages: every synced user is put in it, and its members missing from the input are deprovisioned. Create a role of its own for them (e.g. "HR Sync").',
		);
	}
	if (settings.deprovisionMissing && scope.length === 0) {
		throw new InvalidInput(
			'"Deprovision Missing Users" needs a Scope Role',
			'Only members of the scope role are ever deprovisioned. Set Options > Scope Role to the role every synced user is put in.',
		);
	}
	return { managed, scope: scope[0] };
}

/**
 * The role IDs a row must be in. Roles that resolve to no value (undefined or null: a column missing
 * from the export, a field not set) while Managed Roles are set would take every managed role away: the
 * row fails instead. Only an empty list or empty text means "no roles".
 */
export function rowRoles(roles: RoleDirectory, refs: unknown, scope: RoleScope): string[] {
	const missing = refs === undefined || refs === null || (Array.isArray(refs) && refs.some((r) => r == null));
	if (missing && scope.managed.length > 0) {
		throw new InvalidInput(
			`Roles has no value (${Array.isArray(refs) ? 'a list holding null' : String(refs)}), but Managed Roles are set`,
			'The item would lose every managed role. Map Roles to the column that holds the person\'s roles; an empty list or empty text means "no roles".',
		);
	}
	return roles.resolveAll(refs, 'Roles');
}
