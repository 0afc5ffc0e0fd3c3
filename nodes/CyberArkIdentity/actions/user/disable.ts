import { PATH, stateOperation } from '../../users/lookup';

export const { option, description, execute } = stateOperation(
	{
		name: 'Disable',
		description: 'Disable a user so they cannot log in, e.g. during leave or on departure',
		action: 'Disable a user',
	},
	(id) => [{ path: PATH.setState, body: { ID: id, state: 'Disabled' } }],
);
