'use strict';
// npm run bench [-- <part> ...] [--<option>=<value> ...] [--no-write]
// Runs the named benchmark parts (all of them, in BENCHMARKS.md's order, when none is named), prints each
// part's table and writes its section of BENCHMARKS.md (not with --no-write). The parts, one file each:
//   in-process  the built node in n8n-core's WorkflowExecute against a raw axios loop, peak memory
//   real-n8n    the node in a real n8n 2.41.1 against n8n's HTTP Request node, concurrency, rate limits
//   roster      a nightly HR roster through Create or Update: --size=2000 --change=0.02 --concurrency=4
//               --knobs='{"latencyMs":0}' --limits=off
//   queue       queue mode (main + workers, PostgreSQL, Redis): --workers=1,2 --senders=10 --per-sender=100
//               --knobs='{...}' --limits=off
// Each part exports `bench(options)` (options as typed, strings) → { section, title, table, markdown }.
const { ORDER, writeSection } = require('./doc');

/** The named parts and the --key=value options (--flag alone is "true"). */
function parseArgs(argv) {
	const parts = [];
	const options = {};
	for (const arg of argv) {
		const option = /^--([^=]+)(?:=(.*))?$/.exec(arg);
		if (option) options[option[1]] = option[2] ?? 'true';
		else parts.push(arg);
	}
	const unknown = parts.filter((p) => !ORDER.includes(p));
	if (unknown.length)
		throw new Error(`No benchmark part ${unknown.join(', ')}; the parts are ${ORDER.join(', ')}`);
	return { parts: parts.length ? parts : ORDER, options };
}

async function main() {
	const { parts, options } = parseArgs(process.argv.slice(2));
	for (const part of parts) {
		console.log(`== ${part}`);
		const result = await require(`./${part}`).bench(options);
		console.log(`${result.title}\n\n${result.table}\n`);
		if (options['no-write'] === undefined) {
			writeSection(part, result.markdown);
			console.log(`Written to BENCHMARKS.md (${part})\n`);
		}
	}
}

module.exports = { parseArgs };

if (require.main === module) {
	main().then(
		// Stopped servers can leave handles behind (n8n's sockets); the run is over.
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
