import type { INodeProperties } from 'n8n-workflow';

export const userOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Add to Role',
				value: 'addToRole',
				description: 'Make a user a member of a role (no error when it already is)',
				action: 'Add a user to a role',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a user in the CyberArk Cloud Directory',
				action: 'Create a user',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a user from the Cloud Directory',
				action: 'Delete a user',
			},
			{
				name: 'Disable',
				value: 'disable',
				description: 'Disable a user so they cannot log in, e.g. during leave or on departure',
				action: 'Disable a user',
			},
			{
				name: 'Enable',
				value: 'enable',
				description: 'Enable a disabled user again',
				action: 'Enable a user',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a user by login name or ID',
				action: 'Get a user',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Find users by login name, display name, e-mail or state',
				action: 'Get many users',
			},
			{
				name: 'Lock',
				value: 'lock',
				description: 'Lock a user out (cloud lock) until unlocked',
				action: 'Lock a user',
			},
			{
				name: 'Remove From Role',
				value: 'removeFromRole',
				description: 'Remove a user from a role',
				action: 'Remove a user from a role',
			},
			{
				name: 'Reset Password',
				value: 'resetPassword',
				description: "Set a new password for a user (must meet the tenant's password policy)",
				action: 'Reset a user password',
			},
			{
				name: 'Unlock',
				value: 'unlock',
				description: 'Unlock a locked user',
				action: 'Unlock a user',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Change a user's fields, e.g. when HR data changes",
				action: 'Update a user',
			},
		],
		default: 'create',
	},
];

/** Profile fields that Create sets and Update changes. */
const profileFields: INodeProperties[] = [
	{ displayName: 'Description', name: 'description', type: 'string', default: '' },
	{ displayName: 'Display Name', name: 'displayName', type: 'string', default: '', placeholder: 'e.g. Jane Doe' },
	{
		displayName: 'Force Password Change at Next Login',
		name: 'forcePasswordChangeNext',
		type: 'boolean',
		default: true,
		description: 'Whether the user must choose a new password at the next login',
	},
	{ displayName: 'Home Number', name: 'homeNumber', type: 'string', default: '' },
	{ displayName: 'Mobile Number', name: 'mobileNumber', type: 'string', default: '', placeholder: 'e.g. +1 555 0100' },
	{ displayName: 'Office Number', name: 'officeNumber', type: 'string', default: '' },
	{
		displayName: 'Password Never Expires',
		name: 'passwordNeverExpire',
		type: 'boolean',
		default: false,
		description: 'Whether the password is exempt from the expiry policy',
	},
	{
		displayName: 'Reports To',
		name: 'reportsTo',
		type: 'string',
		default: '',
		placeholder: 'e.g. c2c7bcc6-9560-44e0-8dff-5be221cd37ee',
		description: "ID of the user's manager",
	},
];

/** Collection options in the alphabetical order n8n's editor expects. */
function byName(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

const createOnly = { show: { resource: ['user'], operation: ['create'] } };

const createFields: INodeProperties[] = [
	{
		displayName: 'User Name',
		name: 'userName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. jane.doe@acme.example',
		description:
			"Login name in the form name@suffix. Letters, digits and + - _ . before the @; the suffix must be one of the tenant's login suffixes.",
		displayOptions: createOnly,
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'e.g. jane.doe@acme.example',
		description: 'E-mail address of the user. Required while "Send Email Invite" is on, which is CyberArk\'s default.',
		displayOptions: createOnly,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: createOnly,
		options: byName([
			...profileFields,
			{
				displayName: 'In Everybody Role',
				name: 'inEverybodyRole',
				type: 'boolean',
				default: true,
				description: 'Whether the user joins the Everybody role. Can only be set at creation.',
			},
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					"Initial password. Must meet the tenant's password policy. Leave empty to let CyberArk generate one (the user sets theirs through the invite).",
			},
			{
				displayName: 'Role Names or IDs',
				name: 'roles',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getRoles' },
				default: [],
				description:
					'Roles to add the new user to. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Send Email Invite',
				name: 'sendEmailInvite',
				type: 'boolean',
				default: true,
				description: 'Whether CyberArk e-mails the user an invitation (needs Email)',
			},
			{
				displayName: 'Send SMS Invite',
				name: 'sendSmsInvite',
				type: 'boolean',
				default: false,
				description: 'Whether CyberArk texts the user an invitation (needs Mobile Number)',
			},
			{
				displayName: 'Service User',
				name: 'serviceUser',
				type: 'boolean',
				default: false,
				description: 'Whether the user is a service account, kept out of the Everybody role',
			},
		]),
	},
];

/** Options of every operation that runs per item (all but Token). */
export const runOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['user', 'role'] } },
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 1,
			description:
				'How many items to send to CyberArk at once (1 to 20). Output keeps the input order. A rate limit (HTTP 429) slows the whole batch down.',
		},
		{
			displayName: 'On Existing User',
			name: 'onExisting',
			type: 'options',
			default: 'error',
			displayOptions: { show: { '/resource': ['user'], '/operation': ['create'] } },
			description: 'What to do when a user with this login name already exists, e.g. when an HR system sends the same new hire twice',
			options: [
				{
					name: 'Fail',
					value: 'error',
					description: "Fail the item with CyberArk's message",
				},
				{
					name: 'Return Existing User',
					value: 'returnExisting',
					description: 'Output the existing user unchanged',
				},
				{
					name: 'Update Existing User',
					value: 'update',
					description: 'Apply the given fields to the existing user and output it',
				},
			],
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: 'How long to wait for CyberArk to answer one request before giving up on it',
		},
	],
};

const ONE_USER = ['get', 'update', 'delete', 'lock', 'unlock', 'disable', 'enable', 'resetPassword', 'addToRole', 'removeFromRole'];

const userLocator: INodeProperties = {
	displayName: 'User',
	name: 'userId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The user to act on',
	displayOptions: { show: { resource: ['user'], operation: ONE_USER } },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user...',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'By Login Name',
			name: 'userName',
			type: 'string',
			placeholder: 'e.g. jane.doe@acme.example',
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. c2c7bcc6-9560-44e0-8dff-5be221cd37ee',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
						errorMessage: 'A user ID looks like c2c7bcc6-9560-44e0-8dff-5be221cd37ee',
					},
				},
			],
		},
	],
};

export const roleLocator = (operations: Record<string, string[]>): INodeProperties => ({
	displayName: 'Role',
	name: 'roleId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The role to act on',
	displayOptions: { show: operations },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a role...',
			typeOptions: { searchListMethod: 'searchRoles', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Finance',
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 7f3c2a8e_5b1d_4c6e_9a0f_2d4b6c8e0a1f',
		},
	],
});

export const simplifyField = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: "Whether to return a flat, readable record (ISO dates, true/false) instead of CyberArk's raw record",
	displayOptions: { show },
});

export const pagingFields = (show: Record<string, string[]>): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];


const otherFields: INodeProperties[] = [
	userLocator,
	simplifyField({ resource: ['user'], operation: ['get', 'getAll'] }),
	...pagingFields({ resource: ['user'], operation: ['getAll'] }),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { resource: ['user'], operation: ['getAll'] } },
		options: [
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. jane.doe@acme.example',
				default: '',
				description: 'Only the user with exactly this e-mail address',
			},
			{
				displayName: 'Login Name',
				name: 'userName',
				type: 'string',
				default: '',
				placeholder: 'e.g. jane.doe@acme.example',
				description: 'Only the user with exactly this login name',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. jane',
				description: 'Users whose login name, display name or e-mail contains this text',
			},
			{
				displayName: 'State',
				name: 'state',
				type: 'options',
				default: 'active',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'Disabled', value: 'disabled' },
					{ name: 'Expired', value: 'expired' },
					{ name: 'Locked', value: 'locked' },
				],
			},
		],
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { resource: ['user'], operation: ['update'] } },
		options: byName([
			...profileFields,
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'e.g. jane.doe@acme.example', default: '' },
		]),
	},
	{
		displayName: 'New Password',
		name: 'newPassword',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: "Must meet the tenant's password policy. Never appears in the output.",
		displayOptions: { show: { resource: ['user'], operation: ['resetPassword'] } },
	},
	roleLocator({ resource: ['user'], operation: ['addToRole', 'removeFromRole'] }),
];

export const userFields: INodeProperties[] = [...createFields, ...otherFields];
