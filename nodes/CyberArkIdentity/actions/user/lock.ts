import { ENDPOINT } from '../../../shared/endpoints';
import { stateOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = stateOperation(
	{
		name: 'Lock',
		description: 'Lock a user out (cloud lock) until unlocked, and sign them out everywhere',
		action: 'Lock a user',
	},
	(id) => [{ endpoint: ENDPOINT.setCloudLock, qs: { user: id, lockuser: 'true' } }],
	'locked',
);

/** Bounded per run by Max Users. */
export const removesAccess = true;
