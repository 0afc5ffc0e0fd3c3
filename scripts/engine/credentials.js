'use strict';
// The credentials helper n8n's CLI gives n8n-core (packages/cli credentials-helper.ts): runs the
// credential's preAuthentication when the expirable token is empty, expired or under test, merges the
// result and persists it; resolves the generic `authenticate` expressions. n8n-core itself re-mints
// once on a 401 and retries the request once.
const { ICredentialsHelper } = require('n8n-workflow');

const CREDENTIAL_TYPE = 'cyberArkIdentityApi';
/** How a node names the credential: one stored credential, id 1. */
const CREDENTIAL_REFERENCE = { id: '1', name: 'CyberArk' };

/** The credential as n8n's database holds it, with counters of what n8n did with it. */
class CredentialStore {
	constructor(data) {
		this.data = { ...data };
		this.preAuthentications = 0;
		this.updates = 0;
		/** How often n8n read (decrypted) the credential, as its database-backed helper would. */
		this.reads = 0;
	}
}

class CredentialsHelper extends ICredentialsHelper {
	constructor(store, credentialType) {
		super();
		this.store = store;
		this.type = credentialType;
	}

	getParentTypes() {
		return [];
	}

	async authenticate(credentials, _typeName, requestOptions, workflow, node) {
		const authenticate = this.type.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		for (const [outerKey, values] of Object.entries(authenticate.properties)) {
			const target = (requestOptions[outerKey] ??= {});
			for (const [key, value] of Object.entries(values)) {
				target[key] =
					typeof value === 'string' && value.startsWith('=')
						? String(
								workflow.expression.getSimpleParameterValue(
									node,
									value,
									'internal',
									{ $credentials: credentials },
									undefined,
									'',
								),
							)
						: value;
			}
		}
		return requestOptions;
	}

	async preAuthentication(helpers, credentials, _typeName, _node, credentialsExpired) {
		if (credentials.accessToken !== '' && !credentialsExpired) return undefined;
		this.store.preAuthentications++;
		const output = await this.type.preAuthentication.call(
			{ helpers: { httpRequest: helpers.helpers.httpRequest } },
			credentials,
		);
		if (output?.accessToken === undefined) return undefined;
		await this.updateCredentials(CREDENTIAL_REFERENCE, CREDENTIAL_TYPE, {
			...this.store.data,
			...output,
		});
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(helpers, credentials) {
		return await this.type.preAuthentication.call(helpers, credentials);
	}

	async getDecrypted() {
		this.store.reads++;
		return { ...this.store.data };
	}

	/** @returns {Promise<any>} */
	async getCredentials() {
		throw new Error('not used here');
	}

	async updateCredentials(_nodeCredentials, _type, data) {
		this.store.updates++;
		this.store.data = { ...data };
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return this.type.properties;
	}

	isCredentialUsableByNode() {
		return true;
	}
}

module.exports = { CredentialStore, CredentialsHelper, CREDENTIAL_TYPE, CREDENTIAL_REFERENCE };
