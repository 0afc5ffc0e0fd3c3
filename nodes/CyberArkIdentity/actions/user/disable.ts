import { ENDPOINT } from '../../../shared/endpoints';
import { stateOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = stateOperation(
	{
		name: 'Disable',
		description:
			'Disable a user so they cannot log in, e.g. during leave or on departure, and sign them out everywhere',
		action: 'Disable a user',
	},
	(id) => [{ endpoint: ENDPOINT.setUserState, body: { ID: id, state: 'Disabled' } }],
	'disabled',
);

/** Bounded per run by Max Users. */
export const removesAccess = true;
