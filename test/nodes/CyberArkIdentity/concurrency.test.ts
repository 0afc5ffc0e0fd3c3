import { concurrencyOf, MAX_CONCURRENCY } from '../../../nodes/CyberArkIdentity/descriptions/options';
import { mapConcurrent } from '../../../nodes/shared/concurrency';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mapConcurrent', () => {
	test('keeps index order whatever the completion order, and never runs more than the bound', async () => {
		let running = 0;
		let peak = 0;
		const outcomes = await mapConcurrent(
			30,
			5,
			async (i) => {
				running++;
				peak = Math.max(peak, running);
				await wait((30 - i) % 7);
				running--;
				return { i };
			},
			false,
		);
		expect(outcomes.map((o) => (o?.ok ? o.value.i : null))).toEqual([...Array(30).keys()]);
		expect(peak).toBe(5);
	});

	test('records failures in place and goes on without stopOnError', async () => {
		const outcomes = await mapConcurrent(
			6,
			3,
			async (i) => {
				if (i % 2) throw new Error(`bad ${i}`);
				return [{ i }, { i }];
			},
			false,
		);
		expect(outcomes.map((o) => (o!.ok ? o!.value.length : (o!.error as Error).message))).toEqual([
			2,
			'bad 1',
			2,
			'bad 3',
			2,
			'bad 5',
		]);
	});

	test('starts nothing new after a failure with stopOnError', async () => {
		const started: number[] = [];
		const outcomes = await mapConcurrent(
			50,
			4,
			async (i) => {
				started.push(i);
				await wait(5);
				if (i === 2) throw new Error('stop');
				return {};
			},
			true,
		);
		expect(started.length).toBeLessThan(10);
		expect(outcomes.filter((o) => o === undefined).length).toBe(50 - started.length);
	});

	test('handles fewer items than workers, and none', async () => {
		expect((await mapConcurrent(2, 20, async () => ({}), false)).length).toBe(2);
		expect(await mapConcurrent(0, 20, async () => ({}), false)).toEqual([]);
	});
});

test('concurrencyOf bounds the option', () => {
	expect(concurrencyOf({})).toBe(1);
	expect(concurrencyOf({ concurrency: 10 })).toBe(10);
	expect(concurrencyOf({ concurrency: 7.9 })).toBe(7);
	expect(concurrencyOf({ concurrency: 0 })).toBe(1);
	expect(concurrencyOf({ concurrency: 500 })).toBe(MAX_CONCURRENCY);
	expect(concurrencyOf({ concurrency: 'x' })).toBe(1);
});
