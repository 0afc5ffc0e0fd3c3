import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { roleFields, roleOperations } from './descriptions/RoleDescription';
import { tokenFields, tokenOperations } from './descriptions/TokenDescription';
import { runOptions, userFields, userOperations } from './descriptions/UserDescription';
import { concurrencyOf, runItems } from './batch';
import { exchangeToken } from './token';
import { cyberArkIdentityApiTest } from './credentialTest';
import { configureRun, CREDENTIAL_TYPE, toNodeError } from './transport';
import { getRoles, roleHandlers, searchRoles } from './role';
import { searchUsers, userHandlers } from './user';

/** Get Token: one exchange for the whole run, the same token on every item. */
async function getToken(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	let json: IDataObject;
	try {
		const token = await exchangeToken(this.helpers, credentials);
		json = {
			access_token: token.access_token,
			token_type: token.token_type,
			expires_in: token.expires_in,
			expires_at: new Date(Date.now() + token.expires_in * 1000).toISOString(),
			scope: token.scope ?? null,
		};
	} catch (error) {
		if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, 0);
		json = { error: (error as Error).message };
	}
	return items.map((_, i) => ({ json: { ...json }, pairedItem: { item: i } }));
}

export class CyberArkIdentity implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CyberArk Identity',
		name: 'cyberArkIdentity',
		icon: { light: 'file:../../icons/cyberark.svg', dark: 'file:../../icons/cyberark.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage users in CyberArk Identity: create, find, update, lock, roles and delete',
		defaults: { name: 'CyberArk Identity' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Literal names: n8n's lint reads them to see that the credential is tested by this node.
		credentials: [{ name: 'cyberArkIdentityApi', required: true, testedBy: 'cyberArkIdentityApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Role', value: 'role' },
					{ name: 'Token', value: 'token' },
					{ name: 'User', value: 'user' },
				],
				default: 'user',
			},
			...tokenOperations,
			...tokenFields,
			...userOperations,
			...userFields,
			...roleOperations,
			...roleFields,
			runOptions,
		],
	};

	methods = {
		listSearch: { searchUsers, searchRoles },
		loadOptions: { getRoles },
		credentialTest: { cyberArkIdentityApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		if (resource === 'token') return [await getToken.call(this, items)];

		const handler = ({ user: userHandlers, role: roleHandlers } as const)[resource as 'user' | 'role']?.[operation];
		if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);

		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		try {
			await configureRun.call(this, { timeoutMs: options.timeout === undefined ? undefined : Number(options.timeout) * 1000 });
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, 0);
			return [items.map((_, i) => ({ json: { error: (error as Error).message }, pairedItem: { item: i } }))];
		}
		const output = await runItems.call(this, items, handler, concurrencyOf(options));
		return [output];
	}
}
