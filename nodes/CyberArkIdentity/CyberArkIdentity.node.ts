import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as customApiCall from './actions/customApiCall';
import * as role from './actions/role';
import * as token from './actions/token';
import * as user from './actions/user';
import type { Resources } from './actions/operation';
import { route } from './actions/router';
import { resourceParameter, resourceParameters, subtitleExpression } from './descriptions/operations';
import { cyberArkIdentityApiTest } from './methods/credentialTest';
import { searchRoles, searchUsers } from './methods/listSearch';

/** Every operation, by resource and operation value; a module that is not a complete operation does not compile. */
export const resources = { customApiCall, role, token, user } satisfies Resources;

/** The Resource list's names, which the canvas subtitle shows too. */
export const RESOURCE_NAMES: Record<keyof typeof resources, string> = {
	customApiCall: 'Custom API Call',
	role: 'Role',
	token: 'Token',
	user: 'User',
};

export class CyberArkIdentity implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CyberArk Identity',
		name: 'cyberArkIdentity',
		icon: { light: 'file:../../icons/cyberark.svg', dark: 'file:../../icons/cyberark.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: subtitleExpression(RESOURCE_NAMES, resources),
		description:
			'Manage CyberArk Identity users and roles: create, find, update, sync from HR, lock, disable and delete',
		defaults: { name: 'CyberArk Identity' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Literal names: n8n's lint reads them to see that the credential is tested by this node.
		credentials: [{ name: 'cyberArkIdentityApi', required: true, testedBy: 'cyberArkIdentityApiTest' }],
		properties: [
			resourceParameter(RESOURCE_NAMES, 'user'),
			...resourceParameters('token', resources.token, 'get'),
			...resourceParameters('user', resources.user, 'create'),
			...resourceParameters('role', resources.role, 'getAll'),
			...resourceParameters('customApiCall', resources.customApiCall, 'call'),
		],
	};

	methods = {
		listSearch: { searchUsers, searchRoles },
		credentialTest: { cyberArkIdentityApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, resources);
	}
}
