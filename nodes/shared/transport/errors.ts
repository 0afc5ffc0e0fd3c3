import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { callFailure, envelope as wording } from './failures';
import type { Failure } from './retry';
import type { TokenFailure } from './token';
import { redact } from './token';

/**
 * Bad input found before anything is sent: says which field is wrong and how to fix it. The node
 * turns it into a NodeOperationError for the item.
 */
export class InvalidInput extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'InvalidInput';
	}
}

export interface Envelope {
	success: boolean;
	Result?: unknown;
	Message?: string | null;
	MessageID?: string | null;
	ErrorID?: string | null;
	ErrorCode?: string | null;
	Exception?: unknown;
}

/** A CyberArk answer of HTTP 200 with `success:false`. */
export class CyberArkError extends NodeApiError {
	constructor(node: INode, path: string, envelope: Envelope, itemIndex?: number, secrets: string[] = []) {
		const message = redact(envelope.Message?.trim() || wording.noMessage(path), secrets);
		super(node, sanitizeEnvelope({ ...envelope, Message: message }), {
			message,
			description: wording.refusal(path, envelope.ErrorID),
			itemIndex,
		});
		this.name = 'NodeApiError';
	}
}

/**
 * The call may or may not have been applied: the answer was lost or unreadable after CyberArk
 * received it. Callers of non-idempotent calls resolve this by reading the current state.
 */
export class UncertainOutcomeError extends NodeApiError {
	constructor(...args: ConstructorParameters<typeof NodeApiError>) {
		super(...args);
		this.name = 'NodeApiError';
	}
}

function sanitizeEnvelope(envelope: Envelope): JsonObject {
	return {
		success: false,
		Message: envelope.Message ?? null,
		MessageID: envelope.MessageID ?? null,
		ErrorID: envelope.ErrorID ?? null,
		ErrorCode: envelope.ErrorCode ?? null,
	};
}

interface TokenFailureError {
	message: string;
	description?: string | null;
	tokenFailure: TokenFailure;
}

/**
 * n8n wraps what the credential's pre-authentication threw in a NodeApiError, keeping its message,
 * description and context (n8n 1.x drops the original error); the context says it is ours.
 */
export function tokenExchangeFailure(error: unknown): TokenFailureError | undefined {
	const e = error as {
		message?: string;
		description?: string | null;
		context?: { tokenExchange?: TokenFailure };
	};
	const tokenFailure = e?.context?.tokenExchange;
	if (!tokenFailure || typeof e.message !== 'string') return undefined;
	return { message: e.message, description: e.description, tokenFailure };
}

/** A token exchange failure (the credential's, or Get Token's) as the NodeApiError n8n shows. */
export function tokenError(node: INode, error: unknown, itemIndex?: number): NodeApiError {
	const source = tokenExchangeFailure(error)!;
	const httpCode = source.tokenFailure.status === null ? undefined : String(source.tokenFailure.status);
	return new NodeApiError(node, { message: source.message } as JsonObject, {
		message: source.message,
		description: source.description ?? undefined,
		httpCode,
		itemIndex,
	});
}

/** Any error of one item as the NodeApiError or NodeOperationError n8n shows, tied to that item. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof InvalidInput) {
		return new NodeOperationError(node, error.message, { itemIndex, description: error.description });
	}
	if (tokenExchangeFailure(error)) return tokenError(node, error, itemIndex);
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** The NodeApiError for a call that failed without a CyberArk envelope (HTTP error, redirect, timeout, network). */
export function failureError(
	node: INode,
	call: { path: string; idempotent: boolean },
	failure: Failure,
	tenant: { origin: string; scope: string },
	itemIndex?: number,
): NodeApiError {
	const httpCode = failure.status === undefined ? undefined : String(failure.status);
	const { message, description } = callFailure(call, failure, tenant.origin, tenant.scope);
	const uncertain = failure.mayHaveApplied && !call.idempotent;
	const ErrorClass = uncertain ? UncertainOutcomeError : NodeApiError;
	return new ErrorClass(node, { message, httpCode: httpCode ?? null } as JsonObject, {
		message,
		description,
		httpCode,
		itemIndex,
	});
}
