import type { IDataObject } from 'n8n-workflow';

import { cyberArkTime } from '../shared/dates';
import { queryPage } from '../shared/redrock';
import type { CyberArkClient } from '../shared/transport/client';
import type { RetryPolicy } from '../shared/transport/retry';
import { backwardScript, forwardScript, millisecondScript, newestScript } from './eventQuery';
import type { EventSource } from './reading';

/**
 * Retries within one poll stay short: the next poll comes anyway, and the cursor only changes when
 * a poll succeeds, so a failed poll loses nothing.
 */
export const POLL_RETRY: RetryPolicy = {
	maxAttempts: 3,
	maxRateLimitedAttempts: 4,
	rateLimitPatienceMs: 20_000,
	baseDelayMs: 500,
	maxDelayMs: 10_000,
};

/** How long one Redrock page may take within a poll. */
export const POLL_TIMEOUT_MS = 30_000;

/** Runs one page of a Redrock script over the Event table and gives its rows. */
export type RunScript = (script: string, page: number, pageSize: number) => Promise<IDataObject[]>;

/** The Event table filtered by the trigger's conditions (already checked and quoted), read through `run`. */
export function eventSource(run: RunScript, conditions: string): EventSource<IDataObject> {
	return {
		forward: async (after, pageSize) => await run(forwardScript(conditions, after), 1, pageSize),
		backward: async (fromMs, upTo, pageSize) =>
			await run(backwardScript(conditions, fromMs, upTo), 1, pageSize),
		millisecond: async (ms, ids, page, pageSize) =>
			await run(millisecondScript(conditions, ms, ids), page, pageSize),
		newest: async (pageSize) => await run(newestScript(''), 1, pageSize),
	};
}

/** `run` for a tenant: Redrock through the poll's client. */
export function redrockRunner(client: CyberArkClient): RunScript {
	return async (script, page, pageSize) => (await queryPage(client, script, page, pageSize)).rows;
}

function iso(value: unknown): string | null {
	const ms = cyberArkTime(value);
	return ms === undefined ? null : new Date(ms).toISOString();
}

function value(row: IDataObject, key: string): IDataObject[string] {
	return row[key] === undefined ? null : row[key];
}

/** One event as the trigger outputs it with Simplify on: flat, readable names, ISO 8601 times. */
export function simplifyEvent(row: IDataObject): IDataObject {
	const mobile = row.RequestIsMobileDevice;
	return {
		id: value(row, 'ID'),
		type: value(row, 'EventType'),
		occurredAt: iso(row.WhenOccurred),
		loggedAt: iso(row.WhenLogged),
		user: value(row, 'NormalizedUser'),
		userId: value(row, 'UserGuid'),
		sourceIp: value(row, 'FromIPAddress'),
		level: value(row, 'Level'),
		authMethod: value(row, 'AuthMethod'),
		application: value(row, 'ApplicationName'),
		hostName: value(row, 'RequestHostName'),
		deviceOs: value(row, 'RequestDeviceOS'),
		mobileDevice:
			mobile === undefined || mobile === null
				? null
				: mobile === true || String(mobile).toLowerCase() === 'true',
		entityName: value(row, 'EntityName'),
		entityType: value(row, 'EntityType'),
		entityId: value(row, 'EntityUuid'),
		impersonatorId: value(row, 'ImpersonatorUuid'),
		directoryServiceId: value(row, 'DirectoryServiceUuid'),
		tenant: value(row, 'Tenant'),
	};
}
