// Create or Update: sync people from HR (joiners, movers, leavers). The run has explicit phases:
// read every row, resolve role names once, read the roster's users in a few queries and each role's
// members once, plan every row, check the deprovisioning limit, then write (or, in Dry Run, report).
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mapConcurrent } from '../../shared/concurrency';
import type { CyberArkClient } from '../../shared/transport/client';
import { plannedRequest } from '../../shared/transport/dryRun';
import { InvalidInput, toNodeError } from '../../shared/transport/errors';
import { failRun, settledItems } from '../actions/router';
import { concurrencyOf } from '../descriptions/options';
import { RoleDirectory } from '../roles/directory';
import { createOrFind } from '../actions/user/create';
import { getAttributes, getUserById } from '../users/lookup';
import type { CurrentUser, DeprovisionAction, HrRow, MatchBy, Plan, RoleScope, ScopeMember } from './plan';
import {
	allPlanCalls,
	checkDeprovisionLimit,
	checkRow,
	deprovisionCall,
	deprovisionCandidates,
	missingFields,
	planCalls,
	planUser,
	rowKey,
} from './plan';
import { DEFAULT_MAX_DEPROVISION } from './options';
import { readRoleMembers, readRoster, readState, readUserRoles, usersByIds } from './roster';
import { rosterState, userState } from '../../shared/readers';

interface Settings {
	matchBy: MatchBy;
	roleScope: RoleScope;
	deprovisionMissing: boolean;
	deprovisionAction: DeprovisionAction;
	maxDeprovision: number;
	dryRun: boolean;
	concurrency: number;
}

/** One input item on its way through the run. */
interface Slot {
	key?: string;
	row?: HrRow;
	current?: CurrentUser;
	plan?: Plan;
	error?: unknown;
}

function runError(context: IExecuteFunctions, error: unknown): never {
	throw toNodeError(context.getNode(), error, 0);
}

/** The run's options (from the first item), with role names resolved. */
function readSettings(context: IExecuteFunctions, client: CyberArkClient, roles: RoleDirectory): Settings {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const matchBy = options.matchBy === 'email' ? 'email' : 'userName';
	const managed = roles.resolveAll(options.managedRoles, 'Managed Roles');
	const scope = roles.resolveAll(options.scopeRole, 'Scope Role');
	if (scope.length > 1)
		throw new InvalidInput('Scope Role names more than one role', 'Set Scope Role to one role name or ID.');
	const deprovisionMissing = options.deprovisionMissing === true;
	if (deprovisionMissing && scope.length === 0) {
		throw new InvalidInput(
			'"Deprovision Missing Users" needs a Scope Role',
			'Only members of the scope role are ever deprovisioned. Set Options > Scope Role to the role every synced user is put in.',
		);
	}
	const max = Number(options.maxDeprovision ?? DEFAULT_MAX_DEPROVISION);
	if (!Number.isFinite(max) || max < 0)
		throw new InvalidInput(
			'Max Deprovision must be a number of 0 or more',
			'Set Options > Max Deprovision, e.g. 10.',
		);
	return {
		matchBy,
		roleScope: { managed, scope: scope[0] },
		deprovisionMissing,
		deprovisionAction: options.deprovisionAction === 'delete' ? 'delete' : 'disable',
		maxDeprovision: Math.floor(max),
		dryRun: client.dryRun,
		concurrency: concurrencyOf(options),
	};
}

function outputOf(slot: Slot, id: string | null, settings: Settings, plan: Plan): IDataObject {
	const output: IDataObject = {
		action: plan.action,
		id,
		userName: slot.row!.userName,
		changes: plan.changes as unknown as IDataObject,
		rolesAdded: plan.rolesAdded,
		rolesRemoved: plan.rolesRemoved,
	};
	if (settings.dryRun) {
		output.dryRun = true;
		output.requests = allPlanCalls(plan, id).map(plannedRequest);
	}
	return output;
}

/** Writes one row's plan. A joiner another run created meanwhile is planned again against that user. */
async function apply(
	client: CyberArkClient,
	slot: Slot,
	settings: Settings,
	i: number,
): Promise<IDataObject> {
	let plan = slot.plan!;
	let id = slot.current?.id ?? null;
	if (plan.create) {
		const outcome = await createOrFind(client, plan.create, plan.secrets, i, true);
		id = outcome.id;
		if (!outcome.created) {
			const [record, attributes, roles] = await Promise.all([
				getUserById(client, id, i),
				getAttributes(client, id, i),
				readUserRoles(client, id, i),
			]);
			const current: CurrentUser = {
				id,
				userName: String(record.Name ?? slot.row!.userName),
				record,
				state: userState(attributes),
				roles,
			};
			plan = planUser(slot.row!, current, settings.roleScope, settings.matchBy);
		}
	}
	for (const call of planCalls(plan, id)) await client.request(call, i);
	return outputOf(slot, id, settings, plan);
}

/**
 * The whole run. A failure of the run itself (a role option naming no role, the deprovisioning limit,
 * a read that fails) happens before any write; with Continue On Fail every item outputs it.
 */
export async function runSync(
	this: IExecuteFunctions,
	client: CyberArkClient,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	try {
		return await sync.call(this, client, items);
	} catch (error) {
		return failRun(this, items, error);
	}
}

async function sync(
	this: IExecuteFunctions,
	client: CyberArkClient,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const slots: Slot[] = items.map(() => ({}));

	// Phase 1: the rows and their keys; a key given twice fails the later items.
	const raw = items.map((_, i) => ({
		userName: this.getNodeParameter('userName', i, ''),
		email: this.getNodeParameter('email', i, ''),
		active: this.getNodeParameter('active', i, true),
		additionalFields: this.getNodeParameter('additionalFields', i, {}) as IDataObject,
	}));
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const matchBy: MatchBy = options.matchBy === 'email' ? 'email' : 'userName';
	const firstOf = new Map<string, number>();
	raw.forEach((input, i) => {
		const slot = slots[i];
		try {
			slot.key = rowKey(matchBy, input);
			const first = firstOf.get(slot.key);
			if (first !== undefined) {
				throw new InvalidInput(
					`"${slot.key}" is in the input twice (items ${first + 1} and ${i + 1})`,
					`Each person must appear once per run; item ${first + 1} is applied, this one is not. Remove the duplicate from the HR data.`,
				);
			}
			firstOf.set(slot.key, i);
			slot.row = { ...checkRow(input), roles: [] };
		} catch (error) {
			slot.error = error;
		}
	});

	// Phase 2: every role name resolved once, from one list of the tenant's roles.
	let roles: RoleDirectory;
	let settings: Settings;
	try {
		roles = await RoleDirectory.of(client);
		settings = readSettings(this, client, roles);
	} catch (error) {
		runError(this, error);
	}
	for (const [i, slot] of slots.entries()) {
		if (!slot.row) continue;
		try {
			slot.row.roles = roles.resolveAll(raw[i].additionalFields.roles, 'Roles');
		} catch (error) {
			slot.error = error;
		}
	}

	// Phase 3: the roster's users (a few queries), then their role memberships the cheaper way: each
	// relevant role's members (one call per role) for a roster, each user's roles (one call per user)
	// for a handful of people (a webhook event). The scope role's members are read when deprovisioning.
	const relevantRoles = new Set([
		...settings.roleScope.managed,
		...(settings.roleScope.scope ? [settings.roleScope.scope] : []),
	]);
	for (const slot of slots) for (const role of slot.row?.roles ?? []) relevantRoles.add(role);
	let roster: Map<string, IDataObject[]>;
	const rolesOf = new Map<string, string[]>(); // user ID → its relevant roles
	let scopeMembers: ScopeMember[] = [];
	const scope = settings.roleScope.scope;
	try {
		const keys = slots.map((s) => s.key).filter((k): k is string => k !== undefined);
		roster = await readRoster(client, matchBy, keys);
		const matchedBy = new Map<string, number>(); // user ID → the first item that matched it
		for (const [i, slot] of slots.entries()) {
			for (const user of roster.get(slot.key ?? '') ?? [])
				if (!matchedBy.has(user.ID as string)) matchedBy.set(user.ID as string, i);
		}
		if (matchedBy.size < relevantRoles.size) {
			const ids = [...matchedBy.keys()];
			const reads = await mapConcurrent(
				ids.length,
				settings.concurrency,
				async (n) => await readUserRoles(client, ids[n], matchedBy.get(ids[n])!),
				true,
			);
			for (const [n, read] of reads.entries()) {
				if (!read?.ok) throw read?.error ?? new Error('A role read did not run');
				rolesOf.set(
					ids[n],
					read.value.filter((r) => relevantRoles.has(r)),
				);
			}
			if (settings.deprovisionMissing)
				scopeMembers = (await readRoleMembers(client, [scope!])).get(scope!) ?? [];
		} else {
			const members = await readRoleMembers(client, [...relevantRoles]);
			for (const [roleId, list] of members)
				for (const m of list) rolesOf.set(m.id, [...(rolesOf.get(m.id) ?? []), roleId]);
			if (settings.deprovisionMissing) scopeMembers = members.get(scope!) ?? [];
		}
	} catch (error) {
		runError(this, error);
	}

	const present = new Set<string>();
	const needFullRecord: number[] = [];
	for (const [i, slot] of slots.entries()) {
		if (slot.key === undefined) continue;
		const found = roster.get(slot.key) ?? [];
		for (const user of found) present.add(user.ID as string);
		if (slot.error || !slot.row) continue;
		if (found.length > 1) {
			slot.error = new InvalidInput(
				`${found.length} users have the ${matchBy === 'email' ? 'email' : 'login name'} "${slot.key}"`,
				'The item cannot tell which one to update. Match by User Name, or give the users distinct emails.',
			);
			continue;
		}
		if (found.length === 1) {
			const user = found[0];
			slot.current = {
				id: user.ID as string,
				userName: user.Username as string,
				record: user,
				state: rosterState(user),
				roles: rolesOf.get(user.ID as string) ?? [],
			};
			if (missingFields(slot.row.values, user).length > 0 || slot.current.state === undefined)
				needFullRecord.push(i);
		}
	}

	// Phase 4: the full record of users whose row sets a field Redrock's User table does not have,
	// and the state of users whose Redrock Status does not tell it for sure.
	const reads = await mapConcurrent(
		needFullRecord.length,
		settings.concurrency,
		async (n) => {
			const i = needFullRecord[n];
			const current = slots[i].current!;
			if (missingFields(slots[i].row!.values, current.record).length > 0)
				current.record = { ...current.record, ...(await getUserById(client, current.id, i)) };
			if (current.state === undefined) current.state = await readState(client, current.id, i);
			return {};
		},
		!continueOnFail,
	);
	reads.forEach((outcome, n) => {
		if (outcome && !outcome.ok) slots[needFullRecord[n]].error = outcome.error;
	});

	// Phase 5: a plan for every row.
	for (const slot of slots) {
		if (slot.error || !slot.row) continue;
		try {
			slot.plan = planUser(slot.row, slot.current, settings.roleScope, settings.matchBy);
		} catch (error) {
			slot.error = error;
		}
	}

	// Phase 6: who would be deprovisioned, and the limit; then any failed item stops a run without Continue On Fail.
	let leavers: ScopeMember[] = [];
	if (settings.deprovisionMissing) {
		const unkeyed = slots.findIndex((s) => s.key === undefined);
		if (unkeyed >= 0) {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${unkeyed + 1} has no valid ${matchBy === 'email' ? 'email' : 'login name'}, so nothing is deprovisioned or changed`,
				{
					itemIndex: unkeyed,
					description: `Deprovisioning treats everyone missing from the input as gone: an item whose key cannot be read could deprovision its person. ${toNodeError(this.getNode(), slots[unkeyed].error, unkeyed).message}`,
				},
			);
		}
		const missing = scopeMembers.filter((m) => !present.has(m.id));
		try {
			leavers = deprovisionCandidates(await usersByIds(client, missing), present);
			checkDeprovisionLimit(
				leavers.length,
				settings.maxDeprovision,
				settings.deprovisionAction,
				items.length,
			);
		} catch (error) {
			runError(this, error);
		}
	}
	if (!continueOnFail) {
		const failed = slots.findIndex((s) => s.error !== undefined);
		if (failed >= 0) throw toNodeError(this.getNode(), slots[failed].error, failed);
	}

	// Phase 7: the writes (none in Dry Run), with the run's concurrency, in input order on output.
	const outcomes = await mapConcurrent(
		slots.length,
		settings.concurrency,
		async (i) => {
			const slot = slots[i];
			if (slot.error) throw slot.error;
			if (settings.dryRun) return outputOf(slot, slot.current?.id ?? null, settings, slot.plan!);
			return await apply(client, slot, settings, i);
		},
		!continueOnFail,
	);
	const output = settledItems(this, outcomes);

	// Phase 8: the leavers, as extra items after the rows (paired with the first item: they come from the whole roster).
	for (const leaver of leavers) {
		const call = deprovisionCall(settings.deprovisionAction, leaver.id);
		const json: IDataObject = {
			action: 'deprovisioned',
			id: leaver.id,
			userName: leaver.userName,
			deprovisionAction: settings.deprovisionAction,
		};
		try {
			if (settings.dryRun) Object.assign(json, { dryRun: true, requests: [plannedRequest(call)] });
			else await client.request(call, 0);
			output.push({ json, pairedItem: { item: 0 } });
		} catch (error) {
			const failure = toNodeError(this.getNode(), error, 0);
			if (!continueOnFail) throw failure;
			output.push({ json: { ...json, error: failure.message }, pairedItem: { item: 0 } });
		}
	}
	return output;
}
