import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_TYPE, CyberArkClient } from '../shared/transport/client';
import { toNodeError } from '../shared/transport/errors';
import { ALL_EVENTS, eventConditions } from '../shared/redrock';
import { eventSource, POLL_RETRY, POLL_TIMEOUT_MS, simplifyEvent } from './events';
import type { WindowSettings } from './watermark';
import { DEFAULT_MAX_SEEN, eventRef, pollWindow, readCursor, seed } from './watermark';

/** Key of the trigger's place in the workflow's static data. */
export const CURSOR_KEY = 'eventCursor';
const PAGE_SIZE = 200;
const MANUAL_SAMPLE = 5;
/** Poll budget when n8n does not say (n8n 1.x): stop reading pages after half of it. */
const DEFAULT_POLL_BUDGET_MS = 2 * 60_000;

function settingsOf(this: IPollFunctions): WindowSettings {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const overlapMinutes = Number(options.overlapMinutes ?? 5);
	const maxEvents = Number(options.maxEvents ?? 500);
	const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : DEFAULT_POLL_BUDGET_MS;
	return {
		overlapMs: Math.min(Math.max(Number.isFinite(overlapMinutes) ? overlapMinutes : 5, 1), 1440) * 60_000,
		maxEvents: Math.min(Math.max(Number.isFinite(maxEvents) ? Math.floor(maxEvents) : 500, 1), 5000),
		pageSize: PAGE_SIZE,
		maxSeen: DEFAULT_MAX_SEEN,
		deadline: Date.now() + budget / 2,
	};
}

export class CyberArkIdentityTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CyberArk Identity Trigger',
		name: 'cyberArkIdentityTrigger',
		icon: { light: 'file:../../icons/cyberark.svg', dark: 'file:../../icons/cyberark.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"].join(", ")}}',
		description:
			'Starts a workflow on CyberArk Identity audit events: failed logins, MFA, OAuth tokens and more',
		defaults: { name: 'CyberArk Identity Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName:
					'Reads the tenant\'s audit log (Redrock "Event" table) at every poll. Starts with the events after activation; each event is emitted once, oldest first, also across restarts. The scope needs the REST regex Redrock/query.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'event',
				type: 'multiOptions',
				required: true,
				description:
					"The audit events that start the workflow. The values are CyberArk's event type names, e.g. Cloud.Core.LoginFail.",
				options: [
					{ name: 'All Events', value: ALL_EVENTS, description: 'Every event type' },
					{
						name: 'Client Rejected',
						value: 'Cloud.Core.OAuthToken.InvalidClient',
						description: 'An OAuth client that is unknown or disabled asked for a token',
					},
					{ name: 'Failed Login', value: 'Cloud.Core.LoginFail' },
					{ name: 'Impersonation Started', value: 'Cloud.Core.StartImpersonate' },
					{ name: 'Login', value: 'Cloud.Core.Login' },
					{ name: 'Logout', value: 'Cloud.Core.Logout' },
					{ name: 'MFA Summary', value: 'Cloud.Core.MfaSummary' },
					{
						name: 'Token Issued',
						value: 'Cloud.Core.OAuthToken.Create',
						description: 'An OAuth access token was issued to a client',
					},
				],
				default: ['Cloud.Core.LoginFail'],
			},
			{
				displayName: 'Other Event Types',
				name: 'customEventTypes',
				type: 'string',
				default: '',
				placeholder: 'Cloud.Core.UserChange, Cloud.Core.Saml.Login',
				description: 'Further CyberArk event type names, comma-separated',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Source IP',
						name: 'sourceIp',
						type: 'string',
						default: '',
						placeholder: '203.0.113.7',
						description: 'Only events from this IP address',
					},
					{
						displayName: 'User Contains',
						name: 'userContains',
						type: 'string',
						default: '',
						placeholder: '@acme.example',
						description: 'Only events whose login name contains this text',
					},
					{
						displayName: 'User Is',
						name: 'userEquals',
						type: 'string',
						default: '',
						placeholder: 'jane.doe@acme.example',
						description: 'Only events of this login name',
					},
				],
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description:
					"Whether to return a flat record per event (ISO 8601 times, readable names) instead of CyberArk's raw row",
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Late Event Window (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1440 },
						default: 5,
						description:
							'CyberArk logs some events minutes after they occur. Each poll looks back this far for events logged late; widen it if your tenant logs later still.',
					},
					{
						displayName: 'Max Events per Poll',
						name: 'maxEvents',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 5000 },
						default: 500,
						description:
							'Events emitted by one poll at most; a larger burst is read page by page, oldest first, and the rest comes with the next poll',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const simplify = this.getNodeParameter('simplify', true) as boolean;
		let conditions: string;
		try {
			conditions = eventConditions({
				types: (this.getNodeParameter('event', []) as unknown[]) ?? [],
				customEventTypes: this.getNodeParameter('customEventTypes', '') as string,
				userContains: filters.userContains,
				userEquals: filters.userEquals,
				sourceIp: filters.sourceIp,
			});
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		}
		const client = await CyberArkClient.open(this, { timeoutMs: POLL_TIMEOUT_MS, retry: POLL_RETRY });
		const source = eventSource(client, conditions);
		const output = (rows: IDataObject[]) => [
			rows.map((row) => ({ json: simplify ? simplifyEvent(row) : row })),
		];

		if (this.getMode() === 'manual') {
			// A test run shows the latest matching events to map fields from, and keeps the trigger's place.
			const { rows } = await source.newest(1, MANUAL_SAMPLE, true);
			return rows.length ? output(rows.reverse()) : null;
		}

		const settings = settingsOf.call(this);
		const staticData = this.getWorkflowStaticData('node');
		const cursor = readCursor(staticData[CURSOR_KEY], conditions);
		if (!cursor) {
			staticData[CURSOR_KEY] = (await seed(source, conditions, settings, eventRef)) as unknown as IDataObject;
			return null;
		}
		const result = await pollWindow(cursor, source, settings, eventRef);
		if (!result) return null;
		// n8n keeps the new place with the execution it starts from these events.
		staticData[CURSOR_KEY] = result.cursor as unknown as IDataObject;
		return output(result.events);
	}
}
