// A validator for the subset of JSON Schema the node's output schemas use (nodes/CyberArkIdentity/schemas/):
// type (one or a list), properties, required, items. Stricter than JSON Schema on one point: a key an
// object schema does not list is an error, because the editor only offers the keys the schema lists.
// An object schema without `properties` accepts any object.
import type { OutputSchema } from '../nodes/CyberArkIdentity/schemas/schema';

const KNOWN_KEYWORDS = new Set(['type', 'properties', 'items', 'required', 'version']);

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
	switch (type) {
		case 'integer':
			return typeof value === 'number' && Number.isInteger(value);
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		case 'object':
			return typeOf(value) === 'object';
		default:
			return typeOf(value) === type;
	}
}

/** The ways `value` breaks `schema`, each as "path: problem"; empty when it conforms. */
export function validate(value: unknown, schema: OutputSchema, path = '$'): string[] {
	const unknown = Object.keys(schema).filter((k) => !KNOWN_KEYWORDS.has(k));
	if (unknown.length > 0)
		return [`${path}: the schema uses keywords this validator does not check: ${unknown.join(', ')}`];
	const types = [schema.type].flat();
	if (!types.some((t) => matchesType(value, t)))
		return [`${path}: ${JSON.stringify(value)} is not of type ${types.join(' or ')}`];
	const errors: string[] = [];
	if (typeOf(value) === 'object') {
		const object = value as Record<string, unknown>;
		for (const key of schema.required ?? [])
			if (!(key in object)) errors.push(`${path}: missing required key ${key}`);
		if (schema.properties) {
			for (const [key, item] of Object.entries(object)) {
				const property = schema.properties[key];
				if (!property) errors.push(`${path}: key ${key} is not in the schema`);
				else errors.push(...validate(item, property, `${path}.${key}`));
			}
		}
	}
	if (Array.isArray(value) && schema.items)
		value.forEach((item, i) => errors.push(...validate(item, schema.items!, `${path}[${i}]`)));
	return errors;
}
