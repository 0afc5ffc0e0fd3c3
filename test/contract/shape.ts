// Key paths of an answer, to compare answers by shape: `.Results[].Row.Name` and the like. Values
// are ignored, except that a scalar Result is told by its type.

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every key path of `value`; an array's items share the path `<array>[]`. */
export function keyPaths(value: unknown, prefix = ''): string[] {
	if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
	if (!isObject(value)) return prefix === '' ? [`(${value === null ? 'null' : typeof value})`] : [];
	return Object.entries(value).flatMap(([key, item]) => [
		`${prefix}.${key}`,
		...keyPaths(item, `${prefix}.${key}`),
	]);
}

/** The key paths several shapes show together. */
export function union(results: unknown[]): Set<string> {
	return new Set(results.flatMap((r) => keyPaths(r)));
}

/** What `actual` has that `expected` lacks, and what it lacks that `expected` has. */
export function compare(
	actual: Iterable<string>,
	expected: Set<string>,
): { extra: string[]; missing: string[] } {
	const seen = new Set(actual);
	return {
		extra: [...seen].filter((p) => !expected.has(p)).sort(),
		missing: [...expected].filter((p) => !seen.has(p)).sort(),
	};
}
