// Request pacing: CyberArk's documented rate limits ("API rate limiting") as token buckets, so the
// node sends at the rate the tenant accepts instead of provoking HTTP 429.
//   the whole tenant        1,600 requests/s, burst 3,500
//   each other endpoint        90 requests/s, burst   150
// CyberArk also names a "high API" zone (1,600/s, burst 2,000) whose endpoints no stored copy of the page
// lists: every endpoint is paced as an ordinary one, the safe side (docs/cyberark-api.md).
// Concurrency bounds requests in flight (it hides latency); pacing bounds the rate.

export interface Limit {
	/** Sustained requests per second. */
	rate: number;
	/** Requests that may go at once after a quiet period. */
	burst: number;
}

export const TENANT_LIMIT: Limit = { rate: 1600, burst: 3500 };
/** The documented limit of each endpoint (every one is paced as an ordinary endpoint). */
export const ENDPOINT_LIMIT: Limit = { rate: 90, burst: 150 };

/** After a 429 the rate drops to this share of what the tenant accepted over the last second... */
const DECREASE_FACTOR = 0.95;
/** ...never below this share of the configured rate... */
const MIN_RATE_SHARE = 0.05;
/** ...and climbs back by this share of the configured rate per second (additive increase). */
const INCREASE_SHARE_PER_SECOND = 0.01;
/** The window over which accepted requests are counted. */
const WINDOW_MS = 1000;

/**
 * A token bucket with reservations: `reserve` takes a token now and says how long the caller must
 * wait for it, so callers are served in order and never spin. The rate adapts to what the tenant
 * really accepts: a 429 lowers it to a little under the rate the tenant accepted over the last second
 * (multiplicative decrease), and it recovers slowly up to the configured rate (additive increase).
 */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;
	/** The rate after the last decrease, and when it happened. */
	private reducedRate: number;
	private reducedAt = Number.NEGATIVE_INFINITY;
	/** Nothing is sent before this time (Retry-After). */
	private blockedUntil = 0;
	/** When the requests the tenant accepted within the last window were answered, oldest first. */
	private accepted: number[] = [];

	constructor(
		private limit: Limit,
		now: number,
	) {
		this.tokens = limit.burst;
		this.updatedAt = now;
		this.reducedRate = limit.rate;
	}

	/** The configured limit (changed by the node's Max Requests per Second option). */
	configure(limit: Limit, now: number): void {
		if (limit.rate === this.limit.rate && limit.burst === this.limit.burst) return;
		this.refill(now);
		this.limit = limit;
		this.tokens = Math.min(this.tokens, limit.burst);
		this.reducedRate = Math.min(this.reducedRate, limit.rate);
	}

	/** The rate in force now: the configured rate, or less while recovering from a 429. */
	rate(now: number): number {
		if (this.reducedRate >= this.limit.rate) return this.limit.rate;
		const recovered =
			this.reducedRate + ((now - this.reducedAt) / 1000) * this.limit.rate * INCREASE_SHARE_PER_SECOND;
		return Math.min(this.limit.rate, recovered);
	}

	private refill(now: number): void {
		const elapsed = Math.max(0, now - this.updatedAt);
		this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed / 1000) * this.rate(now));
		this.updatedAt = now;
	}

	/** Takes one token; returns the milliseconds to wait before sending. */
	reserve(now: number): number {
		this.refill(now);
		this.tokens -= 1;
		const waitForToken = this.tokens >= 0 ? 0 : (-this.tokens / this.rate(now)) * 1000;
		return Math.max(waitForToken, this.blockedUntil - now);
	}

	/** The tenant accepted a request. */
	succeeded(now: number): void {
		this.forget(now);
		if (this.accepted.length < this.limit.burst + this.limit.rate) this.accepted.push(now);
	}

	private forget(now: number): void {
		let old = 0;
		while (old < this.accepted.length && this.accepted[old] <= now - WINDOW_MS) old++;
		if (old > 0) this.accepted.splice(0, old);
	}

	/** The tenant answered 429: slow down, and hold everything until Retry-After when it says so. */
	rateLimited(now: number, retryAfterMs?: number): void {
		this.refill(now);
		this.forget(now);
		const acceptedRate = (this.accepted.length * 1000) / WINDOW_MS;
		this.reducedRate = Math.max(
			this.limit.rate * MIN_RATE_SHARE,
			DECREASE_FACTOR * Math.min(this.rate(now), acceptedRate),
		);
		this.reducedAt = now;
		// What the burst allowed was too much: start again from an empty bucket.
		this.tokens = Math.min(this.tokens, 0);
		if (retryAfterMs !== undefined) this.blockedUntil = Math.max(this.blockedUntil, now + retryAfterMs);
	}
}

/**
 * The share of a limit the node uses. Requests do not reach the tenant at the instant they leave
 * (the network and n8n's own work add jitter), so sending at exactly the limit would meet an empty
 * bucket at the gateway now and then: a little headroom keeps 429s rare at almost no cost in speed.
 */
const HEADROOM = { rate: 0.97, burst: 0.8 };

export function withHeadroom(limit: Limit): Limit {
	return { rate: limit.rate * HEADROOM.rate, burst: Math.max(1, Math.floor(limit.burst * HEADROOM.burst)) };
}

/** How many buckets one n8n instance keeps (tenants × endpoints); the least recently used go first. */
const MAX_BUCKETS = 500;

/**
 * The buckets of one n8n instance (main or worker), keyed by tenant origin and endpoint: shared by all items of a run
 * and by every execution running at the same time, since the tenant counts them together.
 */
export class Pacer {
	private readonly buckets = new Map<string, TokenBucket>();

	constructor(private readonly clock: () => number = Date.now) {}

	private bucket(key: string, limit: Limit): TokenBucket {
		const now = this.clock();
		let bucket = this.buckets.get(key);
		if (bucket) {
			this.buckets.delete(key); // re-inserted below: the Map's order is the use order
			bucket.configure(limit, now);
		} else {
			bucket = new TokenBucket(limit, now);
			if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value as string);
		}
		this.buckets.set(key, bucket);
		return bucket;
	}

	/**
	 * Milliseconds to wait before sending to this endpoint: its own bucket and the tenant's.
	 * `maxPerSecond` overrides the endpoint's documented rate (and scales its burst).
	 */
	reserve(origin: string, path: string, maxPerSecond?: number): number {
		const now = this.clock();
		const documented = ENDPOINT_LIMIT;
		const limit =
			maxPerSecond === undefined
				? documented
				: {
						rate: maxPerSecond,
						burst: Math.max(1, Math.round((documented.burst / documented.rate) * maxPerSecond)),
					};
		const endpointWait = this.bucket(`${origin} ${path.toLowerCase()}`, withHeadroom(limit)).reserve(now);
		const tenantWait = this.bucket(origin, withHeadroom(TENANT_LIMIT)).reserve(now);
		return Math.max(endpointWait, tenantWait);
	}

	/** An answer from this endpoint that was not a 429. */
	succeeded(origin: string, path: string): void {
		this.buckets.get(`${origin} ${path.toLowerCase()}`)?.succeeded(this.clock());
	}

	/** A 429 from this endpoint. */
	rateLimited(origin: string, path: string, retryAfterMs?: number): void {
		this.buckets.get(`${origin} ${path.toLowerCase()}`)?.rateLimited(this.clock(), retryAfterMs);
	}

	get size(): number {
		return this.buckets.size;
	}
}

/**
 * The pacer of this n8n instance. Module state on purpose: executions running at the same time in
 * one n8n (a webhook storm is many small executions) must share one view of the tenant's limits.
 */
export const sharedPacer = new Pacer();
