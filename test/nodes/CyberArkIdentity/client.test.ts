import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { unwrapEnvelope } from '../../../nodes/shared/transport/client';
import { CyberArkError, UncertainOutcomeError } from '../../../nodes/shared/transport/errors';

const node: INode = {
	id: '1',
	name: 'CyberArk Identity',
	type: 'cyberArkIdentity',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('unwrapEnvelope', () => {
	test('returns Result of a successful envelope', () => {
		expect(unwrapEnvelope(node, '/x', { success: true, Result: 'uuid-1', Message: null })).toBe('uuid-1');
		expect(unwrapEnvelope(node, '/x', { success: true })).toBeNull();
		expect(unwrapEnvelope(node, '/x', '{"success":true,"Result":{"a":1}}')).toEqual({ a: 1 });
	});

	test("turns success:false into a NodeApiError with CyberArk's Message verbatim", () => {
		let error: CyberArkError | undefined;
		try {
			unwrapEnvelope(
				node,
				'/Roles/UpdateRole',
				{ success: false, Result: null, Message: 'The role "x" does not exist.', ErrorID: 'abc:1' },
				3,
			);
		} catch (e) {
			error = e as CyberArkError;
		}
		expect(error).toBeInstanceOf(CyberArkError);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('The role "x" does not exist.');
		expect(error!.description).toContain('/Roles/UpdateRole');
		expect(error!.description).toContain('abc:1');
		expect(error!.context.itemIndex).toBe(3);
	});

	test('a value CyberArk echoes back from the request is masked in the error', () => {
		expect(() =>
			unwrapEnvelope(
				node,
				'/UserMgmt/ResetUserPassword',
				{ success: false, Message: 'Password Weak-Pass1 was used before.' },
				0,
				['Weak-Pass1'],
			),
		).toThrow('Password *** was used before.');
	});

	test('success:false without a message still fails', () => {
		expect(() => unwrapEnvelope(node, '/x', { success: false, Message: null })).toThrow(
			'CyberArk refused /x without a message',
		);
	});

	test.each([['<html>login</html>'], ['{"success":tr'], [null], [{ Result: 1 }], [42]])(
		'a body that is not an envelope (%j) is an uncertain outcome',
		(body) => {
			expect(() => unwrapEnvelope(node, '/x', body)).toThrow(UncertainOutcomeError);
			expect(() => unwrapEnvelope(node, '/x', body)).toThrow(/not a CyberArk response/);
		},
	);
});
