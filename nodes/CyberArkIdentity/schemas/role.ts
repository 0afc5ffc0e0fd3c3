// The output schemas of the role operations that output a role.
import type { OutputSchema, OutputSchemaFile } from './schema';
import { BOOLEAN, itemSchema, NULLABLE_STRING, STRING } from './schema';

/** A role as simplifyRole gives it, with the flags an operation adds (`created`, `updated`, `deleted`). */
export function roleSchema(flags: { created?: true; updated?: true; deleted?: true } = {}): OutputSchemaFile {
	const properties: Record<string, OutputSchema> = { id: STRING, name: STRING, description: NULLABLE_STRING };
	for (const flag of Object.keys(flags)) properties[flag] = BOOLEAN;
	const required = [
		'id',
		'name',
		...(flags.deleted ? ['deleted'] : []),
		...(flags.created ? ['created'] : []),
	];
	return itemSchema(properties, required);
}
