// The run object of Create or Update: what the phases (run.ts) learn about each input item and the
// tenant, and what the writes (write.ts) then apply.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { StateName } from '../../shared/readers';
import type { CyberArkClient } from '../../shared/transport/client';
import type { RoleDirectory } from '../roles/directory';
import type { Attributes, Columns } from '../users/extendedAttributes';
import type { Caller } from './caller';
import type { RowKeys } from './match';
import type { CurrentUser, HrRow, Plan, RoleScope, ScopeMember } from './plan';
import type { SyncSettings } from './settings';

/** One input item on its way through the run. */
export interface Slot {
	keys?: RowKeys;
	/** The item's Roles as given (names or IDs), resolved into `row.roles`. */
	roleRefs?: unknown;
	row?: HrRow;
	current?: CurrentUser;
	plan?: Plan;
	/** The user's ID once known; a joiner's once CreateUser answered (never in Dry Run). */
	id?: string | null;
	signedOut?: boolean;
	/** The item's Extended Attributes, when it gives any (sync/extendedAttributes.ts). */
	attributes?: RowAttributes;
	error?: unknown;
}

/** An extended attribute to write: its value now (null for none) and the row's. */
export interface AttributeChange {
	from: Columns[string];
	to: string;
}

export interface RowAttributes {
	/** Name → value: the attributes the row gives a value. */
	given: Attributes;
	/** The user's values, once read (a joiner's in Dry Run: none). */
	current?: Columns;
	/** `{name: {from, to}}`: exactly the attributes that differ (named as CyberArk spells those the user has). */
	changes?: Record<string, AttributeChange>;
}

/** A member of the scope role missing from the input, and how deprovisioning it went. */
export interface Leaver {
	member: ScopeMember;
	signedOut?: boolean;
	error?: unknown;
}

export interface SyncRun {
	context: IExecuteFunctions;
	client: CyberArkClient;
	items: INodeExecutionData[];
	continueOnFail: boolean;
	options: IDataObject;
	settings: SyncSettings;
	slots: Slot[];
	/** The user the credential signs in as, never written (phase 3). */
	caller?: Caller;
	/** The tenant's roles, read once (phase 2). */
	roles?: RoleDirectory;
	roleScope: RoleScope;
	/** Every user any row's login name or e-mail found. */
	found: IDataObject[];
	/** User ID → the IDs of its roles among those the run looks at. */
	rolesOf: Map<string, string[]>;
	/** User ID (lower case) → the state GetUserAttributes reported, for users a decision rests on. */
	confirmed: Map<string, StateName>;
	/** The scope role's members, once read. */
	scopeMembers?: ScopeMember[];
	leavers: Leaver[];
}
