import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { toNodeError, tokenError } from '../../../nodes/shared/transport/errors';
import { TokenExchangeError } from '../../../nodes/shared/transport/token';

const node: INode = {
	id: '1',
	name: 'CyberArk Identity',
	type: 'cyberArkIdentity',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('token failures inside the errors n8n wraps them in', () => {
	const failure = () =>
		new TokenExchangeError(
			{
				message: 'CyberArk rejected the client ID or client secret (invalid_client)',
				description: 'Check Client ID.',
			},
			401,
		);

	test('n8n 2.x: the wrapper keeps the original as cause and copies its context', () => {
		const wrapped = new NodeApiError(node, failure() as unknown as JsonObject);
		const error = toNodeError(node, wrapped, 2);
		expect(error.message).toBe('CyberArk rejected the client ID or client secret (invalid_client)');
		expect(error.description).toBe('Check Client ID.');
	});

	test('n8n 1.x: the wrapper drops the original; message, description and context remain', () => {
		const wrapped = new NodeApiError(node, failure() as unknown as JsonObject);
		Object.defineProperty(wrapped, 'cause', { value: undefined });
		const error = tokenError(node, wrapped, 1);
		expect(error.message).toBe('CyberArk rejected the client ID or client secret (invalid_client)');
		expect(error.httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(1);
	});
});
