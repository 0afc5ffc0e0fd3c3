// The structure check of npm run lint (scripts/check/structure.js): import cycles through value, type and
// re-export imports; files over the line limit; functions of every kind over the line limit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { cycles, graph, longFunctions, problems } = require('../../scripts/check/structure');

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'structure-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
	fs.writeFileSync(path.join(dir, name), text);
	return path.join(dir, name);
}

const names = (found: string[][]) => found.map((c) => c.map((f) => path.basename(f)));

test('finds a cycle through a type import, and none in a tree', () => {
	const files = [
		write('a.ts', "import { b } from './b';\nexport const a = b;\n"),
		write('b.ts', "import type { C } from './c';\nexport const b: C = 1;\n"),
		write('c.ts', 'export type C = number;\n'),
	];
	expect(cycles(graph(files))).toEqual([]);
	write('c.ts', "import type { a } from './a';\nexport type C = typeof a;\n");
	expect(names(cycles(graph(files)))).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
});

test('a re-export (export * as) is an import too', () => {
	const files = [
		write('index.ts', "export * as get from './get';\n"),
		write('get.ts', "import { all } from './index';\nexport const one = all;\n"),
	];
	expect(names(cycles(graph(files)))).toEqual([['index.ts', 'get.ts', 'index.ts']]);
});

const body = (lines: number) => Array.from({ length: lines }, (_, i) => `\tconst v${i} = ${i};`).join('\n');

test('functions over the limit, of every kind, by name and first line; the limit itself passes', () => {
	const text = [
		`export function declared() {\n${body(58)}\n}`, // 60 lines: allowed
		`export function tooLong() {\n${body(59)}\n}`, // 61 lines
		`export const arrow = () => {\n${body(59)}\n};`,
		`export class Node {\n\tmethod() {\n${body(59)}\n\t}\n}`,
	].join('\n');
	const found = longFunctions(path.join(dir, 'f.ts'), text, 60);
	expect(found.map((f: { name: string; lines: number }) => [f.name, f.lines])).toEqual([
		['tooLong', 61],
		['arrow', 61],
		['method', 61],
	]);
	expect(found[0].line).toBe(61);
});

test('a file over the limit and a long function are reported; a file at the limit passes', () => {
	const ok = write('ok.ts', `${'export const x = 1;\n'.repeat(300)}`);
	const long = write('long.ts', `${'export const y = 1;\n'.repeat(301)}`);
	const fn = write('fn.ts', `export function big() {\n${body(61)}\n}\n`);
	expect(problems([ok])).toEqual([]);
	const found: string[] = problems([long, fn]);
	expect(found).toHaveLength(2);
	expect(found[0]).toMatch(/long\.ts: 301 lines \(at most 300 per file\)$/);
	expect(found[1]).toMatch(/fn\.ts:1: function big has 63 lines \(at most 60\)$/);
});
