import { PATH, stateOperation } from '../../users/lookup';

export const { option, description, execute } = stateOperation(
	{ name: 'Lock', description: 'Lock a user out (cloud lock) until unlocked', action: 'Lock a user' },
	(id) => [{ path: PATH.cloudLock, qs: { user: id, lockuser: 'true' } }],
);
