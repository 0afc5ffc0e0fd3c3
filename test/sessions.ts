// A person's own session on the sandbox tenant: a token from the password grant, and whether the
// tenant still takes it (what signing out everywhere ends).
import type { Sandbox } from '../sandbox/server';

/** Logs the user in with the password grant, as an app or browser session would; returns the access token. */
export async function logIn(sandbox: Sandbox, userName: string, password: string): Promise<string> {
	const { appId, clientId, clientSecret, scope } = sandbox.config;
	const response = await fetch(`${sandbox.url}/oauth2/token/${appId}`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
		},
		body: new URLSearchParams({ grant_type: 'password', username: userName, password, scope }),
	});
	const answer = (await response.json()) as { access_token?: string };
	if (!answer.access_token) throw new Error(`no token for ${userName}: ${JSON.stringify(answer)}`);
	return answer.access_token;
}

/** Whether the tenant still accepts the token (HTTP 200 on whoami, not 401). */
export async function signedIn(sandbox: Sandbox, token: string): Promise<boolean> {
	const response = await fetch(`${sandbox.url}/Security/whoami`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: '{}',
	});
	return response.status === 200;
}
