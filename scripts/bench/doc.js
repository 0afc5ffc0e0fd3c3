'use strict';
// BENCHMARKS.md is written in sections, one per benchmark part, so each can be re-run alone.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const FILE = path.join(__dirname, '..', '..', 'BENCHMARKS.md');
const ORDER = ['in-process', 'real-n8n', 'roster', 'queue'];

function machine() {
	return `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/** A Markdown table: the header row, its rule, one line per row. */
function markdownTable(header, rows) {
	return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Replaces (or adds) one section of BENCHMARKS.md, stamped with the date and the machine. */
function writeSection(name, body) {
	const text = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '';
	const sections = {};
	for (const match of text.matchAll(/<!-- (\S+):start -->\n([\s\S]*?)<!-- \1:end -->/g))
		sections[match[1]] = match[2];
	sections[name] =
		`${body.trim()}\n\n_Measured on ${new Date().toISOString().slice(0, 10)}: ${machine()}._\n`;
	const names = [
		...ORDER.filter((n) => sections[n]),
		...Object.keys(sections).filter((n) => !ORDER.includes(n)),
	];
	const doc = `# Benchmarks\n\nWritten by \`npm run bench\`, one section per part (\`npm run bench -- <part>\` re-runs one). Not timed tests.\n\n${names
		.map((n) => `<!-- ${n}:start -->\n${sections[n]}<!-- ${n}:end -->`)
		.join('\n\n')}\n`;
	fs.writeFileSync(FILE, doc);
}

module.exports = { markdownTable, writeSection, ORDER };
