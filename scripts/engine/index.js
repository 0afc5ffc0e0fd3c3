'use strict';
// Runs this package's nodes in n8n-core as n8n does, in process: an action node through the real
// WorkflowExecute (`createEngine`), a polling trigger through PollContext and
// TriggersAndPollers.runPollFunction on a Workflow whose static data is kept as n8n keeps it
// (`createPoller`). Credentials go through the CLI's credentials helper (./credentials.js). Used by the
// tests (on the sources), the demo and the in-process benchmarks (on dist/, `builtEngine`).
require('reflect-metadata');
const path = require('node:path');
const { ExecutionLifecycleHooks, PollContext, TriggersAndPollers, WorkflowExecute } = require('n8n-core');
const { Workflow } = require('n8n-workflow');
const {
	CredentialStore,
	CredentialsHelper,
	CREDENTIAL_REFERENCE,
	CREDENTIAL_TYPE,
} = require('./credentials');

const PACKAGE = 'n8n-nodes-cyberark-identity';
const DIST = path.join(__dirname, '..', '..', 'dist');

/** What n8n-core needs around one node class: its type registry and the node as a workflow holds it. */
function nodeSetup(NodeClass, { id, name, parameters }) {
	const nodeType = new NodeClass();
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	/** @type {import('n8n-workflow').INode} */
	const node = {
		id,
		name,
		type: `${PACKAGE}.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: CREDENTIAL_REFERENCE },
	};
	return { nodeTypes, node };
}

/** The additional data n8n's CLI hands n8n-core for one execution, with the credentials helper. */
function additionalData(store, CredentialClass, extra) {
	return {
		credentialsHelper: new CredentialsHelper(store, new CredentialClass()),
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		userId: 'user-1',
		variables: {},
		setExecutionStatus: () => {},
		logAiEvent: () => {},
		...extra,
	};
}

/** One manual execution of `node` over the input items; resolves with WorkflowExecute's run. */
async function execute(workflow, node, data, input) {
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
			/** @type {unknown} */ ({ ...data, hooks })
		),
		'manual',
		/** @type {any} */ (runExecutionData),
	).processRunExecutionData(workflow);
	return await done;
}

/**
 * An engine bound to one node class and one credential class.
 * `run(store, parameters, input, settings)` executes the node once over the input items.
 */
function createEngine({ NodeClass, CredentialClass }) {
	async function run(store, parameters, input = [{}], settings = {}) {
		const setup = nodeSetup(NodeClass, { id: 'cyberark', name: 'CyberArk Identity', parameters });
		const node = {
			...setup.node,
			...(settings.continueOnFail ? { onError: /** @type {const} */ ('continueRegularOutput') } : {}),
			...(settings.onError ? { onError: settings.onError } : {}),
		};
		const workflow = new Workflow({
			id: 'wf',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: setup.nodeTypes,
		});
		const data = additionalData(store, CredentialClass, {
			executionId: 'exec-1',
			currentNodeParameters: undefined,
			executionTimeoutTimestamp: undefined,
		});
		const result = await execute(workflow, node, data, input);
		const taskData = result.data.resultData.runData[node.name]?.[0];
		return {
			items: taskData?.data?.main?.[0] ?? [],
			// With On Error "Continue (using error output)": the items n8n routed to the error output.
			errorOutput: taskData?.data?.main?.[1] ?? [],
			error: result.data.resultData.error,
			run: result,
		};
	}

	return { run };
}

/**
 * A polling trigger, activated on a workflow. `poll()` polls once; `restart()` gives a new Workflow from
 * the static data as stored (JSON), as after an n8n restart; `stored()` is the node's static data as stored.
 */
function createPoller({ NodeClass, CredentialClass, store, parameters }) {
	const { nodeTypes, node } = nodeSetup(NodeClass, {
		id: 'trigger',
		name: 'CyberArk Identity Trigger',
		parameters,
	});
	const pollers = new TriggersAndPollers();
	const data = additionalData(store, CredentialClass, { executionId: undefined });
	let stored = '{}';
	let workflow;
	const start = () => {
		workflow = new Workflow({
			id: 'wf',
			nodes: [{ ...node, parameters: { ...parameters } }],
			connections: {},
			active: true,
			nodeTypes,
			staticData: JSON.parse(stored),
		});
	};
	start();

	/**
	 * One poll. As n8n: the static data is saved when the poll returns items (n8n saves it when it
	 * starts the execution) or at activation; a poll that returns null leaves the stored copy as it was.
	 * @param {{ mode?: import('n8n-workflow').WorkflowExecuteMode, activation?: import('n8n-workflow').WorkflowActivateMode }} [options]
	 */
	async function poll({ mode = 'trigger', activation = 'update' } = {}) {
		const wfNode = workflow.getNode(node.name);
		const context = new PollContext(workflow, wfNode, data, mode, activation);
		const result = await pollers.runPollFunction(workflow, wfNode, context);
		if (mode !== 'manual' && (result !== null || activation === 'activate' || activation === 'init'))
			stored = JSON.stringify(workflow.staticData);
		return result === null ? null : result[0].map((item) => item.json);
	}

	return {
		poll,
		activate: () => poll({ activation: 'activate' }),
		restart: () => start(),
		stored: () => JSON.parse(stored)[`node:${node.name}`] ?? {},
		workflow: () => workflow,
	};
}

/** An engine for the built node and credential in dist/ (run `npm run build` first). */
function builtEngine() {
	const { CyberArkIdentity } = require(path.join(DIST, 'nodes/CyberArkIdentity/CyberArkIdentity.node.js'));
	const { CyberArkIdentityApi } = require(path.join(DIST, 'credentials/CyberArkIdentityApi.credentials.js'));
	return createEngine({ NodeClass: CyberArkIdentity, CredentialClass: CyberArkIdentityApi });
}

module.exports = { createEngine, createPoller, builtEngine, CredentialStore };
