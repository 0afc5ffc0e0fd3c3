import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { TokenAnswer } from './token';

/**
 * Single-flight token exchange for the credential's pre-authentication.
 *
 * n8n core runs the credential's `preAuthentication` whenever a request finds no stored token, and
 * again after every 401: at concurrency 20, a token expiring mid-batch means up to 20 exchanges at
 * once in one n8n instance. This class makes them one per instance:
 *
 * - while an exchange for a credential is running, every other caller joins it (same answer, same error);
 * - after it settled, a caller presenting a token that exchange replaced (the old token a late 401
 *   was sent with, or the empty token a request read before the new one was saved) gets the new
 *   token without another exchange, for a short while and only while the new token is valid;
 * - a caller presenting the newest token itself (the tenant rejected it) or a token this instance
 *   never replaced starts a new exchange.
 *
 * Credentials are keyed by a SHA-256 digest of their fields (no secret kept in clear); tokens are
 * remembered as digests except the newest one, which n8n holds decrypted in memory anyway, and which
 * is forgotten once it can no longer be handed out. The map is bounded and a failed exchange is never
 * remembered.
 */

export interface SingleFlightOptions {
	/** How long after an exchange a late 401 with a token it replaced gets the new token. */
	replacedWindowMs?: number;
	/** How long after an exchange a caller that read the empty token gets the new one. */
	emptyWindowMs?: number;
	/** The new token is not handed out when it has less than this left to live. */
	expiryMarginMs?: number;
	/** Credentials remembered at most (least recently used dropped first). */
	maxKeys?: number;
	/** Replaced-token digests remembered per credential at most. */
	maxReplaced?: number;
	now?: () => number;
}

/** How a caller got its token: its own exchange, someone else's running one, or a just-minted one. */
export type TokenSource = 'exchanged' | 'joined' | 'reused';

interface Minted {
	token: string;
	mintedAt: number;
	/** Not handed out from this time on (expiry minus the margin). */
	usableUntil: number;
	/** Digests of the tokens this one replaced. */
	replaced: Set<string>;
}

interface Entry {
	flight?: { promise: Promise<TokenAnswer>; replaced: Set<string> };
	minted?: Minted;
}

const FIELDS = [
	'tenantUrl',
	'appId',
	'grantType',
	'clientId',
	'clientSecret',
	'username',
	'password',
	'scope',
	'ignoreSslIssues',
];

export function digest(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 32);
}

/** What identifies a credential's tokens: every field the exchange depends on, digested. */
export function credentialKey(credentials: ICredentialDataDecryptedObject): string {
	return digest(JSON.stringify(FIELDS.map((field) => credentials[field] ?? null)));
}

export class TokenSingleFlight {
	readonly stats = { exchanged: 0, joined: 0, reused: 0 };

	private readonly entries = new Map<string, Entry>();

	private readonly options: Required<SingleFlightOptions>;

	constructor(options: SingleFlightOptions = {}) {
		this.options = {
			replacedWindowMs: 120_000,
			emptyWindowMs: 30_000,
			expiryMarginMs: 30_000,
			maxKeys: 100,
			maxReplaced: 64,
			now: Date.now,
			...options,
		};
	}

	/** Number of credentials remembered (for tests: the map stays bounded). */
	get size(): number {
		return this.entries.size;
	}

	/**
	 * The access token for these credentials: from a running exchange, from one that just replaced the
	 * token the caller presents, or from `exchange()`.
	 */
	async obtain(
		credentials: ICredentialDataDecryptedObject,
		exchange: () => Promise<TokenAnswer>,
	): Promise<{ accessToken: string; outcome: TokenSource }> {
		this.forgetExpired();
		const key = credentialKey(credentials);
		const presented = typeof credentials.accessToken === 'string' ? credentials.accessToken : '';
		const presentedDigest = digest(presented);
		const entry = this.touch(key);

		if (entry.flight) {
			entry.flight.replaced.add(presentedDigest);
			this.stats.joined++;
			return { accessToken: (await entry.flight.promise).access_token, outcome: 'joined' };
		}

		const minted = entry.minted;
		const now = this.options.now();
		if (minted && now < minted.usableUntil && presented !== minted.token) {
			const age = now - minted.mintedAt;
			const replaced =
				presented === ''
					? age <= this.options.emptyWindowMs
					: age <= this.options.replacedWindowMs && minted.replaced.has(presentedDigest);
			if (replaced) {
				this.stats.reused++;
				return { accessToken: minted.token, outcome: 'reused' };
			}
		}

		// Everything the previous token replaced, and that token itself, is replaced by the next one.
		const replaced = new Set<string>(minted ? [...minted.replaced, digest(minted.token)] : []);
		replaced.add(presentedDigest);
		const promise = exchange();
		entry.flight = { promise, replaced };
		this.stats.exchanged++;
		try {
			const answer = await promise;
			const mintedAt = this.options.now();
			const lifetimeMs = Math.max(Number(answer.expires_in) || 0, 0) * 1000;
			entry.minted = {
				token: answer.access_token,
				mintedAt,
				usableUntil: mintedAt + lifetimeMs - Math.min(this.options.expiryMarginMs, lifetimeMs / 2),
				replaced: this.bounded(replaced),
			};
			return { accessToken: answer.access_token, outcome: 'exchanged' };
		} finally {
			entry.flight = undefined;
		}
	}

	/** Drops every idle entry whose token can no longer be handed out: no token outlives its use here. */
	private forgetExpired(): void {
		const now = this.options.now();
		for (const [key, entry] of this.entries)
			if (!entry.flight && (!entry.minted || entry.minted.usableUntil <= now)) this.entries.delete(key);
	}

	/** The entry of a key, moved to the most recently used end; the least recently used idle entry goes when full. */
	private touch(key: string): Entry {
		const entry = this.entries.get(key) ?? {};
		this.entries.delete(key);
		this.entries.set(key, entry);
		if (this.entries.size > this.options.maxKeys) {
			for (const [oldKey, old] of this.entries) {
				if (this.entries.size <= this.options.maxKeys) break;
				if (!old.flight && oldKey !== key) this.entries.delete(oldKey);
			}
		}
		return entry;
	}

	private bounded(set: Set<string>): Set<string> {
		const excess = set.size - this.options.maxReplaced;
		if (excess <= 0) return set;
		return new Set([...set].slice(excess));
	}
}

/** The instance the credential uses: one per running n8n (main or worker). */
export const tokenFlights = new TokenSingleFlight();
