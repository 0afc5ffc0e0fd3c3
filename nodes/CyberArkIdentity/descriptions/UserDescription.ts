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
				name: 'Create',
				value: 'create',
				description: 'Create a user in the CyberArk Cloud Directory',
				action: 'Create a user',
			},
		],
		default: 'create',
	},
];

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
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Jane Doe',
			},
			{
				displayName: 'Force Password Change at Next Login',
				name: 'forcePasswordChangeNext',
				type: 'boolean',
				default: true,
				description: 'Whether the user must choose a new password at the first login',
			},
			{
				displayName: 'Home Number',
				name: 'homeNumber',
				type: 'string',
				default: '',
			},
			{
				displayName: 'In Everybody Role',
				name: 'inEverybodyRole',
				type: 'boolean',
				default: true,
				description: 'Whether the user joins the Everybody role. Can only be set at creation.',
			},
			{
				displayName: 'Mobile Number',
				name: 'mobileNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. +1 555 0100',
			},
			{
				displayName: 'Office Number',
				name: 'officeNumber',
				type: 'string',
				default: '',
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
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: createOnly,
		options: [
			{
				displayName: 'On Existing User',
				name: 'onExisting',
				type: 'options',
				default: 'error',
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
		],
	},
];

export const userFields: INodeProperties[] = [...createFields];
