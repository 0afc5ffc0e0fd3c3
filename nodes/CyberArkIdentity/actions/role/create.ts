import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import type { CyberArkClient } from '../../../shared/transport/client';
import { CyberArkError, InvalidInput, UncertainOutcomeError } from '../../../shared/transport/errors';
import { requiredText, text } from '../../../shared/validate';
import { RUN_OPTIONS } from '../../descriptions/options';
import { findRoleByName } from '../../roles/current';
import { roleSchema } from '../../schemas/role';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Create',
	description: 'Create a role, e.g. for a new department or application',
	action: 'Create a role',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'roleName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Finance',
		description: "The new role's name",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [{ displayName: 'Description', name: 'description', type: 'string', default: '' }],
	},
];

export const options: INodeProperties[] = [
	...RUN_OPTIONS,
	{
		displayName: 'On Existing Role',
		name: 'onExisting',
		type: 'options',
		default: 'error',
		description: 'What to do when a role with this name already exists, e.g. when a workflow runs twice',
		options: [
			{ name: 'Fail', value: 'error', description: 'Fail the item' },
			{
				name: 'Return Existing Role',
				value: 'returnExisting',
				description: 'Output the existing role unchanged',
			},
			{
				name: 'Update Existing Role',
				value: 'update',
				description: 'Give the existing role the description given here, and output it',
			},
		],
	},
];

export const endpoints = [ENDPOINT.redrockQuery, ENDPOINT.createRole, ENDPOINT.updateRole];

export const output = roleSchema({ created: true, updated: true });

/** Body of /Roles/StoreRole (cyberark/idsec-sdk-golang roles service: a member list role unless told otherwise). */
export function storeRoleBody(name: string, description: string | undefined): IDataObject {
	return {
		Name: name,
		...(description === undefined ? {} : { Description: description }),
		RoleType: 'PrincipalList',
	};
}

/** The new role's ID in a StoreRole answer: `Result._RowKey` (idsec-sdk-golang, marcozj golang-sdk). */
function rowKeyOf(result: unknown): string | undefined {
	const key = (result as IDataObject | null)?._RowKey;
	return typeof key === 'string' && key !== '' ? key : undefined;
}

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const name = requiredText(this.getNodeParameter('roleName', i), 'Name', 'Finance');
	const fields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const roleDescription = text(fields.description, 'Description');
	const onExisting = ((this.getNodeParameter('options', i, {}) as IDataObject).onExisting ??
		'error') as string;

	// CyberArk's own SDK looks the name up before it creates a role; so does this, then sends StoreRole once.
	let existing = await findRoleByName(client, name, i);
	if (!existing) {
		try {
			const result = await client.request(
				{ endpoint: ENDPOINT.createRole, body: storeRoleBody(name, roleDescription) },
				i,
			);
			if (client.dryRun)
				return {
					id: `<ID of the new role ${name}>`,
					name,
					description: roleDescription ?? null,
					created: true,
				};
			const id = rowKeyOf(result) ?? (await findRoleByName(client, name, i))?.id;
			if (!id)
				throw new Error(
					`CyberArk accepted the role "${name}" but gave no ID, and no role of that name is found`,
				);
			return { id, name, description: roleDescription ?? null, created: true };
		} catch (error) {
			// A lost answer: the role may exist now. A refusal: it may have existed (a run at the same time).
			const lostAnswer = error instanceof UncertainOutcomeError;
			const refused = error instanceof CyberArkError && onExisting !== 'error';
			if (!lostAnswer && !refused) throw client.nodeError(error, i);
			existing = await findRoleByName(client, name, i);
			if (!existing) throw client.nodeError(error, i);
			if (lostAnswer) return { ...existing, created: true };
		}
	}
	if (onExisting === 'returnExisting') return { ...existing, created: false };
	if (onExisting !== 'update') {
		throw new InvalidInput(
			`A role named "${existing.name}" already exists (ID ${existing.id})`,
			'Choose another name, or set Options > On Existing Role to Return Existing Role or Update Existing Role.',
		);
	}
	if (roleDescription !== undefined && roleDescription !== (existing.description ?? '')) {
		await client.request(
			{ endpoint: ENDPOINT.updateRole, body: { Name: existing.id, Description: roleDescription } },
			i,
		);
		existing = { ...existing, description: roleDescription };
	}
	return { ...existing, created: false, updated: true };
}
