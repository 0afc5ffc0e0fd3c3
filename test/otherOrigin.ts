// Another origin a redirecting tenant URL points at: it records everything it is sent and answers
// what a CyberArk tenant would (a token, a successful envelope), so a client that followed the
// redirect would both leak its credential here and take this server's answer for CyberArk's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export interface OtherOrigin {
	url: string;
	received: Received[];
	/** Every header value and body it was sent, as one text to search for secrets. */
	text(): string;
	close(): Promise<void>;
}

export async function startOtherOrigin(): Promise<OtherOrigin> {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			});
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(
				(req.url ?? '').toLowerCase().startsWith('/oauth2/token')
					? JSON.stringify({ access_token: 'other-origin-token', token_type: 'Bearer', expires_in: 3600 })
					: JSON.stringify({ success: true, Result: 'other-origin-result', Message: null }),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		text: () => received.map((r) => JSON.stringify(r.headers) + r.body).join('\n'),
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
