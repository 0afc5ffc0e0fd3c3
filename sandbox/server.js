'use strict';
// The sandbox tenant: a local HTTP server that answers like a CyberArk Identity tenant
// (see docs/cyberark-api.md): form-encoded OAuth2 token endpoint with Basic client auth,
// HTTP 401 with an HTML body for a missing/expired bearer, and HTTP 200 envelopes with
// success:false for business errors. Knobs and counters serve tests, the demo and benchmarks.

const http = require('node:http');
const { randomBytes, randomUUID } = require('node:crypto');
const { Directory, Failure } = require('./directory');
const { runQuery, listAnswer } = require('./redrock');
const { RateLimiter, DOCUMENTED_LIMITS } = require('./limits');
const { EventLog, USER_EVENTS } = require('./events');
const { Lifecycle } = require('./lifecycle');

const DEFAULTS = {
	appId: 'n8n-provisioning',
	clientId: 'n8n-client@example.com',
	clientSecret: 'Sandbox-Client-Secret-1',
	username: 'provisioner@example.com',
	password: 'Sandbox-Owner-Password-1',
	mfaUsername: 'mfa.admin@example.com',
	scope: 'n8n',
	suffixes: ['example.com', 'acme.test'],
};

const DEFAULT_ROLES = [
	{ Name: 'Engineering', Description: 'Engineering department' },
	{ Name: 'Finance', Description: 'Finance department' },
	{ Name: 'Sales', Description: 'Sales department' },
	{ Name: 'HR Sync', Description: 'Users managed by the nightly HR sync (examples/hr-sync.json)' },
];

const UNAUTHORIZED_HTML =
	'<!DOCTYPE html>\n<html><head><title>401 - Unauthorized</title></head>' +
	'<body><h1>401 - Unauthorized: Access is denied due to invalid credentials.</h1></body></html>';

const KNOB_DEFAULTS = {
	latencyMs: 0,
	tokenLifetimeSeconds: 18000,
	status429Every: 0,
	retryAfterSeconds: 1,
	status503Every: 0,
	status502Every: 0,
	malformedEvery: 0,
	hangEvery: 0,
	expireTokensEvery: 0,
	// Tokens, by the order they were issued (1 = the first), revoked on their first use: that call is
	// answered 401, as when an administrator signs the service user out at that instant.
	revokeOnFirstUse: /** @type {number[]} */ ([]),
	tokenDownUntil: 0,
	issueRefreshTokens: false,
	faultPath: '',
	// A front door that redirects: requests whose lower-case path starts with one of these prefixes are
	// answered with redirectStatus and `Location: <redirectTo><path>`, before anything else reads them.
	redirectPaths: /** @type {string[]} */ ([]),
	redirectStatus: 307,
	redirectTo: '',
	// The OAuth2 app's scope: null allows every endpoint; a list of REST regexes (as in the Admin
	// Portal's Scope tab) refuses a valid token, with 401 and an HTML body, for any path none matches.
	scopeRestRegexes: /** @type {string[] | null} */ (null),
	// Two things no public source settles, for tests of a tenant that answers the other way: what
	// Redrock's User.Status reads for a user who is disabled, locked or expired (a documented value:
	// Suspended, or Active, Invited, Created), and whether Redrock compares text ignoring case in `=` and
	// `IN (…)` (false: it does).
	statusWhenNotActive: 'Suspended',
	redrockCaseSensitive: false,
};

/** The CyberArk Identity API credential fields that log in to a sandbox at `url` with this tenant config. */
function credentialsFor(url, config = DEFAULTS) {
	return {
		tenantUrl: url,
		appId: config.appId,
		grantType: 'password',
		clientId: config.clientId,
		clientSecret: config.clientSecret,
		username: config.username,
		password: config.password,
		scope: config.scope,
		ignoreSslIssues: false,
		accessToken: '',
	};
}

/** @param {unknown} result @param {string | null} [message] */
function envelope(result, message = null) {
	return {
		success: message === null,
		Result: message === null ? result : null,
		Message: message,
		MessageID: null,
		Exception: null,
		ErrorID: message === null ? null : `${randomUUID().slice(0, 8)}:${Date.now()}`,
		ErrorCode: null,
		IsSoftError: false,
		InnerExceptions: null,
	};
}

function parseBasic(header) {
	const match = /^Basic\s+(.+)$/i.exec(header ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Paths that change a user, and the audit event each records. */
const USER_CHANGES = {
	'/cdirectoryservice/createuser': USER_EVENTS.create,
	'/cdirectoryservice/changeuser': USER_EVENTS.change,
	'/cdirectoryservice/deleteuser': USER_EVENTS.delete,
	'/cdirectoryservice/setuserstate': USER_EVENTS.state,
	'/usermgmt/setcloudlock': USER_EVENTS.lock,
	'/usermgmt/resetuserpassword': USER_EVENTS.password,
};

/**
 * A query-string parameter by name in any case: public clients spell them differently (SetCloudLock's
 * `lockuser` in IdentityCommand, `lockUser` in CyberArk's demo scripts; `ID` and `id`).
 */
function param(url, name) {
	for (const [key, value] of url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
	return null;
}

/** The caller's address: X-Forwarded-For when a proxy (or a test) sets it, else the socket's. */
function clientIp(req) {
	const forwarded = String(req.headers['x-forwarded-for'] ?? '')
		.split(',')[0]
		.trim();
	return forwarded || req.socket.remoteAddress?.replace(/^::ffff:/, '') || null;
}

function newToken() {
	const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
	return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ jti: randomUUID() })}.${randomBytes(24).toString('base64url')}`;
}

/**
 * What the sandbox counted since the last reset.
 * @typedef {object} Counters
 * @property {number} tokenRequests
 * @property {number} tokensIssued
 * @property {number} managementRequests
 * @property {number} unauthorized
 * @property {number} rateLimited management requests refused with 429 by the documented limits
 * @property {number} eventQueries Redrock queries of the Event table
 * @property {Record<string, number>} calls management requests per lower-case path
 * @property {Record<string, number>} faults injected faults per kind
 */

/** @returns {Counters} */
function newCounters() {
	return {
		tokenRequests: 0,
		tokensIssued: 0,
		managementRequests: 0,
		unauthorized: 0,
		rateLimited: 0,
		eventQueries: 0,
		calls: {},
		faults: {},
	};
}

class Sandbox {
	constructor(options = {}) {
		this.config = { ...DEFAULTS, ...options.tenant };
		/** The sandbox's address once started, e.g. http://127.0.0.1:4010. */
		this.url = '';
		this.knobs = { ...KNOB_DEFAULTS, ...options.knobs };
		// CyberArk's documented rate limits; off unless asked for (npm start and the demo turn them on).
		this.limiter = new RateLimiter({ enabled: false, ...options.rateLimits });
		this.directory = new Directory({ suffixes: this.config.suffixes, roles: options.roles ?? DEFAULT_ROLES });
		this.owner = this.directory.addAccount({
			Name: this.config.username,
			Password: this.config.password,
			DisplayName: 'n8n Provisioning',
		});
		// The resource owner holds the administrative rights the calls need, through a role.
		this.directory.roles.get('sysadmin')?.members.add(this.owner.Uuid);
		this.directory.addAccount({
			Name: this.config.mfaUsername,
			Password: this.config.password,
			mfaRequired: true,
		});
		this.clientUser = this.directory.addAccount({
			Name: this.config.clientId,
			Password: this.config.clientSecret,
		});
		/** @type {Map<string, {subject: object, expiresAt: number, scope: string, number: number, used: boolean}>} */
		this.tokens = new Map();
		this.refreshTokens = new Map();
		/** Invitations, MFA exemption, extended attributes, role renames, a role's apps (sandbox/lifecycle.js). */
		this.lifecycle = new Lifecycle(this.directory, options.lifecycle);
		/** @type {Record<string, number>} */
		this.faultCounts = {};
		this.counters = newCounters();
		/** @type {Array<{at: number, path: string, status: number}>} the latest management requests, for tests */
		this.requestLog = [];
		/** The audit log, Redrock's Event table (sandbox/events.js). */
		this.events = new EventLog();
		/** What workflows posted to /__sandbox/sink. */
		this.sink = [];
		/** @type {string[]} the users signed out everywhere, in order (SignOutEverywhere) */
		this.signOuts = [];
		this.sockets = new Set();
		this.server = http.createServer((req, res) => this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	resetCounters() {
		this.faultCounts = {};
		this.counters = newCounters();
		this.requestLog = [];
	}

	async start(port = 0, host = '127.0.0.1') {
		await /** @type {Promise<void>} */ (
			new Promise((resolve, reject) => {
				this.server.once('error', reject);
				this.server.listen(port, host, () => resolve());
			})
		);
		const address = /** @type {import('node:net').AddressInfo} */ (this.server.address());
		this.url = `http://${host}:${address.port}`;
		return this;
	}

	async close() {
		for (const socket of this.sockets) socket.destroy();
		await /** @type {Promise<void>} */ (new Promise((resolve) => this.server.close(() => resolve())));
	}

	/** The credential fields that log in to this sandbox. */
	credentials(overrides = {}) {
		return { ...credentialsFor(this.url, this.config), ...overrides };
	}

	expireTokens() {
		for (const token of this.tokens.values()) token.expiresAt = 0;
	}

	count(name) {
		this.counters.calls[name] = (this.counters.calls[name] ?? 0) + 1;
	}

	fault(name) {
		this.counters.faults[name] = (this.counters.faults[name] ?? 0) + 1;
	}

	state() {
		return {
			url: this.url,
			knobs: this.knobs,
			rateLimits: this.limiter.limits,
			counters: this.counters,
			users: [...this.directory.users.values()].map((u) => this.directory.view(u)),
			roles: [...this.directory.roles.values()].map((r) => ({
				ID: r.ID,
				Name: r.Name,
				Description: r.Description,
				members: [...r.members],
			})),
			events: this.events.events.length,
			signOuts: this.signOuts,
		};
	}

	async handle(req, res) {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const raw = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url, 'http://sandbox');
		const path = url.pathname.toLowerCase().replace(/\/+$/, '');
		const send = (status, body, headers = {}) => {
			const text = typeof body === 'string' ? body : JSON.stringify(body);
			const type =
				typeof body === 'string' && body.startsWith('<') ? 'text/html' : 'application/json; charset=utf-8';
			res.writeHead(status, { 'Content-Type': type, ...headers });
			res.end(text);
		};

		if (path.startsWith('/__sandbox')) return this.control(req, path, raw, send);
		const redirect = this.redirectFor(path, url);
		if (redirect) return send(this.knobs.redirectStatus, '<html><body>Moved</body></html>', redirect);
		if (this.knobs.latencyMs > 0) await new Promise((r) => setTimeout(r, this.knobs.latencyMs));
		if (req.method !== 'POST') return send(405, '<html><body>405 - Method Not Allowed</body></html>');
		if (path.startsWith('/oauth2/token/'))
			return this.token(req, decodeURIComponent(url.pathname.split('/')[3] ?? ''), raw, send);
		if (path.startsWith('/oauth2/revoke/')) return this.revoke(raw, send);
		return this.management(req, path, url, raw, send);
	}

	control(req, path, raw, send) {
		if (path === '/__sandbox/state') return send(200, this.state());
		if (path === '/__sandbox/events' && req.method === 'GET')
			return send(
				200,
				this.events.events.map((e) => e.row),
			);
		// A stand-in for Slack or a ticket system: workflows (the trigger's end-to-end test) post here.
		if (path === '/__sandbox/sink' && req.method === 'GET') return send(200, this.sink);
		if (path === '/__sandbox/sink' && req.method === 'POST') {
			this.sink.push(JSON.parse(raw || 'null'));
			return send(200, { received: this.sink.length });
		}
		if (path === '/__sandbox/events' && req.method === 'POST') {
			// Inject events: one object or a list of {type, user, userId, ip, occurredAt, loggedAt, level, <column>: value}.
			const body = JSON.parse(raw || '[]');
			try {
				return send(
					200,
					(Array.isArray(body) ? body : [body]).map((e) => this.events.record(e)),
				);
			} catch (error) {
				return send(400, { error: /** @type {Error} */ (error).message });
			}
		}
		if (req.method !== 'POST') return send(405, { error: 'POST only' });
		if (path === '/__sandbox/knobs') {
			Object.assign(this.knobs, JSON.parse(raw || '{}'));
			return send(200, this.knobs);
		}
		if (path === '/__sandbox/expire-tokens') {
			this.expireTokens();
			return send(200, { expired: this.tokens.size });
		}
		if (path === '/__sandbox/rate-limits') {
			this.limiter.configure(JSON.parse(raw || '{}'));
			return send(200, this.limiter.limits);
		}
		if (path === '/__sandbox/reset-counters') {
			this.resetCounters();
			return send(200, this.counters);
		}
		return send(404, { error: 'unknown control path' });
	}

	/** Ends every session of a user: the tokens issued to them stop working. Tests read `signOuts`. */
	signOut(user) {
		this.signOuts.push(user.Uuid);
		for (const [token, session] of this.tokens) if (session.subject === user) this.tokens.delete(token);
		for (const [token, entry] of this.refreshTokens)
			if (entry.subject === user) this.refreshTokens.delete(token);
	}

	token(req, appId, raw, send) {
		this.counters.tokenRequests++;
		const ip = clientIp(req);
		const oauthError = (status, error, description) =>
			send(status, { error, error_description: description });
		if (Date.now() < this.knobs.tokenDownUntil) {
			this.fault('tokenDown');
			return send(503, '<html><body><h1>503 Service Unavailable</h1></body></html>');
		}
		if (appId.toLowerCase() !== this.config.appId.toLowerCase()) {
			return send(404, '<html><body><h1>404 - File or directory not found.</h1></body></html>');
		}
		if (!/^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
			return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
		}
		const form = new URLSearchParams(raw);
		const basic = parseBasic(req.headers.authorization);
		const client = basic ?? { id: form.get('client_id'), secret: form.get('client_secret') };
		const grant = form.get('grant_type');
		if (basic === undefined && grant === 'password')
			return oauthError(401, 'invalid_client', 'Client authentication failed.');
		if (
			client.id?.toLowerCase() !== this.config.clientId.toLowerCase() ||
			client.secret !== this.config.clientSecret
		) {
			this.events.record({
				type: 'Cloud.Core.OAuthToken.InvalidClient',
				user: client.id ?? null,
				ip,
				AuthMethod: 'OAuth2',
				FailureReason: 'Client authentication failed.',
			});
			return oauthError(401, 'invalid_client', 'Client authentication failed.');
		}
		const scope = form.get('scope') || this.config.scope;
		if (scope !== this.config.scope)
			return oauthError(400, 'invalid_scope', `Scope ${scope} is not defined for this application.`);

		let subject;
		if (grant === 'password') {
			const user = this.directory.findByName(form.get('username'));
			if (!user || user.password !== form.get('password')) {
				this.events.record({
					type: 'Cloud.Core.LoginFail',
					user: form.get('username'),
					userId: user?.Uuid ?? null,
					ip,
					AuthMethod: 'Password',
					FailureReason: 'Bad user name or password.',
				});
				return oauthError(400, 'invalid_grant', 'The user name or password is incorrect.');
			}
			if (user.mfaRequired) {
				this.events.record({
					type: 'Cloud.Core.MfaSummary',
					user: user.Name,
					userId: user.Uuid,
					ip,
					AuthMethod: 'Password',
					FailureReason: 'MFA required; the password grant cannot answer it.',
				});
				return oauthError(400, 'invalid_grant', 'Additional authentication (MFA) is required for this user.');
			}
			this.events.record({
				type: 'Cloud.Core.Login',
				user: user.Name,
				userId: user.Uuid,
				ip,
				AuthMethod: 'Password',
			});
			subject = user;
		} else if (grant === 'client_credentials') {
			subject = this.clientUser;
		} else if (grant === 'refresh_token') {
			const entry = this.refreshTokens.get(form.get('refresh_token'));
			if (!entry) return oauthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
			subject = entry.subject;
		} else {
			return oauthError(400, 'unsupported_grant_type', `Grant type ${grant ?? '(none)'} is not supported.`);
		}

		const accessToken = newToken();
		const lifetime = Number(this.knobs.tokenLifetimeSeconds);
		this.counters.tokensIssued++;
		this.tokens.set(accessToken, {
			subject,
			scope,
			expiresAt: Date.now() + lifetime * 1000,
			number: this.counters.tokensIssued,
			used: false,
		});
		this.events.record({
			type: 'Cloud.Core.OAuthToken.Create',
			user: subject.Name,
			userId: subject.Uuid,
			ip,
			AuthMethod: 'OAuth2',
			EntityName: appId,
			EntityType: 'Application',
		});
		const answer = { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope };
		if (this.knobs.issueRefreshTokens) {
			answer.refresh_token = randomBytes(24).toString('base64url');
			this.refreshTokens.set(answer.refresh_token, { subject });
		}
		return send(200, answer);
	}

	revoke(raw, send) {
		const token = new URLSearchParams(raw).get('token') ?? '';
		this.tokens.delete(token);
		this.refreshTokens.delete(token);
		return send(200, '');
	}

	/** Whether the fault of this knob strikes the current request (faultPath limits faults to one endpoint). */
	everyNth(knob, path) {
		const n = Number(this.knobs[knob]);
		if (!(n > 0)) return false;
		if (this.knobs.faultPath) {
			if (path !== this.knobs.faultPath.toLowerCase()) return false;
			this.faultCounts[knob] = (this.faultCounts[knob] ?? 0) + 1;
			return this.faultCounts[knob] % n === 0;
		}
		return this.counters.managementRequests % n === 0;
	}

	/** The Location header of a redirect knob that covers this path, or undefined. */
	redirectFor(path, url) {
		const prefixes = this.knobs.redirectPaths ?? [];
		if (!this.knobs.redirectTo || !prefixes.some((p) => path.startsWith(p.toLowerCase()))) return undefined;
		this.fault('redirect');
		return { Location: `${this.knobs.redirectTo}${url.pathname}${url.search}` };
	}

	/** Whether the scope's REST regexes allow a path (matched whole, case-insensitive, with or without its leading slash). */
	scopeAllows(path) {
		const regexes = this.knobs.scopeRestRegexes;
		if (!Array.isArray(regexes)) return true;
		return regexes.some((r) => new RegExp(`^/?(?:${r.replace(/^\//, '')})$`, 'i').test(path));
	}

	/** Remembers a management request's arrival and answer (bounded), so tests can see when requests came. */
	log(path) {
		if (this.requestLog.length >= 100_000) this.requestLog.shift();
		const entry = { at: Date.now(), path, status: 0 };
		this.requestLog.push(entry);
		return entry;
	}

	async management(req, path, url, raw, respond) {
		this.counters.managementRequests++;
		const entry = this.log(path);
		const send = (status, body, headers) => {
			entry.status = status;
			return respond(status, body, headers);
		};
		if (!this.limiter.admit(path)) {
			this.counters.rateLimited++;
			const retryAfter = this.limiter.limits.retryAfterSeconds;
			return send(
				429,
				'<html><head><title>429 Too Many Requests</title></head><body><h1>429 Too Many Requests</h1></body></html>',
				retryAfter === null ? {} : { 'Retry-After': String(retryAfter) },
			);
		}
		if (this.everyNth('hangEvery', path)) {
			this.fault('hang');
			return; // never answers; the client's timeout must end it
		}
		if (this.everyNth('status429Every', path)) {
			this.fault('429');
			return send(429, '<html><body>Too Many Requests</body></html>', {
				'Retry-After': String(this.knobs.retryAfterSeconds),
			});
		}
		if (this.everyNth('status503Every', path)) {
			this.fault('503');
			return send(503, '<html><body><h1>503 Service Unavailable</h1></body></html>');
		}
		if (this.everyNth('expireTokensEvery', path)) {
			this.fault('tokenExpired');
			this.expireTokens();
		}

		const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
		const session = token === undefined ? undefined : this.tokens.get(token);
		if (session && !session.used) {
			session.used = true;
			if (this.knobs.revokeOnFirstUse.includes(session.number)) {
				this.fault('tokenRevoked');
				session.expiresAt = 0;
			}
		}
		if (!session || session.expiresAt <= Date.now()) {
			this.counters.unauthorized++;
			return send(401, UNAUTHORIZED_HTML);
		}
		if (!this.scopeAllows(path)) {
			this.counters.unauthorized++;
			this.fault('scopeRefused');
			return send(401, UNAUTHORIZED_HTML);
		}

		let body;
		try {
			body = raw ? JSON.parse(raw) : {};
		} catch {
			return send(200, envelope(null, 'The request body is not valid JSON.'));
		}
		this.count(path);
		if (path === '/redrock/query' && /\bfrom\s+event\b/i.test(String(body?.Script ?? '')))
			this.counters.eventQueries++;
		let answer;
		try {
			const before = USER_CHANGES[path] ? this.directory.find(param(url, 'user') ?? body?.ID) : undefined;
			answer = envelope(this.call(path, url, body ?? {}, session));
			this.recordUserChange(path, before ?? this.directory.find(answer.Result), session, clientIp(req));
		} catch (error) {
			if (!(error instanceof Failure)) throw error;
			answer = envelope(null, error.message);
		}
		// Faults that strike after the tenant applied the call, as a proxy losing the answer would.
		if (this.everyNth('status502Every', path)) {
			this.fault('502');
			return send(502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
		}
		if (this.everyNth('malformedEvery', path)) {
			this.fault('malformed');
			return send(200, JSON.stringify(answer).slice(0, 17));
		}
		return send(200, answer);
	}

	/** The audit event of a user change the tenant just applied. */
	recordUserChange(path, user, session, ip) {
		const type = USER_CHANGES[path];
		if (!type || !user) return;
		this.events.record({
			type,
			user: session.subject.Name,
			userId: session.subject.Uuid,
			ip,
			EntityName: user.Name,
			EntityType: 'User',
			EntityUuid: user.Uuid,
		});
	}

	call(path, url, body, session) {
		const d = this.directory;
		const served = this.lifecycle.answer(path, url, body);
		if (served) return served.result;
		switch (path) {
			case '/security/whoami':
				// What HashiCorp's Vault plugin reads (path_login.go).
				return { User: session.subject.Name, UserUuid: session.subject.Uuid };
			case '/cdirectoryservice/createuser':
				return d.createUser(body);
			case '/cdirectoryservice/getuser':
				return d.view(d.require(body.ID));
			case '/cdirectoryservice/getuserbyname': {
				const user = d.findByName(body.username);
				if (!user) throw new Failure(`User ${body.username} not found.`);
				return d.view(user);
			}
			case '/usermgmt/getuserattributes':
				return d.attributes(d.require(body.ID));
			case '/cdirectoryservice/changeuser':
				return d.changeUser(body);
			case '/cdirectoryservice/deleteuser':
				return d.deleteUser(body.ID);
			case '/usermgmt/removeusers':
				for (const id of body.Users ?? []) d.deleteUser(id);
				return null;
			case '/cdirectoryservice/setuserstate':
				return d.setState(body.ID, body.state);
			case '/usermgmt/setcloudlock':
				return d.setCloudLock(param(url, 'user'), String(param(url, 'lockUser')).toLowerCase() === 'true');
			case '/usermgmt/signouteverywhere': {
				// IdentityCommand Clear-IDUserSession: ?ID=<uuid>, empty body. Every session of the user ends.
				const user = d.require(param(url, 'ID'));
				this.signOut(user);
				return null;
			}
			case '/usermgmt/resetuserpassword':
				return d.resetPassword(body.ID, body.newPassword);
			case '/redrock/query':
				return runQuery(
					{
						User: () => ({ rows: d.userRows(this.knobs.statusWhenNotActive), entity: 'User' }),
						Event: () => ({ rows: this.events.rows(), entity: 'Event' }),
						Role: () => ({ rows: d.roleRows(), entity: 'Role' }),
					},
					body.Script,
					body.Args,
					{ caseSensitive: this.knobs.redrockCaseSensitive },
				);
			case '/roles/updaterole':
				return d.updateRole(body);
			case '/roles/storerole':
				return d.storeRole(body);
			case '/saasmanage/deleterole':
				// CyberArk's SDKs (idsec-sdk-golang, ark-sdk-python): {"Name": roleId}.
				return d.deleteRole(body.Name);
			case '/saasmanage/deleteroles':
				// CyberArk's spec: {"Roles": [ids]}; IdentityCommand Remove-IDRole sends the list itself.
				for (const id of Array.isArray(body) ? body : (body.Roles ?? [])) d.deleteRole(id);
				return null;
			case '/roles/getrolemembers': {
				// The SDKs send {"Name": roleId}; CyberArk's spec documents ?name=.
				const role = d.role(body.Name ?? param(url, 'name'));
				const users = [...role.members].map((id) => d.users.get(id)).filter((u) => u !== undefined);
				return listAnswer(
					users.map((u) => ({
						Entities: [{ Type: 'User', Key: u.Uuid, IsForeignKey: false }],
						Row: { Guid: u.Uuid, Name: u.Name, Type: 'User', IsEffective: true, OrgPath: null, OrgId: null },
					})),
					['Guid', 'Name', 'Type', 'IsEffective', 'OrgPath', 'OrgId'],
				);
			}
			case '/usermgmt/getusersrolesandadministrativerights': {
				// One entry per role: its ID in Entities[].Key, its name in Row.Name and Row.RoleName, no Row.ID.
				const roles = d.rolesOf(param(url, 'ID') ?? body.ID);
				return listAnswer(
					roles.map((r) => ({
						Entities: [{ Type: 'Role', Key: r.ID, IsForeignKey: false }],
						Row: {
							Name: r.Name,
							RoleName: r.Name,
							AdministrativeRights: r.rights.map((Description) => ({ Description })),
						},
					})),
					['Name', 'RoleName', 'AdministrativeRights'],
				);
			}
			case '/core/getcdsaliasesfortenant':
				return {
					Count: d.suffixes.length,
					Results: d.suffixes.map((s) => ({
						Entities: [{ Type: 'CdsAlias', Key: s }],
						Row: { ID: s, Domain: s },
					})),
				};
			default:
				throw new Failure(`The requested API ${path} is not supported.`);
		}
	}
}

/**
 * The rate limits of a sandbox started for people (npm start, npm run sandbox, the demo): CyberArk's
 * documented ones, unless SANDBOX_RATE_LIMITS says otherwise: "off", or a JSON object of RateLimits fields,
 * e.g. {"endpoint":{"rate":20,"burst":30},"retryAfterSeconds":1}.
 */
function sandboxRateLimits(setting = process.env.SANDBOX_RATE_LIMITS) {
	if (setting === undefined || setting === '' || setting === 'on') return { ...DOCUMENTED_LIMITS };
	if (setting === 'off') return { ...DOCUMENTED_LIMITS, enabled: false };
	return { ...DOCUMENTED_LIMITS, ...JSON.parse(setting) };
}

async function startSandbox(options = {}) {
	return new Sandbox(options).start(options.port ?? 0, options.host ?? '127.0.0.1');
}

module.exports = {
	Sandbox,
	startSandbox,
	sandboxRateLimits,
	credentialsFor,
	DEFAULTS,
	DOCUMENTED_LIMITS,
	UNAUTHORIZED_HTML,
};
