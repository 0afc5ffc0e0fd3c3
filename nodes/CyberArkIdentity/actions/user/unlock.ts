import { PATH, stateOperation } from '../../users/lookup';

export const { option, description, execute } = stateOperation(
	{ name: 'Unlock', description: 'Unlock a locked user', action: 'Unlock a user' },
	(id) => [
		{ path: PATH.cloudLock, qs: { user: id, lockuser: 'false' } },
		{ path: PATH.setState, body: { ID: id, state: 'None' } },
	],
);
