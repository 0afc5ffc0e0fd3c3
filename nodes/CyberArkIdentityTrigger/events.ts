import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { eventsAfterScript, newestEventsScript } from '../CyberArkIdentity/query';
import type { RetryPolicy } from '../CyberArkIdentity/transport';
import { cyberArkRequest } from '../CyberArkIdentity/transport';
import type { EventSource, Page } from './watermark';
import { cyberArkTime } from './watermark';

/**
 * Retries within one poll stay short: the next poll comes anyway, and the watermark only moves
 * when events are emitted, so a failed poll loses nothing.
 */
export const POLL_RETRY: RetryPolicy = { maxAttempts: 3, maxRateLimitedAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 30_000 };

interface RedrockResult {
	FullCount?: number;
	Results?: Array<{ Row?: IDataObject }>;
}

/** One page (1-based) of a Redrock query over the Event table: the one call the trigger makes. */
export async function fetchEventPage(this: IPollFunctions, script: string, page: number, pageSize: number): Promise<Page<IDataObject>> {
	const result = (await cyberArkRequest.call(
		this,
		{ path: '/Redrock/query', body: { Script: script, Args: { PageNumber: page, PageSize: pageSize, Limit: 0, Caching: -1 } }, idempotent: true },
		undefined,
		POLL_RETRY,
	)) as RedrockResult | null;
	const rows = (result?.Results ?? []).map((r) => r.Row ?? {});
	return { rows, fullCount: Number(result?.FullCount ?? rows.length) };
}

/** The tenant's Event table, filtered by the trigger's conditions (already checked and quoted). */
export function eventSource(context: IPollFunctions, conditions: string): EventSource<IDataObject> {
	return {
		after: async (afterMs, page, pageSize) => await fetchEventPage.call(context, eventsAfterScript(conditions, afterMs), page, pageSize),
		newest: async (page, pageSize, filtered) => await fetchEventPage.call(context, newestEventsScript(filtered ? conditions : ''), page, pageSize),
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
		mobileDevice: mobile === undefined || mobile === null ? null : mobile === true || String(mobile).toLowerCase() === 'true',
		entityName: value(row, 'EntityName'),
		entityType: value(row, 'EntityType'),
		entityId: value(row, 'EntityUuid'),
		impersonatorId: value(row, 'ImpersonatorUuid'),
		directoryServiceId: value(row, 'DirectoryServiceUuid'),
		tenant: value(row, 'Tenant'),
	};
}
