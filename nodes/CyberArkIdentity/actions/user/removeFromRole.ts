import { membershipOperation } from '../../users/lookup';

export const { option, description, execute } = membershipOperation(
	{ name: 'Remove From Role', description: 'Remove a user from a role', action: 'Remove a user from a role' },
	false,
);
