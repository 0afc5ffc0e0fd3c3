'use strict';
// The tenant's audit log: Redrock's `Event` table (see docs/cyberark-api.md). The sandbox records
// events for what happens in it (token exchanges, user changes) and tests inject others through
// POST /__sandbox/events. An event is visible to queries from its WhenLogged on: CyberArk logs some
// events after they occur, so an event injected with an earlier WhenOccurred (or a later WhenLogged)
// is how a late-logged event is simulated.
//
// Event type names: the login, OAuth, MFA and impersonation names are the ones seen in Cortex XSOAR's
// collector; CyberArk publishes no list, so the user-change names below are the sandbox's own choice.

const { randomUUID } = require('node:crypto');
const { toDate } = require('./directory');

const USER_EVENTS = {
	create: 'Cloud.Core.UserCreate',
	change: 'Cloud.Core.UserChange',
	delete: 'Cloud.Core.UserDelete',
	state: 'Cloud.Core.UserStateChange',
	lock: 'Cloud.Core.UserCloudLock',
	password: 'Cloud.Core.UserPasswordReset',
};

const COLUMNS = [
	'ID',
	'EventType',
	'WhenOccurred',
	'WhenLogged',
	'Level',
	'NormalizedUser',
	'UserGuid',
	'FromIPAddress',
	'RequestHostName',
	'RequestDeviceOS',
	'RequestIsMobileDevice',
	'AuthMethod',
	'EntityName',
	'EntityType',
	'EntityUuid',
	'OldEntity',
	'NewEntity',
	'Tenant',
	'DirectoryServiceUuid',
	'ImpersonatorUuid',
	'FailureReason',
];

/** A time given as ms, an ISO string or `/Date(ms)/`; `fallback` when absent. */
function timeOf(value, fallback, field) {
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	const match = /^\/Date\((-?\d+)\)\/$/.exec(String(value));
	if (match) return Number(match[1]);
	const ms = Date.parse(String(value));
	if (!Number.isFinite(ms)) throw new Error(`${field} is not a time: ${value}`);
	return ms;
}

class EventLog {
	constructor({ tenant = 'SANDBOX1', now = () => Date.now() } = {}) {
		this.tenant = tenant;
		this.now = now;
		/** @type {Array<{row: Record<string, any>, occurredMs: number, loggedMs: number}>} in the order they were recorded */
		this.events = [];
	}

	/**
	 * Records one event. `event`: {type, user, userId, ip, occurredAt, loggedAt, level, ...} (times as ms,
	 * ISO or /Date(ms)/; loggedAt defaults to now, occurredAt to loggedAt); any other CyberArk column
	 * (e.g. AuthMethod) may be given by its own name.
	 */
	record(event) {
		if (!event || typeof event.type !== 'string' || !event.type) throw new Error('An event needs a type');
		const loggedMs = timeOf(event.loggedAt, this.now(), 'loggedAt');
		const occurredMs = timeOf(event.occurredAt, loggedMs, 'occurredAt');
		const row = Object.fromEntries(COLUMNS.map((c) => [c, null]));
		for (const [key, value] of Object.entries(event)) if (COLUMNS.includes(key)) row[key] = value;
		Object.assign(row, {
			ID: event.id ?? randomUUID(),
			EventType: event.type,
			WhenOccurred: toDate(occurredMs),
			WhenLogged: toDate(loggedMs),
			Level: event.level ?? (/Fail|Invalid/i.test(event.type) ? 'Warning' : 'Info'),
			NormalizedUser: event.user ?? null,
			UserGuid: event.userId ?? null,
			FromIPAddress: event.ip ?? null,
			Tenant: this.tenant,
		});
		this.events.push({ row, occurredMs, loggedMs });
		return row;
	}

	/** Rows of the Event table as a query made now sees them: only what is logged by now. */
	rows() {
		const now = this.now();
		return this.events.filter((e) => e.loggedMs <= now).map((e) => ({ ...e.row }));
	}
}

module.exports = { EventLog, USER_EVENTS, EVENT_COLUMNS: COLUMNS, timeOf };
