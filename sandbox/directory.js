'use strict';
// The tenant's data and business rules: users, roles, login suffixes.
// Every answer is what CyberArk puts in an envelope: either a Result or a failure Message.

const { randomUUID } = require('node:crypto');

class Failure extends Error {}

/**
 * A user as the tenant stores it: CyberArk's fields plus what only the sandbox knows.
 * @typedef {object} UserRecord
 * @property {string} Uuid
 * @property {string} Name
 * @property {string | null} Mail
 * @property {string | null} DisplayName
 * @property {string | null} Description
 * @property {string | null} OfficeNumber
 * @property {string | null} HomeNumber
 * @property {string | null} MobileNumber
 * @property {string | null} ReportsTo the manager's ID (CyberArk's CDUser table keeps an ID; answers show the login name)
 * @property {boolean} PasswordNeverExpire
 * @property {boolean} ForcePasswordChangeNext
 * @property {boolean} InEverybodyRole
 * @property {boolean} InSysAdminRole
 * @property {boolean} ServiceUser
 * @property {boolean} OauthClient
 * @property {string} State None, Locked, Disabled or Expired
 * @property {boolean} cloudLocked
 * @property {number} CreateDate
 * @property {number | null} LastLogin
 * @property {string} password
 * @property {boolean} mfaRequired
 */

/** The Cloud Directory's ID, as users' records carry it. */
const DIRECTORY_SERVICE = '09b9a9b0-6ce8-465f-ab03-65766d33b05e';
const LOGIN_NAME = /^([A-Za-z0-9+\-_.]+)@([A-Za-z0-9.-]+)$/;
const STATES = ['None', 'Locked', 'Disabled', 'Expired'];

function toDate(ms) {
	return `/Date(${ms})/`;
}

/** CyberArk accepts booleans as JSON booleans or as the strings "true"/"false". */
function readBool(value, fallback, field) {
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
	throw new Failure(`Invalid value for ${field}.`);
}

function checkPassword(password) {
	const problems = [];
	if (password.length < 8) problems.push('at least 8 characters');
	if (!/[A-Z]/.test(password)) problems.push('an upper-case letter');
	if (!/[a-z]/.test(password)) problems.push('a lower-case letter');
	if (!/[0-9]/.test(password)) problems.push('a digit');
	if (problems.length) {
		throw new Failure(
			`Password does not meet the password complexity requirements: it must contain ${problems.join(', ')}.`,
		);
	}
}

class Directory {
	constructor({ suffixes = ['example.com'], roles = [] } = {}) {
		this.suffixes = suffixes.map((s) => s.toLowerCase());
		/** @type {Map<string, UserRecord>} uuid -> user record */
		this.users = new Map();
		/** @type {Map<string, UserRecord>} lower-cased login name -> user record */
		this.byName = new Map();
		/** @type {Map<string, {ID: string, Name: string, Description: string, rights: string[], members: Set<string>}>} */
		this.roles = new Map();
		this.addRole('Everybody', 'All users', 'everybody');
		// An administrative right as CyberArk's identity-sample-java looks for it in a user's roles.
		this.addRole('System Administrator', 'Tenant administrators', 'sysadmin', ['Admin Portal Login']);
		for (const role of roles) this.addRole(role.Name, role.Description ?? '', role.ID);
	}

	/** @param {string} name @param {string} [description] @param {string} [id] @param {string[]} [rights] */
	addRole(name, description = '', id = randomUUID(), rights = []) {
		const role = { ID: id, Name: name, Description: description, rights, members: new Set() };
		this.roles.set(id, role);
		return role;
	}

	/** A service or resource-owner user that exists from the start (password grant logins). */
	/** @param {{ Name: string, Password: string, DisplayName?: string, mfaRequired?: boolean, Mail?: string | null }} account */
	addAccount({ Name, Password, DisplayName, mfaRequired = false, Mail }) {
		const id = randomUUID();
		const user = this.store(
			this.record(id, { Name, DisplayName: DisplayName ?? Name, Mail: Mail ?? null }, Password),
		);
		user.mfaRequired = mfaRequired;
		return user;
	}

	store(user) {
		this.users.set(user.Uuid, user);
		this.byName.set(user.Name.toLowerCase(), user);
		return user;
	}

	/** @returns {UserRecord} */
	record(id, fields, password) {
		return {
			Uuid: id,
			Name: fields.Name,
			Mail: fields.Mail ?? null,
			DisplayName: fields.DisplayName ?? null,
			Description: fields.Description ?? null,
			OfficeNumber: fields.OfficeNumber ?? null,
			HomeNumber: fields.HomeNumber ?? null,
			MobileNumber: fields.MobileNumber ?? null,
			ReportsTo: fields.ReportsTo ?? null,
			PasswordNeverExpire: fields.PasswordNeverExpire ?? false,
			ForcePasswordChangeNext: fields.ForcePasswordChangeNext ?? true,
			InEverybodyRole: fields.InEverybodyRole ?? true,
			InSysAdminRole: fields.InSysAdminRole ?? false,
			ServiceUser: fields.ServiceUser ?? false,
			OauthClient: fields.OauthClient ?? false,
			State: 'None',
			cloudLocked: false,
			CreateDate: Date.now(),
			LastLogin: null,
			password: password ?? randomUUID(),
			mfaRequired: false,
		};
	}

	/** @returns {UserRecord | undefined} */
	findByName(name) {
		return this.byName.get(String(name ?? '').toLowerCase());
	}

	/** GetUser / DeleteUser take a UUID; DeleteUser also takes a login name. */
	find(idOrName) {
		return this.users.get(String(idOrName ?? '')) ?? this.findByName(idOrName);
	}

	require(idOrName) {
		const user = this.find(idOrName);
		if (!user) throw new Failure(`User ${idOrName} not found.`);
		return user;
	}

	createUser(body) {
		const name = typeof body.Name === 'string' ? body.Name.trim() : '';
		if (!name) throw new Failure('Missing required parameter: Name.');
		const match = LOGIN_NAME.exec(name);
		if (!match) throw new Failure(`The user name ${name} is invalid. Login names have the form user@suffix.`);
		if (!this.suffixes.includes(match[2].toLowerCase())) {
			throw new Failure(`The login suffix ${match[2]} is not valid for this tenant.`);
		}
		if (this.findByName(name)) throw new Failure(`The user name ${name} is already in use.`);
		const sendEmailInvite = readBool(body.SendEmailInvite, true, 'SendEmailInvite');
		const sendSmsInvite = readBool(body.SendSmsInvite, false, 'SendSmsInvite');
		if (sendEmailInvite && !body.Mail)
			throw new Failure('An email address is required to send an invitation email.');
		if (sendSmsInvite && !body.MobileNumber)
			throw new Failure('A mobile number is required to send an invitation SMS.');
		if (body.Password !== undefined && body.Password !== null && body.Password !== '') {
			checkPassword(String(body.Password));
			if (body.confirmPassword !== undefined && body.confirmPassword !== body.Password) {
				throw new Failure('Passwords do not match.');
			}
		}
		const reportsTo = this.manager(body.ReportsTo);
		const serviceUser = readBool(body.ServiceUser, false, 'ServiceUser');
		const oauthClient = readBool(body.OauthClient, false, 'OauthClient');
		const id = randomUUID();
		const user = this.record(
			id,
			{
				...body,
				Name: name,
				ReportsTo: reportsTo,
				PasswordNeverExpire: readBool(body.PasswordNeverExpire, false, 'PasswordNeverExpire'),
				ForcePasswordChangeNext: readBool(body.ForcePasswordChangeNext, true, 'ForcePasswordChangeNext'),
				InEverybodyRole:
					serviceUser || oauthClient ? false : readBool(body.InEverybodyRole, true, 'InEverybodyRole'),
				InSysAdminRole: readBool(body.InSysAdminRole, false, 'InSysAdminRole'),
				ServiceUser: serviceUser,
				OauthClient: oauthClient,
			},
			body.Password || undefined,
		);
		this.store(user);
		if (user.InEverybodyRole) this.roles.get('everybody')?.members.add(id);
		if (user.InSysAdminRole) this.roles.get('sysadmin')?.members.add(id);
		return id;
	}

	/**
	 * The manager's ID for a ReportsTo a client sent: public clients send the manager's login name
	 * (marcozj golang-sdk, terraform-provider-centrify); none shows an ID being accepted.
	 */
	manager(value) {
		if (value === undefined || value === null || value === '') return null;
		const manager = this.findByName(value);
		if (!manager) throw new Failure(`User ${value} not found.`);
		return manager.Uuid;
	}

	/** A cloud lock on top of the state SetUserState set, as Redrock's Status shows it in the sandbox. */
	effectiveState(user) {
		return user.cloudLocked && user.State === 'None' ? 'Locked' : user.State;
	}

	/**
	 * A user's record as GetUser, GetUserByName and GetUserAttributes answer it: the fields of the
	 * GetUserAttributes answer recorded in marcozj golang-sdk (platform/centrify_user.go), plus
	 * PasswordNeverExpire, which that SDK decodes from it. A cloud lock shows in CloudState.
	 */
	view(user) {
		const bool = (value) => (value ? 'True' : 'False');
		return {
			Uuid: user.Uuid,
			Name: user.Name,
			Mail: user.Mail,
			DisplayName: user.DisplayName,
			Description: user.Description,
			OfficeNumber: user.OfficeNumber,
			HomeNumber: user.HomeNumber,
			MobileNumber: user.MobileNumber,
			ReportsTo: user.ReportsTo === null ? null : (this.users.get(user.ReportsTo)?.Name ?? null),
			PictureUri: `/UserMgmt/GetUserPicture?id=${user.Uuid}`,
			State: user.State,
			CloudState: user.cloudLocked ? 'Locked' : 'None',
			SubjectToCloudLocks: true,
			InEverybodyRole: user.InEverybodyRole,
			OauthClient: user.OauthClient,
			// CyberArk returns some booleans as strings.
			ForcePasswordChangeNext: bool(user.ForcePasswordChangeNext),
			PasswordNeverExpire: bool(user.PasswordNeverExpire),
			CreateDate: toDate(user.CreateDate),
			LastPasswordChangeDate: toDate(user.CreateDate),
			directoryServiceUuid: DIRECTORY_SERVICE,
			Alias: user.Name.slice(user.Name.lastIndexOf('@') + 1),
			CmaRedirectedUser: null,
			CmaRedirectedUserUuid: null,
			PreferredCulture: '',
			Version: '1',
		};
	}

	attributes(user) {
		return this.view(user);
	}

	changeUser(body) {
		const user = this.require(body.ID);
		const editable = ['Mail', 'DisplayName', 'Description', 'OfficeNumber', 'HomeNumber', 'MobileNumber'];
		for (const field of editable) if (field in body) user[field] = body[field] === '' ? null : body[field];
		if ('ReportsTo' in body) user.ReportsTo = this.manager(body.ReportsTo);
		if ('PasswordNeverExpire' in body)
			user.PasswordNeverExpire = readBool(body.PasswordNeverExpire, false, 'PasswordNeverExpire');
		if ('ForcePasswordChangeNext' in body) {
			user.ForcePasswordChangeNext = readBool(body.ForcePasswordChangeNext, true, 'ForcePasswordChangeNext');
		}
		if ('Name' in body && body.Name !== user.Name) {
			const other = this.findByName(body.Name);
			if (other && other !== user) throw new Failure(`The user name ${body.Name} is already in use.`);
			this.byName.delete(user.Name.toLowerCase());
			user.Name = body.Name;
			this.byName.set(user.Name.toLowerCase(), user);
		}
		return null;
	}

	deleteUser(idOrName) {
		const user = this.require(idOrName);
		this.users.delete(user.Uuid);
		this.byName.delete(user.Name.toLowerCase());
		for (const role of this.roles.values()) role.members.delete(user.Uuid);
		for (const other of this.users.values()) if (other.ReportsTo === user.Uuid) other.ReportsTo = null;
		return null;
	}

	setState(id, state) {
		if (!STATES.includes(state)) throw new Failure(`Invalid state ${state}.`);
		const user = this.require(id);
		user.State = state;
		if (state === 'None') user.cloudLocked = false;
		return null;
	}

	setCloudLock(id, locked) {
		const user = this.require(id);
		user.cloudLocked = locked;
		return true;
	}

	resetPassword(id, password) {
		const user = this.require(id);
		if (typeof password !== 'string' || !password)
			throw new Failure('Missing required parameter: newPassword.');
		checkPassword(password);
		user.password = password;
		return null;
	}

	role(id) {
		const role = this.roles.get(String(id ?? ''));
		if (!role) throw new Failure(`The role ${id} does not exist.`);
		return role;
	}

	/** /Roles/StoreRole: a new role (CyberArk's spec: Name required, a name used twice refused); its ID as `_RowKey`. */
	storeRole(body) {
		const name = typeof body.Name === 'string' ? body.Name.trim() : '';
		if (!name) throw new Failure('Parameter "Name" must be specified.');
		if ([...this.roles.values()].some((r) => r.Name.toLowerCase() === name.toLowerCase()))
			throw new Failure(`Role with name ${name} already exists.`);
		return { _RowKey: this.addRole(name, typeof body.Description === 'string' ? body.Description : '').ID };
	}

	deleteRole(id) {
		const role = this.role(id);
		if (role.ID === 'everybody' || role.ID === 'sysadmin')
			throw new Failure(`The role ${role.Name} cannot be deleted.`);
		this.roles.delete(role.ID);
		return null;
	}

	updateRole(body) {
		const role = this.role(body.Name);
		const add = body.Users?.Add ?? [];
		const remove = body.Users?.Delete ?? [];
		for (const member of add) role.members.add(this.require(member).Uuid);
		for (const member of remove) {
			const user = this.find(member);
			if (user) role.members.delete(user.Uuid);
		}
		return null;
	}

	rolesOf(id) {
		const user = this.require(id);
		return [...this.roles.values()].filter((r) => r.members.has(user.Uuid));
	}

	/**
	 * Rows of Redrock's `User` table: columns of CyberArk's data dictionary (plus MobileNumber, which
	 * CyberArk's SDKs select). Status takes only the values the data dictionary lists (Created, Invited,
	 * Active, Suspended): Active for a user who can log in, `statusWhenNotActive` (Suspended unless a test
	 * says otherwise) for any other state. Which one a disabled, locked or expired user really shows is in
	 * no source, so the node never decides to disable or delete on it.
	 */
	userRows(statusWhenNotActive = 'Suspended') {
		return [...this.users.values()].map((u) => {
			const state = this.effectiveState(u);
			return {
				ID: u.Uuid,
				Username: u.Name,
				DisplayName: u.DisplayName,
				Email: u.Mail,
				MobileNumber: u.MobileNumber,
				LastLogin: u.LastLogin === null ? null : toDate(u.LastLogin),
				Status: state === 'None' ? 'Active' : statusWhenNotActive,
				DirectoryServiceUuid: DIRECTORY_SERVICE,
			};
		});
	}

	/** Rows of Redrock's `Role` table. */
	roleRows() {
		return [...this.roles.values()].map((r) => ({ ID: r.ID, Name: r.Name, Description: r.Description }));
	}
}

module.exports = { Directory, Failure, toDate };
