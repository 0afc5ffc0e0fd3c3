import { ENDPOINT } from '../../../shared/endpoints';
import { itemSchema, STRING } from '../../schemas/schema';
import { attributesSchema, readExtendedAttributes } from '../../users/extendedAttributes';
import { userOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = userOperation({
	option: {
		name: 'Get Extended Attributes',
		description: "Get a user's additional attributes, e.g. employee ID or cost center",
		action: 'Get extended attributes of a user',
	},
	endpoints: [ENDPOINT.getExtendedAttributes],
	output: itemSchema({ id: STRING, attributes: attributesSchema }, ['id', 'attributes']),
	async run(client, id, i) {
		return { id, attributes: await readExtendedAttributes(client, id, i) };
	},
});
