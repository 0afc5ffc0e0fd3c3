// One budget per run for taking access away. Everything a sync can take from a person counts: being
// disabled (a row with Active false, or a leaver), being deleted, being signed out (only ever with one
// of those), losing a managed role, and a new login name (they can no longer sign in with the old one,
// and a wrong match renames someone else). Each person counts once, however much is taken from them.
// The count is checked before any write against Max Deprovision and against Max Deprovision Percent of
// the people the sync manages.
import { InvalidInput } from '../../shared/transport/errors';
import type { DeprovisionAction, Plan } from './plan';

export interface Limits {
	/** How many people one run may take access from. */
	max: number;
	/** The same as a share (0 to 100) of the people the sync manages. */
	percent: number;
}

/** Why a person would lose access; a person with several reasons is listed under the first of these. */
export type Loss = 'missing' | 'inactive' | 'roles' | 'renamed';

/** The people a run would take access from: user ID → why. */
export function losses(
	rows: Array<{ userId?: string; plan?: Plan }>,
	leaverIds: string[],
): Map<string, Loss> {
	const found = new Map<string, Loss>();
	for (const id of leaverIds) found.set(id, 'missing');
	for (const { userId, plan } of rows) {
		if (!userId || !plan || found.has(userId)) continue;
		if (plan.state === 'Disabled') found.set(userId, 'inactive');
		else if (plan.rolesRemoved.length > 0) found.set(userId, 'roles');
		else if (plan.changes.userName?.from) found.set(userId, 'renamed');
	}
	return found;
}

/** What the percentage is of: the scope role's members and the rows' users, or the tenant's users. */
export interface Population {
	size: number;
	/** e.g. "people the sync manages". */
	label: string;
}

function percentOf(count: number, size: number): string {
	return `${Number(((count * 100) / Math.max(size, 1)).toFixed(1))} %`;
}

/** Whether `count` people are more than the percentage allows of `size`. */
export function overPercent(count: number, size: number, percent: number): boolean {
	return count * 100 > percent * size;
}

/**
 * Fails when the run would take access from more people than either limit allows, saying how many
 * of what, and how to go on. `population` is needed only when the count is within Max Deprovision.
 */
export function checkBudget(
	found: Map<string, Loss>,
	limits: Limits,
	action: DeprovisionAction,
	population: Population | undefined,
): void {
	const count = found.size;
	const who = `${count} ${count === 1 ? 'person' : 'people'} would lose access`;
	let message: string | undefined;
	if (count > limits.max) message = `${who}, more than Max Deprovision (${limits.max})`;
	else if (population && overPercent(count, population.size, limits.percent))
		message = `${who}, ${percentOf(count, population.size)} of the ${population.size} ${population.label}, more than Max Deprovision Percent (${limits.percent} %)`;
	if (message === undefined) return;
	throw new InvalidInput(`${message}; nothing was changed`, budgetAdvice(found, action));
}

function budgetAdvice(found: Map<string, Loss>, action: DeprovisionAction): string {
	const count = (loss: Loss) => [...found.values()].filter((l) => l === loss).length;
	const parts = [
		[count('missing'), `missing from the input, to be ${action === 'delete' ? 'deleted' : 'disabled'}`],
		[count('inactive'), 'disabled (Active is false)'],
		[count('roles'), 'removed from managed roles'],
		[count('renamed'), 'renamed (their login name changes)'],
	]
		.filter(([n]) => (n as number) > 0)
		.map(([n, what]) => `${n} ${what}`);
	return `Of them: ${parts.join('; ')} (each person counted once). The limits exist so that a broken or truncated HR export cannot take access from the company. Turn on Dry Run to see the list; if it is right, raise Options > Max Deprovision and Max Deprovision Percent for this run.`;
}

/** The budget as a Dry Run reports it: what a real run would refuse, or nothing. */
export function budgetWarning(
	found: Map<string, Loss>,
	limits: Limits,
	action: DeprovisionAction,
	population: Population | undefined,
): string | undefined {
	try {
		checkBudget(found, limits, action, population);
		return undefined;
	} catch (error) {
		return `A real run would stop here: ${(error as InvalidInput).message.replace('; nothing was changed', '')}. ${(error as InvalidInput).description}`;
	}
}
