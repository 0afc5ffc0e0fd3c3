'use strict';
// The tenant's audit log: Redrock's `Event` table (see docs/cyberark-api.md, "Event table"). The sandbox
// records events for what happens in it (token exchanges, user changes) and tests inject others through
// POST /__sandbox/events. An event is visible to queries from its `visibleAt` on (by default its
// WhenLogged): CyberArk logs some events after they occur, so an event injected with an earlier
// WhenOccurred (or a later WhenLogged) is how a late-logged event is simulated, and a `visibleAt` after
// WhenLogged simulates a store that shows a row a moment after stamping it.
//
// Event type names: the login, OAuth, MFA and impersonation events carry the names public collectors
// show. CyberArk publishes no name for user changes, so the sandbox records those under names of its
// own, prefixed `Sandbox.`: nothing presents them as CyberArk's.

const { randomUUID } = require('node:crypto');
const { toDate } = require('./directory');

const USER_EVENTS = {
	create: 'Sandbox.UserCreated',
	change: 'Sandbox.UserChanged',
	delete: 'Sandbox.UserDeleted',
	state: 'Sandbox.UserStateChanged',
	lock: 'Sandbox.UserCloudLockChanged',
	password: 'Sandbox.UserPasswordReset',
};

/**
 * The Event table's columns: those Cortex XSOAR's CyberArk Identity collector selects (demisto/content,
 * Packs/CyberArkIdentity/Integrations/CyberArkIdentityEventCollector), which is the widest public list.
 * (It also selects `Id`, which this case-insensitive engine cannot tell from `ID`.) A query naming any
 * other column fails, as on a tenant.
 */
const TABLE_COLUMNS = `
	AffectedTenant Alias AppId ApplicationID ApplicationName ApplicationType AppName AuthMethod Changer
	ChangerUuid ClientAddress Cname ConnectorUuid DeleteReason Description DeviceID DeviceName
	DirectoryServicePartnerName DirectoryServiceUuid DSName DSType DSUuid EmailAddress EnrollProfileUser
	EntityName EntityType EntityUuid EventType Exception FailedMessage FailureReason From FromIPAddress
	HostAddress ID ImpersonateTargetName ImpersonateTargetUuid ImpersonatorUuid JobUniqueId Key Level
	LicenseType LocalAccountUuid MachineName MfaReason MfaResult MobileAppType NewEntity NewLicenseType
	NewState NormalizedUser ObjectName ObjectType OldEntity OldLicenseType OldState OU PreviousUserState
	ProfileName ProxyId ReplaceDomain RequestDeviceOS RequestHostName RequestIsMobileDevice Result Role
	RoleId Session SessionId SetPath SyncAction SyncActionReason SyncResult Target TargetUser
	TargetUserID Tenant Thumbprint To Type UserGuid UserName UserState Uuid Value WhenLogged WhenOccurred
`
	.trim()
	.split(/\s+/);
const IN_TABLE = new Set(TABLE_COLUMNS);

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
		/** @type {Array<{row: Record<string, any>, occurredMs: number, loggedMs: number, visibleMs: number}>} in the order recorded */
		this.events = [];
	}

	/**
	 * Records one event. `event`: {type, user, userId, ip, occurredAt, loggedAt, visibleAt, level, id, ...}
	 * (times as ms, ISO or /Date(ms)/; loggedAt defaults to now, occurredAt to loggedAt, visibleAt to
	 * loggedAt); any other column of the table (e.g. AuthMethod) may be given by its own name.
	 */
	record(event) {
		if (!event || typeof event.type !== 'string' || !event.type) throw new Error('An event needs a type');
		const loggedMs = timeOf(event.loggedAt, this.now(), 'loggedAt');
		const occurredMs = timeOf(event.occurredAt, loggedMs, 'occurredAt');
		const visibleMs = timeOf(event.visibleAt, loggedMs, 'visibleAt');
		const row = Object.fromEntries(TABLE_COLUMNS.map((c) => [c, null]));
		for (const [key, value] of Object.entries(event)) if (IN_TABLE.has(key)) row[key] = value;
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
		this.events.push({ row, occurredMs, loggedMs, visibleMs });
		return row;
	}

	/** Rows of the Event table as a query made now sees them: only those visible by now (not copies: read only). */
	rows() {
		const now = this.now();
		return this.events.filter((e) => e.visibleMs <= now).map((e) => e.row);
	}
}

module.exports = { EventLog, USER_EVENTS, TABLE_COLUMNS, timeOf };
