// Redrock's User.Status is read for every roster row, but no public source says what it reads for a
// disabled user (docs/cyberark-api.md): it may read Active. So no decision to disable, delete or rename
// rests on it: the state of everyone such a decision is about is read with GetUserAttributes (leaver
// candidates, users an e-mail would claim, rows with Active false). Rows with Active on that take
// nothing away trust Status, which keeps a run of an unchanged roster at a few reads; the price is that
// a rehire whose disabled account reads Active in Status is not re-enabled (README, "Rehires").
import type { IDataObject } from 'n8n-workflow';

import { userRow } from '../../shared/readers';
import { isCaller } from './caller';
import { lower } from './match';
import { readStates } from './roster';
import type { SyncRun } from './state';

/** Whether the user is a member of the scope role and not the caller: someone the sync may rename. */
function managed(run: SyncRun, id: string): boolean {
	const { scope } = run.roleScope;
	return scope !== undefined && (run.rolesOf.get(id) ?? []).includes(scope) && !isCaller(run.caller!, id);
}

/**
 * Phase 3b: under Match by User Name, the state of each user a row could claim by e-mail alone (a
 * managed user whose address a row carries and whose login name no row has), read before matching.
 */
export async function confirmEmailCandidates(run: SyncRun): Promise<void> {
	if (run.settings.matchBy !== 'userName' || run.roleScope.scope === undefined) return;
	const names = new Set(run.slots.map((s) => s.keys?.userName));
	const emails = new Set(run.slots.map((s) => s.keys?.email).filter((e) => e !== undefined));
	const ids = run.found
		.filter((user) => {
			const address = lower(user.Email);
			return address !== undefined && emails.has(address) && !names.has(lower(user.Username));
		})
		.map((user) => userRow(user).id)
		.filter((id) => managed(run, id) && !run.confirmed.has(id.toLowerCase()));
	for (const [id, state] of await readStates(run.client, ids, run.settings.concurrency))
		run.confirmed.set(id, state);
}

/**
 * Whether a row may claim this user by e-mail alone (and rename it): only a member of the scope role
 * (someone the sync manages; without a scope role, nobody), never the caller, never a user
 * GetUserAttributes does not show to be enabled (a former employee whose address was reused).
 */
export function claimableByEmail(run: SyncRun, user: IDataObject): boolean {
	const { id } = userRow(user);
	const state = run.confirmed.get(id.toLowerCase());
	return managed(run, id) && state !== undefined && state !== 'Disabled';
}
