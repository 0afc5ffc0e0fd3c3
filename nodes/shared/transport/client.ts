import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { parseEnvelope, unwrapEnvelope } from './envelope';
import { failureError, toNodeError, tokenError, tokenExchangeFailure } from './errors';
import { attemptSummary } from './failures';
import type { Pacer } from './pacing';
import { sharedPacer } from './pacing';
import type { Failure, RetryPolicy } from './retry';
import { DEFAULT_RETRY, describeFailure, retryDelay, shouldRetry } from './retry';
import { tenantOrigin } from './token';
import type { ApiCall, Endpoint } from '../endpoints';
import type { PlannedRequest } from './dryRun';
import { plannedParts } from './dryRun';

export const CREDENTIAL_TYPE = 'cyberArkIdentityApi';

export const DEFAULT_TIMEOUT_MS = 60_000;

/** The n8n contexts a client can work in: a node run, an editor list, a trigger's poll. */
export type ClientContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface ClientSettings {
	/** How long one request may take. */
	timeoutMs: number;
	retry: RetryPolicy;
	/**
	 * Requests per second to each endpoint: undefined for CyberArk's documented limit, 0 for no pacing.
	 */
	maxPerSecond?: number;
	/** The buckets shared by every run in this n8n instance. */
	pacer: Pacer;
	/** Dry Run: write calls are recorded (see `planned`), never sent; reads go out as usual. */
	dryRun?: boolean;
}

/** A token endpoint that is down or overloaded: the management call was never sent. */
function tokenEndpointFailure(error: unknown): Failure | undefined {
	const source = tokenExchangeFailure(error);
	if (!source?.tokenFailure.transient) return undefined;
	const status = source.tokenFailure.status ?? undefined;
	return {
		status,
		code: status === undefined ? 'ECONNREFUSED' : undefined,
		mayHaveApplied: false,
		message: source.message,
	};
}

/**
 * One node run's connection to the tenant: opened once per run (or per editor list, or per poll)
 * with the run's settings and handed to every operation. Every call goes through `request`, which
 * sends it with the credential's bearer token (n8n mints it in the credential's pre-authentication
 * and re-mints it on a 401; an endpoint refused with two different fresh tokens is not called again
 * in the run), never follows a redirect, retries transient failures within bounds, shares the back-off a
 * 429 imposes across the whole run, and unwraps CyberArk's envelope.
 */
export class CyberArkClient {
	/** No call of this run starts before this time (a 429's Retry-After holds the whole batch). */
	private pausedUntil = 0;

	/** Values read once per run (see `once`). */
	private readonly memo = new Map<string, Promise<unknown>>();

	/** When the run last got an answer that was not a 429: a 429 fails an item only after long without one. */
	private progressAt = Date.now();
	/** Dry Run: the write calls each item would have sent, by item index, secrets masked. */
	private readonly recorded = new Map<number, PlannedRequest[]>();

	/**
	 * Endpoints CyberArk refused with 401 although n8n had just fetched a new token for the call, by
	 * the fingerprints of the fresh tokens refused. One such refusal may be a token revoked at that
	 * instant; refused with two different fresh tokens, the OAuth2 app's scope does not allow the
	 * endpoint, and it is not sent again in this run: each 401 would make n8n run the token exchange
	 * once more, and the new token would be refused the same way.
	 */
	private readonly freshTokenRefusals = new Map<string, Set<string>>();

	private constructor(
		private readonly context: ClientContext,
		readonly origin: string,
		private readonly skipSslCertificateValidation: boolean,
		/** The decrypted credential, read once per run and handed to every request (see `open`). */
		private readonly credential: ICredentialsDecrypted & { data: ICredentialDataDecryptedObject },
		private readonly settings: ClientSettings,
	) {}

	/**
	 * Reads the credential once for the run: without it, n8n would read it from its database, decrypt it
	 * and resolve it again for every request. A tenant URL that cannot work fails here, before any call.
	 */
	static async open(context: ClientContext, settings: Partial<ClientSettings> = {}): Promise<CyberArkClient> {
		const data = await context.getCredentials(CREDENTIAL_TYPE);
		let origin: string;
		try {
			origin = tenantOrigin(data.tenantUrl);
		} catch (error) {
			throw tokenError(context.getNode(), error);
		}
		const { id = '', name = '' } = context.getNode().credentials?.[CREDENTIAL_TYPE] ?? {};
		const credential = { id: id ?? '', name, type: CREDENTIAL_TYPE, data };
		return new CyberArkClient(context, origin, data.ignoreSslIssues === true, credential, {
			timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			retry: settings.retry ?? DEFAULT_RETRY,
			maxPerSecond: settings.maxPerSecond,
			pacer: settings.pacer ?? sharedPacer,
			dryRun: settings.dryRun === true,
		});
	}

	/** Waits for this endpoint's turn under the tenant's rate limits (and any Retry-After of the run). */
	private async pace(path: string): Promise<void> {
		const { maxPerSecond, pacer } = this.settings;
		const wait = maxPerSecond === 0 ? 0 : pacer.reserve(this.origin, path, maxPerSecond);
		if (wait > 0) await sleep(wait);
		// A Retry-After that came in while this call waited for its turn holds it too.
		for (let pause = this.pausedUntil - Date.now(); pause > 0; pause = this.pausedUntil - Date.now())
			await sleep(pause);
	}

	/** The run's decrypted credential (a copy), for the calls that are not management calls: Get Token. */
	credentials(): ICredentialDataDecryptedObject {
		return { ...this.credential.data };
	}

	/**
	 * The value of `read` once per run for one key (e.g. a role name's ID for 500 items), shared by the
	 * items that ask at the same time; a failure is not kept, so a later item asks again.
	 */
	async once<T>(key: string, read: () => Promise<T>): Promise<T> {
		let pending = this.memo.get(key) as Promise<T> | undefined;
		if (!pending) {
			pending = read();
			this.memo.set(key, pending);
			pending.catch(() => this.memo.delete(key));
		}
		return await pending;
	}

	/** Any error met while working for an item, as the error n8n shows for that item. */
	nodeError(error: unknown, itemIndex?: number) {
		return toNodeError(this.context.getNode(), error, itemIndex);
	}

	get dryRun(): boolean {
		return this.settings.dryRun === true;
	}

	/** Dry Run: the write calls recorded for an item, in the order they would have been sent. */
	planned(itemIndex: number): PlannedRequest[] {
		return this.recorded.get(itemIndex) ?? [];
	}

	async request(call: ApiCall, itemIndex?: number): Promise<unknown> {
		const { endpoint } = call;
		if (this.settings.dryRun && endpoint.kind === 'write') {
			for (const part of plannedParts(call, itemIndex ?? 0))
				this.recorded.set(part.itemIndex, [...this.planned(part.itemIndex), part.request]);
			return null;
		}
		const node = this.context.getNode();
		const { retry } = this.settings;
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: `${this.origin}${endpoint.path}`,
			qs: call.qs,
			body: call.body ?? {},
			json: true,
			timeout: this.settings.timeoutMs,
			skipSslCertificateValidation: this.skipSslCertificateValidation,
			// n8n follows redirects by default, with the bearer token, to any origin; a redirect is
			// reported instead (see failures.ts), and nothing the other origin says is taken as CyberArk's.
			disableFollowRedirect: true,
		};
		for (let attempt = 1; ; attempt++) {
			await this.pace(endpoint.path);
			if (this.scopeRefuses(endpoint.path)) throw this.scopeRefusal(endpoint, itemIndex);
			const sent = await this.sendAuthenticated(options, endpoint.path);
			if ('error' in sent) {
				const { error } = sent;
				const tokenFailure = tokenExchangeFailure(error);
				const failure = tokenFailure ? tokenEndpointFailure(error) : describeFailure(error);
				if (!tokenFailure && failure?.status === 401 && !this.scopeRefuses(endpoint.path)) {
					// Refused once with a fresh token: sent again, so that a second fresh token decides.
					if (attempt < retry.maxAttempts) continue;
				} else if (failure?.status === 429) {
					if (shouldRetry(failure, endpoint, attempt, retry) && this.patient()) {
						await this.slowDown(endpoint.path, failure, attempt);
						continue;
					}
				} else if (failure && shouldRetry(failure, endpoint, attempt, retry)) {
					await sleep(retryDelay(failure, attempt, retry));
					continue;
				}
				if (tokenFailure) throw tokenError(node, error, itemIndex);
				throw failureError(node, endpoint, failure!, this.tenant, itemIndex);
			}
			const { body } = sent;
			this.progressAt = Date.now();
			if (this.settings.maxPerSecond !== 0) this.settings.pacer.succeeded(this.origin, endpoint.path);
			if (parseEnvelope(body) === undefined && endpoint.idempotent && attempt < retry.maxAttempts) {
				await sleep(retryDelay({ mayHaveApplied: true, message: 'malformed' }, attempt, retry));
				continue;
			}
			return unwrapEnvelope(node, endpoint.path, body, itemIndex, call.secrets);
		}
	}

	/**
	 * One request with the run's credential; what it threw is returned. Each request gets its own copy
	 * of the credential: n8n's token step runs with the token the request was sent with (so the
	 * credential can tell a late 401 for a token it has already replaced from a refusal of the newest
	 * one), and writes a new token into that copy, which then becomes the run's.
	 */
	private async sendAuthenticated(
		options: IHttpRequestOptions,
		path: string,
	): Promise<{ body: unknown } | { error: unknown }> {
		const data = { ...this.credential.data };
		const credentialOptions: IAdditionalCredentialOptions = {
			credentialsDecrypted: { ...this.credential, data },
		};
		let outcome: { body: unknown } | { error: unknown };
		try {
			outcome = {
				body: await this.context.helpers.httpRequestWithAuthentication.call(
					this.context,
					CREDENTIAL_TYPE,
					{ ...options },
					credentialOptions,
				),
			};
		} catch (error) {
			outcome = { error };
			// n8n answers a 401 with a new token and sends the call once more: a 401 that gets here was a
			// refusal of a token fetched moments ago. Counted before that token becomes the run's (below),
			// so no call of this run sends it to this endpoint without seeing the count.
			if (!tokenExchangeFailure(error) && describeFailure(error).status === 401)
				this.countFreshTokenRefusal(path, String(data.accessToken));
		}
		if (data.accessToken !== this.credential.data.accessToken)
			this.credential.data.accessToken = data.accessToken;
		return outcome;
	}

	private countFreshTokenRefusal(path: string, token: string): void {
		const fingerprints = this.freshTokenRefusals.get(path) ?? new Set<string>();
		fingerprints.add(createHash('sha256').update(token).digest('base64'));
		this.freshTokenRefusals.set(path, fingerprints);
	}

	/** Whether the scope refuses this endpoint: two different fresh tokens were refused on it. */
	private scopeRefuses(path: string): boolean {
		return (this.freshTokenRefusals.get(path)?.size ?? 0) >= 2;
	}

	/** A call to an endpoint the scope refused earlier in this run: the same refusal, without sending it. */
	private scopeRefusal(endpoint: Endpoint, itemIndex?: number) {
		const failure = { status: 401, mayHaveApplied: false, message: attemptSummary(401, undefined) };
		return failureError(this.context.getNode(), endpoint, failure, this.tenant, itemIndex);
	}

	/** What failure wording names: the tenant's origin and the scope the credential asks for. */
	private get tenant(): { origin: string; scope: string } {
		const scope = this.credential.data.scope;
		return { origin: this.origin, scope: typeof scope === 'string' ? scope.trim() : '' };
	}

	/** Whether a 429 is worth waiting out: the run made progress recently. */
	private patient(): boolean {
		return Date.now() - this.progressAt < this.settings.retry.rateLimitPatienceMs;
	}

	/**
	 * A 429: Retry-After holds the whole run (and, through the shared bucket, every execution pacing
	 * this endpoint); the endpoint's rate is lowered. Without pacing, the request backs off by itself.
	 */
	private async slowDown(path: string, failure: Failure, attempt: number): Promise<void> {
		const { retry, maxPerSecond, pacer } = this.settings;
		const retryAfterMs = failure.retryAfter === undefined ? undefined : retryDelay(failure, attempt, retry);
		if (retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs);
		if (maxPerSecond === 0) {
			if (retryAfterMs === undefined) await sleep(retryDelay(failure, attempt, retry));
			return;
		}
		pacer.rateLimited(this.origin, path, retryAfterMs);
	}
}
