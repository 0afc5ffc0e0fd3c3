import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE, CyberArkClient } from '../shared/transport/client';
import { toNodeError } from '../shared/transport/errors';
import type { CursorSettings } from './cursor';
import { cursorKey, eventRef, readCursor } from './cursor';
import { TRIGGER_SUBTITLE, triggerProperties } from './description';
import { eventConditions, newestScript } from './eventQuery';
import { eventSource, POLL_RETRY, POLL_TIMEOUT_MS, redrockRunner, simplifyEvent } from './events';
import type { PollWarning } from './pollEvents';
import { pollEvents, seedCursor } from './pollEvents';

/** Key of the trigger's place in the workflow's static data. */
export const CURSOR_KEY = 'eventCursor';
const MANUAL_SAMPLE = 5;
/** Poll budget when n8n does not say (n8n 1.x): stop reading pages after half of it. */
const DEFAULT_POLL_BUDGET_MS = 2 * 60_000;

/** How the trigger reads (README, "Trigger"): fixed, except the two options. */
export const READING = {
	pageSize: 200,
	scanPageSize: 1000,
	maxScanPages: 50,
	settleMs: 60_000,
	maxRecent: 100,
};

function settingsOf(this: IPollFunctions): CursorSettings {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const minutes = Number(options.overlapMinutes ?? 5);
	const maxEvents = Number(options.maxEvents ?? 500);
	const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : DEFAULT_POLL_BUDGET_MS;
	return {
		...READING,
		windowMs: Math.min(Math.max(Number.isFinite(minutes) ? minutes : 5, 1), 1440) * 60_000,
		maxEvents: Math.min(Math.max(Number.isFinite(maxEvents) ? Math.floor(maxEvents) : 500, 1), 5000),
		deadline: Date.now() + budget / 2,
		now: () => Date.now(),
	};
}

const iso = (ms: number) => new Date(Math.max(ms, 0)).toISOString();

/** What a warning of the poll tells the workflow's owner. */
export function warningText(warning: PollWarning): string {
	if (warning.kind === 'window')
		return (
			`The Late Event Window could not be re-read whole in this poll (${warning.pages} pages): events logged late ` +
			`that occurred between ${iso(warning.windowFromMs)} and ${iso(warning.fromMs)} were not looked for and will ` +
			'not be emitted. Narrow the filters or the Late Event Window.'
		);
	return (
		`${warning.count} events logged in the same millisecond (${iso(warning.loggedMs)}) were found late, more ` +
		'than Max Events per Poll: they are emitted together, since the trigger can only split late events between ' +
		'milliseconds of logging.'
	);
}

type Reporter = Pick<IPollFunctions, 'logger' | 'getNode' | 'getWorkflow'> & {
	addExecutionHints?: (...hints: NodeExecutionHint[]) => void;
};

/**
 * Says so in n8n's log, as n8n's own Gmail Trigger does, and as execution hints where n8n lets a poll
 * add them (n8n 2.41's poll context cannot: a poll's output starts the execution without hints).
 */
export function reportWarnings(context: Reporter, warnings: PollWarning[]) {
	for (const warning of warnings) {
		const message = warningText(warning);
		context.logger.warn(`CyberArk Identity Trigger: ${message}`, {
			node: context.getNode().name,
			workflowId: context.getWorkflow().id,
		});
		context.addExecutionHints?.({ message, type: 'warning', location: 'outputPane' });
	}
}

/**
 * A test fetch that finds nothing says how to make an event, rather than n8n's generic "no data"
 * (which offers to create one in CyberArk Identity).
 */
export function noTestEvent(context: Pick<IPollFunctions, 'getNode'>): NodeOperationError {
	return new NodeOperationError(context.getNode(), 'No matching audit event in the tenant yet', {
		description:
			"Fetch Test Event shows the newest events of the chosen types and filters. To make one, e.g. for Failed Login: sign in to the tenant's user portal with a wrong password, then fetch again; for Login, sign in. The audit log can take a minute to show an event. Or choose All Events to see any recent event.",
	});
}

export class CyberArkIdentityTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CyberArk Identity Trigger',
		name: 'cyberArkIdentityTrigger',
		icon: { light: 'file:../../icons/cyberark.svg', dark: 'file:../../icons/cyberark.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: TRIGGER_SUBTITLE,
		// n8n's node creator shows one entry for the node and its trigger, with the trigger's description.
		description:
			'Manage CyberArk Identity users and roles, sync them from HR, and start workflows on audit events such as failed logins',
		defaults: { name: 'CyberArk Identity Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: triggerProperties,
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
		const run = redrockRunner(client);
		const output = (rows: IDataObject[]) => [
			rows.map((row) => ({ json: simplify ? simplifyEvent(row) : row })),
		];

		if (this.getMode() === 'manual') {
			// A test run shows the latest matching events to map fields from, and keeps the trigger's place.
			const rows = await run(newestScript(conditions), 1, MANUAL_SAMPLE);
			if (rows.length === 0) throw noTestEvent(this);
			return output(rows.reverse());
		}

		const settings = settingsOf.call(this);
		const source = eventSource(run, conditions);
		const key = cursorKey(conditions);
		const staticData = this.getWorkflowStaticData('node');
		const cursor = readCursor(staticData[CURSOR_KEY], key);
		if (!cursor) {
			staticData[CURSOR_KEY] = (await seedCursor(source, key, settings, eventRef)) as unknown as IDataObject;
			return null;
		}
		const result = await pollEvents(cursor, source, settings, eventRef);
		reportWarnings(this, result.warnings);
		// n8n keeps the new cursor with the execution these events start (and, in n8n 2.x, after a poll
		// that emits nothing; keeping the old one then is as correct).
		staticData[CURSOR_KEY] = result.cursor as unknown as IDataObject;
		return result.events.length ? output(result.events) : null;
	}
}
