import { ENDPOINT } from '../../../shared/endpoints';
import { BOOLEAN, itemSchema, STRING } from '../../schemas/schema';
import { signOutCall } from '../../users/signOut';
import { userOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = userOperation({
	option: {
		name: 'Sign Out Everywhere',
		description: 'End every session of a user: browsers and apps must log in again',
		action: 'Sign out a user everywhere',
	},
	endpoints: [ENDPOINT.signOutEverywhere],
	output: itemSchema({ id: STRING, signedOut: BOOLEAN }, ['id', 'signedOut']),
	async run(client, id, i) {
		await client.request(signOutCall(id), i);
		return { id, signedOut: true };
	},
});

/** Bounded per run by Max Users. */
export const removesAccess = true;
