// The caller: the user the node's credential signs in as (the service user, or the OAuth client's own
// user). A sync never writes it: not as a leaver, not for a row that names it, not as a joiner found
// to exist already. Locking the caller out would stop every later run, and the fix with it.
import { ENDPOINT } from '../../shared/endpoints';
import { whoami } from '../../shared/readers';
import type { CyberArkClient } from '../../shared/transport/client';
import { InvalidInput } from '../../shared/transport/errors';

export interface Caller {
	id: string;
	userName: string;
}

/** The caller, from /Security/whoami (`Result.User`, `Result.UserUuid`: HashiCorp's Vault plugin). */
export async function readCaller(client: CyberArkClient): Promise<Caller> {
	const { user, userUuid } = whoami(await client.request({ endpoint: ENDPOINT.whoami, body: {} }));
	return { id: userUuid, userName: user };
}

/** Whether `id` is the caller's (a joiner not created, in Dry Run, has no ID yet). */
export function isCaller(caller: Caller, id: string | null | undefined): boolean {
	return typeof id === 'string' && id.toLowerCase() === caller.id.toLowerCase();
}

/** A row that finds the caller: it cannot be applied. */
export function callerRow(caller: Caller, itemIndex: number): InvalidInput {
	return new InvalidInput(
		`Item ${itemIndex + 1} is ${caller.userName}, the user this node's credential signs in as`,
		'The sync never changes the user it signs in as: disabling, renaming or removing it from a role could lock every later run out. Remove this person from the input, or change them by hand.',
	);
}
