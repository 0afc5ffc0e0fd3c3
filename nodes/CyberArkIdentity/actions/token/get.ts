import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import { exchangeToken } from '../../../shared/transport/token';
import { INTEGER, itemSchema, NULLABLE_STRING, STRING } from '../../schemas/schema';
import type { RunOperation } from '../operation';
import { failRun } from '../router';

export const option: RunOperation['option'] = {
	name: 'Get',
	description: 'Fetch a fresh OAuth2 access token for calls this node does not offer',
	action: 'Get an access token',
};

export const description: INodeProperties[] = [
	{
		displayName:
			'Other operations of this node need no Get Token step: the credential fetches, caches and renews its token by itself, and Custom API Call reaches any other endpoint with it. Use this operation to give a token to another client: {{ $json.tenantUrl }} is where to send it, {{ $json.access_token }} the Bearer token.',
		name: 'tokenNotice',
		type: 'notice',
		default: '',
	},
];

/** The token endpoint is not a management endpoint: it is not in the endpoint table. */
export const endpoints = [];

export const output = itemSchema(
	{
		access_token: STRING,
		token_type: STRING,
		expires_in: INTEGER,
		expires_at: STRING,
		scope: NULLABLE_STRING,
		tenantUrl: STRING,
	},
	['access_token', 'token_type', 'expires_in', 'expires_at', 'scope', 'tenantUrl'],
);

/**
 * One exchange for the whole run, every item getting the same token: the token endpoint itself, not
 * the credential's cached token, so the output is a fresh token.
 */
export async function executeAll(
	this: IExecuteFunctions,
	client: CyberArkClient,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	try {
		const token = await exchangeToken(this.helpers, client.credentials());
		const json = {
			access_token: token.access_token,
			token_type: token.token_type,
			expires_in: token.expires_in,
			expires_at: new Date(Date.now() + token.expires_in * 1000).toISOString(),
			scope: token.scope ?? null,
			// Where the token is for: the credential's tenant, so that no workflow repeats its URL.
			tenantUrl: client.origin,
		};
		return items.map((_, i) => ({ json: { ...json }, pairedItem: { item: i } }));
	} catch (error) {
		return failRun(this, items, error);
	}
}
