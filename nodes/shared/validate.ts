// Local checks of what a workflow passes in, run before anything is sent. Each failure says which
// field is wrong and how to fix it.
import { InvalidInput } from './transport/errors';

const MAX_TEXT = 256;
const LOGIN_LOCAL = /^[A-Za-z0-9+\-_.]+$/;
const DOMAIN =
	/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const PHONE = /^\+?[0-9 ().\-/]+$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Line breaks, tabs and the other C0 control characters, and DEL. */
function hasControlCharacter(value: string): boolean {
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		if (code < 0x20 || code === 0x7f) return true;
	}
	return false;
}

function kind(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A text value, trimmed; undefined when absent or empty. Numbers are accepted as text
 * (a phone number from a spreadsheet arrives as one); objects and lists are not.
 */
export function text(value: unknown, field: string, max = MAX_TEXT): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
	if (typeof value !== 'string') {
		throw new InvalidInput(
			`${field} must be text, but the value is ${kind(value)}`,
			`Set ${field} to a text value; if it comes from an expression, point it at a text field of the input item.`,
		);
	}
	const trimmed = value.trim();
	if (trimmed === '') return undefined;
	if (trimmed.length > max) {
		throw new InvalidInput(
			`${field} is too long (${trimmed.length} characters, at most ${max})`,
			`Shorten ${field} to ${max} characters or fewer.`,
		);
	}
	if (hasControlCharacter(trimmed)) {
		throw new InvalidInput(
			`${field} contains a control character (such as a line break or tab)`,
			`Remove line breaks, tabs and other invisible characters from ${field}.`,
		);
	}
	return trimmed;
}

/** A value that must be present: an empty expression result is the usual culprit. */
export function requiredText(value: unknown, field: string, example: string, max = MAX_TEXT): string {
	const result = text(value, field, max);
	if (result === undefined) {
		throw new InvalidInput(
			`${field} is empty`,
			`Set ${field}, e.g. ${example}. If it comes from an expression, check that the input item has that field (the expression resolved to nothing).`,
		);
	}
	return result;
}

/** A CyberArk login name: `name@suffix`, letters, digits and + - _ . before the @. */
export function loginName(value: unknown, field = 'User Name'): string {
	const name = requiredText(value, field, 'jane.doe@acme.example');
	const at = name.lastIndexOf('@');
	if (at < 0) {
		throw new InvalidInput(
			`${field} "${name}" has no login suffix`,
			`Write ${field} as name@suffix, e.g. ${name}@acme.example, where the suffix is one of your tenant's login suffixes (Admin Portal > Settings > Customization > Suffix).`,
		);
	}
	const local = name.slice(0, at);
	const suffix = name.slice(at + 1);
	if (!local)
		throw new InvalidInput(
			`${field} "${name}" has nothing before the @`,
			`Write ${field} as name@suffix, e.g. jane.doe@${suffix || 'acme.example'}.`,
		);
	if (!LOGIN_LOCAL.test(local)) {
		const bad = [...new Set([...local].filter((c) => !/[A-Za-z0-9+\-_.]/.test(c)))].map((c) =>
			c === ' ' ? 'space' : `"${c}"`,
		);
		throw new InvalidInput(
			`${field} "${name}" contains characters CyberArk does not allow: ${bad.join(', ')}`,
			`Use only letters A-Z, digits and + - _ . before the @ in ${field}.`,
		);
	}
	if (!suffix || !DOMAIN.test(suffix)) {
		throw new InvalidInput(
			`${field} "${name}" has an invalid login suffix "${suffix}"`,
			`The part after the @ must be one of your tenant's login suffixes, e.g. acme.example.`,
		);
	}
	return name;
}

/**
 * An e-mail address. A backslash is refused here, for the row it is in: an address is put into Redrock
 * queries (Create or Update reads the roster by e-mail), which refuse a backslash (redrock.ts).
 */
export function email(value: unknown, field = 'Email'): string | undefined {
	const address = text(value, field);
	if (address !== undefined && !EMAIL.test(address)) {
		throw new InvalidInput(
			`${field} "${address}" is not an e-mail address`,
			`Set ${field} to an address like jane.doe@acme.example, or leave it empty.`,
		);
	}
	if (address?.includes('\\')) {
		throw new InvalidInput(
			`${field} "${address}" contains a backslash (\\), which CyberArk's queries cannot take`,
			`Remove the backslash from ${field}; addresses in use practically never have one.`,
		);
	}
	return address;
}

export function phone(value: unknown, field: string): string | undefined {
	const number = text(value, field, 40);
	if (number === undefined) return undefined;
	const digits = number.replace(/\D/g, '').length;
	if (!PHONE.test(number) || digits < 4 || digits > 20) {
		throw new InvalidInput(
			`${field} "${number}" is not a phone number`,
			`Set ${field} to digits with an optional leading +, e.g. +1 555 0100; spaces, dashes and parentheses are fine.`,
		);
	}
	return number;
}

export function uuid(value: unknown, field: string): string | undefined {
	const id = text(value, field, 64);
	if (id !== undefined && !UUID.test(id)) {
		throw new InvalidInput(
			`${field} "${id}" is not a CyberArk user ID`,
			`Set ${field} to a user's UUID such as c2c7bcc6-9560-44e0-8dff-5be221cd37ee (the "id" a Get or Create User operation outputs).`,
		);
	}
	return id;
}

/** A switch; expressions may give "true"/"false" strings. Undefined when absent. */
export function flag(value: unknown, field: string): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
		return value.trim().toLowerCase() === 'true';
	const given = typeof value === 'string' ? `the text "${value.slice(0, 40)}"` : kind(value);
	throw new InvalidInput(
		`${field} must be true or false, but the value is ${given}`,
		`Set ${field} to true or false.`,
	);
}

/**
 * A switch that guards a write (Dry Run, Active, Deprovision Missing Users): true or false, or the texts
 * "true"/"false" an expression gives. Anything else, an empty value included, is an error: a switch that
 * cannot be read must never be taken for either position.
 */
export function requiredFlag(value: unknown, field: string): boolean {
	const checked = flag(value, field);
	if (checked === undefined) {
		throw new InvalidInput(
			`${field} must be true or false, but the value is empty`,
			`Set ${field} to true or false; if it comes from an expression, make it give true or false (or the text "true" or "false").`,
		);
	}
	return checked;
}

/** A password: sent as typed (spaces may matter), never echoed in a message. */
export function password(value: unknown, field = 'Password'): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') {
		throw new InvalidInput(
			`${field} must be text, but the value is ${kind(value)}`,
			`Set ${field} to a text value.`,
		);
	}
	if (value.length > MAX_TEXT)
		throw new InvalidInput(
			`${field} is too long (at most ${MAX_TEXT} characters)`,
			`Use a shorter ${field}.`,
		);
	if (hasControlCharacter(value))
		throw new InvalidInput(
			`${field} contains a control character`,
			`Remove line breaks and tabs from ${field}.`,
		);
	return value;
}
