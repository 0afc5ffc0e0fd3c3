'use strict';
// Runs a polling trigger node as n8n does: n8n-core's PollContext (request helpers, credentials through
// the credentials helper of engine.js, with its pre-authentication) and TriggersAndPollers.runPollFunction,
// on a Workflow whose static data is kept as n8n keeps it. `restart()` gives a new Workflow from the static
// data as stored (JSON), as after an n8n restart. Used by the trigger's engine tests.
require('reflect-metadata');
const { PollContext, TriggersAndPollers } = require('n8n-core');
const { Workflow } = require('n8n-workflow');
const { CredentialsHelper, CREDENTIAL_TYPE } = require('.');

function createPoller({ NodeClass, CredentialClass, store, parameters, nodeType: typeName }) {
	const nodeType = new NodeClass();
	const credentialType = new CredentialClass();
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node = {
		id: 'trigger',
		name: 'CyberArk Identity Trigger',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'CyberArk' } },
	};
	const pollers = new TriggersAndPollers();
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
	const additionalData = {
		credentialsHelper: new CredentialsHelper(store, credentialType),
		executionId: undefined,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		variables: {},
		userId: 'user-1',
		setExecutionStatus: () => {},
		logAiEvent: () => {},
	};

	/**
	 * One poll. As n8n: the static data is saved when the poll returns items (n8n saves it when it
	 * starts the execution) or at activation; a poll that returns null leaves the stored copy as it was.
	 */
	async function poll({ mode = 'trigger', activation = 'update' } = {}) {
		const wfNode = workflow.getNode(node.name);
		const context = new PollContext(workflow, wfNode, additionalData, mode, activation);
		const result = await pollers.runPollFunction(workflow, wfNode, context);
		if (mode !== 'manual' && (result !== null || activation === 'activate' || activation === 'init'))
			stored = JSON.stringify(workflow.staticData);
		return result === null ? null : result[0].map((item) => item.json);
	}

	return {
		poll,
		activate: () => poll({ activation: 'activate' }),
		restart: () => start(),
		/** The node's static data as stored. */
		stored: () => JSON.parse(stored)[`node:${node.name}`] ?? {},
		workflow: () => workflow,
	};
}

module.exports = { createPoller };
