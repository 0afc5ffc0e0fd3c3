// Create or Update: sync people from HR (joiners, movers, leavers). One run object goes through named
// phases: read the options and every row, resolve role names once, read the tenant (the caller, the
// roster's users by both keys, the roles involved), confirm the state of users an e-mail would claim,
// match rows to users, plan every row (and its extended attributes, extendedAttributes.ts), find the
// leavers, check the budget for taking access away; only then write (write.ts), the same way in Dry
// Run, where the client records the writes instead of sending them.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapConcurrent } from '../../shared/concurrency';
import { rosterState, userRow } from '../../shared/readers';
import type { CyberArkClient } from '../../shared/transport/client';
import { InvalidInput, toNodeError } from '../../shared/transport/errors';
import { failRun } from '../actions/router';
import { RoleDirectory } from '../roles/directory';
import { getUserById } from '../users/lookup';
import type { Population } from './budget';
import { budgetWarning, checkBudget, losses } from './budget';
import type { RowKeys } from './match';
import { matchRows, rowKeys } from './match';
import type { MatchBy } from './plan';
import { checkRow, missingFields, planUser } from './plan';
import { readAndPlanAttributes, rowAttributes } from './extendedAttributes';
import { callerRow, isCaller, readCaller } from './caller';
import { claimableByEmail, confirmEmailCandidates } from './confirm';
import { findLeavers, scopeMembers } from './leavers';
import { readRoleMembers, readRoster, readState, readUserRoles, tenantUserCount } from './roster';
import type { SyncSettings } from './settings';
import { readSyncSettings, roleScopeOf, rowRoles } from './settings';
import type { SyncRun, Slot } from './state';
import { writeRun } from './write';

/**
 * The whole run. A failure of the run itself (an option that cannot be read, a role option naming no
 * role, the budget, a read that fails) happens before any write; with Continue On Fail every item
 * outputs it.
 */
export async function runSync(
	this: IExecuteFunctions,
	client: CyberArkClient,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	try {
		const run = readRows(this, client, items);
		await resolveRoles(run);
		await readTenant(run);
		await confirmEmailCandidates(run);
		matchUsers(run);
		await readFullRecords(run);
		planRows(run);
		await readAndPlanAttributes(run);
		await findLeavers(run);
		await checkRunBudget(run);
		stopOnFailedItem(run);
		return await writeRun(run);
	} catch (error) {
		return failRun(this, items, error);
	}
}

/** Phase 1: the options, and each item's row and keys; a key given twice fails the later items. */
function readRows(context: IExecuteFunctions, client: CyberArkClient, items: INodeExecutionData[]): SyncRun {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const settings = readSyncSettings(options);
	if (settings.deprovisionMissing && items.length === 0) {
		throw new InvalidInput(
			'No input items, so nobody is deprovisioned',
			'"Deprovision Missing Users" treats every member of the scope role missing from the input as gone: with no input at all, that is everyone. Check the step before this node (an empty export, a failed download). Nothing was sent.',
		);
	}
	const slots = items.map((_, i) => readRow(context, settings, i));
	// Login names are unique in CyberArk whatever Match By says; e-mail addresses only identify a row
	// when rows are matched by them.
	for (const key of settings.matchBy === 'email' ? (['email', 'userName'] as const) : (['userName'] as const))
		failDuplicates(slots, key);
	return {
		context,
		client,
		items,
		continueOnFail: context.continueOnFail(),
		options,
		settings,
		slots,
		roleScope: { managed: [] },
		found: [],
		rolesOf: new Map(),
		confirmed: new Map(),
		leavers: [],
	};
}

/** A key given twice fails the later items: one person, one row. */
function failDuplicates(slots: Slot[], key: MatchBy): void {
	const firstOf = new Map<string, number>();
	slots.forEach((slot, i) => {
		const value = slot.keys?.[key];
		if (value === undefined) return;
		const first = firstOf.get(value);
		if (first === undefined) {
			firstOf.set(value, i);
			return;
		}
		slot.error ??= new InvalidInput(
			`"${value}" is in the input twice (items ${first + 1} and ${i + 1})`,
			`Each person must appear once per run; item ${first + 1} is applied, this one is not. Remove the duplicate from the HR data.`,
		);
	});
}

function readRow(context: IExecuteFunctions, settings: SyncSettings, i: number): Slot {
	const slot: Slot = {};
	try {
		const additionalFields = context.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const input = {
			userName: context.getNodeParameter('userName', i, ''),
			email: context.getNodeParameter('email', i, ''),
			active: context.getNodeParameter('active', i, true),
			additionalFields,
		};
		slot.keys = rowKeys(settings.matchBy, input);
		slot.roleRefs = additionalFields.roles;
		slot.attributes = rowAttributes(additionalFields.extendedAttributes);
		slot.row = { ...checkRow(input), roles: [] };
	} catch (error) {
		slot.error = error;
	}
	return slot;
}

/** Phase 2: every role name resolved once, from one list of the tenant's roles. */
async function resolveRoles(run: SyncRun): Promise<void> {
	const roles = await RoleDirectory.of(run.client);
	run.roles = roles;
	run.roleScope = roleScopeOf(roles, run.options, run.settings);
	for (const slot of run.slots) {
		if (!slot.row || slot.error) continue;
		try {
			slot.row.roles = rowRoles(roles, slot.roleRefs, run.roleScope);
		} catch (error) {
			slot.error = error;
		}
	}
}

/**
 * Phase 3: the users any row's keys find (a few queries), then their role memberships the cheaper way:
 * each relevant role's members (one call per role) for a roster, each user's roles (one call per user)
 * for a handful of people (a webhook event). The scope role's members are read when deprovisioning.
 */
async function readTenant(run: SyncRun): Promise<void> {
	const { client, roleScope } = run;
	run.caller = await readCaller(client);
	run.found = await readRoster(client, keyed(run));
	const relevant = new Set([...roleScope.managed, ...(roleScope.scope ? [roleScope.scope] : [])]);
	for (const slot of run.slots) for (const role of slot.row?.roles ?? []) relevant.add(role);
	if (run.found.length < relevant.size) {
		const ids = run.found.map((user) => userRow(user).id);
		const reads = await mapConcurrent(
			ids.length,
			run.settings.concurrency,
			async (n) => await readUserRoles(client, ids[n], 0),
			true,
		);
		for (const [n, read] of reads.entries()) {
			if (!read?.ok) throw read?.error ?? new Error('A role read did not run');
			run.rolesOf.set(
				ids[n],
				read.value.filter((r) => relevant.has(r)),
			);
		}
	} else {
		const members = await readRoleMembers(client, [...relevant]);
		for (const [roleId, list] of members)
			for (const m of list) run.rolesOf.set(m.id, [...(run.rolesOf.get(m.id) ?? []), roleId]);
		if (roleScope.scope) run.scopeMembers = members.get(roleScope.scope) ?? [];
	}
	if (run.settings.deprovisionMissing) await scopeMembers(run);
}

function keyed(run: SyncRun): RowKeys[] {
	return run.slots.map((s) => s.keys).filter((k): k is RowKeys => k !== undefined);
}

/** Phase 4: each row's user, by the key of Match By or, failing that, by its other key. */
function matchUsers(run: SyncRun): void {
	const matches = matchRows(
		run.slots.map((s) => s.keys),
		run.found,
		run.settings.matchBy,
		(user) => claimableByEmail(run, user),
	);
	run.slots.forEach((slot, i) => {
		const { user, error } = matches[i];
		if (!slot.row || slot.error) return;
		if (error) slot.error = error;
		if (!user || error) return;
		const { id, userName } = userRow(user);
		if (isCaller(run.caller!, id)) {
			slot.error = callerRow(run.caller!, i);
			return;
		}
		// Redrock's Status suggests the state; phase 5 confirms it where a decision rests on it.
		const state = run.confirmed.get(id.toLowerCase()) ?? rosterState(user);
		slot.current = { id, userName, record: user, state, roles: run.rolesOf.get(id) ?? [] };
	});
}

/**
 * Phase 5: the full record of users whose row sets a field Redrock's User table does not have, and the
 * state (GetUserAttributes) of users whose Status does not suggest one or whose row says Active false:
 * a decision to disable never rests on Status.
 */
async function readFullRecords(run: SyncRun): Promise<void> {
	const lacks = (slot: Slot) => missingFields(slot.row!.values, slot.current!.record).length > 0;
	const unsure = (slot: Slot) =>
		slot.current!.state === undefined ||
		(!slot.row!.active && !run.confirmed.has(slot.current!.id.toLowerCase()));
	const needed = run.slots.flatMap((slot, i) =>
		slot.current && slot.row && !slot.error && (lacks(slot) || unsure(slot)) ? [i] : [],
	);
	const reads = await mapConcurrent(
		needed.length,
		run.settings.concurrency,
		async (n) => {
			const [slot, i] = [run.slots[needed[n]], needed[n]];
			const current = slot.current!;
			if (lacks(slot))
				current.record = { ...current.record, ...(await getUserById(run.client, current.id, i)) };
			if (unsure(slot)) current.state = await readState(run.client, current.id, i);
		},
		!run.continueOnFail,
	);
	reads.forEach((outcome, n) => {
		if (outcome && !outcome.ok) run.slots[needed[n]].error = outcome.error;
	});
}

/** Phase 6: a plan for every row. */
function planRows(run: SyncRun): void {
	for (const slot of run.slots) {
		if (slot.error || !slot.row) continue;
		try {
			slot.plan = planUser(slot.row, slot.current, run.roleScope);
		} catch (error) {
			slot.error = error;
		}
	}
}

/**
 * Phase 8: the budget. Too many people losing access fails the run before any write; a Dry Run goes on
 * and says so in a warning, so the list can be read.
 */
async function checkRunBudget(run: SyncRun): Promise<void> {
	const { settings } = run;
	const found = losses(
		run.slots.map((s) => ({ userId: s.current?.id, plan: s.error ? undefined : s.plan })),
		run.leavers.map((l) => l.member.id),
	);
	if (found.size === 0) return;
	const population = found.size <= settings.limits.max ? await populationOf(run) : undefined;
	if (!run.client.dryRun) return checkBudget(found, settings.limits, settings.deprovisionAction, population);
	const warning = budgetWarning(found, settings.limits, settings.deprovisionAction, population);
	if (warning) run.context.addExecutionHints({ message: warning, type: 'warning', location: 'outputPane' });
}

/**
 * Who the percentage is of: the scope role's members and everyone the rows' keys find, or, without a
 * scope role, the tenant's users.
 */
async function populationOf(run: SyncRun): Promise<Population | undefined> {
	if (run.settings.limits.percent >= 100) return undefined;
	if (!run.roleScope.scope) return { size: await tenantUserCount(run.client), label: 'users in the tenant' };
	const people = new Set((await scopeMembers(run)).map((m) => m.id.toLowerCase()));
	for (const user of run.found) people.add(userRow(user).id.toLowerCase());
	return { size: people.size, label: 'people the sync manages' };
}

/** Phase 9: without Continue On Fail, a failed item stops the run before any write. */
function stopOnFailedItem(run: SyncRun): void {
	if (run.continueOnFail) return;
	const failed = run.slots.findIndex((s) => s.error !== undefined);
	if (failed >= 0) throw toNodeError(run.context.getNode(), run.slots[failed].error, failed);
}
