import { simplifiedUserSchema } from '../../schemas/user';
import { simplifyUser } from '../../users/simplify';
import { USER_COLUMNS, userQuery } from '../../users/queries';
import { getManyOperation } from '../getMany';

export const { option, description, options, endpoints, output, execute } = getManyOperation({
	option: {
		name: 'Get Many',
		description: 'Find users by login name, display name, e-mail or state',
		action: 'Get many users',
	},
	filters: [
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. jane.doe@acme.example',
			default: '',
			description: 'Only the user with exactly this e-mail address',
		},
		{
			displayName: 'Login Name',
			name: 'userName',
			type: 'string',
			default: '',
			placeholder: 'e.g. jane.doe@acme.example',
			description: 'Only the user with exactly this login name',
		},
		{
			displayName: 'Search',
			name: 'search',
			type: 'string',
			default: '',
			placeholder: 'e.g. jane',
			description: 'Users whose login name, display name or e-mail contains this text',
		},
		{
			displayName: 'State',
			name: 'state',
			type: 'options',
			default: 'active',
			options: [
				{ name: 'Active', value: 'active' },
				{ name: 'Disabled', value: 'disabled' },
				{ name: 'Expired', value: 'expired' },
				{ name: 'Locked', value: 'locked' },
			],
		},
	],
	script: userQuery,
	simplify: (row) => simplifyUser(row),
	output: simplifiedUserSchema(USER_COLUMNS),
});
