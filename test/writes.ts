// The write endpoints of the endpoint table (nodes/shared/endpoints.ts) as the sandbox counts calls (by
// lower-case path), and the writes among a sandbox's call counters: what tests of "nothing written" read.
import { ENDPOINT } from '../nodes/shared/endpoints';

export const WRITE_PATHS: readonly string[] = Object.values(ENDPOINT)
	.filter((e) => e.kind === 'write')
	.map((e) => e.path.toLowerCase());

/** The write calls among the sandbox's counters (`sandbox.counters.calls`), by path. */
export function writesByPath(calls: Record<string, unknown>): Record<string, number> {
	const seen: Record<string, number> = {};
	for (const [path, count] of Object.entries(calls))
		if (WRITE_PATHS.includes(path)) seen[path] = count as number;
	return seen;
}

/** How many write calls the sandbox's counters hold. */
export function writeCount(calls: Record<string, unknown>): number {
	return Object.values(writesByPath(calls)).reduce((n, c) => n + c, 0);
}
