// Dry Run in the transport: a write the client holds back is recorded as the request it would have
// sent, secrets masked (a batch: each item's part of it). Which calls are writes is the endpoint
// table's (endpoints.ts).
import type { IDataObject } from 'n8n-workflow';

import type { ApiCall } from '../endpoints';

/** A write request as Dry Run reports it: what would be POSTed, secrets masked. */
export interface PlannedRequest extends IDataObject {
	path: string;
	body: IDataObject;
}

export const MASK = '********';

function masked(value: unknown, secrets: string[], key = ''): unknown {
	if (typeof value === 'string') return /password/i.test(key) || secrets.includes(value) ? MASK : value;
	if (Array.isArray(value)) return value.map((v) => masked(v, secrets));
	if (value && typeof value === 'object') {
		const copy: IDataObject = {};
		for (const [k, v] of Object.entries(value)) copy[k] = masked(v, secrets, k) as IDataObject[string];
		return copy;
	}
	return value;
}

/** A call as Dry Run shows it: path and body (query string parameters when the call has them), passwords masked. */
export function plannedRequest(call: Pick<ApiCall, 'endpoint' | 'body' | 'qs' | 'secrets'>): PlannedRequest {
	const secrets = (call.secrets ?? []).filter((s) => s !== '');
	const planned: PlannedRequest = {
		path: call.endpoint.path,
		body: masked(call.body ?? {}, secrets) as IDataObject,
	};
	if (call.qs && Object.keys(call.qs).length > 0) planned.qs = masked(call.qs, secrets) as IDataObject;
	return planned;
}

/**
 * What Dry Run keeps of a held-back write: the request under its item, or, for a call made for several
 * items at once (`parts`), each item's own part of it, marked `batched`.
 */
export function plannedParts(
	call: ApiCall,
	itemIndex: number,
): Array<{ itemIndex: number; request: PlannedRequest }> {
	if (!call.parts) return [{ itemIndex, request: plannedRequest(call) }];
	return call.parts.map((part) => ({
		itemIndex: part.itemIndex,
		request: { ...plannedRequest({ ...call, body: part.body }), batched: true },
	}));
}
