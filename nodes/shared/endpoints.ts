// Every CyberArk management endpoint this package calls, with the two facts the transport needs: whether
// it changes anything (Dry Run holds writes back; an operation that lists a write offers Dry Run) and
// whether sending it twice does no harm (only such calls are retried when CyberArk may have applied them).
// Sources for each: docs/cyberark-api.md.
import type { IDataObject } from 'n8n-workflow';

export interface Endpoint {
	/** Path on the tenant, e.g. `/CDirectoryService/CreateUser`. */
	readonly path: string;
	readonly kind: 'read' | 'write';
	/** Sending it twice leaves the tenant as sending it once. */
	readonly idempotent: boolean;
}

/** One request to a management endpoint. */
export interface ApiCall {
	/**
	 * The endpoint, from the table of endpoints: a write is held back in Dry Run, and a call that is not
	 * idempotent is only retried when CyberArk cannot have applied it (429, 503, connection refused).
	 */
	endpoint: Endpoint;
	body?: IDataObject;
	qs?: IDataObject;
	/** Values the body carries that must not reappear in an error, should CyberArk echo them (passwords). */
	secrets?: string[];
	/**
	 * A call made for several input items at once (a batch of role members): each item's own part of
	 * it. Dry Run shows each item its part instead of the whole call.
	 */
	parts?: Array<{ itemIndex: number; body: IDataObject }>;
}

const read = (path: string): Endpoint => ({ path, kind: 'read', idempotent: true });
const write = (path: string, idempotent: boolean): Endpoint => ({ path, kind: 'write', idempotent });

export const ENDPOINT = {
	whoami: read('/Security/whoami'),
	redrockQuery: read('/Redrock/query'),
	getUser: read('/CDirectoryService/GetUser'),
	getUserByName: read('/CDirectoryService/GetUserByName'),
	getUserAttributes: read('/UserMgmt/GetUserAttributes'),
	getUserRoles: read('/UserMgmt/GetUsersRolesAndAdministrativeRights'),
	getRoleMembers: read('/Roles/GetRoleMembers'),
	createUser: write('/CDirectoryService/CreateUser', false),
	changeUser: write('/CDirectoryService/ChangeUser', true),
	deleteUser: write('/CDirectoryService/DeleteUser', false),
	setUserState: write('/CDirectoryService/SetUserState', true),
	setCloudLock: write('/UserMgmt/SetCloudLock', true),
	resetPassword: write('/UserMgmt/ResetUserPassword', true),
	updateRole: write('/Roles/UpdateRole', true),
	signOutEverywhere: write('/UserMgmt/SignOutEverywhere', true),
	// Another e-mail (or SMS) each time it is sent: only retried when CyberArk cannot have sent it.
	inviteUsers: write('/UserMgmt/InviteUsers', false),
	// Twice restarts the exemption window from now: the same as once.
	exemptFromMfa: write('/CDirectoryService/ExemptUserFromMfa', true),
	getExtendedAttributes: read('/ExtData/GetColumns'),
	setExtendedAttributes: write('/ExtData/SetColumns', true),
	createRole: write('/Roles/StoreRole', false),
	// A second delete of the same role is refused: a lost answer is resolved by reading, not by sending it again.
	deleteRole: write('/SaasManage/DeleteRole', false),
	getRoleApps: read('/SaasManage/GetRoleApps'),
} as const satisfies Record<string, Endpoint>;

/** Whether any of these endpoints writes. */
export function writesAny(endpoints: readonly Endpoint[]): boolean {
	return endpoints.some((endpoint) => endpoint.kind === 'write');
}
