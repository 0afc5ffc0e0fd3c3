// Output schemas in the shape of n8n's own `__schema__` files: the editor fetches
// /schemas/<node type>/<version>/<resource>/<operation>.json and offers the fields for mapping before a
// first run. Each operation module names its schema; these are the pieces they are built from.

type JsonType = 'string' | 'boolean' | 'integer' | 'number' | 'object' | 'array' | 'null';

/** The subset of JSON Schema n8n's output schemas use. */
export interface OutputSchema {
	type: JsonType | JsonType[];
	properties?: Record<string, OutputSchema>;
	items?: OutputSchema;
	required?: string[];
}

/** A schema file: an object schema with the schema format version n8n's files carry. */
export interface OutputSchemaFile extends OutputSchema {
	type: 'object';
	properties: Record<string, OutputSchema>;
	version: 1;
}

export type { JsonType };

export const STRING: OutputSchema = { type: 'string' };
export const BOOLEAN: OutputSchema = { type: 'boolean' };
export const INTEGER: OutputSchema = { type: 'integer' };
export const NULLABLE_STRING: OutputSchema = { type: ['string', 'null'] };
export const STRINGS: OutputSchema = { type: 'array', items: STRING };

/** Roles in a list, each with its name: `[{id, name}]` (name null for a role the tenant does not list). */
export const NAMED_ROLES: OutputSchema = {
	type: 'array',
	items: { type: 'object', properties: { id: STRING, name: NULLABLE_STRING }, required: ['id', 'name'] },
};

/** The schema of an output item with these properties, of which `required` are always there. */
export function itemSchema(properties: Record<string, OutputSchema>, required: string[]): OutputSchemaFile {
	return { type: 'object', properties, required, version: 1 };
}
