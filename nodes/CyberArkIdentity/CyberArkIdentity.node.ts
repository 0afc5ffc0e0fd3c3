import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { concurrencyOf, errorItem, runItems, runOnce } from './actions/router';
import { CyberArkClient } from '../shared/transport/client';
import { dryRunOperation, isDryRun } from '../shared/transport/dryRun';
import { cyberArkIdentityApiTest } from './methods/credentialTest';
import { toNodeError } from '../shared/transport/errors';
import { getRoles, searchRoles, searchUsers } from './methods/listSearch';
import * as resourceModules from './actions';
import type { AnyOperation } from './descriptions/common';
import { resourceDescription, runOptions, runSettings } from './descriptions/common';

/** Every operation, by resource and operation value; a module that is not a complete Operation does not compile. */
const resources = resourceModules satisfies Record<string, Record<string, AnyOperation>>;

export class CyberArkIdentity implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CyberArk Identity',
		name: 'cyberArkIdentity',
		icon: { light: 'file:../../icons/cyberark.svg', dark: 'file:../../icons/cyberark.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Manage users in CyberArk Identity: create, find, update, sync from HR, lock, roles and delete',
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
			...resourceDescription('token', resources.token, 'get'),
			...resourceDescription('user', resources.user, 'create'),
			...resourceDescription('role', resources.role, 'getAll'),
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
		const operationName = this.getNodeParameter('operation', 0) as string;
		const operation = (resources as Record<string, Record<string, AnyOperation>>)[resource]?.[operationName];
		if (!operation)
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operationName}" of "${resource}" is not supported`,
			);

		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const dryRun = isDryRun(resource, operationName, options);
		let client: CyberArkClient;
		try {
			client = await CyberArkClient.open(this, { ...runSettings(options), dryRun });
		} catch (error) {
			const failure = toNodeError(this.getNode(), error, 0);
			if (!this.continueOnFail()) throw failure;
			return [items.map((_, i) => errorItem(failure, i))];
		}
		if ('executeAll' in operation) return [await operation.executeAll.call(this, client, items)];
		if (operation.once) return [await runOnce.call(this, client, items, operation)];
		const perItem = dryRun ? dryRunOperation(operation, operationName) : operation;
		return [await runItems.call(this, client, items, perItem, concurrencyOf(options))];
	}
}
