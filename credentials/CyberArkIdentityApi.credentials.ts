import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { tokenFlights } from '../nodes/shared/transport/singleFlight';
import { exchangeToken } from '../nodes/shared/transport/token';

export class CyberArkIdentityApi implements ICredentialType {
	name = 'cyberArkIdentityApi';

	displayName = 'CyberArk Identity API';

	icon: Icon = {
		light: 'file:../icons/cyberark.svg',
		dark: 'file:../icons/cyberark.dark.svg',
	};

	// A page, not a README anchor: n8n appends its tracking parameters after the URL, past any #fragment.
	documentationUrl =
		'https://github.com/n8n-nodes-cyberark-identity/n8n-nodes-cyberark-identity/blob/main/docs/setup.md';

	httpRequestNode = {
		name: 'CyberArk Identity',
		docsUrl: 'https://api-docs.cyberark.com/identity-docs-api/docs/identity-api-reference',
		apiBaseUrlPlaceholder: 'https://aab1234.id.cyberark.cloud',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Tenant URL',
			name: 'tenantUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://aab1234.id.cyberark.cloud',
			hint: 'The address you open the Admin Portal at; only its scheme and host are used',
			description:
				'Address of your CyberArk Identity tenant. A pasted admin-portal address works too: only the scheme and host are used.',
		},
		{
			displayName: 'Application ID',
			name: 'appId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'n8n_provisioning',
			hint: 'Admin Portal > Apps & Widgets > Web Apps > your OAuth2 Client app > Settings',
			description:
				'Application ID of the OAuth2 Client web app (Admin Portal > Apps & Widgets > Web Apps > your app > Settings)',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Client Credentials',
					value: 'clientCredentials',
					description:
						'The confidential client acts as itself: it needs the admin rights, and no Username or Password is asked for',
				},
				{
					name: 'Resource Owner Password',
					value: 'password',
					description:
						'The confidential client signs in as a service user (Username and Password below), whose admin rights the workflows use',
				},
			],
			default: 'password',
			hint: "Tick the same grant in the app's General Usage (Resource Owner or Client Creds). With one confidential client and no separate service user, choose Client Credentials.",
			description:
				'How n8n gets its access token: as a service user (Resource Owner Password) or as the confidential client itself (Client Credentials)',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'n8n-client@yourtenant.example',
			hint: 'A login name (name@suffix), not the Application ID',
			description: 'Login name of the service user marked "Is OAuth confidential client"',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Password of the OAuth confidential client service user',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			// Shown (and so required) only for the password grant.
			required: true,
			default: '',
			placeholder: 'provisioning@yourtenant.example',
			hint: 'Needs User Management rights, and must be exempt from MFA',
			description:
				'Login name of the service user the workflows act as. It needs the admin rights the operations use (e.g. User Management) and must be exempt from MFA.',
			displayOptions: { show: { grantType: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Password of the service user named in Username',
			displayOptions: { show: { grantType: ['password'] } },
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: '',
			placeholder: 'n8n',
			hint: "The app's Scope tab: its REST regexes must allow the endpoints the node calls",
			description:
				'Scope name defined on the OAuth2 app, whose REST regexes allow the endpoints the node calls',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			// Not "allowUnauthorizedCerts": the scanner takes any field named like "cert" for a secret and
			// requires it masked, and n8n's editor then shows a masked switch as off whatever its value.
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the TLS certificate cannot be verified, e.g. behind a TLS-inspecting proxy',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// Single flight: concurrent calls for one credential in this n8n instance share one exchange, and a
	// late 401 sent with a token an exchange just replaced gets the new token (see singleFlight.ts).
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const { accessToken } = await tokenFlights.obtain(
			credentials,
			async () => await exchangeToken(this.helpers, credentials),
		);
		return { accessToken };
	}

	// A function rather than a generic `={{$credentials.accessToken}}` header: n8n would evaluate
	// that expression for every request, which costs more than the rest of a bulk run's overhead.
	// A method, not a property: n8n adds its own "Custom API Call" (a pointer to the HTTP Request node)
	// to the lists of a node whose credential has an own `authenticate`, beside the node's real one.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${credentials.accessToken as string}`,
				'X-IDAP-NATIVE-CLIENT': 'true',
			},
		};
	}

	// No `test` request here: the node's `testedBy` function (nodes/CyberArkIdentity/credentialTest.ts)
	// runs the token exchange with the values in the form. n8n prefers a credential's own `test` over
	// `testedBy`, and its request test reuses the stored token without running preAuthentication.
}
