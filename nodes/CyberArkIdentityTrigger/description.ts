import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ALL_EVENTS } from './eventQuery';

/**
 * The event types the trigger offers by name: only those a public source shows (docs/cyberark-api.md,
 * "Event table"). Others go into Other Event Types.
 */
const EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'All Events', value: ALL_EVENTS, description: 'Every event type' },
	{
		name: 'Application Launched',
		value: 'Cloud.Saas.Application.AppLaunch',
		description: 'A user opened an application from the user portal',
	},
	{
		name: 'Client Rejected',
		value: 'Cloud.Core.OAuthToken.InvalidClient',
		description: 'An OAuth client that is unknown or disabled asked for a token',
	},
	{ name: 'Failed Login', value: 'Cloud.Core.LoginFail', description: 'A login attempt failed' },
	{
		name: 'Impersonation Started',
		value: 'Cloud.Core.StartImpersonate',
		description: 'An administrator started acting as another user',
	},
	{ name: 'Login', value: 'Cloud.Core.Login', description: 'A user logged in' },
	{ name: 'Logout', value: 'Cloud.Core.Logout', description: 'A user logged out' },
	{
		name: 'MFA Summary',
		value: 'Cloud.Core.MfaSummary',
		description: 'The outcome of a multi-factor authentication',
	},
	{
		name: 'Token Issued',
		value: 'Cloud.Core.OAuthToken.Create',
		description: 'An OAuth access token was issued to a client',
	},
	// The node creator lists each as a trigger action, "On <action>"; without one it lowercases the name.
].map((option) => ({ ...option, action: `On ${option.name}` }));

/** Event names by CyberArk's event type, for the canvas subtitle. */
const EVENT_NAMES = Object.fromEntries(EVENT_OPTIONS.map((option) => [option.value, option.name]));

/**
 * The trigger's subtitle on the canvas: the chosen events by name ("Failed Login"), any other type
 * as CyberArk names it. A flat lookup table: the expression ends at the first `}}`.
 */
export const TRIGGER_SUBTITLE = `={{ [].concat($parameter["event"] || []).map((type) => (${JSON.stringify(EVENT_NAMES)})[type] || type).concat(String($parameter["customEventTypes"] || "").split(",").map((type) => type.trim()).filter((type) => type)).join(", ") }}`;

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"Checks the tenant's audit log for new events at every poll. Once the workflow is active, each new event starts it once, also after n8n restarts; events from before activation are not replayed. The credential's OAuth2 scope must allow Redrock/query.",
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
		options: EVENT_OPTIONS,
		default: ['Cloud.Core.LoginFail'],
	},
	{
		displayName: 'Other Event Types',
		name: 'customEventTypes',
		type: 'string',
		default: '',
		placeholder: 'Cloud.Core.Login.ServiceLogin',
		description:
			"Further CyberArk event type names, comma-separated. CyberArk publishes no list: look them up in the Admin Portal's reports, or run the trigger once with All Events.",
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
				description: 'Only events whose login name contains this text (% and _ are matched as typed)',
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
					'CyberArk logs some events minutes after they occur. Each poll reads this far back again for them; widen it if your tenant logs later still (each poll then re-reads more events).',
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
];
