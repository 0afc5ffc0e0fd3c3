'use strict';
// The lifecycle endpoints beyond a user's record and role membership, as the public sources show them
// (docs/cyberark-api.md): sign-out everywhere, invitations, MFA exemption, extended attributes (ExtData),
// roles created, renamed and deleted, and a role's applications. What no source shows is marked
// "unconfirmed" below; there the sandbox takes the stricter of the possibilities.

const { Failure } = require('./directory');

/** Additional attributes a tenant defines (Settings > Users > Additional Attributes), in ExtData's form. */
const DEFAULT_EXTENDED_COLUMNS = [
	{ Name: 'EmployeeID', Title: 'Employee ID', Type: 'Text' },
	{ Name: 'CostCenter', Title: 'Cost Center', Type: 'Text' },
];

/** Applications assigned to roles, by role name. */
const DEFAULT_APPLICATIONS = [
	{ Name: 'Salesforce', DisplayName: 'Salesforce', AppType: 'Web', roles: ['Sales'] },
	{ Name: 'NetSuite', DisplayName: 'NetSuite ERP', AppType: 'Web', roles: ['Finance'] },
];

/** The roles every tenant has: not deletable (unconfirmed: no source shows CyberArk's answer). */
const BUILT_IN_ROLES = ['everybody', 'sysadmin'];

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
	 * @param {{tokens: Map<string, {subject: object}>, refreshTokens: Map<string, {subject: object}>}} sessions
	 * @param {{extendedColumns?: Array<{Name: string, Title?: string, Type?: string}>, applications?: Array<{Name: string, DisplayName?: string, AppType?: string, roles?: string[]}>}} [options]
	 */
	constructor(directory, sessions, options = {}) {
		this.directory = directory;
		this.sessions = sessions;
		this.extendedColumns = options.extendedColumns ?? DEFAULT_EXTENDED_COLUMNS;
		/** @type {Map<string, Record<string, string | number | boolean>>} user ID → extended attribute values */
		this.extendedValues = new Map();
		/** @type {Array<{userId: string, email: boolean, sms: boolean, role: unknown}>} invitations sent */
		this.invites = [];
		/** @type {Map<string, number>} user ID → until when (ms) MFA is not asked */
		this.mfaExemptUntil = new Map();
		/** @type {string[]} the users signed out everywhere, in order */
		this.signOuts = [];
		this.applications = (options.applications ?? DEFAULT_APPLICATIONS).map((app, i) => ({
			ID: `app-${i + 1}`,
			Name: app.Name,
			DisplayName: app.DisplayName ?? app.Name,
			AppType: app.AppType ?? 'Web',
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
			case '/usermgmt/signouteverywhere':
				return { result: this.signOutEverywhere(param(url, 'ID')) };
			case '/usermgmt/inviteusers':
				return { result: this.inviteUsers(body) };
			case '/cdirectoryservice/exemptuserfrommfa':
				return { result: this.exemptFromMfa(param(url, 'ID'), param(url, 'timespan')) };
			case '/extdata/getcolumns':
				return { result: this.getColumns(body) };
			case '/extdata/setcolumns':
				return { result: this.setColumns(body) };
			case '/roles/storerole':
				return { result: this.storeRole(body) };
			case '/roles/updaterole':
				// Rename and description here; membership (Users/Roles/Groups) is the directory's.
				this.changeRole(body);
				return undefined;
			case '/saasmanage/deleterole':
				return { result: this.deleteRole(body) };
			case '/saasmanage/getroleapps':
				return { result: this.roleApps(param(url, 'role')) };
			default:
				return undefined;
		}
	}

	/** IdentityCommand Clear-IDUserSession: `?ID=<uuid>`, no body. Every token issued to the user stops working. */
	signOutEverywhere(id) {
		const user = this.directory.require(id);
		for (const [token, session] of this.sessions.tokens)
			if (session.subject === user) this.sessions.tokens.delete(token);
		for (const [token, entry] of this.sessions.refreshTokens)
			if (entry.subject === user) this.sessions.refreshTokens.delete(token);
		this.signOuts.push(user.Uuid);
		return null;
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

	/**
	 * cyberark/idsec-sdk-golang Create: `{Name, Description, RoleType}` → `{_RowKey: <new role's ID>}`. A name
	 * another role has is refused ("Role with name x already exists.", docs/cyberark-api.md).
	 */
	storeRole(body) {
		const name = typeof body.Name === 'string' ? body.Name.trim() : '';
		if (!name) throw new Failure('Missing required parameter: Name.');
		if (this.roleNamed(name)) throw new Failure(`Role with name ${name} already exists.`);
		if (body.RoleType !== undefined && !['PrincipalList', 'Script', 'Everybody'].includes(body.RoleType))
			throw new Failure(`Invalid role type ${body.RoleType}.`);
		const role = this.directory.addRole(name, typeof body.Description === 'string' ? body.Description : '');
		return { _RowKey: role.ID };
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

	/** cyberark/idsec-sdk-golang and marcozj golang-sdk Delete: `/SaasManage/DeleteRole` `{Name: <role ID>}`. */
	deleteRole(body) {
		const role = this.directory.role(body.Name);
		if (BUILT_IN_ROLES.includes(role.ID)) throw new Failure(`The role ${role.Name} cannot be deleted.`);
		this.directory.roles.delete(role.ID);
		for (const app of this.applications) app.roles.delete(role.ID);
		return null;
	}

	/**
	 * centrify/powershell-sdk GetRoleApps, IdentityCommand Get-IDRoleApplication: `?role=<role ID>`, no body →
	 * `Result.Results[].Row`. No source prints a row: the sandbox's rows carry columns of Redrock's
	 * Application table (centrify/powershell-sdk GetApplication.sql).
	 */
	roleApps(roleId) {
		const role = this.directory.role(roleId);
		const apps = this.applications.filter((app) => app.roles.has(role.ID));
		return {
			Count: apps.length,
			Results: apps.map((app) => ({
				Entities: [{ Type: 'Application', Key: app.ID }],
				Row: { ID: app.ID, Name: app.Name, DisplayName: app.DisplayName, AppType: app.AppType },
			})),
		};
	}
}

module.exports = { Lifecycle, DEFAULT_EXTENDED_COLUMNS, DEFAULT_APPLICATIONS };
