import { ENDPOINT } from '../../../shared/endpoints';
import { simplifyField } from '../../descriptions/common';
import { simplifiedUserSchema } from '../../schemas/user';
import { readUser } from '../../users/lookup';
import { userOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = userOperation({
	option: { name: 'Get', description: 'Get a user by login name or ID', action: 'Get a user' },
	parameters: [simplifyField],
	endpoints: [ENDPOINT.getUser, ENDPOINT.getUserAttributes],
	output: simplifiedUserSchema(),
	async run(client, id, i) {
		return await readUser(client, id, i, this.getNodeParameter('simplify', i, true) as boolean);
	},
});
