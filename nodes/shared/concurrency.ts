/** How one task ended: its result, or what it threw. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Calls `task` for indexes 0..count-1 with at most `concurrency` running at once, and returns how each
 * ended, in index order whatever the order of completion. After a failure with `stopOnError`, no new
 * task starts (their places stay undefined); those already running finish.
 */
export async function mapConcurrent<T>(
	count: number,
	concurrency: number,
	task: (index: number) => Promise<T>,
	stopOnError: boolean,
): Promise<Array<Settled<T> | undefined>> {
	const settled: Array<Settled<T> | undefined> = Array.from({ length: count }, () => undefined);
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < count) {
			const index = next++;
			try {
				settled[index] = { ok: true, value: await task(index) };
			} catch (error) {
				settled[index] = { ok: false, error };
				if (stopOnError) stopped = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return settled;
}
