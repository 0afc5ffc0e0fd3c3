'use strict';
// The lifecycle endpoints beyond a user's record, role membership and the role calls server.js serves
// (SignOutEverywhere, StoreRole, DeleteRole), as the public sources show them (docs/cyberark-api.md):
// invitations, MFA exemption, extended attributes (ExtData), a role's rename and description, and a
// role's applications. What no source shows is marked "unconfirmed" below; there the sandbox takes the
// stricter of the possibilities.

const { Failure } = require('./directory');
const { listAnswer } = require('./redrock');

/** Additional attributes a tenant defines (Settings > Users > Additional Attributes), in ExtData's form. */
const DEFAULT_EXTENDED_COLUMNS = [
	{ Name: 'EmployeeID', Title: 'Employee ID', Type: 'Text' },
	{ Name: 'CostCenter', Title: 'Cost Center', Type: 'Text' },
];

/** Applications assigned to roles, by role name. */
const DEFAULT_APPLICATIONS = [
	{ Name: 'Salesforce', Description: 'CRM', roles: ['Sales'] },
	{ Name: 'NetSuite', Description: 'ERP', roles: ['Finance'] },
];

/** The keys of a GetRoleApps row, as CyberArk's spec lists them (SaasManageGetRoleApps). */
const APPLICATION_KEYS = [
	'ID',
	'Name',
	'Description',
	'AppType',
	'AppTypeDisplayName',
	'Icon',
	'Version',
	'IsMarketplaceApp',
];

/** A query string parameter, its name in any case (paths and parameters are case-insensitive). */
function param(url, name) {
	for (const [key, value] of url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
	return undefined;
}

/** CyberArk accepts booleans as JSON booleans or as the strings "true"/"false" (any case). */
function bool(value, field) {
	if (value === undefined || value === null || value === '') return false;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
	throw new Failure(`Invalid value for ${field}.`);
}

class Lifecycle {
	/**
	 * @param {import('./directory').Directory} directory
	 * @param {{extendedColumns?: Array<{Name: string, Title?: string, Type?: string}>, applications?: Array<{Name: string, Description?: string, roles?: string[]}>}} [options]
	 */
	constructor(directory, options = {}) {
		this.directory = directory;
		this.extendedColumns = options.extendedColumns ?? DEFAULT_EXTENDED_COLUMNS;
		/** @type {Map<string, Record<string, string | number | boolean>>} user ID → extended attribute values */
		this.extendedValues = new Map();
		/** @type {Array<{userId: string, email: boolean, sms: boolean, role: unknown}>} invitations sent */
		this.invites = [];
		/** @type {Map<string, number>} user ID → until when (ms) MFA is not asked */
		this.mfaExemptUntil = new Map();
		this.applications = (options.applications ?? DEFAULT_APPLICATIONS).map((app, i) => ({
			ID: `app-${i + 1}`,
			Name: app.Name,
			Description: app.Description ?? '',
			roles: new Set(
				(app.roles ?? [])
					.map((name) => [...directory.roles.values()].find((r) => r.Name === name)?.ID)
					.filter((id) => id !== undefined),
			),
		}));
	}

	/** The answer to a call this module serves, as `{result}`; undefined for any other path. */
	answer(path, url, body) {
		switch (path) {
			case '/usermgmt/inviteusers':
				return { result: this.inviteUsers(body) };
			case '/cdirectoryservice/exemptuserfrommfa':
				return { result: this.exemptFromMfa(param(url, 'ID'), param(url, 'timespan')) };
			case '/extdata/getcolumns':
				return { result: this.getColumns(body) };
			case '/extdata/setcolumns':
				return { result: this.setColumns(body) };
			case '/roles/updaterole':
				// Rename and description here; membership (Users/Roles/Groups) is the directory's.
				this.changeRole(body);
				return undefined;
			case '/saasmanage/getroleapps':
				return { result: this.roleApps(param(url, 'role')) };
			default:
				return undefined;
		}
	}

	/**
	 * centrify/powershell-sdk Invite-CentrifyUser: `{EmailInvite, Role, Entities: [{Type: "User", Guid, Name}]}`;
	 * IdentityCommand Send-IDUserInvite adds SmsInvite. An invitation needs an address to go to (the SDK
	 * checks the e-mail first; CyberArk's answer without one is unconfirmed).
	 */
	inviteUsers(body) {
		const email = bool(body.EmailInvite, 'EmailInvite');
		const sms = bool(body.SmsInvite, 'SmsInvite');
		if (!Array.isArray(body.Entities) || body.Entities.length === 0)
			throw new Failure('Missing required parameter: Entities.');
		const users = body.Entities.map((entity) => {
			if (String(entity?.Type ?? '').toLowerCase() !== 'user')
				throw new Failure(`Unsupported entity type ${entity?.Type}.`);
			return this.directory.require(entity.Guid ?? entity.Name);
		});
		for (const user of users) {
			if (email && !user.Mail) throw new Failure(`User ${user.Name} has no email address.`);
			if (sms && !user.MobileNumber) throw new Failure(`User ${user.Name} has no mobile number.`);
		}
		for (const user of users) this.invites.push({ userId: user.Uuid, email, sms, role: body.Role });
		return null;
	}

	/** IdentityCommand Suspend-IDUserMFA: `?ID=<uuid>&timespan=<minutes>` (10 when not given), no body. */
	exemptFromMfa(id, timespan) {
		const user = this.directory.require(id);
		const minutes = timespan === undefined ? 10 : Number(timespan);
		if (!Number.isInteger(minutes) || minutes < 1) throw new Failure(`Invalid timespan ${timespan}.`);
		this.mfaExemptUntil.set(user.Uuid, Date.now() + minutes * 60_000);
		return null;
	}

	/** The defined column of this name (any case); an unknown one is refused (unconfirmed). */
	column(name) {
		const column = this.extendedColumns.find((c) => c.Name.toLowerCase() === String(name).toLowerCase());
		if (!column) throw new Failure(`Column ${name} does not exist in table users.`);
		return column;
	}

	usersTable(body) {
		if (String(body.Table ?? '').toLowerCase() !== 'users') throw new Failure(`Unknown table ${body.Table}.`);
		return this.directory.require(body.ID);
	}

	/** cyberark/idsec-sdk-golang GetAttributes: `{Table: "users", ID}` → a flat object of the columns with a value. */
	getColumns(body) {
		const user = this.usersTable(body);
		return { ...(this.extendedValues.get(user.Uuid) ?? {}) };
	}

	/**
	 * cyberark/idsec-sdk-golang UpsertAttributes: `{Table: "users", ID, Columns: {name: value}}`, sent with
	 * every column (read, then changed). Whether columns left out keep their values is unconfirmed: here they
	 * do not (the row becomes what was sent), so a client that does not send them back loses them.
	 */
	setColumns(body) {
		const user = this.usersTable(body);
		const columns = body.Columns;
		if (!columns || typeof columns !== 'object' || Array.isArray(columns))
			throw new Failure('Missing required parameter: Columns.');
		/** @type {Record<string, string | number | boolean>} */
		const values = {};
		for (const [name, value] of Object.entries(columns)) {
			const column = this.column(name);
			if (value !== null && typeof value === 'object') throw new Failure(`Invalid value for ${name}.`);
			if (value !== null && value !== '') values[column.Name] = value;
		}
		this.extendedValues.set(user.Uuid, values);
		return null;
	}

	roleNamed(name) {
		return [...this.directory.roles.values()].find(
			(r) => r.Name.toLowerCase() === String(name).toLowerCase(),
		);
	}

	/** cyberark/idsec-sdk-golang and marcozj golang-sdk Update: `{Name: <role ID>, NewName, Description}`. */
	changeRole(body) {
		if (body.NewName === undefined && body.Description === undefined) return;
		const role = this.directory.role(body.Name);
		if (body.NewName !== undefined) {
			const name = String(body.NewName).trim();
			if (!name) throw new Failure('Invalid value for NewName.');
			const other = this.roleNamed(name);
			if (other && other !== role) throw new Failure(`Role with name ${name} already exists.`);
			role.Name = name;
		}
		if (body.Description !== undefined) role.Description = String(body.Description ?? '');
	}

	/**
	 * CyberArk's spec, centrify/powershell-sdk GetRoleApps, IdentityCommand Get-IDRoleApplication:
	 * `?role=<role ID or name>`, no body → a list answer whose rows carry the keys the spec lists.
	 */
	roleApps(ref) {
		const role =
			this.directory.roles.get(String(ref ?? '')) ?? this.roleNamed(ref) ?? this.directory.role(ref);
		const apps = this.applications.filter((app) => app.roles.has(role.ID));
		return listAnswer(
			apps.map((app) => ({
				Entities: [{ Type: 'Application', Key: app.ID, IsForeignKey: false }],
				Row: {
					ID: app.ID,
					Name: app.Name,
					Description: app.Description,
					AppType: 'Web',
					AppTypeDisplayName: 'Web - SAML',
					Icon: `/vfslow/lib/application/icons/${app.ID}`,
					Version: '1',
					IsMarketplaceApp: false,
				},
			})),
			APPLICATION_KEYS,
		);
	}
}

module.exports = { Lifecycle, DEFAULT_EXTENDED_COLUMNS, DEFAULT_APPLICATIONS };
