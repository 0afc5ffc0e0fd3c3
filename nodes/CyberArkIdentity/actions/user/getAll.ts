import { simplifiedUserSchema } from '../../schemas/user';
import { simplifyUser } from '../../users/simplify';
import { USER_COLUMNS, USER_STATUSES, userQuery } from '../../users/queries';
import { getManyOperation } from '../getMany';

export const { option, description, options, endpoints, output, execute } = getManyOperation({
	option: {
		name: 'Get Many',
		description: 'Find users by login name, display name, e-mail or status',
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
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'Active',
			description:
				"The status CyberArk shows in its user list, one of the values CyberArk documents. To know whether a user is disabled or locked, use Get, which reads the user's state.",
			options: USER_STATUSES.map((status) => ({ name: status, value: status })),
		},
	],
	script: userQuery,
	simplify: (row) => simplifyUser(row),
	output: simplifiedUserSchema(USER_COLUMNS),
});
