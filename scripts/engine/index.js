'use strict';
// Runs the CyberArk Identity node through n8n-core's real WorkflowExecute, with a credentials helper
// that does what n8n's CLI does (packages/cli credentials-helper.ts): run the credential's
// preAuthentication when the expirable token is empty, expired or under test, merge the result and
// persist it; resolve the generic `authenticate` expressions. n8n-core itself re-mints once on a 401
// and retries the request once. Used by the tests (on the sources), the demo and the benchmark (on dist/).
require('reflect-metadata');
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { ICredentialsHelper, Workflow } = require('n8n-workflow');

const NODE_TYPE = 'n8n-nodes-cyberark-identity.cyberArkIdentity';
const CREDENTIAL_TYPE = 'cyberArkIdentityApi';

/** The credential as n8n's database holds it, with counters of what n8n did with it. */
class CredentialStore {
	constructor(data) {
		this.data = { ...data };
		this.preAuthentications = 0;
		this.updates = 0;
		/** How often n8n read (decrypted) the credential, as its database-backed helper would. */
		this.reads = 0;
	}
}

class CredentialsHelper extends ICredentialsHelper {
	constructor(store, credentialType) {
		super();
		this.store = store;
		this.type = credentialType;
	}

	getParentTypes() {
		return [];
	}

	async authenticate(credentials, _typeName, requestOptions, workflow, node) {
		const authenticate = this.type.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		for (const [outerKey, values] of Object.entries(authenticate.properties)) {
			const target = (requestOptions[outerKey] ??= {});
			for (const [key, value] of Object.entries(values)) {
				target[key] =
					typeof value === 'string' && value.startsWith('=')
						? String(
								workflow.expression.getSimpleParameterValue(
									node,
									value,
									'internal',
									{ $credentials: credentials },
									undefined,
									'',
								),
							)
						: value;
			}
		}
		return requestOptions;
	}

	async preAuthentication(helpers, credentials, _typeName, _node, credentialsExpired) {
		if (credentials.accessToken !== '' && !credentialsExpired) return undefined;
		this.store.preAuthentications++;
		const output = await this.type.preAuthentication.call(
			{ helpers: { httpRequest: helpers.helpers.httpRequest } },
			credentials,
		);
		if (output?.accessToken === undefined) return undefined;
		await this.updateCredentials({ id: '1', name: 'CyberArk' }, CREDENTIAL_TYPE, {
			...this.store.data,
			...output,
		});
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(helpers, credentials) {
		return await this.type.preAuthentication.call(helpers, credentials);
	}

	async getDecrypted() {
		this.store.reads++;
		return { ...this.store.data };
	}

	/** @returns {Promise<any>} */
	async getCredentials() {
		throw new Error('not used here');
	}

	async updateCredentials(_nodeCredentials, _type, data) {
		this.store.updates++;
		this.store.data = { ...data };
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return this.type.properties;
	}

	isCredentialUsableByNode() {
		return true;
	}
}

/**
 * An engine bound to one node class and one credential class.
 * `run(store, parameters, input, settings)` executes the node once over the input items.
 */
function createEngine({ NodeClass, CredentialClass }) {
	const nodeType = new NodeClass();
	const credentialType = new CredentialClass();
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};

	async function run(store, parameters, input = [{}], settings = {}) {
		/** @type {import('n8n-workflow').INode} */
		const node = {
			id: 'cyberark',
			name: 'CyberArk Identity',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'CyberArk' } },
			...(settings.continueOnFail ? { onError: /** @type {const} */ ('continueRegularOutput') } : {}),
		};
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: false, nodeTypes });
		const hooks = new ExecutionLifecycleHooks(
			'manual',
			'exec-1',
			/** @type {import('n8n-workflow').IWorkflowBase} */ (
				/** @type {unknown} */ ({
					id: 'wf',
					name: 'run',
					nodes: [node],
					connections: {},
					active: false,
					settings: {},
				})
			),
		);
		let finished;
		const done = new Promise((resolve) => (finished = resolve));
		hooks.addHandler('workflowExecuteAfter', (result) => finished(result));
		const additionalData = {
			hooks,
			credentialsHelper: new CredentialsHelper(store, credentialType),
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
		};
		const runExecutionData = {
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
		};
		await new WorkflowExecute(
			/** @type {import('n8n-workflow').IWorkflowExecuteAdditionalData} */ (
				/** @type {unknown} */ (additionalData)
			),
			'manual',
			/** @type {any} */ (runExecutionData),
		).processRunExecutionData(workflow);
		const result = await done;
		const taskData = result.data.resultData.runData[node.name]?.[0];
		return { items: taskData?.data?.main?.[0] ?? [], error: result.data.resultData.error, run: result };
	}

	return { run };
}

module.exports = { createEngine, CredentialStore, CredentialsHelper, NODE_TYPE, CREDENTIAL_TYPE };
