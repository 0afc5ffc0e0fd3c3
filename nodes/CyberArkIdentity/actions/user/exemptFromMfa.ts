import { ENDPOINT } from '../../../shared/endpoints';
import { InvalidInput } from '../../../shared/transport/errors';
import { INTEGER, itemSchema, STRING } from '../../schemas/schema';
import { userOperation } from './factories';

/** The node's own bound: an exemption is a help-desk window, not a way to switch MFA off. */
export const MAX_MINUTES = 1440;

/** Minutes as a whole number within 1..MAX_MINUTES; anything else is refused before anything is written. */
export function exemptionMinutes(value: unknown): number {
	const minutes = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) {
		throw new InvalidInput(
			`Minutes must be a whole number from 1 to ${MAX_MINUTES}, but the value is ${JSON.stringify(value)}`,
			'Set Minutes to how long the user may log in without MFA, e.g. 10.',
		);
	}
	return minutes;
}

export const { option, description, options, endpoints, output, execute } = userOperation({
	option: {
		name: 'Exempt From MFA',
		description:
			'Let a user log in without MFA for a few minutes, e.g. while the help desk replaces their phone',
		action: 'Exempt a user from MFA',
	},
	parameters: [
		{
			displayName: 'Minutes',
			name: 'minutes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_MINUTES },
			default: 10,
			description: `How long the user may log in without MFA, from now (1 to ${MAX_MINUTES}; CyberArk's default is 10)`,
		},
	],
	endpoints: [ENDPOINT.exemptFromMfa],
	output: itemSchema({ id: STRING, mfaExemptMinutes: INTEGER }, ['id', 'mfaExemptMinutes']),
	async run(client, id, i) {
		const minutes = exemptionMinutes(this.getNodeParameter('minutes', i, 10));
		// IdentityCommand Suspend-IDUserMFA: the user's ID and the minutes in the query string, no body.
		await client.request({ endpoint: ENDPOINT.exemptFromMfa, qs: { ID: id, timespan: minutes } }, i);
		return { id, mfaExemptMinutes: minutes };
	},
});
