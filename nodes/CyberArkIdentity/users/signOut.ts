import type { ApiCall } from '../../shared/endpoints';
import { ENDPOINT } from '../../shared/endpoints';

/**
 * Ends every session of the user (IdentityCommand `Clear-IDUserSession`: the user's ID in the query
 * string). Taking access away without it leaves a disabled user the sessions they have.
 */
export function signOutCall(userId: string): ApiCall {
	return { endpoint: ENDPOINT.signOutEverywhere, qs: { ID: userId } };
}
