// Role memberships in bulk: batches per role, and a refused batch split until each refusal is pinned on
// the change it belongs to.
import type { IDataObject, INode } from 'n8n-workflow';

import type { MembershipChange } from '../../../../nodes/CyberArkIdentity/roles/bulkMembership';
import {
	applyMembershipChanges,
	batchCall,
	batchesOf,
	MEMBERS_PER_CALL,
} from '../../../../nodes/CyberArkIdentity/roles/bulkMembership';
import type { ApiCall } from '../../../../nodes/shared/endpoints';
import { ENDPOINT } from '../../../../nodes/shared/endpoints';
import type { CyberArkClient } from '../../../../nodes/shared/transport/client';
import { CyberArkError } from '../../../../nodes/shared/transport/errors';

const node: INode = {
	id: 'n',
	name: 'CyberArk Identity',
	type: 'cyberArkIdentity',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const change = (userId: string, itemIndex: number, member = true, roleId = 'r1'): MembershipChange => ({
	roleId,
	userId,
	member,
	itemIndex,
});

const refusal = (Message: string) =>
	new CyberArkError(node, '/Roles/UpdateRole', { success: false, Message });

/**
 * A tenant stand-in: refuses a call naming one of `bad`, or every call with `roleRefusal` (a refusal of
 * the role itself); counts the calls and the members they carry.
 */
function tenant(bad: string[] = [], transportFailure = false, roleRefusal?: string) {
	const calls: IDataObject[] = [];
	const client = {
		dryRun: false,
		async request(call: ApiCall) {
			calls.push(call.body!);
			if (transportFailure) throw new Error('socket hang up');
			if (roleRefusal) throw refusal(roleRefusal);
			const users = call.body!.Users as { Add?: string[]; Delete?: string[] };
			const refused = [...(users.Add ?? []), ...(users.Delete ?? [])].find((u) => bad.includes(u));
			if (refused)
				throw new CyberArkError(node, '/Roles/UpdateRole', {
					success: false,
					Message: `User ${refused} not found.`,
				});
			return null;
		},
	} as unknown as CyberArkClient;
	return { client, calls };
}

test('one call per role for up to 100 users, adds and removes together', async () => {
	const changes = [
		...Array.from({ length: 150 }, (_, i) => change(`u${i}`, i)),
		change('x', 150, false),
		change('y', 151, true, 'r2'),
	];
	const { client, calls } = tenant();
	const outcomes = await applyMembershipChanges(client, changes, 2);
	expect(outcomes.every((o) => o.ok)).toBe(true);
	expect(
		calls.map((c) => [
			c.Name,
			((c.Users as IDataObject).Add as string[])?.length,
			(c.Users as IDataObject).Delete,
		]),
	).toEqual([
		['r1', MEMBERS_PER_CALL, undefined],
		['r2', 1, undefined],
		['r1', 50, ['x']],
	]);
});

test('a refused batch is halved until the refusal is pinned on its item; the others succeed, none is sent again after succeeding', async () => {
	const changes = Array.from({ length: 16 }, (_, i) => change(`u${i}`, i));
	const { client, calls } = tenant(['u11']);
	const outcomes = await applyMembershipChanges(client, changes, 1);
	expect(outcomes.map((o) => o.ok)).toEqual(changes.map((c) => c.userId !== 'u11'));
	expect((outcomes[11] as { error: Error }).error.message).toBe('User u11 not found.');
	// 16 → 8 + 8 → (8 ok) 4 + 4 → (4 ok) 2 + 2 → (2 ok) 1 + 1: 1 + 2 + 2 + 2 + 2 calls.
	expect(calls).toHaveLength(9);
	const sentOk = calls
		.filter((c) => !((c.Users as IDataObject).Add as string[]).includes('u11'))
		.flatMap((c) => (c.Users as IDataObject).Add as string[]);
	expect(sentOk.sort()).toEqual(
		changes
			.map((c) => c.userId)
			.filter((u) => u !== 'u11')
			.sort(),
	);
});

test('two refusals in one batch: each on its own item', async () => {
	const changes = Array.from({ length: 8 }, (_, i) => change(`u${i}`, i));
	const { client } = tenant(['u0', 'u7']);
	const outcomes = await applyMembershipChanges(client, changes, 1);
	expect(outcomes.map((o) => o.ok)).toEqual([false, true, true, true, true, true, true, false]);
});

test('a failed transport is not split: every change of the batch fails with it, after one call', async () => {
	const changes = Array.from({ length: 8 }, (_, i) => change(`u${i}`, i));
	const { client, calls } = tenant([], true);
	const outcomes = await applyMembershipChanges(client, changes, 1);
	expect(outcomes.every((o) => !o.ok && (o.error as Error).message === 'socket hang up')).toBe(true);
	expect(calls).toHaveLength(1);
});

test('a refusal of the role itself is not split down to every member: 200 changes, 3 calls, every item fails with it', async () => {
	const changes = Array.from({ length: 200 }, (_, i) => change(`u${i}`, i, i % 2 === 0));
	const { client, calls } = tenant([], false, 'The role r1 does not exist.');
	const outcomes = await applyMembershipChanges(client, changes, 1);
	expect(outcomes.every((o) => !o.ok && (o.error as Error).message === 'The role r1 does not exist.')).toBe(
		true,
	);
	// The first batch of 100, its two halves repeating the refusal; the role's second batch is not sent.
	expect(calls).toHaveLength(3);
});

test('another role is not held back by one role refusing', async () => {
	const changes = [...Array.from({ length: 8 }, (_, i) => change(`u${i}`, i)), change('u9', 8, true, 'r2')];
	const { client, calls } = tenant();
	(client as { request: (call: ApiCall) => Promise<null> }).request = async (call: ApiCall) => {
		calls.push(call.body!);
		if (call.body!.Name === 'r1') throw refusal('You are not allowed to modify role r1.');
		return null;
	};
	const outcomes = await applyMembershipChanges(client, changes, 1);
	expect(outcomes.map((o) => o.ok)).toEqual([...Array(8).fill(false), true]);
	expect(calls.filter((c) => c.Name === 'r1')).toHaveLength(3);
});

test('two items wanting the same user: one member in the call, both items keep their outcome', async () => {
	const { client, calls } = tenant();
	const outcomes = await applyMembershipChanges(
		client,
		[change('u1', 0), change('U1', 1), change('u2', 2)],
		1,
	);
	expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
	expect(calls).toEqual([{ Name: 'r1', Users: { Add: ['U1', 'u2'] } }]);
});

test('contradicting wishes for one user go out in input order, in separate calls', () => {
	const batches = batchesOf([change('u1', 0, true), change('u2', 1, true), change('u1', 2, false)]);
	expect(batches.map((b) => b.map((c) => [c.userId, c.member]))).toEqual([
		[
			['u1', true],
			['u2', true],
		],
		[['u1', false]],
	]);
});

test('Dry Run: each item is shown its own part of the batch', () => {
	const call = batchCall('r1', [change('u1', 3), change('u2', 5, false)]);
	expect(call).toEqual({
		endpoint: ENDPOINT.updateRole,
		body: { Name: 'r1', Users: { Add: ['u1'], Delete: ['u2'] } },
		parts: [
			{ itemIndex: 3, body: { Name: 'r1', Users: { Add: ['u1'] } } },
			{ itemIndex: 5, body: { Name: 'r1', Users: { Delete: ['u2'] } } },
		],
	});
});
