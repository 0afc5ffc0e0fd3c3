// The answers CyberArk Identity gives, as public clients show them: one shape per source, written in
// our own words (the keys are the sources', the values are made up), the source named beside each.
// docs/cyberark-api.md is the ledger these come from. Readers are tested against every shape
// (readers.test.ts); the sandbox must answer with exactly the keys the shapes of an endpoint show
// together (sandbox.test.ts): none more, none less.

export type Status = 'confirmed' | 'inferred';

export interface Shape {
	/** Repository and path (or CyberArk's documentation page) the shape is read from. */
	source: string;
	status: Status;
	/** The `Result` of the answer, as that source shows or reads it. */
	result: unknown;
}

const USER_ID = '4f0c7a52-1d3e-4b8e-9a61-0c2f5e7d9b13';
const ROLE_ID = 'b1e4c2a9_7d3f_4e21_a5c8_93f0d2e6c741';
const DIRECTORY = '2d9e6f14-8a3b-4c7d-b0e5-61f2a9c3d8e7';

/** Every management answer: CyberArk's spec (examples of StoreRole and UpdateRole), marcozj golang-sdk's recorded answers. */
export const ENVELOPE: Shape[] = [
	{
		source:
			'davidh-cyberark/identityadmin-sdk-go api/RoleManagement.yaml (CyberArk Identity spec 22.7.201: StoreRole and UpdateRole examples)',
		status: 'confirmed',
		result: {
			success: true,
			Result: null,
			Message: null,
			MessageID: null,
			Exception: null,
			ErrorID: null,
			ErrorCode: null,
			IsSoftError: false,
			InnerExceptions: null,
		},
	},
	{
		source:
			'marcozj/golang-sdk platform/centrify_user.go (recorded GetUserAttributes, CreateUser, ChangeUser answers)',
		status: 'confirmed',
		result: {
			success: true,
			Result: 'x',
			Message: null,
			MessageID: null,
			Exception: null,
			ErrorID: null,
			ErrorCode: null,
			IsSoftError: false,
			InnerExceptions: null,
		},
	},
];

/** The keys of one column entry of a list answer, as CyberArk's spec lists them (RolesGetRoleMembers, SaasManageGetRoleApps). */
export const COLUMN_KEYS = [
	'TableKey',
	'Description',
	'Name',
	'Format',
	'TableName',
	'DDTitle',
	'Type',
	'IsHidden',
	'DDname',
	'Width',
	'Title',
	'ForeignKey',
];

const COLUMN = Object.fromEntries(COLUMN_KEYS.map((k) => [k, null]));

/** The record of a Cloud Directory user, as the one recorded GetUserAttributes answer shows it. */
const RECORDED_USER = {
	Description: 'Payroll clerk',
	ForcePasswordChangeNext: 'True',
	directoryServiceUuid: DIRECTORY,
	DisplayName: 'Ines Ortega',
	PictureUri: `/UserMgmt/GetUserPicture?id=${USER_ID}`,
	CloudState: 'None',
	InEverybodyRole: true,
	OauthClient: false,
	MobileNumber: '+34 600 000 111',
	LastPasswordChangeDate: '/Date(1690000000000)/',
	CreateDate: '/Date(1680000000000)/',
	OfficeNumber: '+34 910 000 222',
	CmaRedirectedUser: null,
	SubjectToCloudLocks: true,
	Alias: 'acme.example',
	HomeNumber: '+34 910 000 333',
	ReportsTo: 'maria.lopez@acme.example',
	Name: 'ines.ortega@acme.example',
	PreferredCulture: '',
	Version: '1',
	Mail: 'ines@acme.example',
	CmaRedirectedUserUuid: null,
	Uuid: USER_ID,
	State: 'None',
};

export const ANSWERS: Record<string, Shape[]> = {
	'/Security/whoami': [
		{
			source: 'hashicorp/vault-plugin-auth-centrify path_login.go',
			status: 'confirmed',
			result: { User: 'svc.n8n@acme.example', UserUuid: USER_ID },
		},
	],
	'/CDirectoryService/CreateUser': [
		{
			source:
				'cyberark/idsec-sdk-golang pkg/services/identity/users/idsec_identity_users_service.go (Create)',
			status: 'confirmed',
			result: USER_ID,
		},
		{
			source: 'marcozj/golang-sdk platform/centrify_user.go (recorded CreateUser answer)',
			status: 'confirmed',
			result: USER_ID,
		},
	],
	'/UserMgmt/GetUserAttributes': [
		{
			source: 'marcozj/golang-sdk platform/centrify_user.go (recorded answer)',
			status: 'confirmed',
			result: RECORDED_USER,
		},
		{
			source:
				'cyberark/idsec-sdk-golang pkg/services/identity/users/idsec_identity_users_service.go (Get reads State, InEverybodyRole, OauthClient)',
			status: 'confirmed',
			result: { State: 'Disabled', InEverybodyRole: false, OauthClient: false },
		},
		{
			source:
				'marcozj/golang-sdk platform/centrify_user.go (the User struct it decodes the answer into: PasswordNeverExpire)',
			status: 'inferred',
			result: { PasswordNeverExpire: 'False' },
		},
	],
	'/CDirectoryService/GetUserByName': [
		{
			source:
				'ZAG23/cybr-demos demos/utility/ubuntu/identity_functions.sh (get_uuid_by_userid reads Result.Uuid)',
			status: 'confirmed',
			result: { Uuid: USER_ID },
		},
		{
			source:
				'the GetUserAttributes record (marcozj golang-sdk): no source records a GetUserByName answer in full',
			status: 'inferred',
			result: { ...RECORDED_USER, PasswordNeverExpire: 'False' },
		},
	],
	'/CDirectoryService/GetUser': [
		{
			source: 'the GetUserAttributes record (marcozj golang-sdk): no source records a GetUser answer in full',
			status: 'inferred',
			result: { ...RECORDED_USER, PasswordNeverExpire: 'False' },
		},
	],
	'/UserMgmt/GetUsersRolesAndAdministrativeRights': [
		{
			source:
				'pCloudServices/Reports SyncIdentityRolesWithVaultUsers.ps1 (role IDs from Result.Results.Entities.Key)',
			status: 'confirmed',
			result: { Results: [{ Entities: [{ Type: 'Role', Key: ROLE_ID, IsForeignKey: false }], Row: {} }] },
		},
		{
			source: 'hashicorp/vault-plugin-auth-centrify path_login.go (role names from Results[].Row.Name)',
			status: 'confirmed',
			result: { Results: [{ Row: { Name: 'Payroll' } }] },
		},
		{
			source:
				'cyberark/identity-sample-java spring-boot/.../SettingsService.java @712604f^ (Row.RoleName); UserManagement/.../AuthService.java @d155579 (Row.AdministrativeRights[].Description)',
			status: 'confirmed',
			result: {
				Results: [
					{ Row: { RoleName: 'Payroll', AdministrativeRights: [{ Description: 'Admin Portal Login' }] } },
				],
			},
		},
		{
			source: 'every recorded list answer (marcozj golang-sdk samples; CyberArk data dictionary examples)',
			status: 'inferred',
			result: { Count: 1, FullCount: 1, Columns: [COLUMN], ReturnID: '', IsAggregate: false, Results: [] },
		},
	],
	'/Roles/GetRoleMembers': [
		{
			source:
				'davidh-cyberark/identityadmin-sdk-go api/RoleManagement.yaml (CyberArk spec, RolesGetRoleMembers; its lower-case count/columns/type/IsAggregrate read as every recorded answer spells them)',
			status: 'confirmed',
			result: {
				Count: 1,
				FullCount: 1,
				Columns: [COLUMN],
				ReturnID: '',
				IsAggregate: false,
				Results: [
					{
						Entities: [{ Type: 'User', Key: USER_ID, IsForeignKey: false }],
						Row: {
							Guid: USER_ID,
							Name: 'ines.ortega@acme.example',
							Type: 'User',
							IsEffective: true,
							OrgPath: null,
							OrgId: null,
						},
					},
				],
			},
		},
		{
			source:
				'cyberark/idsec-sdk-golang pkg/services/identity/roles/idsec_identity_roles_service.go (ListMembers); cyberark/ark-sdk-python ark_sdk_python/services/identity/roles/ark_identity_roles_service.py (list_role_members)',
			status: 'confirmed',
			result: { Results: [{ Row: { Guid: USER_ID, Name: 'ines.ortega@acme.example', Type: 'User' } }] },
		},
	],
	'/UserMgmt/SetCloudLock': [
		{
			source:
				'ZAG23/cybr-demos demos/utility/ubuntu/identity_functions.sh (set_user_lock_state expects Result true)',
			status: 'confirmed',
			result: true,
		},
	],
	'/Roles/UpdateRole': [
		{
			source: 'davidh-cyberark/identityadmin-sdk-go api/RoleManagement.yaml (UpdateRole example)',
			status: 'confirmed',
			result: null,
		},
	],
	'/CDirectoryService/ChangeUser': [
		{
			source: 'marcozj/golang-sdk platform/centrify_user.go (recorded ChangeUser answer)',
			status: 'confirmed',
			result: null,
		},
	],
	'/Roles/StoreRole': [
		{
			source:
				'davidh-cyberark/identityadmin-sdk-go api/RoleManagement.yaml (CyberArk spec, StoreRole examples)',
			status: 'confirmed',
			result: { _RowKey: ROLE_ID },
		},
		{
			source:
				'cyberark/idsec-sdk-golang pkg/services/identity/roles/idsec_identity_roles_service.go (Create reads Result._RowKey); marcozj/golang-sdk platform/centrify_role.go (recorded answer)',
			status: 'confirmed',
			result: { _RowKey: ROLE_ID },
		},
	],
	'/SaasManage/GetRoleApps': [
		{
			source:
				'davidh-cyberark/identityadmin-sdk-go api/RoleManagement.yaml (CyberArk spec, SaasManageGetRoleApps; its lower-case count/columns and IsAggregrate read as every recorded list answer spells them)',
			status: 'confirmed',
			result: {
				Count: 1,
				FullCount: 1,
				Columns: [COLUMN],
				ReturnID: '',
				IsAggregate: false,
				Results: [
					{
						Entities: [
							{ Type: 'Application', Key: 'c5a1e8d2-4b7f-4e0a-9d3c-2f6b8a1e7c40', IsForeignKey: false },
						],
						Row: {
							ID: 'c5a1e8d2-4b7f-4e0a-9d3c-2f6b8a1e7c40',
							Name: 'Payroll Portal',
							Description: 'Payroll',
							AppType: 'Web',
							AppTypeDisplayName: 'Web - SAML',
							Icon: '/vfslow/lib/application/icons/payroll',
							Version: '1',
							IsMarketplaceApp: false,
						},
					},
				],
			},
		},
		{
			source:
				'centrify/powershell-sdk Centrify.Platform.PowerShell/Util/Core.ps1 (GetRoleApps returns Result.Results.Row); pspete/IdentityCommand IdentityCommand/Public/Roles/Get-IDRoleApplication.ps1',
			status: 'confirmed',
			result: { Results: [{ Row: { ID: 'c5a1e8d2-4b7f-4e0a-9d3c-2f6b8a1e7c40', Name: 'Payroll Portal' } }] },
		},
	],
};

/**
 * ExtData GetColumns for the table "users": a flat object of attribute name → value (the names are the
 * tenant's own, so the sandbox is not held to these keys).
 */
export const EXTENDED_ATTRIBUTES: Shape[] = [
	{
		source:
			'cyberark/idsec-sdk-golang pkg/services/identity/users/idsec_identity_users_service_test.go (UserAttributesResponseJSON, read by GetAttributes)',
		status: 'confirmed',
		result: { CustomAtt_1: 'Engineering', CustomAtt_2: 'CC-1234' },
	},
	{
		source:
			'cyberark/idsec-sdk-golang pkg/services/identity/users/idsec_identity_users_service_test.go (UserAttributesEmptyResponseJSON)',
		status: 'confirmed',
		result: {},
	},
];

/** A Redrock answer around its rows: marcozj golang-sdk's recorded answers and CyberArk's data dictionary examples. */
export const REDROCK: Shape[] = [
	{
		source:
			'marcozj/golang-sdk platform/centrify_policylinks.go and centrify_directoryobject.go (recorded Redrock answers)',
		status: 'confirmed',
		result: {
			Columns: [COLUMN],
			Count: 1,
			Results: [{ Entities: [{ Type: 'User', Key: USER_ID, IsForeignKey: false }], Row: {} }],
			FullCount: 1,
			ReturnID: '',
			IsAggregate: false,
		},
	},
	{
		source: 'docs.cyberark.com Idaptive Developer data-dictionary/user.htm (User table query response)',
		status: 'confirmed',
		result: {
			FullCount: 1,
			Results: [{ Entities: [{ Type: 'User', Key: USER_ID, IsForeignKey: false }], Row: {} }],
		},
	},
];

/**
 * Columns of Redrock tables: the ones CyberArk's data dictionary documents (`documented`), and the ones
 * public clients select (`selected`, which the sandbox must have).
 */
export const TABLES: Record<string, { documented: string[]; selected: string[]; sources: string[] }> = {
	User: {
		documented: [
			'ID',
			'Username',
			'DisplayName',
			'Email',
			'MobileNumber',
			'LastLogin',
			'LastInvite',
			'StatusEnum',
			'RiskLevel',
			'Status',
			'SourceDs',
			'SourceDsLocalized',
			'SourceDsType',
			'DirectoryServiceUuid',
			'Forest',
		],
		selected: [
			'ID',
			'Username',
			'DisplayName',
			'Email',
			'MobileNumber',
			'LastLogin',
			'DirectoryServiceUuid',
			'Status',
		],
		sources: [
			'docs.cyberark.com Idaptive Developer data-dictionary/user.htm',
			'cyberark/idsec-sdk-golang pkg/services/identity/users/idsec_identity_users_service.go (Get, listUsers)',
			'cyberark/ark-sdk-python ark_sdk_python/services/identity/users/ark_identity_users_service.py',
		],
	},
	Role: {
		documented: ['ID', 'Name', 'Description'],
		selected: ['ID', 'Name', 'Description'],
		sources: [
			'centrify/powershell-sdk Centrify.Platform.PowerShell/Util/Redrock.ps1 (SELECT ID FROM Role WHERE Name ...)',
			'pCloudServices/Reports SyncIdentityRolesWithVaultUsers.ps1 (Select Role.Name, ID from Role)',
			'marcozj/golang-sdk platform/centrify_genericobject.go (a role row decoded into ID, Name, Description): Description inferred',
		],
	},
};
