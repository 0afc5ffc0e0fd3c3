import { roleQuery, simplifyRole } from '../../roles/directory';
import { itemSchema, NULLABLE_STRING, STRING } from '../../schemas/schema';
import { getManyOperation } from '../getMany';

export const { option, description, options, endpoints, output, execute } = getManyOperation({
	option: {
		name: 'Get Many',
		description: 'List roles with their ID, name and description',
		action: 'Get many roles',
	},
	filters: [
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'e.g. Finance',
			description: 'Roles whose name contains this text',
		},
	],
	script: roleQuery,
	simplify: simplifyRole,
	output: itemSchema({ id: STRING, name: STRING, description: NULLABLE_STRING }, [
		'id',
		'name',
		'description',
	]),
});
