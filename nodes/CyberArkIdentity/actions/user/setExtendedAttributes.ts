import { ENDPOINT } from '../../../shared/endpoints';
import { InvalidInput } from '../../../shared/transport/errors';
import { itemSchema, STRING, STRINGS } from '../../schemas/schema';
import {
	attributesFrom,
	attributesSchema,
	extendedAttributesField,
	writeExtendedAttributes,
} from '../../users/extendedAttributes';
import { userOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = userOperation({
	option: {
		name: 'Set Extended Attributes',
		description: "Set some of a user's additional attributes and keep the others, e.g. from HR data",
		action: 'Set extended attributes of a user',
	},
	parameters: [{ ...extendedAttributesField, required: true }],
	endpoints: [ENDPOINT.getExtendedAttributes, ENDPOINT.setExtendedAttributes],
	output: itemSchema({ id: STRING, attributes: attributesSchema, changed: STRINGS }, [
		'id',
		'attributes',
		'changed',
	]),
	async run(client, id, i) {
		const given = attributesFrom(this.getNodeParameter('extendedAttributes', i, {}));
		if (Object.keys(given).length === 0)
			throw new InvalidInput('No attribute to set', 'Add at least one attribute under Extended Attributes.');
		const { attributes, changed } = await writeExtendedAttributes(client, id, given, i);
		return { id, attributes, changed };
	},
});
