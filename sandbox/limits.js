'use strict';
// CyberArk's documented rate limits ("API rate limiting"), enforced the way a gateway does: a token
// bucket per endpoint and one for the whole tenant; a request that finds a bucket empty gets HTTP 429.
//   the whole tenant        1,600 requests/s, burst 3,500
//   each "high API" endpoint 1,600 requests/s, burst 2,000
//   each other endpoint        90 requests/s, burst   150

/** @typedef {{ rate: number, burst: number }} Limit */

/**
 * @typedef {object} RateLimits
 * @property {boolean} enabled
 * @property {Limit} tenant
 * @property {Limit} highApi
 * @property {Limit} endpoint
 * @property {string[]} highApiPaths lower-case paths in the "high API" zone
 * @property {number | null} retryAfterSeconds Retry-After sent with a 429; null sends none (CyberArk does not document one)
 */

/** @type {RateLimits} */
const DOCUMENTED_LIMITS = {
	enabled: true,
	tenant: { rate: 1600, burst: 3500 },
	highApi: { rate: 1600, burst: 2000 },
	endpoint: { rate: 90, burst: 150 },
	highApiPaths: [],
	retryAfterSeconds: null,
};

class Bucket {
	/** @param {Limit} limit @param {number} now */
	constructor(limit, now) {
		this.limit = limit;
		this.tokens = limit.burst;
		this.at = now;
	}

	/** Takes a token if there is one. @param {number} now */
	take(now) {
		this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.at) / 1000) * this.limit.rate);
		this.at = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}

class RateLimiter {
	/** @param {Partial<RateLimits>} [limits] */
	constructor(limits = {}) {
		/** @type {RateLimits} */
		this.limits = { ...DOCUMENTED_LIMITS, ...limits };
		/** @type {Map<string, Bucket>} */
		this.buckets = new Map();
	}

	/** @param {Partial<RateLimits>} limits */
	configure(limits) {
		this.limits = { ...this.limits, ...limits };
		this.buckets.clear();
	}

	/** @param {string} key @param {Limit} limit @param {number} now */
	bucket(key, limit, now) {
		let bucket = this.buckets.get(key);
		if (!bucket) {
			bucket = new Bucket(limit, now);
			this.buckets.set(key, bucket);
		}
		return bucket;
	}

	/**
	 * Whether a request to this (lower-case) path may pass now. The endpoint's zone is checked first, as
	 * a gateway's zone cascade does; a request refused there does not count against the tenant.
	 * @param {string} path @param {number} [now]
	 */
	admit(path, now = Date.now()) {
		if (!this.limits.enabled) return true;
		const limit = this.limits.highApiPaths.includes(path) ? this.limits.highApi : this.limits.endpoint;
		if (!this.bucket(`endpoint ${path}`, limit, now).take(now)) return false;
		return this.bucket('tenant', this.limits.tenant, now).take(now);
	}
}

module.exports = { RateLimiter, DOCUMENTED_LIMITS };
