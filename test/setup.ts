// Runs before any test module loads, so n8n-core's logger (winston, which binds console.log when it
// is created) writes into this list: tests check that no secret reaches a log line.
const lines: string[] = [];
(globalThis as { capturedLogs?: string[] }).capturedLogs = lines;
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	console[level] = (...args: unknown[]) => {
		lines.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
	};
}
// winston writes straight to console._stdout / console._stderr when they exist.
const sink = { write: (text: string) => lines.push(String(text)) };
Object.assign(console, { _stdout: sink, _stderr: sink });
