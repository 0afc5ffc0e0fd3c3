// The options of Create or Update (sync from HR): how a row finds its user, which roles the sync
// owns, and what happens to people who are no longer in the roster.
import type { INodeProperties } from 'n8n-workflow';

import { roleListField, roleOptionField } from '../descriptions/locators';

export const DEFAULT_MAX_DEPROVISION = 10;

/** The share of the people a sync manages that one run may take access from (Okta's import safeguard: 20 %). */
export const DEFAULT_MAX_DEPROVISION_PERCENT = 20;

export const SYNC_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Deprovision Action',
		name: 'deprovisionAction',
		type: 'options',
		default: 'disable',
		description: 'What happens to a member of the scope role who is missing from the input',
		options: [
			{ name: 'Delete', value: 'delete', description: 'Delete the user from the Cloud Directory' },
			{
				name: 'Disable',
				value: 'disable',
				description: 'Disable the user (can be enabled again on a rehire)',
			},
		],
	},
	{
		displayName: 'Deprovision Missing Users',
		name: 'deprovisionMissing',
		type: 'boolean',
		default: false,
		description:
			'Whether members of the scope role whose login name (or email) is absent from the input are deprovisioned. Use it with a complete roster only, never with one event per run. Users already disabled are left alone.',
	},
	roleListField({
		displayName: 'Managed Roles',
		name: 'managedRoles',
		description:
			'Each role picked from the list, or by name or ID; an expression (By Name) may give several, as a list or separated by commas',
		hint: 'Roles this workflow owns: a user is removed from a managed role not among its Roles (a mover). Other roles are never touched.',
	}),
	{
		displayName: 'Match By',
		name: 'matchBy',
		type: 'options',
		default: 'userName',
		description: 'How an input item finds its CyberArk user',
		options: [
			{ name: 'Email', value: 'email', description: "The user whose email is the item's Email" },
			{
				name: 'User Name',
				value: 'userName',
				description: "The user whose login name is the item's User Name",
			},
		],
	},
	{
		displayName: 'Max Deprovision',
		name: 'maxDeprovision',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_MAX_DEPROVISION,
		description:
			'How many people one run may take access from: disabled (Active false or missing from the input), deleted, or removed from a managed role, each person counted once. More fails the run before any change: a broken or truncated HR export must not lock out the company.',
	},
	{
		displayName: 'Max Deprovision Percent',
		name: 'maxDeprovisionPercent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: DEFAULT_MAX_DEPROVISION_PERCENT,
		description:
			'The same limit as a share: of the members of the scope role (and anyone a row matched who is not in it yet), or, without a scope role, of all users in the tenant. More fails the run before any change.',
	},
	roleOptionField({
		displayName: 'Scope Role',
		name: 'scopeRole',
		description: 'The role picked from the list, or by name or ID',
		hint: 'Marks the users this sync manages: every synced user is put in it, and only its members can be deprovisioned',
	}),
	{
		displayName: 'Sign Out Everywhere',
		name: 'signOut',
		type: 'boolean',
		default: true,
		description:
			'Whether a user the sync disables or deprovisions is also signed out of every session they have (as an admin does with Clear-IDUserSession). Off, a disabled user keeps the sessions already open until they expire.',
	},
];
