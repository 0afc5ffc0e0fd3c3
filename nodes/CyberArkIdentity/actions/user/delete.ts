import { ENDPOINT } from '../../../shared/endpoints';
import { BOOLEAN, itemSchema, STRING } from '../../schemas/schema';
import { userOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = userOperation({
	option: { name: 'Delete', description: 'Delete a user from the Cloud Directory', action: 'Delete a user' },
	endpoints: [ENDPOINT.deleteUser],
	output: itemSchema({ deleted: BOOLEAN, id: STRING }, ['deleted', 'id']),
	async run(client, id, i) {
		await client.request({ endpoint: ENDPOINT.deleteUser, body: { ID: id } }, i);
		return { deleted: true, id };
	},
});

/** Bounded per run by Max Users. */
export const removesAccess = true;
