import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import type { CyberArkClient } from '../../../shared/transport/client';
import { InvalidInput } from '../../../shared/transport/errors';
import { text } from '../../../shared/validate';
import { roleLocator } from '../../descriptions/locators';
import { RUN_OPTIONS } from '../../descriptions/options';
import { existingRole, findRoleById, findRoleByName } from '../../roles/current';
import { resolveRoleId } from '../../roles/directory';
import { roleSchema } from '../../schemas/role';
import type { ItemOperation } from '../operation';

export const option: ItemOperation['option'] = {
	name: 'Update',
	description: 'Rename a role or change its description',
	action: 'Update a role',
};

export const description: INodeProperties[] = [
	roleLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{
				displayName: 'New Name',
				name: 'newName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Finance EMEA',
			},
		],
	},
];

export const options = RUN_OPTIONS;

export const endpoints = [ENDPOINT.redrockQuery, ENDPOINT.updateRole];

export const output = roleSchema({ updated: true });

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const newName = text(fields.newName, 'New Name');
	const newDescription =
		'description' in fields ? (text(fields.description, 'Description') ?? '') : undefined;
	if (newName === undefined && newDescription === undefined)
		throw new InvalidInput('Nothing to update', 'Add New Name or Description under "Update Fields".');
	const id = await resolveRoleId.call(this, client, i);
	const role = await existingRole(client, id, i);

	// UpdateRole as cyberark/idsec-sdk-golang and marcozj golang-sdk send it: the role's ID in Name.
	const body: IDataObject = { Name: id };
	if (newName !== undefined && newName !== role.name) {
		const other = await findRoleByName(client, newName, i);
		if (other && other.id !== id)
			throw new InvalidInput(
				`Another role is already named "${other.name}" (ID ${other.id})`,
				'Choose a name no other role has.',
			);
		body.NewName = newName;
	}
	if (newDescription !== undefined && newDescription !== (role.description ?? ''))
		body.Description = newDescription;
	if (Object.keys(body).length === 1) return { ...role, updated: false };
	await client.request({ endpoint: ENDPOINT.updateRole, body }, i);
	// Read back; in Dry Run nothing changed, so the role is shown as it would be.
	const after = client.dryRun ? undefined : await findRoleById(client, id, i);
	return {
		...(after ?? { ...role, name: newName ?? role.name, description: newDescription ?? role.description }),
		updated: true,
	};
}
