import { membershipOperation } from './factories';

export const { option, description, options, endpoints, output, executeAll } = membershipOperation(
	{
		name: 'Add to Role',
		description: 'Make a user a member of a role (no error when it already is)',
		action: 'Add a user to a role',
	},
	true,
	'addToRole',
);
