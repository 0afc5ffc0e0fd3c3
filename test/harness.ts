// Runs workflows through n8n-core's real WorkflowExecute, with a credentials helper that does what
// n8n's CLI does (packages/cli credentials-helper.ts): run the credential's preAuthentication when the
// expirable token is empty, expired or under test, merge the result and persist it; resolve the
// generic `authenticate` expressions. n8n-core itself re-mints once on a 401 and retries once.
import 'reflect-metadata';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import { ICredentialsHelper, LoggerProxy, Workflow } from 'n8n-workflow';

import { CyberArkIdentityApi } from '../credentials/CyberArkIdentityApi.credentials';
import { CyberArkIdentity } from '../nodes/CyberArkIdentity/CyberArkIdentity.node';

export const NODE_TYPE = 'n8n-nodes-cyberark-identity.cyberArkIdentity';
const CREDENTIAL_TYPE = 'cyberArkIdentityApi';

/** The credential as n8n's database holds it, with counters of what n8n did with it. */
export class CredentialStore {
	preAuthentications = 0;
	updates = 0;
	constructor(public data: ICredentialDataDecryptedObject) {}
}

export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly type: ICredentialType = new CyberArkIdentityApi();

	constructor(private readonly store: CredentialStore) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: WorkflowType,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.type.authenticate;
		if (!authenticate || typeof authenticate === 'function' || authenticate.type !== 'generic') return requestOptions;
		for (const [outerKey, values] of Object.entries(authenticate.properties)) {
			const target = ((requestOptions as unknown as IDataObject)[outerKey] ??= {}) as IDataObject;
			for (const [key, value] of Object.entries(values as IDataObject)) {
				target[key] =
					typeof value === 'string' && value.startsWith('=')
						? String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, ''))
						: value;
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		if (credentials.accessToken !== '' && !credentialsExpired) return undefined;
		this.store.preAuthentications++;
		const output = await this.type.preAuthentication!.call({ helpers: { httpRequest: helpers.helpers.httpRequest } }, credentials);
		if (output?.accessToken === undefined) return undefined;
		await this.updateCredentials({ id: '1', name: 'CyberArk' }, CREDENTIAL_TYPE, { ...this.store.data, ...output });
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await this.type.preAuthentication!.call(helpers, credentials);
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
	): Promise<ICredentialDataDecryptedObject> {
		return { ...this.store.data };
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by the tests');
	}

	async updateCredentials(_n: INodeCredentialsDetails, _t: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.updates++;
		this.store.data = { ...data };
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return this.type.properties;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}
}

class NodeTypes implements INodeTypes {
	private readonly node: INodeType = new CyberArkIdentity();
	getByName(): INodeType {
		return this.node;
	}
	getByNameAndVersion(): INodeType {
		return this.node;
	}
	getKnownTypes() {
		return {};
	}
}

/** Log lines n8n wrote while the tests ran (see setup.ts), to check that no secret reaches a log. */
export const capturedLogs: string[] = (globalThis as { capturedLogs?: string[] }).capturedLogs ?? [];
const capture = (level: string) => (message: string, meta?: object) => {
	capturedLogs.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
};
LoggerProxy.init({ error: capture('error'), warn: capture('warn'), info: capture('info'), debug: capture('debug') });

export interface RunResult {
	/** Output items of the CyberArk node; empty when the run failed. */
	items: INodeExecutionData[];
	/** The run's error (the node failed without Continue On Fail). */
	error?: { message: string; description?: string | null; context?: IDataObject; name?: string };
	run: IRun;
}

/** Runs one CyberArk Identity node over the given input items, as n8n does. */
export async function runNode(
	store: CredentialStore,
	parameters: IDataObject,
	input: IDataObject[] = [{}],
	settings: { continueOnFail?: boolean } = {},
): Promise<RunResult> {
	const node: INode = {
		id: 'cyberark',
		name: 'CyberArk Identity',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'CyberArk' } },
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: false, nodeTypes: new NodeTypes() });
	const hooks = new ExecutionLifecycleHooks('manual', 'exec-1', { id: 'wf', name: 'test', nodes: [node], connections: {}, active: false, settings: {}, createdAt: new Date(), updatedAt: new Date(), isArchived: false, activeVersionId: null } as never);
	let finished!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));
	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(store),
		executionId: 'exec-1',
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'user-1',
		variables: {},
		setExecutionStatus: () => {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData: IRunExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node, data: { main: [input.map((json) => ({ json }))] }, source: null }],
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const run = await done;
	const taskData = run.data.resultData.runData[node.name]?.[0];
	const error = run.data.resultData.error as RunResult['error'];
	return { items: taskData?.data?.main?.[0] ?? [], error, run };
}
