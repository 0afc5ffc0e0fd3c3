import { ENDPOINT } from '../../../shared/endpoints';
import { stateOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = stateOperation(
	{ name: 'Enable', description: 'Enable a disabled user again', action: 'Enable a user' },
	(id) => [{ endpoint: ENDPOINT.setUserState, body: { ID: id, state: 'None' } }],
);
