// The leavers of Create or Update: members of the scope role whom no row finds, less those already
// disabled (as GetUserAttributes says, never Redrock's Status) and the caller (the user the credential
// signs in as), who is never deprovisioned.
import { NodeOperationError } from 'n8n-workflow';

import { userRow } from '../../shared/readers';
import { toNodeError } from '../../shared/transport/errors';
import { isCaller } from './caller';
import { foundByAnyRow } from './match';
import type { ScopeMember } from './plan';
import { readRoleMembers, readStates, usersByIds } from './roster';
import type { SyncRun } from './state';

/** The scope role's members, read once per run. */
export async function scopeMembers(run: SyncRun): Promise<ScopeMember[]> {
	const scope = run.roleScope.scope!;
	run.scopeMembers ??= (await readRoleMembers(run.client, [scope])).get(scope) ?? [];
	return run.scopeMembers;
}

/**
 * Phase 7: the leavers: members of the scope role whom no row finds by login name or e-mail (whatever
 * Match By says), less those already disabled and the caller. Every item's key must be readable.
 */
export async function findLeavers(run: SyncRun): Promise<void> {
	if (!run.settings.deprovisionMissing) return;
	const unkeyed = run.slots.findIndex((s) => s.keys === undefined);
	if (unkeyed >= 0) {
		const node = run.context.getNode();
		throw new NodeOperationError(
			node,
			`Item ${unkeyed + 1} has no valid ${run.settings.matchBy === 'email' ? 'email' : 'login name'}, so nothing is deprovisioned or changed`,
			{
				itemIndex: unkeyed,
				description: `Deprovisioning treats everyone missing from the input as gone: an item whose key cannot be read could deprovision its person. ${toNodeError(node, run.slots[unkeyed].error, unkeyed).message}`,
			},
		);
	}
	const present = new Set(run.found.map((user) => userRow(user).id.toLowerCase()));
	const missing = (await scopeMembers(run)).filter(
		(m) => !present.has(m.id.toLowerCase()) && !isCaller(run.caller!, m.id),
	);
	const inRoster = foundByAnyRow(run.slots.map((s) => s.keys));
	const candidates = (await usersByIds(run.client, missing)).filter((m) => !inRoster(m));
	// Their state from GetUserAttributes: Redrock's Status may read Active for a disabled user.
	const states = await readStates(
		run.client,
		candidates.map((m) => m.id),
		run.settings.concurrency,
	);
	run.leavers = candidates
		.map((m) => ({ ...m, state: states.get(m.id.toLowerCase()) }))
		.filter((m) => m.state !== 'Disabled')
		.map((member) => ({ member }));
}
