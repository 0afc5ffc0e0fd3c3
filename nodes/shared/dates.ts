// CyberArk's dates: `/Date(ms)/` in answers (Microsoft's JSON date form, sometimes with a zone offset such
// as `/Date(1700000000000+0000)/`, which names the writer's zone and does not change the instant).

const DOTNET_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/** Milliseconds of a CyberArk date (`/Date(ms)/`, a number of ms or an ISO 8601 string); undefined when unreadable. */
export function cyberArkTime(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || value === '') return undefined;
	const match = DOTNET_DATE.exec(value);
	if (match) return Number(match[1]);
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : undefined;
}

/** `/Date(ms)/` as ISO 8601; null when absent; any other value passed on as text. */
export function cyberArkDate(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	return DOTNET_DATE.test(String(value))
		? new Date(cyberArkTime(String(value))!).toISOString()
		: String(value);
}
