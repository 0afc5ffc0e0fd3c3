import { createHash } from 'node:crypto';

import { sha256Hex } from '../../../nodes/CyberArkIdentity/sha256';

describe('sha256Hex', () => {
	test.each([
		['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
		['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
		[
			'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
			'248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
		],
	])('the FIPS 180 test vector %j', (text, expected) => {
		expect(sha256Hex(text)).toBe(expected);
	});

	test("matches Node's own SHA-256 at every length around the block boundaries, and for non-ASCII text", () => {
		for (let n = 0; n < 200; n++) {
			const text = 'x'.repeat(n) + (n % 3 === 0 ? 'é€😀' : '');
			expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
		}
	});
});
