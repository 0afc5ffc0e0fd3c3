import type { INodeProperties } from 'n8n-workflow';

export const tokenOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['token'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Fetch a fresh OAuth2 access token for calls this node does not offer',
				action: 'Get an access token',
			},
		],
		default: 'get',
	},
];

export const tokenFields: INodeProperties[] = [
	{
		displayName:
			'Other operations of this node need no Get Token step: the credential fetches, caches and renews its token by itself. Use this operation to call other CyberArk endpoints with the HTTP Request node, using {{ $json.access_token }} as the Bearer token.',
		name: 'tokenNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['token'] } },
	},
];
