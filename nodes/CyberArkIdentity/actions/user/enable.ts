import { PATH, stateOperation } from '../../users/lookup';

export const { option, description, execute } = stateOperation(
	{ name: 'Enable', description: 'Enable a disabled user again', action: 'Enable a user' },
	(id) => [{ path: PATH.setState, body: { ID: id, state: 'None' } }],
);
