import { ENDPOINT } from '../../../shared/endpoints';
import { InvalidInput } from '../../../shared/transport/errors';
import { password } from '../../../shared/validate';
import { BOOLEAN, itemSchema, STRING } from '../../schemas/schema';
import { userOperation } from './factories';

export const { option, description, options, endpoints, output, execute } = userOperation({
	option: {
		name: 'Reset Password',
		description: "Set a new password for a user (must meet the tenant's password policy)",
		action: 'Reset a user password',
	},
	parameters: [
		{
			displayName: 'New Password',
			name: 'newPassword',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: "Must meet the tenant's password policy. Never appears in the output.",
		},
	],
	endpoints: [ENDPOINT.resetPassword],
	output: itemSchema({ id: STRING, passwordReset: BOOLEAN }, ['id', 'passwordReset']),
	async run(client, id, i) {
		const newPassword = password(this.getNodeParameter('newPassword', i, ''), 'New Password');
		if (newPassword === undefined)
			throw new InvalidInput(
				'New Password is empty',
				"Set New Password to a password that meets the tenant's password policy.",
			);
		await client.request(
			{ endpoint: ENDPOINT.resetPassword, body: { ID: id, newPassword }, secrets: [newPassword] },
			i,
		);
		return { id, passwordReset: true };
	},
});
