#!/usr/bin/env node
// The structure of the code the package ships (nodes/, credentials/), checked with the TypeScript compiler's
// parser: no import cycle (its modules' dependencies read one way; type imports count, as they tie the
// modules together just the same), no file over 300 lines, no function over 60 lines.
// Usage: node scripts/check/structure.js   (part of npm run lint)
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.join(__dirname, '..', '..');
const LIMITS = { fileLines: 300, functionLines: 60 };

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

/** The module names a file imports from: import, import type, export … from, import x = require(…). */
function importsOf(source) {
	return source.statements.flatMap((statement) => {
		if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))
			return statement.moduleSpecifier ? [statement.moduleSpecifier.getText(source).slice(1, -1)] : [];
		if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference))
			return [statement.moduleReference.expression.getText(source).slice(1, -1)];
		return [];
	});
}

function parse(file, text = fs.readFileSync(file, 'utf8')) {
	return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}

/** Each file's relative imports, resolved to files. */
function graph(files) {
	const edges = new Map();
	for (const file of files) {
		const relative = importsOf(parse(file)).filter((spec) => spec.startsWith('.'));
		edges.set(file, relative.map((spec) => resolve(file, spec)).filter(Boolean));
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

function lineCount(text) {
	return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** A function's name as a reader finds it: its own, or the variable or property it is assigned to. */
function functionName(node, source) {
	const named = node.name ?? (node.parent && 'name' in node.parent ? node.parent.name : undefined);
	if (named) return named.getText(source);
	return ts.isConstructorDeclaration(node) ? 'constructor' : '(anonymous)';
}

/** Every function (declaration, method, arrow, expression, accessor) longer than `max` lines, outermost first. */
function longFunctions(file, text, max = LIMITS.functionLines) {
	const source = parse(file, text);
	const found = [];
	const visit = (node) => {
		if (ts.isFunctionLike(node) && 'body' in node && node.body) {
			const line = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
			const start = line(node.getStart(source));
			const lines = line(node.getEnd()) - start + 1;
			if (lines > max) found.push({ name: functionName(node, source), line: start, lines });
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** What breaks the structure rules in these files, one message each. */
function problems(files, limits = LIMITS) {
	const name = (f) => path.relative(ROOT, f);
	const found = cycles(graph(files)).map((c) => `import cycle: ${c.map(name).join(' → ')}`);
	for (const file of files) {
		const text = fs.readFileSync(file, 'utf8');
		const lines = lineCount(text);
		if (lines > limits.fileLines)
			found.push(`${name(file)}: ${lines} lines (at most ${limits.fileLines} per file)`);
		for (const fn of longFunctions(file, text, limits.functionLines))
			found.push(
				`${name(file)}:${fn.line}: function ${fn.name} has ${fn.lines} lines (at most ${limits.functionLines})`,
			);
	}
	return found;
}

if (require.main === module) {
	const files = ['nodes', 'credentials'].flatMap((d) => sources(path.join(ROOT, d)));
	const found = problems(files);
	for (const problem of found) console.error(problem);
	if (found.length > 0) process.exit(1);
	console.log(
		`Structure: ${files.length} modules in nodes/ and credentials/, no import cycle, none over ${LIMITS.fileLines} lines, no function over ${LIMITS.functionLines}.`,
	);
}

module.exports = { cycles, graph, longFunctions, problems, LIMITS };
