// Properties of Create or Update's extended attributes over the random tenants, rosters and options of
// scenario.ts, with random attribute values on the users and random attributes on the rows (names in any
// case, empty values, attributes not mentioned). Run in process against the sandbox's tenant, whose
// SetColumns keeps only the columns it is sent. SYNC_PROPERTY_RUNS and SYNC_PROPERTY_SEED as in
// properties.test.ts.
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_EXTENDED_COLUMNS } from '../../../../sandbox/lifecycle';
import type { InProcessTenant, Outcome } from './inProcess';
import type { Scenario, UserPicture } from './scenario';
import {
	applyPlan,
	buildTenant,
	cleanScenarios,
	named,
	picture,
	scenarios,
	syncParameters,
	users,
} from './scenario';

const RUNS = Number(process.env.SYNC_PROPERTY_RUNS ?? 1000);
const SEED = Number(process.env.SYNC_PROPERTY_SEED ?? 20261126);
const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const COLUMNS = ['EmployeeID', 'CostCenter', 'Office'];
const VALUES = ['A', 'B', 'C'];

type Values = Record<string, string>;
type Given = Array<{ name: string; value: string }>;

interface AttributeScenario {
	scenario: Scenario;
	/** Each user's values, by the user's index in `scenario.users`. */
	values: Values[];
	/** Each row's Extended Attributes, by the row's index. */
	given: Given[];
}

const userValues = fc
	.subarray(COLUMNS)
	.chain((names) =>
		fc.tuple(...names.map((name) => fc.constantFrom(VALUES[0], ...VALUES).map((v) => [name, v]))),
	)
	.map((pairs) => Object.fromEntries(pairs) as Values);

/** A row's attributes: names in CyberArk's spelling or in lower case, some empty (left alone). */
const rowGiven: fc.Arbitrary<Given> = fc.uniqueArray(
	fc.record({
		name: fc.constantFrom(...COLUMNS, ...COLUMNS.map((c) => c.toLowerCase())),
		value: fc.constantFrom(...VALUES, ''),
	}),
	{ maxLength: 3, selector: (g) => g.name.toLowerCase() },
);

function withAttributes(base: fc.Arbitrary<Scenario>): fc.Arbitrary<AttributeScenario> {
	return base.chain((scenario) =>
		fc.record({
			scenario: fc.constant(scenario),
			values: fc.array(userValues, { minLength: scenario.users.length, maxLength: scenario.users.length }),
			given: fc.array(rowGiven, { minLength: scenario.rows.length, maxLength: scenario.rows.length }),
		}),
	);
}

/** The scenario's tenant, a third column defined, each user with its values. */
function build(s: AttributeScenario): InProcessTenant {
	const tenant = buildTenant(s.scenario.users);
	const { lifecycle, directory } = tenant.sandbox;
	lifecycle.extendedColumns = [
		...DEFAULT_EXTENDED_COLUMNS,
		{ Name: 'Office', Title: 'Office', Type: 'Text' },
	];
	s.scenario.users.forEach((user, n) => {
		if (Object.keys(s.values[n]).length > 0)
			lifecycle.extendedValues.set(directory.findByName(user.login)!.Uuid, { ...s.values[n] });
	});
	return tenant;
}

async function run(tenant: InProcessTenant, s: AttributeScenario, dryRun = false): Promise<Outcome> {
	const parameters = syncParameters(s.scenario.options, dryRun);
	parameters.additionalFields = {
		...(parameters.additionalFields as IDataObject),
		extendedAttributes: { attribute: (json: IDataObject) => json.attributes },
	};
	const input = s.scenario.rows.map(
		(row, n) => ({ ...row, attributes: s.given[n] }) as unknown as IDataObject,
	);
	return await tenant.run(parameters, input, { continueOnFail: s.scenario.options.continueOnFail });
}

/** Every user's attribute values, by user ID. */
function valuesById(tenant: InProcessTenant): Map<string, Values> {
	const values = new Map<string, Values>();
	for (const user of tenant.sandbox.directory.users.values())
		values.set(user.Uuid, { ...(tenant.sandbox.lifecycle.extendedValues.get(user.Uuid) ?? {}) } as Values);
	return values;
}

/** Every user's attribute values, by login name (to compare tenants built alike). */
function valuesByName(tenant: InProcessTenant): Record<string, Values> {
	const byName: Record<string, Values> = {};
	for (const [id, values] of valuesById(tenant))
		byName[tenant.sandbox.directory.users.get(id)!.Name.toLowerCase()] = values;
	return byName;
}

const json = (outcome: Outcome) => outcome.items.map((i) => i.json);

test('attributes: the same roster twice, the second run writes nothing', async () => {
	await fc.assert(
		fc.asyncProperty(withAttributes(cleanScenarios), async (s) => {
			const tenant = build(s);
			const first = await run(tenant, s);
			fc.pre(first.error === undefined && json(first).every((o) => o.error === undefined));
			const second = await run(tenant, s);
			expect(second.error).toBeUndefined();
			expect(second.writes).toEqual([]);
			for (const item of json(second))
				if (item.extendedAttributes) expect(item.extendedAttributes).toEqual({});
		}),
		settings,
	);
});

test('an attribute changes only as its row gives it a value, and is never cleared', async () => {
	await fc.assert(
		fc.asyncProperty(withAttributes(scenarios), async (s) => {
			const tenant = build(s);
			const before = valuesById(tenant);
			const outcome = await run(tenant, s);
			const items = json(outcome);
			for (const [id, after] of valuesById(tenant)) {
				const was = before.get(id) ?? {};
				for (const name of COLUMNS) {
					if (was[name] !== undefined) expect(after[name]).toBeDefined();
					if (after[name] === was[name]) continue;
					// The item that wrote it says so, and its row gave that value (names in any case: a joiner's
					// are the row's spelling, CyberArk keeps its own).
					const k = items.findIndex((item) => item.id === id);
					expect(k).toBeGreaterThanOrEqual(0);
					expect(k).toBeLessThan(s.scenario.rows.length);
					const same = (key: string) => key.toLowerCase() === name.toLowerCase();
					const written = Object.entries(items[k].extendedAttributes as IDataObject).filter(([key]) =>
						same(key),
					);
					expect(written.map(([, change]) => change)).toEqual([{ from: was[name] ?? null, to: after[name] }]);
					expect(s.given[k].filter((g) => same(g.name)).map((g) => g.value)).toEqual([after[name]]);
				}
			}
		}),
		settings,
	);
});

test('attributes: Dry Run sends only reads and changes nothing', async () => {
	await fc.assert(
		fc.asyncProperty(withAttributes(scenarios), async (s) => {
			const tenant = build(s);
			const before = valuesByName(tenant);
			const outcome = await run(tenant, s, true);
			expect(outcome.writes).toEqual([]);
			expect(valuesByName(tenant)).toEqual(before);
		}),
		settings,
	);
});

test("attributes: a run's outcome is its own Dry Run plan applied", async () => {
	await fc.assert(
		fc.asyncProperty(withAttributes(scenarios), async (s) => {
			const dryTenant = build(s);
			const dryBefore: UserPicture[] = users(dryTenant);
			const dry = await run(dryTenant, s, true);
			const real = build(s);
			const realBefore = users(real);
			const outcome = await run(real, s);
			// No warning (a budget over its limits); every Dry Run ends with the hint that it changed nothing.
			const warned = dry.hints.some((hint) => hint.type === 'warning');
			fc.pre(!warned && outcome.error === undefined && dry.error === undefined);
			const strip = ({ dryRun, requests, ...rest }: IDataObject) => ({
				...rest,
				id: rest.action === 'created' ? null : rest.id,
			});
			expect(named(real, realBefore, json(outcome).map(strip))).toEqual(
				named(dryTenant, dryBefore, json(dry).map(strip)),
			);
			const planned = build(s);
			const plannedBefore = users(planned);
			applyPlan(planned, named(dryTenant, dryBefore, json(dry)));
			expect(picture(real, realBefore)).toEqual(picture(planned, plannedBefore));
			expect(valuesByName(real)).toEqual(valuesByName(planned));
		}),
		settings,
	);
});
