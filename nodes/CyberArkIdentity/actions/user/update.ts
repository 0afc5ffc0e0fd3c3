import type { IDataObject } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import { simplifiedUserSchema } from '../../schemas/user';
import { buildChangeUser, fieldOptions, UPDATABLE_FIELDS } from '../../users/fields';
import { readUser } from '../../users/lookup';
import { userOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = userOperation({
	option: {
		name: 'Update',
		description: "Change a user's fields, e.g. when HR data changes",
		action: 'Update a user',
	},
	parameters: [
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: fieldOptions(UPDATABLE_FIELDS),
		},
	],
	endpoints: [ENDPOINT.changeUser, ENDPOINT.getUser, ENDPOINT.getUserAttributes],
	output: simplifiedUserSchema(),
	async run(client, id, i) {
		const body = buildChangeUser(id, this.getNodeParameter('updateFields', i, {}) as IDataObject);
		await client.request({ endpoint: ENDPOINT.changeUser, body }, i);
		return await readUser(client, id, i, true);
	},
});
