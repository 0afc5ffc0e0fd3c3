'use strict';
// The real tenant the CYBERARK_* variables describe, for npm start and npm run smoke alike.

/** The credential fields for the tenant in CYBERARK_*, or undefined when CYBERARK_TENANT_URL is not set. */
function realTenant(e = process.env) {
	if (!e.CYBERARK_TENANT_URL) return undefined;
	const missing = ['CYBERARK_APP_ID', 'CYBERARK_CLIENT_ID', 'CYBERARK_CLIENT_SECRET'].filter((k) => !e[k]);
	if (missing.length) throw new Error(`CYBERARK_TENANT_URL is set, but ${missing.join(', ')} are not`);
	return {
		tenantUrl: e.CYBERARK_TENANT_URL,
		appId: e.CYBERARK_APP_ID,
		grantType: e.CYBERARK_USERNAME ? 'password' : 'clientCredentials',
		clientId: e.CYBERARK_CLIENT_ID,
		clientSecret: e.CYBERARK_CLIENT_SECRET,
		username: e.CYBERARK_USERNAME ?? '',
		password: e.CYBERARK_PASSWORD ?? '',
		scope: e.CYBERARK_SCOPE ?? '',
		ignoreSslIssues: false,
		accessToken: '',
	};
}

/** The tenant's origin (scheme and host) from a URL typed with or without https://. */
function tenantOrigin(tenantUrl) {
	return new URL(/^https?:\/\//.test(tenantUrl) ? tenantUrl : `https://${tenantUrl}`).origin;
}

module.exports = { realTenant, tenantOrigin };
