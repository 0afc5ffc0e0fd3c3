import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import type { Operation } from '../../descriptions/common';
import { exchangeToken } from '../../../shared/transport/token';

export const option: Operation['option'] = {
	name: 'Get',
	description: 'Fetch a fresh OAuth2 access token for calls this node does not offer',
	action: 'Get an access token',
};

export const once = true;

export const description: INodeProperties[] = [
	{
		displayName:
			'Other operations of this node need no Get Token step: the credential fetches, caches and renews its token by itself. Use this operation to call other CyberArk endpoints with the HTTP Request node, using {{ $json.access_token }} as the Bearer token.',
		name: 'tokenNotice',
		type: 'notice',
		default: '',
	},
];

/**
 * One exchange for the whole run (the node runs it once and gives every item the same token): the
 * token endpoint itself, not the credential's cached token, so the output is a fresh token.
 */
export async function execute(this: IExecuteFunctions, client: CyberArkClient): Promise<IDataObject> {
	const token = await exchangeToken(this.helpers, client.credentials());
	return {
		access_token: token.access_token,
		token_type: token.token_type,
		expires_in: token.expires_in,
		expires_at: new Date(Date.now() + token.expires_in * 1000).toISOString(),
		scope: token.scope ?? null,
	};
}
