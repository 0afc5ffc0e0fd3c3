// npm run scan: n8n's community-package scanner (@n8n/scan-community-package) on the packed tarball,
// exactly as verification analyses a published package. Run `npm run build` first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
try {
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: root,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop();
	execFileSync('tar', ['xzf', path.join(work, tarball), '-C', work]);
	const result = await analyzePackage(path.join(work, 'package'));
	console.log(result.passed ? 'scanner: passed' : `scanner: ${result.message}\n${result.details ?? ''}`);
	process.exitCode = result.passed ? 0 : 1;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
