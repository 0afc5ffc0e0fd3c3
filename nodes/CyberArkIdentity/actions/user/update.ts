import type { IDataObject } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import { simplifiedUserSchema } from '../../schemas/user';
import {
	attributesFrom,
	attributesSchema,
	extendedAttributesField,
	writeExtendedAttributes,
} from '../../users/extendedAttributes';
import { fieldOptions, UPDATABLE_FIELDS } from '../../users/fields';
import { buildChangeUser, checkedFields } from '../../users/requests';
import { readUser } from '../../users/lookup';
import { userOperation } from './factories';

const simplified = simplifiedUserSchema();

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
			options: [...fieldOptions(UPDATABLE_FIELDS), extendedAttributesField].sort((a, b) =>
				a.displayName.localeCompare(b.displayName),
			),
		},
	],
	endpoints: [
		ENDPOINT.changeUser,
		ENDPOINT.getUser,
		ENDPOINT.getUserAttributes,
		ENDPOINT.getExtendedAttributes,
		ENDPOINT.setExtendedAttributes,
	],
	output: { ...simplified, properties: { ...simplified.properties, extendedAttributes: attributesSchema } },
	async run(client, id, i) {
		const { extendedAttributes, ...fields } = this.getNodeParameter('updateFields', i, {}) as IDataObject;
		const attributes = attributesFrom(extendedAttributes);
		const hasAttributes = Object.keys(attributes).length > 0;
		const hasFields = Object.keys(checkedFields(UPDATABLE_FIELDS, fields)).length > 0;
		// With neither, buildChangeUser says "Nothing to update" before anything is written.
		if (hasFields || !hasAttributes)
			await client.request({ endpoint: ENDPOINT.changeUser, body: buildChangeUser(id, fields) }, i);
		const extended = hasAttributes ? await writeExtendedAttributes(client, id, attributes, i) : undefined;
		const user = await readUser(client, id, i, true);
		return extended ? { ...user, extendedAttributes: extended.attributes as IDataObject } : user;
	},
});
