import { membershipOperation } from './factories';

export const { option, description, options, endpoints, output, executeAll } = membershipOperation(
	{ name: 'Remove From Role', description: 'Remove a user from a role', action: 'Remove a user from a role' },
	false,
	'removeFromRole',
);

/** Bounded per run by Max Users. */
export const removesAccess = true;
