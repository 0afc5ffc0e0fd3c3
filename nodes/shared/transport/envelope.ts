// CyberArk's answer envelope: {success, Result, Message, ...} in an HTTP 200.
import type { INode } from 'n8n-workflow';

import type { Envelope } from './errors';
import { CyberArkError, UncertainOutcomeError } from './errors';
import { envelope as wording } from './failures';

/** Returns `Result` of a successful envelope; throws CyberArkError for `success:false`. */
export function unwrapEnvelope(
	node: INode,
	path: string,
	body: unknown,
	itemIndex?: number,
	secrets: string[] = [],
): unknown {
	const envelope = parseEnvelope(body);
	if (!envelope) {
		throw new UncertainOutcomeError(
			node,
			{ message: 'malformed answer' },
			{ ...wording.notAnEnvelope(path), itemIndex },
		);
	}
	if (envelope.success !== true) throw new CyberArkError(node, path, envelope, itemIndex, secrets);
	return envelope.Result ?? null;
}

/** The envelope in a body n8n hands over parsed or as text; undefined when the body is not one. */
export function parseEnvelope(body: unknown): Envelope | undefined {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (!value || typeof value !== 'object' || typeof (value as Envelope).success !== 'boolean')
		return undefined;
	return value as Envelope;
}
