// Extended (custom) user attributes: CyberArk's ExtData table "users", the columns an admin defines under
// Settings > Users > Additional Attributes (employee ID, cost center, ...). Read with GetColumns, written
// with SetColumns, as cyberark/idsec-sdk-golang's users service does: GetColumns answers a flat object
// of column → value; SetColumns is sent with every column, the read values with the new ones applied,
// because whether it keeps the columns it is not sent is unconfirmed. Pure pieces (parameter → values,
// answer → values, merge) beside the two calls.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ApiCall } from '../../shared/endpoints';
import { ENDPOINT } from '../../shared/endpoints';
import { UnexpectedAnswer } from '../../shared/readers';
import type { CyberArkClient } from '../../shared/transport/client';
import { InvalidInput } from '../../shared/transport/errors';
import { requiredText, text } from '../../shared/validate';
import type { OutputSchema } from '../schemas/schema';

/** Attribute values as the node sends them: name → text ("" clears the attribute). */
export type Attributes = Record<string, string>;

/** Attribute values as CyberArk answers them. */
export type Columns = Record<string, string | number | boolean | null>;

const MAX_VALUE = 1024;

export const extendedAttributesField: INodeProperties = {
	displayName: 'Extended Attributes',
	name: 'extendedAttributes',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Attribute',
	default: {},
	description:
		"The user's additional attributes (Admin Portal > Settings > Users > Additional Attributes), by their name. Attributes not given keep their values; an empty value clears one.",
	options: [
		{
			displayName: 'Attribute',
			name: 'attribute',
			values: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. EmployeeID',
					description: "The attribute's name as defined in the tenant (not its title)",
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					placeholder: 'e.g. E-10042',
				},
			],
		},
	],
};

/** The schema of the attribute values an operation outputs. */
export const attributesSchema: OutputSchema = { type: 'object' };

/**
 * The attributes an Extended Attributes parameter gives: name → value, checked. A name given twice
 * (ignoring case) is refused: which value should win?
 */
export function attributesFrom(parameter: unknown, field = 'Extended Attributes'): Attributes {
	if (parameter === undefined || parameter === null || parameter === '') return {};
	const list = (parameter as IDataObject).attribute;
	if (typeof parameter !== 'object' || (list !== undefined && !Array.isArray(list))) {
		throw new InvalidInput(
			`${field} must be a list of attributes with a name and a value`,
			`Add each attribute under ${field} with its name and value.`,
		);
	}
	const attributes: Attributes = {};
	const seen = new Set<string>();
	for (const entry of (list ?? []) as IDataObject[]) {
		const name = requiredText(entry?.name, `${field}: Name`, 'EmployeeID');
		if (seen.has(name.toLowerCase())) {
			throw new InvalidInput(
				`${field}: the attribute "${name}" is given twice`,
				`Give each attribute once under ${field}.`,
			);
		}
		seen.add(name.toLowerCase());
		const raw = typeof entry.value === 'boolean' ? String(entry.value) : entry.value;
		attributes[name] = text(raw, `${field}: ${name}`, MAX_VALUE) ?? '';
	}
	return attributes;
}

export function getColumnsCall(userId: string): ApiCall {
	return { endpoint: ENDPOINT.getExtendedAttributes, body: { Table: 'users', ID: userId } };
}

export function setColumnsCall(userId: string, columns: Columns): ApiCall {
	return { endpoint: ENDPOINT.setExtendedAttributes, body: { Table: 'users', ID: userId, Columns: columns } };
}

function isScalar(value: unknown): value is string | number | boolean | null {
	return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * The attribute values of a GetColumns answer: a flat object of column → value (null for none). Any
 * other shape stops the item, so that a misread answer is never written back over the user's values.
 */
export function columnsOf(result: unknown): Columns {
	if (result === null || result === undefined) return {};
	if (typeof result !== 'object' || Array.isArray(result) || !Object.values(result).every(isScalar)) {
		throw new UnexpectedAnswer(
			ENDPOINT.getExtendedAttributes.path,
			'attribute values as a flat object of name → value',
			result,
		);
	}
	return { ...(result as Columns) };
}

/** A key of `columns` that is `name` ignoring case (CyberArk's spelling wins), or `name`. */
function keyFor(columns: Columns, name: string): string {
	return Object.keys(columns).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

/** The columns to write back, the given values applied to the current ones, and the names that change. */
export function mergeColumns(current: Columns, given: Attributes): { columns: Columns; changed: string[] } {
	const columns: Columns = { ...current };
	const changed: string[] = [];
	for (const [name, value] of Object.entries(given)) {
		const key = keyFor(current, name);
		const before = current[key];
		if ((before === null || before === undefined ? '' : String(before)) !== value) changed.push(key);
		columns[key] = value;
	}
	return { columns, changed };
}

export async function readExtendedAttributes(
	client: CyberArkClient,
	userId: string,
	itemIndex: number,
): Promise<Columns> {
	return columnsOf(await client.request(getColumnsCall(userId), itemIndex));
}

/**
 * Sets the given attributes of a user and keeps the others; sends nothing when every value is already
 * so. `current` skips reading them first, for a user just created (who has none). Read back afterwards:
 * an attribute CyberArk did not keep (a name the tenant does not define) fails the item rather than
 * passing for set.
 */
export async function writeExtendedAttributes(
	client: CyberArkClient,
	userId: string,
	given: Attributes,
	itemIndex: number,
	current?: Columns,
): Promise<{ attributes: Columns; changed: string[] }> {
	current ??= await readExtendedAttributes(client, userId, itemIndex);
	const { columns, changed } = mergeColumns(current, given);
	if (changed.length === 0) return { attributes: current, changed };
	await client.request(setColumnsCall(userId, columns), itemIndex);
	if (client.dryRun) return { attributes: columns, changed };
	const after = await readExtendedAttributes(client, userId, itemIndex);
	const lost = Object.entries(given)
		.filter(([name, value]) => value !== '' && after[keyFor(after, name)] === undefined)
		.map(([name]) => name);
	if (lost.length > 0) {
		throw new InvalidInput(
			`CyberArk did not keep the extended attribute${lost.length > 1 ? 's' : ''} ${lost.map((n) => `"${n}"`).join(', ')}`,
			'Check the name under Admin Portal > Settings > Users > Additional Attributes: the name, not the title, of an attribute the tenant defines.',
		);
	}
	return { attributes: after, changed };
}
