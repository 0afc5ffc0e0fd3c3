import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CyberArkClient } from '../../../shared/transport/client';
import { InvalidInput } from '../../../shared/transport/errors';
import type { Operation } from '../../descriptions/common';
import { userLocator } from '../../descriptions/common';
import { password } from '../../../shared/validate';
import { PATH, resolveUserId } from '../../users/lookup';

export const option: Operation['option'] = {
	name: 'Reset Password',
	description: "Set a new password for a user (must meet the tenant's password policy)",
	action: 'Reset a user password',
};

export const description: INodeProperties[] = [
	userLocator,
	{
		displayName: 'New Password',
		name: 'newPassword',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: "Must meet the tenant's password policy. Never appears in the output.",
	},
];

export async function execute(
	this: IExecuteFunctions,
	client: CyberArkClient,
	i: number,
): Promise<IDataObject> {
	const id = await resolveUserId.call(this, client, i);
	const newPassword = password(this.getNodeParameter('newPassword', i, ''), 'New Password');
	if (newPassword === undefined)
		throw new InvalidInput(
			'New Password is empty',
			"Set New Password to a password that meets the tenant's password policy.",
		);
	await client.request(
		{ path: PATH.reset, body: { ID: id, newPassword }, idempotent: true, secrets: [newPassword] },
		i,
	);
	return { id, passwordReset: true };
}
