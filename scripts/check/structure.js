#!/usr/bin/env node
// Fails when the code the package ships (nodes/, credentials/) has an import cycle: its modules' runtime
// dependencies must read one way. Type-only imports are left out (they vanish when compiled).
// Usage: node scripts/check/structure.js   (part of npm run lint)
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

function sources(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sources(full);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

function resolve(from, spec) {
	const base = path.resolve(path.dirname(from), spec);
	return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

function graph(files) {
	const edges = new Map();
	for (const file of files) {
		const text = fs.readFileSync(file, 'utf8');
		edges.set(file, [...text.matchAll(IMPORT)].map((m) => resolve(file, m[1])).filter(Boolean));
	}
	return edges;
}

/** Every cycle, as the list of files around it, found by depth-first search. */
function cycles(edges) {
	const found = [];
	const state = new Map();
	const stack = [];
	const visit = (file) => {
		state.set(file, 'open');
		stack.push(file);
		for (const next of edges.get(file) ?? []) {
			if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
			else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of edges.keys()) if (!state.has(file)) visit(file);
	return found;
}

if (require.main === module) {
	const files = ['nodes', 'credentials'].flatMap((d) => sources(path.join(ROOT, d)));
	const found = cycles(graph(files));
	for (const cycle of found)
		console.error(`import cycle: ${cycle.map((f) => path.relative(ROOT, f)).join(' → ')}`);
	if (found.length > 0) process.exit(1);
	console.log(`No import cycle among ${files.length} modules in nodes/ and credentials/.`);
}

module.exports = { cycles, graph };
