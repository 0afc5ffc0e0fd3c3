// The writes of a Create or Update run, once every row is planned and the budget checked: joiners are
// created, then each user's own changes are sent (fields, state, sign-out), then every role membership
// in batches per role, then the extended attributes that differ, then the leavers are deprovisioned. A Dry Run runs this same code against a
// client that records each write under its item instead of sending it.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Settled } from '../../shared/concurrency';
import { mapConcurrent } from '../../shared/concurrency';
import type { ApiCall } from '../../shared/endpoints';
import { ENDPOINT } from '../../shared/endpoints';
import { userState } from '../../shared/readers';
import { toNodeError } from '../../shared/transport/errors';
import { createOrFind } from '../actions/user/create';
import { settledItems } from '../actions/router';
import type { MembershipChange } from '../roles/bulkMembership';
import { applyMembershipChanges } from '../roles/bulkMembership';
import { getAttributes, getUserById } from '../users/lookup';
import { callerRow, isCaller } from './caller';
import { attributesOutput, writeAttributes, writesAttributes } from './extendedAttributes';
import { leaverCalls, membershipChanges, newUserId, planUser, userCalls } from './plan';
import { readUserRoles } from './roster';
import type { Slot, SyncRun } from './state';

export async function writeRun(run: SyncRun): Promise<INodeExecutionData[]> {
	for (const slot of run.slots) slot.id = slot.current?.id;
	await eachSlot(run, createJoiner, (slot) => slot.plan!.create !== undefined);
	await eachSlot(run, changeUser, (slot) => typeof slot.id === 'string');
	await changeRoles(run);
	await eachSlot(run, (r, slot, i) => writeAttributes(r, slot, idOf(slot), i), writesAttributes);
	await deprovisionLeavers(run);
	return [...rowItems(run), ...leaverItems(run)];
}

/**
 * Runs a write for the slots still on course, the run's concurrency at a time. A failure stays with its
 * item; without Continue On Fail it stops the run once the writes already under way are done.
 */
async function eachSlot(
	run: SyncRun,
	write: (run: SyncRun, slot: Slot, itemIndex: number) => Promise<void>,
	applies: (slot: Slot) => boolean,
): Promise<void> {
	const chosen = run.slots.flatMap((slot, i) => (!slot.error && slot.plan && applies(slot) ? [i] : []));
	const outcomes = await mapConcurrent(
		chosen.length,
		run.settings.concurrency,
		async (n) => await write(run, run.slots[chosen[n]], chosen[n]),
		!run.continueOnFail,
	);
	outcomes.forEach((outcome, n) => {
		if (outcome && !outcome.ok) run.slots[chosen[n]].error = outcome.error;
	});
	stopOnFailure(run);
}

function stopOnFailure(run: SyncRun): void {
	if (run.continueOnFail) return;
	const failed = run.slots.findIndex((slot) => slot.error !== undefined);
	if (failed >= 0) throw toNodeError(run.context.getNode(), run.slots[failed].error, failed);
}

/**
 * CreateUser for a joiner. A joiner created meanwhile (another run, a delivery sent twice) is planned
 * again against that user, taking nothing away: this run's budget did not count it.
 */
async function createJoiner(run: SyncRun, slot: Slot, i: number): Promise<void> {
	const { client } = run;
	const plan = slot.plan!;
	const outcome = await createOrFind(client, plan.create!, plan.secrets, i, true);
	if (isCaller(run.caller!, outcome.id)) throw callerRow(run.caller!, i);
	// In Dry Run nothing is created: the joiner has no ID yet (its requests and output name it, idOf).
	slot.id = client.dryRun ? undefined : outcome.id;
	// A lost answer: the user was absent when the roster was read, so this call most likely created it.
	if (outcome.created || outcome.answerLost) return;
	const [record, attributes, roles] = await Promise.all([
		getUserById(client, outcome.id, i),
		getAttributes(client, outcome.id, i),
		readUserRoles(client, outcome.id, i),
	]);
	slot.current = {
		id: outcome.id,
		userName: String(record.Name ?? slot.row!.userName),
		record,
		state: userState(attributes),
		roles,
	};
	slot.plan = planUser(slot.row!, slot.current, run.roleScope, true);
}

const signsOut = (calls: ApiCall[]) => calls.some((call) => call.endpoint === ENDPOINT.signOutEverywhere);

/** A user's own changes: the fields that differ, the state, and signing a disabled user out. */
async function changeUser(run: SyncRun, slot: Slot, i: number): Promise<void> {
	const calls = userCalls(slot.plan!, slot.id!, run.settings.signOut);
	for (const call of calls) await run.client.request(call, i);
	slot.signedOut = signsOut(calls);
}

/** Where a user's ID goes into a request: a joiner not created (Dry Run) is named instead. */
function idOf(slot: Slot): string {
	return slot.id ?? newUserId(slot.row!.userName);
}

/** Every row's role changes, sent in batches per role; a refused change fails its own item only. */
async function changeRoles(run: SyncRun): Promise<void> {
	const changes = run.slots.flatMap((slot, i) =>
		slot.error || !slot.plan ? [] : membershipChanges(slot.plan, idOf(slot), i),
	);
	const outcomes = await applyMembershipChanges(run.client, changes, run.settings.concurrency);
	outcomes.forEach((outcome, n) => {
		if (outcome.ok) return;
		const slot = run.slots[changes[n].itemIndex];
		slot.error ??= roleFailure(run, slot, changes[n], outcome.error);
	});
	stopOnFailure(run);
}

function roleFailure(run: SyncRun, slot: Slot, change: MembershipChange, error: unknown): Error {
	const cause = toNodeError(run.context.getNode(), error, change.itemIndex);
	const role = run.roles?.nameOf(change.roleId) ?? change.roleId;
	const verb = change.member ? 'adding it to' : 'removing it from';
	const done = slot.plan!.action === 'created' ? 'was created' : 'was updated';
	return new NodeOperationError(
		run.context.getNode(),
		`${slot.row!.userName}: ${verb} role ${role} failed: ${cause.message}`,
		{
			itemIndex: change.itemIndex,
			description:
				`The user ${done} with its other changes; the next run tries the role again. ${cause.description ?? ''}`.trim(),
		},
	);
}

/** The leavers: signed out and disabled (or deleted), each recorded under an index after the items'. */
async function deprovisionLeavers(run: SyncRun): Promise<void> {
	const { client, settings, leavers } = run;
	const outcomes = await mapConcurrent(
		leavers.length,
		settings.concurrency,
		async (k) => {
			const calls = leaverCalls(settings.deprovisionAction, leavers[k].member.id, settings.signOut);
			for (const call of calls) await client.request(call, run.items.length + k);
			leavers[k].signedOut = signsOut(calls);
		},
		!run.continueOnFail,
	);
	outcomes.forEach((outcome, k) => {
		if (outcome && !outcome.ok) leavers[k].error = outcome.error;
	});
	const failed = leavers.find((leaver) => leaver.error !== undefined);
	if (failed && !run.continueOnFail) throw toNodeError(run.context.getNode(), failed.error, 0);
}

/** An output item; in a dry run led by `dryRun: true` (the table's first column) and ending with the writes recorded for it. */
function dryRunFirst(run: SyncRun, json: IDataObject, index: number): IDataObject {
	if (!run.client.dryRun) return json;
	return { dryRun: true, ...json, requests: run.client.planned(index) };
}

/** Roles as outputs give them: `{id, name}` each. */
function namedRoles(run: SyncRun, ids: string[]): IDataObject[] {
	return ids.map((id) => ({ id, name: run.roles?.nameOf(id) ?? null }));
}

/** One output item per input item, in input order: what was done, or the item's error. */
function rowItems(run: SyncRun): INodeExecutionData[] {
	const settled = run.slots.map((slot, i): Settled<IDataObject> => {
		if (slot.error !== undefined) return { ok: false, error: slot.error };
		const plan = slot.plan!;
		const json: IDataObject = {
			action: plan.action,
			id: slot.id ?? (run.client.dryRun && plan.create ? idOf(slot) : null),
			userName: slot.row!.userName,
			changes: plan.changes as unknown as IDataObject,
			rolesAdded: namedRoles(run, plan.rolesAdded),
			rolesRemoved: namedRoles(run, plan.rolesRemoved),
		};
		if (slot.signedOut) json.signedOut = true;
		return { ok: true, value: dryRunFirst(run, { ...json, ...attributesOutput(slot) }, i) };
	});
	return settledItems(run.context, settled, (i) =>
		run.slots[i].row ? { userName: run.slots[i].row!.userName } : {},
	);
}

/**
 * The leavers, as extra items after the rows (paired with the first item: they come from the whole
 * roster): `deprovisioned`, or `deprovisionFailed` with the error (Continue On Fail).
 */
function leaverItems(run: SyncRun): INodeExecutionData[] {
	return run.leavers.map((leaver, k) => {
		const failed = leaver.error !== undefined;
		const json: IDataObject = {
			action: failed ? 'deprovisionFailed' : 'deprovisioned',
			id: leaver.member.id,
			userName: leaver.member.userName,
			deprovisionAction: run.settings.deprovisionAction,
		};
		if (leaver.signedOut) json.signedOut = true;
		if (failed) json.error = toNodeError(run.context.getNode(), leaver.error, 0).message;
		return { json: dryRunFirst(run, json, run.items.length + k), pairedItem: { item: 0 } };
	});
}
