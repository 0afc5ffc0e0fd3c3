// The import-cycle check of npm run lint (scripts/check/structure.js) finds cycles through value and type imports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { cycles, graph } = require('../../scripts/check/structure');

test('finds a cycle through a type import, and none in a tree', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
	const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
	write('a.ts', "import { b } from './b';\nexport const a = b;\n");
	write('b.ts', "import type { C } from './c';\nexport const b: C = 1;\n");
	write('c.ts', 'export type C = number;\n');
	const files = ['a.ts', 'b.ts', 'c.ts'].map((f) => path.join(dir, f));
	expect(cycles(graph(files))).toEqual([]);
	write('c.ts', "import type { a } from './a';\nexport type C = typeof a;\n");
	expect(cycles(graph(files)).map((c: string[]) => c.map((f) => path.basename(f)))).toEqual([
		['a.ts', 'b.ts', 'c.ts', 'a.ts'],
	]);
	fs.rmSync(dir, { recursive: true, force: true });
});
