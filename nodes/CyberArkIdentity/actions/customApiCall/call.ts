// A request to any path of the tenant's API with the credential's token, for what the other operations
// do not cover: the same client as every operation (token, pacing, retries, no redirects, CyberArk's
// envelope), so n8n's HTTP Request node and a full URL are not needed. It sends what it is given: the
// fields are the user's, not in docs/cyberark-api.md.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Endpoint } from '../../../shared/endpoints';
import type { CyberArkClient } from '../../../shared/transport/client';
import { InvalidInput } from '../../../shared/transport/errors';
import { requiredText } from '../../../shared/validate';
import { RUN_OPTIONS } from '../../descriptions/options';
import { BOOLEAN, itemSchema } from '../../schemas/schema';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Custom API Call',
	description: 'Send a request to any endpoint of the CyberArk Identity API, with the token handled for you',
	action: 'Make a custom API call',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. /UserMgmt/GetUserAttributes',
		hint: "A path of the credential's tenant. The request is a POST with the token, as CyberArk's API expects; its scope must allow the path.",
		description:
			"The endpoint, relative to the credential's Tenant URL, as CyberArk's API reference names it, e.g. /Security/whoami",
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Parameter',
		default: {},
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'json',
		default: '{}',
		description: 'The JSON object the endpoint takes, e.g. {"ID": "c2c7bcc6-…"}',
	},
];

export const options = RUN_OPTIONS;

/**
 * Any path: treated as a write that may not be repeated, since the node cannot know what it does. Dry Run
 * shows it instead of sending it, and it is retried only when CyberArk cannot have received it.
 */
const ANY_PATH: Endpoint = { path: '/<path>', kind: 'write', idempotent: false };

export const endpoints = [ANY_PATH];

/** What a path does is unknown: it may disable or delete a user, so a run is bounded by Max Users. */
export const removesAccess = true;

/** CyberArk's answer, as n8n's HTTP Request node would show it: `{success: true, Result}`. */
export const output = itemSchema(
	{ success: BOOLEAN, Result: { type: ['object', 'array', 'string', 'number', 'boolean', 'null'] } },
	['success', 'Result'],
);

/** A path on the tenant: `/Security/whoami`. A URL, a query string or a path that climbs out is refused. */
export function tenantPath(value: unknown): string {
	const given = requiredText(value, 'Path', '/Security/whoami');
	const path = given.startsWith('/') ? given : `/${given}`;
	const segments = path.split('/').slice(1);
	if (!/^\/[A-Za-z0-9._~/-]+$/.test(path) || segments.some((s) => s === '' || s === '.' || s === '..'))
		throw new InvalidInput(
			`Path "${given.slice(0, 80)}" is not a path of the tenant's API`,
			"Give the part after the tenant URL, e.g. /Security/whoami; the tenant is the credential's. Put query parameters under Query Parameters.",
		);
	return path;
}

/** The value of JSON text; undefined when it is not JSON. */
function parsedJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** The Body parameter: a JSON object, as text or as an expression gives it. */
export function jsonBody(value: unknown): IDataObject {
	let body: unknown = value ?? {};
	if (typeof body === 'string') {
		body = body.trim() === '' ? {} : parsedJson(body);
		if (body === undefined)
			throw new InvalidInput('Body is not valid JSON', 'Give a JSON object, e.g. {"ID": "…"}, or leave {}.');
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new InvalidInput(
			'Body must be a JSON object',
			'Give a JSON object, e.g. {"ID": "…"}, or leave {}.',
		);
	return body as IDataObject;
}

function queryOf(value: unknown): IDataObject | undefined {
	const entries = ((value as IDataObject | undefined)?.parameter ?? []) as IDataObject[];
	const named = entries.filter((p) => typeof p.name === 'string' && p.name.trim() !== '');
	if (named.length === 0) return undefined;
	return Object.fromEntries(named.map((p) => [(p.name as string).trim(), p.value ?? '']));
}

/** Values under a key that names a password or secret: kept out of errors should CyberArk echo them. */
function secretsIn(body: IDataObject): string[] {
	return Object.entries(body)
		.filter(([key, v]) => /password|secret/i.test(key) && typeof v === 'string')
		.map(([, v]) => v as string);
}

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const path = tenantPath(this.getNodeParameter('path', i));
	const body = jsonBody(this.getNodeParameter('body', i, '{}'));
	const qs = queryOf(this.getNodeParameter('queryParameters', i, {}));
	const result = await client.request(
		{ endpoint: { ...ANY_PATH, path }, body, qs, secrets: secretsIn(body) },
		i,
	);
	// A refusal (success:false) is an error with CyberArk's message; an answer is a success.
	return { success: true, Result: result as IDataObject[string] };
}
