import {
	ENDPOINT_LIMIT,
	Pacer,
	TENANT_LIMIT,
	TokenBucket,
	withHeadroom,
} from '../../../nodes/shared/transport/pacing';

/** Reserves `count` tokens at `now` and returns the waits. */
function reserveMany(bucket: TokenBucket, count: number, now: number): number[] {
	return Array.from({ length: count }, () => bucket.reserve(now));
}

describe('TokenBucket', () => {
	test('a full bucket lets the burst through at once, then spaces requests at the rate', () => {
		const bucket = new TokenBucket({ rate: 90, burst: 150 }, 0);
		const waits = reserveMany(bucket, 160, 0);
		expect(waits.slice(0, 150).every((w) => w === 0)).toBe(true);
		expect(waits[150]).toBeCloseTo(1000 / 90, 5);
		expect(waits[159]).toBeCloseTo((10 * 1000) / 90, 5);
	});

	test('refills at the rate, never above the burst', () => {
		const bucket = new TokenBucket({ rate: 10, burst: 5 }, 0);
		reserveMany(bucket, 5, 0);
		expect(bucket.reserve(0)).toBeCloseTo(100, 5); // empty: the next token in 1/10 s
		// 10 s later the bucket holds the burst (5), not 100.
		expect(reserveMany(bucket, 5, 10_000).every((w) => w === 0)).toBe(true);
		expect(bucket.reserve(10_000)).toBeGreaterThan(0);
	});

	test('sustained over a long run: N requests take (N - burst) / rate seconds', () => {
		const bucket = new TokenBucket({ rate: 90, burst: 150 }, 0);
		const waits = reserveMany(bucket, 2000, 0);
		expect(Math.max(...waits) / 1000).toBeCloseTo((2000 - 150) / 90, 3);
	});

	test('a 429 lowers the rate to a little under what the tenant accepted over the last second; it recovers additively', () => {
		const bucket = new TokenBucket({ rate: 90, burst: 150 }, 0);
		for (let t = 10; t < 1000; t += 50) bucket.succeeded(t); // 20 accepted in the last second
		bucket.rateLimited(1000);
		expect(bucket.rate(1000)).toBeCloseTo(0.95 * 20, 5);
		// More 429s in the same storm lower it further, multiplicatively.
		bucket.rateLimited(1000);
		expect(bucket.rate(1000)).toBeCloseTo(0.95 * 0.95 * 20, 5);
		// +1 % of the configured rate per second, up to the configured rate.
		expect(bucket.rate(11_000)).toBeCloseTo(0.95 * 0.95 * 20 + 9, 5);
		expect(bucket.rate(200_000)).toBe(90);
	});

	test('accepted requests older than a second do not count; never below 5 % of the configured rate', () => {
		const bucket = new TokenBucket({ rate: 100, burst: 10 }, 0);
		for (let t = 0; t < 100; t++) bucket.succeeded(t);
		bucket.rateLimited(5000);
		expect(bucket.rate(5000)).toBe(5);
	});

	test('a 429 empties the bucket: what the burst allowed was too much', () => {
		const bucket = new TokenBucket({ rate: 10, burst: 100 }, 0);
		bucket.rateLimited(0);
		expect(bucket.reserve(0)).toBeGreaterThan(0);
	});

	test('Retry-After holds every reservation until it has passed', () => {
		const bucket = new TokenBucket({ rate: 1000, burst: 1000 }, 0);
		bucket.rateLimited(0, 3000);
		expect(bucket.reserve(0)).toBe(3000);
		expect(bucket.reserve(2000)).toBe(1000);
		expect(bucket.reserve(3000)).toBe(0);
	});
});

describe('Pacer', () => {
	test('one bucket per tenant and endpoint, shared by every run that uses the pacer', () => {
		let now = 0;
		const pacer = new Pacer(() => now);
		const runA = Array.from({ length: 100 }, () =>
			pacer.reserve('https://a.example', '/CDirectoryService/CreateUser'),
		);
		const runB = Array.from({ length: 100 }, () =>
			pacer.reserve('https://a.example', '/CDirectoryService/CreateUser'),
		);
		// Two runs at once share the endpoint's burst (120: the documented 150 less the headroom): the second run's last 80 wait.
		expect(withHeadroom(ENDPOINT_LIMIT).burst).toBe(120);
		expect(runA.every((w) => w === 0)).toBe(true);
		expect(runB.filter((w) => w > 0)).toHaveLength(80);
		// Another endpoint and another tenant have their own buckets.
		expect(pacer.reserve('https://a.example', '/CDirectoryService/ChangeUser')).toBe(0);
		expect(pacer.reserve('https://b.example', '/CDirectoryService/CreateUser')).toBe(0);
		now = 10_000;
		expect(pacer.reserve('https://a.example', '/CDirectoryService/CreateUser')).toBe(0);
	});

	test('paths are case-insensitive, as CyberArk treats them', () => {
		const pacer = new Pacer(() => 0);
		for (let i = 0; i < 120; i++) pacer.reserve('https://a.example', '/CDirectoryService/CreateUser');
		expect(pacer.reserve('https://a.example', '/cdirectoryservice/createuser')).toBeGreaterThan(0);
	});

	test('the tenant bucket bounds all endpoints together', () => {
		const pacer = new Pacer(() => 0);
		const waits: number[] = [];
		for (let e = 0; e < 40; e++)
			for (let i = 0; i < 100; i++) waits.push(pacer.reserve('https://a.example', `/Endpoint${e}`));
		expect(waits.filter((w) => w === 0)).toHaveLength(withHeadroom(TENANT_LIMIT).burst);
	});

	test('Max Requests per Second replaces the documented rate and scales the burst', () => {
		const pacer = new Pacer(() => 0);
		const waits = Array.from({ length: 40 }, () => pacer.reserve('https://a.example', '/x', 20));
		const { rate, burst } = withHeadroom({ rate: 20, burst: Math.round((150 / 90) * 20) });
		expect(waits.filter((w) => w === 0)).toHaveLength(burst);
		expect(waits[39]).toBeCloseTo(((40 - burst) * 1000) / rate, 5);
	});

	test('a 429 slows that endpoint only', () => {
		let now = 0;
		const pacer = new Pacer(() => now);
		pacer.reserve('https://a.example', '/x');
		pacer.reserve('https://a.example', '/y');
		now = 1000;
		pacer.rateLimited('https://a.example', '/x', 2000);
		expect(pacer.reserve('https://a.example', '/x')).toBe(2000);
		expect(pacer.reserve('https://a.example', '/y')).toBe(0);
	});

	test('keeps a bounded number of buckets', () => {
		const pacer = new Pacer(() => 0);
		for (let i = 0; i < 2000; i++) pacer.reserve(`https://t${i}.example`, '/x');
		expect(pacer.size).toBeLessThanOrEqual(500);
	});
});
