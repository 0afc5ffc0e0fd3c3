import type { IDataObject } from 'n8n-workflow';

import type { CyberArkClient } from '../shared/transport/client';
import { eventsAfterScript, newestEventsScript, queryPage } from '../shared/redrock';
import type { RetryPolicy } from '../shared/transport/retry';
import type { EventSource } from './watermark';
import { cyberArkTime } from './watermark';

/**
 * Retries within one poll stay short: the next poll comes anyway, and the watermark only moves
 * when events are emitted, so a failed poll loses nothing.
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

/** The tenant's Event table, filtered by the trigger's conditions (already checked and quoted). */
export function eventSource(client: CyberArkClient, conditions: string): EventSource<IDataObject> {
	return {
		after: async (afterMs, page, pageSize) =>
			await queryPage(client, eventsAfterScript(conditions, afterMs), page, pageSize),
		newest: async (page, pageSize, filtered) =>
			await queryPage(client, newestEventsScript(filtered ? conditions : ''), page, pageSize),
	};
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
