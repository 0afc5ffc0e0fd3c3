// CyberArk's management endpoints this node writes to or reads users from, and the calls built the
// same way in several places.
import type { ApiCall } from './transport/client';

export const PATH = {
	create: '/CDirectoryService/CreateUser',
	get: '/CDirectoryService/GetUser',
	getByName: '/CDirectoryService/GetUserByName',
	attributes: '/UserMgmt/GetUserAttributes',
	change: '/CDirectoryService/ChangeUser',
	delete: '/CDirectoryService/DeleteUser',
	setState: '/CDirectoryService/SetUserState',
	cloudLock: '/UserMgmt/SetCloudLock',
	reset: '/UserMgmt/ResetUserPassword',
	updateRole: '/Roles/UpdateRole',
};

/** Makes a user a member of a role, or not: adding a member twice, or removing a non-member, is no error. */
export function membershipCall(roleId: string, userId: string | null, member: boolean): ApiCall {
	const users = member ? { Add: [userId] } : { Delete: [userId] };
	return { path: PATH.updateRole, body: { Name: roleId, Users: users }, idempotent: true };
}
