import type { IDataObject } from 'n8n-workflow';

import { ENDPOINT } from '../../../shared/endpoints';
import { InvalidInput } from '../../../shared/transport/errors';
import { BOOLEAN, itemSchema, STRING } from '../../schemas/schema';
import { getUserById } from '../../users/lookup';
import { userOperation } from './factories';

const CHANNELS = {
	email: { email: true, sms: false },
	sms: { email: false, sms: true },
	emailAndSms: { email: true, sms: true },
} as const;

/**
 * Body of /UserMgmt/InviteUsers for one user, as centrify/powershell-sdk `Invite-CentrifyUser` sends it
 * (the role "Invited Users", the user as an entity with its ID and login name); the SMS switch as
 * IdentityCommand `Send-IDUserInvite` names it.
 */
export function inviteBody(
	user: { id: string; userName: string },
	email: boolean,
	sms: boolean,
): IDataObject {
	return {
		EmailInvite: email,
		SmsInvite: sms,
		Role: 'Invited Users',
		Entities: [{ Type: 'User', Guid: user.id, Name: user.userName }],
	};
}

export const { option, description, options, endpoints, output, execute } = userOperation({
	option: {
		name: 'Send Invite',
		description:
			'Send an existing user the invitation to set up their account again, e.g. when the first one expired',
		action: 'Send an invite to a user',
	},
	parameters: [
		{
			displayName: 'Send By',
			name: 'sendBy',
			type: 'options',
			default: 'email',
			options: [
				{ name: 'Email', value: 'email', description: "To the user's e-mail address" },
				{ name: 'Email and SMS', value: 'emailAndSms' },
				{ name: 'SMS', value: 'sms', description: "To the user's mobile number" },
			],
		},
	],
	endpoints: [ENDPOINT.getUser, ENDPOINT.inviteUsers],
	output: itemSchema({ id: STRING, userName: STRING, emailInvite: BOOLEAN, smsInvite: BOOLEAN }, [
		'id',
		'userName',
		'emailInvite',
		'smsInvite',
	]),
	async run(client, id, i) {
		const sendBy = this.getNodeParameter('sendBy', i, 'email') as keyof typeof CHANNELS;
		const channels = CHANNELS[sendBy];
		if (!channels)
			throw new InvalidInput(
				`Send By "${String(sendBy)}" is not known`,
				'Choose Email, SMS, or Email and SMS.',
			);
		const user = await getUserById(client, id, i);
		const userName = typeof user.Name === 'string' ? user.Name : '';
		if (!userName)
			throw new Error(`CyberArk's record of the user ${id} has no login name (Name); nothing was sent`);
		// CyberArk needs somewhere to send it; say so before asking.
		if (channels.email && !user.Mail)
			throw new InvalidInput(
				`The user ${userName} has no e-mail address`,
				'Set their e-mail with User > Update, or choose Send By: SMS.',
			);
		if (channels.sms && !user.MobileNumber)
			throw new InvalidInput(
				`The user ${userName} has no mobile number`,
				'Set their mobile number with User > Update, or choose Send By: Email.',
			);
		await client.request(
			{ endpoint: ENDPOINT.inviteUsers, body: inviteBody({ id, userName }, channels.email, channels.sms) },
			i,
		);
		return { id, userName, emailInvite: channels.email, smsInvite: channels.sms };
	},
});
