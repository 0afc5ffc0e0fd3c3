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
 * @property {string | null} ReportsTo
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
		/** @type {Map<string, {ID: string, Name: string, Description: string, members: Set<string>}>} */
		this.roles = new Map();
		this.addRole('Everybody', 'All users', 'everybody');
		this.addRole('System Administrator', 'Tenant administrators', 'sysadmin');
		for (const role of roles) this.addRole(role.Name, role.Description ?? '', role.ID);
	}

	/** @param {string} name @param {string} [description] @param {string} [id] */
	addRole(name, description = '', id = randomUUID()) {
		const role = { ID: id, Name: name, Description: description, members: new Set() };
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
		if (body.ReportsTo && !this.users.has(body.ReportsTo))
			throw new Failure(`User ${body.ReportsTo} not found.`);
		const serviceUser = readBool(body.ServiceUser, false, 'ServiceUser');
		const oauthClient = readBool(body.OauthClient, false, 'OauthClient');
		const id = randomUUID();
		const user = this.record(
			id,
			{
				...body,
				Name: name,
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

	/** What GetUser answers: the record without the things only the sandbox keeps. */
	view(user) {
		const { password, mfaRequired, cloudLocked, CreateDate, LastLogin, ...visible } = user;
		return {
			...visible,
			CreateDate: toDate(CreateDate),
			LastLogin: LastLogin === null ? null : toDate(LastLogin),
			// CyberArk returns some booleans as strings.
			PasswordNeverExpire: visible.PasswordNeverExpire ? 'True' : 'False',
			ForcePasswordChangeNext: visible.ForcePasswordChangeNext ? 'True' : 'False',
		};
	}

	attributes(user) {
		return {
			Uuid: user.Uuid,
			Name: user.Name,
			State: user.cloudLocked && user.State === 'None' ? 'Locked' : user.State,
			CreateDate: toDate(user.CreateDate),
			LastLogin: user.LastLogin === null ? null : toDate(user.LastLogin),
		};
	}

	changeUser(body) {
		const user = this.require(body.ID);
		const editable = [
			'Mail',
			'DisplayName',
			'Description',
			'OfficeNumber',
			'HomeNumber',
			'MobileNumber',
			'ReportsTo',
		];
		for (const field of editable) if (field in body) user[field] = body[field] === '' ? null : body[field];
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

	/** Rows for Redrock's `User` table, as the query engine sees them. */
	userRows() {
		return [...this.users.values()].map((u) => ({
			ID: u.Uuid,
			Username: u.Name,
			DisplayName: u.DisplayName,
			Email: u.Mail,
			MobileNumber: u.MobileNumber,
			LastLogin: u.LastLogin === null ? null : toDate(u.LastLogin),
			CreateDate: toDate(u.CreateDate),
			Status: this.attributes(u).State === 'None' ? 'Active' : this.attributes(u).State,
			State: this.attributes(u).State,
		}));
	}

	roleRows() {
		return [...this.roles.values()].map((r) => ({ ID: r.ID, Name: r.Name, Description: r.Description }));
	}
}

module.exports = { Directory, Failure, toDate };
