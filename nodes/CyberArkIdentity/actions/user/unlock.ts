import { ENDPOINT } from '../../../shared/endpoints';
import { stateOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = stateOperation(
	{ name: 'Unlock', description: 'Unlock a locked user', action: 'Unlock a user' },
	(id) => [
		{ endpoint: ENDPOINT.setCloudLock, qs: { user: id, lockuser: 'false' } },
		{ endpoint: ENDPOINT.setUserState, body: { ID: id, state: 'None' } },
	],
);
