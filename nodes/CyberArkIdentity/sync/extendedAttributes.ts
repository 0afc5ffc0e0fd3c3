// Extended attributes in Create or Update: each row may give some (employee ID, cost center, ...). The
// current values are read only for rows that give some and have a user (one GetColumns each, at the run's
// concurrency), so the plan, Dry Run's included, names exactly the attributes that differ; only those
// rows are written, after the user's other changes and roles, through the same merge, write and read-back
// as Set Extended Attributes (users/extendedAttributes.ts). An empty value leaves an attribute alone, as
// for the profile fields: an export whose column went empty must not wipe everyone's values.
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mapConcurrent } from '../../shared/concurrency';
import { toNodeError } from '../../shared/transport/errors';
import type { Attributes, Columns } from '../users/extendedAttributes';
import {
	attributesFrom,
	mergeColumns,
	readExtendedAttributes,
	writeExtendedAttributes,
} from '../users/extendedAttributes';
import type { AttributeChange, RowAttributes, Slot, SyncRun } from './state';

/** The attributes an item gives a value, or undefined when it gives none. */
export function rowAttributes(parameter: unknown): RowAttributes | undefined {
	const given = Object.fromEntries(
		Object.entries(attributesFrom(parameter)).filter(([, value]) => value !== ''),
	);
	return Object.keys(given).length > 0 ? { given } : undefined;
}

/**
 * The given attributes whose value differs from the current one: `{name: {from, to}}`, a name as
 * `current` spells it (CyberArk's), else as given.
 */
export function attributeChanges(current: Columns, given: Attributes): Record<string, AttributeChange> {
	const { columns, changed } = mergeColumns(current, given);
	return Object.fromEntries(
		changed.map((name) => [name, { from: current[name] ?? null, to: String(columns[name]) }]),
	);
}

/** Whether a slot's attributes are planned and written: its row gives some, is on course and not skipped. */
export function writesAttributes(slot: Slot): boolean {
	return (
		slot.attributes !== undefined && !slot.error && slot.plan !== undefined && slot.plan.action !== 'skipped'
	);
}

/** The changes against `current`; a row with nothing else to do becomes `updated` when an attribute differs. */
function planAttributes(slot: Slot, current: Columns): void {
	const changes = attributeChanges(current, slot.attributes!.given);
	slot.attributes!.changes = changes;
	if (slot.plan!.action === 'unchanged' && Object.keys(changes).length > 0) slot.plan!.action = 'updated';
}

/**
 * After planning: the current attributes of every matched user whose row gives some, and the changes (a
 * joiner has none yet). A read that fails fails its row before any write, like the run's other reads.
 */
export async function readAndPlanAttributes(run: SyncRun): Promise<void> {
	const chosen = run.slots.flatMap((slot, i) => (writesAttributes(slot) ? [i] : []));
	const matched = chosen.filter((i) => run.slots[i].current !== undefined);
	const reads = await mapConcurrent(
		matched.length,
		run.settings.concurrency,
		async (n) => await readExtendedAttributes(run.client, run.slots[matched[n]].current!.id, matched[n]),
		!run.continueOnFail,
	);
	reads.forEach((outcome, n) => {
		const slot = run.slots[matched[n]];
		if (outcome && !outcome.ok)
			slot.error = attributeFailure(run, slot, matched[n], outcome.error, 'reading');
		else if (outcome) slot.attributes!.current = outcome.value;
	});
	for (const i of chosen) {
		const { error, current, attributes } = run.slots[i];
		if (!error && (current === undefined || attributes!.current !== undefined))
			planAttributes(run.slots[i], attributes!.current ?? {});
	}
}

/**
 * Sets a row's attributes that differ, keeping the user's others. A user whose values the plan did not
 * read (a joiner just created, or found created meanwhile) is read first; a joiner in Dry Run has no ID
 * to read by, and no values. A failure fails the row only: its other changes stay applied.
 */
export async function writeAttributes(
	run: SyncRun,
	slot: Slot,
	id: string,
	itemIndex: number,
): Promise<void> {
	const { client } = run;
	const attributes = slot.attributes!;
	try {
		attributes.current ??=
			client.dryRun && !slot.id ? {} : await readExtendedAttributes(client, id, itemIndex);
		planAttributes(slot, attributes.current);
		if (Object.keys(attributes.changes ?? {}).length === 0) return;
		await writeExtendedAttributes(client, id, attributes.given, itemIndex, attributes.current);
	} catch (error) {
		throw attributeFailure(run, slot, itemIndex, error, 'setting');
	}
}

function attributeFailure(
	run: SyncRun,
	slot: Slot,
	itemIndex: number,
	error: unknown,
	step: 'reading' | 'setting',
): NodeOperationError {
	const cause = toNodeError(run.context.getNode(), error, itemIndex);
	const done =
		step === 'reading'
			? 'Nothing was changed for this user.'
			: `The user was ${slot.plan!.action} with its other changes; the next run tries the extended attributes again.`;
	return new NodeOperationError(
		run.context.getNode(),
		`${slot.row!.userName}: ${step} its extended attributes failed: ${cause.message}`,
		{ itemIndex, description: `${done} ${cause.description ?? ''}`.trim() },
	);
}

/** The output item's part: `extendedAttributes: {name: {from, to}}` for a row that gives some. */
export function attributesOutput(slot: Slot): IDataObject {
	return slot.attributes
		? { extendedAttributes: (slot.attributes.changes ?? {}) as unknown as IDataObject }
		: {};
}
