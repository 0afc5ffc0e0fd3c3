// Role memberships in bulk: every change to one role goes out in as few /Roles/UpdateRole calls as the
// API allows ({Name: roleId, Users: {Add: [...], Delete: [...]}}; marcozj/golang-sdk `UpdateMembers`,
// pspete/IdentityCommand `Set-IDRole`). A refused batch is split in halves until each refusal is pinned
// on the changes it belongs to: every change keeps its own outcome, and a batch that succeeded is never
// sent again. A refusal both halves repeat word for word is the role's own, and is not split further.
import type { IDataObject } from 'n8n-workflow';

import type { Settled } from '../../shared/concurrency';
import { mapConcurrent } from '../../shared/concurrency';
import type { ApiCall } from '../../shared/endpoints';
import { ENDPOINT } from '../../shared/endpoints';
import type { CyberArkClient } from '../../shared/transport/client';
import { CyberArkError } from '../../shared/transport/errors';

/**
 * At most this many users go into one UpdateRole call. No public source states a limit (the Go SDK and
 * IdentityCommand send whatever list they are given); 100 keeps a body near 4 KB, the same bound as a
 * Redrock IN list here, and pinning one refused member costs at most about 14 extra calls.
 */
export const MEMBERS_PER_CALL = 100;

/** One input item's wish: this user in this role (`member`), or not. */
export interface MembershipChange {
	roleId: string;
	userId: string;
	member: boolean;
	itemIndex: number;
}

/** The changes one call carries; a user is in a batch once, however many items asked for the same. */
type Batch = MembershipChange[];

function userKey(userId: string): string {
	return userId.toLowerCase();
}

/** The UpdateRole call for a batch of one role; in Dry Run each item is shown its own part. */
export function batchCall(roleId: string, batch: Batch): ApiCall {
	const list = (member: boolean) => [
		...new Map(batch.filter((c) => c.member === member).map((c) => [userKey(c.userId), c.userId])).values(),
	];
	const users: IDataObject = {};
	if (list(true).length > 0) users.Add = list(true);
	if (list(false).length > 0) users.Delete = list(false);
	return {
		endpoint: ENDPOINT.updateRole,
		body: { Name: roleId, Users: users },
		parts: batch.map((c) => ({
			itemIndex: c.itemIndex,
			body: { Name: roleId, Users: c.member ? { Add: [c.userId] } : { Delete: [c.userId] } },
		})),
	};
}

/**
 * The batches of one role's changes, in input order. A user whose change contradicts an earlier one
 * (added by one item, removed by a later) starts a new batch, so the later wish is applied last.
 */
export function batchesOf(changes: MembershipChange[], size = MEMBERS_PER_CALL): Batch[] {
	const batches: Batch[] = [];
	let current: Batch = [];
	let wish = new Map<string, boolean>();
	for (const change of changes) {
		const key = userKey(change.userId);
		const conflicts = wish.has(key) && wish.get(key) !== change.member;
		if (conflicts || (!wish.has(key) && wish.size >= size)) {
			batches.push(current);
			current = [];
			wish = new Map();
		}
		wish.set(key, change.member);
		current.push(change);
	}
	if (current.length > 0) batches.push(current);
	return batches;
}

/** How a batch ended: the changes that failed, and a refusal of the role itself when the batch showed one. */
interface BatchOutcome {
	failures: Map<MembershipChange, unknown>;
	roleRefusal?: CyberArkError;
}

/** What a batch failed with; undefined when CyberArk applied it. */
type Attempt = { error: unknown } | undefined;

async function attempt(client: CyberArkClient, roleId: string, batch: Batch): Promise<Attempt> {
	try {
		await client.request(batchCall(roleId, batch), batch[0].itemIndex);
		return undefined;
	} catch (error) {
		return { error };
	}
}

function failAll(batch: Batch, error: unknown): Map<MembershipChange, unknown> {
	return new Map(batch.map((change) => [change, error]));
}

/** Sends a batch; a refusal of a batch of several users is retried in halves to find whose it is. */
async function sendBatch(client: CyberArkClient, roleId: string, batch: Batch): Promise<BatchOutcome> {
	const failed = await attempt(client, roleId, batch);
	return failed ? await pin(client, roleId, batch, failed.error) : { failures: new Map() };
}

/**
 * Pins a refused batch's refusal on the changes it belongs to by sending its halves. Both halves
 * refused with the same message is a refusal of the role (it does not exist, or may not be changed),
 * not of a member: every change of the batch fails with it, and it is not split further.
 */
async function pin(
	client: CyberArkClient,
	roleId: string,
	batch: Batch,
	error: unknown,
): Promise<BatchOutcome> {
	// Only CyberArk's own refusal can be about one member; a failed transport fails the whole batch.
	if (!(error instanceof CyberArkError) || new Set(batch.map((c) => userKey(c.userId))).size < 2)
		return { failures: failAll(batch, error) };
	const half = splitPoint(batch);
	const halves = [batch.slice(0, half), batch.slice(half)];
	const tried: Attempt[] = [];
	for (const part of halves) tried.push(await attempt(client, roleId, part));
	const [left, right] = tried.map((t) => (t?.error instanceof CyberArkError ? t.error : undefined));
	if (left && right && left.message === right.message)
		return { failures: failAll(batch, left), roleRefusal: left };
	const failures = new Map<MembershipChange, unknown>();
	for (const [n, part] of halves.entries()) {
		const failed = tried[n];
		if (!failed) continue;
		for (const [change, failure] of (await pin(client, roleId, part, failed.error)).failures)
			failures.set(change, failure);
	}
	return { failures };
}

/** Where to split a batch in two without parting the changes of one user. */
function splitPoint(batch: Batch): number {
	const middle = Math.floor(batch.length / 2);
	const key = (i: number) => userKey(batch[i].userId);
	for (let offset = 0; offset < batch.length; offset++) {
		for (const at of [middle + offset, middle - offset]) {
			if (at > 0 && at < batch.length && key(at) !== key(at - 1)) return at;
		}
	}
	return middle;
}

/**
 * Applies every change, role by role (roles `concurrency` at a time, a role's batches one after the
 * other), and returns how each change ended, in the order given.
 */
export async function applyMembershipChanges(
	client: CyberArkClient,
	changes: MembershipChange[],
	concurrency: number,
): Promise<Array<Settled<void>>> {
	const byRole = new Map<string, MembershipChange[]>();
	for (const change of changes) byRole.set(change.roleId, [...(byRole.get(change.roleId) ?? []), change]);
	const roles = [...byRole.keys()];
	const failures = new Map<MembershipChange, unknown>();
	await mapConcurrent(
		roles.length,
		concurrency,
		async (r) => {
			// A refusal of the role itself fails its later batches too, without sending them.
			let roleRefusal: CyberArkError | undefined;
			for (const batch of batchesOf(sortedByUser(byRole.get(roles[r])!))) {
				const outcome: BatchOutcome = roleRefusal
					? { failures: failAll(batch, roleRefusal) }
					: await sendBatch(client, roles[r], batch);
				for (const [change, error] of outcome.failures) failures.set(change, error);
				roleRefusal ??= outcome.roleRefusal;
			}
		},
		false,
	);
	return changes.map((change) =>
		failures.has(change) ? { ok: false, error: failures.get(change) } : { ok: true, value: undefined },
	);
}

/** A role's changes with each user's changes side by side (kept in input order), so halves part users cleanly. */
function sortedByUser(changes: MembershipChange[]): MembershipChange[] {
	const first = new Map<string, number>();
	changes.forEach((c, i) => {
		if (!first.has(userKey(c.userId))) first.set(userKey(c.userId), i);
	});
	return changes
		.map((change, i) => ({ change, i }))
		.sort((a, b) => first.get(userKey(a.change.userId))! - first.get(userKey(b.change.userId))! || a.i - b.i)
		.map(({ change }) => change);
}
