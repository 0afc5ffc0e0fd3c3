'use strict';
// Preloaded into a benchmarked n8n process (NODE_OPTIONS=--require …): on exit, writes the CPU time the
// process used (user + system, ms) to the file CPU_REPORT_FILE names. Not part of the package.
const fs = require('node:fs');

const file = process.env.CPU_REPORT_FILE;
if (file) {
	process.on('exit', () => {
		const { user, system } = process.cpuUsage();
		fs.writeFileSync(file, String((user + system) / 1000));
	});
}
