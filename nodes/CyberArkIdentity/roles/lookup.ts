// Finding the roles an item is about, and role membership.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { membershipCall } from '../../shared/endpoints';
import type { CyberArkClient } from '../../shared/transport/client';
import { InvalidInput, toNodeError } from '../../shared/transport/errors';
import { queryPage, sqlString } from '../../shared/redrock';
import { locatorValue } from '../descriptions/common';
import { text } from '../../shared/validate';

/** Role IDs from a multi-select or an expression: a list, or text separated by commas. */
export function roleList(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return [...new Set(list.map((v) => text(v, 'Roles')).filter((v): v is string => v !== undefined))];
}

/** The role with this exact name; a name must match one role only. */
async function roleIdByName(client: CyberArkClient, name: string, itemIndex: number): Promise<string> {
	const { rows } = await queryPage(
		client,
		`Select ID, Name from Role WHERE Name = ${sqlString(name, 'Role')}`,
		1,
		2,
		itemIndex,
	);
	if (rows.length === 0)
		throw new InvalidInput(
			`No role named "${name}" exists in the tenant`,
			'Check the role name, or pick the role from the list.',
		);
	if (rows.length > 1)
		throw new InvalidInput(
			`Several roles are named "${name}"`,
			'Pick the role from the list, or give its ID.',
		);
	return rows[0].ID as string;
}

/** The ID of the role the `roleId` resource locator points at (looked up when given by name). */
export async function resolveRoleId(
	this: IExecuteFunctions,
	client: CyberArkClient,
	itemIndex: number,
): Promise<string> {
	const { mode, value } = locatorValue(this, 'roleId', itemIndex);
	const given = text(value, 'Role');
	if (given === undefined)
		throw new InvalidInput('No role is selected', 'Pick a role from the list, or give its name or ID.');
	if (mode !== 'name') return given;
	// Many items name the same role: one lookup per run.
	return await client.once(`role:${given}`, async () => await roleIdByName(client, given, itemIndex));
}

/** Makes a user a member of a role or not; adding a member twice is no error. */
export async function setMembership(
	client: CyberArkClient,
	userId: string,
	roleId: string,
	member: boolean,
	itemIndex: number,
): Promise<void> {
	await client.request(membershipCall(roleId, userId, member), itemIndex);
}

/** Adds a new user to roles; returns the role IDs. */
export async function addRoles(
	this: IExecuteFunctions,
	client: CyberArkClient,
	userId: string,
	roleIds: string[],
	itemIndex: number,
): Promise<string[]> {
	for (const roleId of roleIds) {
		try {
			await setMembership(client, userId, roleId, true, itemIndex);
		} catch (error) {
			const failure = toNodeError(this.getNode(), error, itemIndex);
			failure.message = `The user ${userId} exists, but adding it to role ${roleId} failed: ${failure.message}`;
			throw failure;
		}
	}
	return roleIds;
}

export function simplifyRole(row: IDataObject): IDataObject {
	return { id: row.ID, name: row.Name, description: row.Description ?? null };
}
