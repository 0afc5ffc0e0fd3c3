// npm run bench's runner (scripts/bench/run.js): every part when none is named, one or more named parts
// in the order given, options passed on, and an unknown part refused before anything runs.
const { parseArgs } = require('../../scripts/bench/run');

test('no part named: every part, in the order of BENCHMARKS.md', () => {
	expect(parseArgs([])).toEqual({ parts: ['in-process', 'real-n8n', 'roster', 'queue'], options: {} });
});

test('named parts and their options; a flag alone is "true"', () => {
	expect(parseArgs(['roster', '--size=200', '--knobs={"latencyMs":5}', '--no-write'])).toEqual({
		parts: ['roster'],
		options: { size: '200', knobs: '{"latencyMs":5}', 'no-write': 'true' },
	});
});

test('an unknown part is refused, naming the parts there are', () => {
	expect(() => parseArgs(['roster', 'n8n'])).toThrow(
		'No benchmark part n8n; the parts are in-process, real-n8n, roster, queue',
	);
});
