/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The editor experience, end to end: a real n8n (N8N_VERSION, 2.41.1 by default) with the packed
// package, the sandbox tenant, and — on n8n 2.x — Debian's Chromium driven by playwright-core
// (no browser download). Screenshots of every browser step go to test/e2e/artifacts/ (printed).
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), SKIP_BROWSER_TESTS=1 to skip the browser
// steps on purpose, EDITOR_N8N_PORT (default 5910; the task runner broker uses the next port),
// E2E_ARTIFACTS_DIR, UPDATE_DOCS_SCREENSHOTS=1 to refresh the README's pictures in docs/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import type { Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

const n8nTools = require('../../scripts/n8n');

const SECRET = 'Editor-Client-Secret-Xyzzy-7171';
const PASSWORD = 'Editor-Owner-Password-Grue-8282';
const CREDENTIAL_NAME = 'CyberArk Identity (sandbox)';
const PORT = Number(process.env.EDITOR_N8N_PORT ?? 5910);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SKIP_BROWSER = process.env.SKIP_BROWSER_TESTS === '1';
const VERSION: string = n8nTools.N8N_VERSION;
// The browser steps follow n8n 2.x's editor (its test ids and texts); on 1.x the REST checks run.
const BROWSER_STEPS = Number(VERSION.split('.')[0]) >= 2;
const ARTIFACTS =
	process.env.E2E_ARTIFACTS_DIR ??
	path.join(n8nTools.ROOT, 'test', 'e2e', 'artifacts', `editor-n8n-${VERSION}`);
const DOCS = path.join(n8nTools.ROOT, 'docs');

/** The example workflows, by ID, and the CyberArk nodes in each. */
const EXAMPLES: Record<string, string[]> = {
	exBulkImport: ['Create users'],
	exHrOnboarding: ['Create CyberArk user', 'Add to department role'],
	exHrSync: ['Sync to CyberArk'],
	exLockoutFailedLogins: ['Failed logins', 'Lock user'],
	exOffboarding: ['Find by e-mail', 'Disable and sign out', 'Remove from role'],
	exTokenCustomCalls: ['Get token', 'whoami with the node'],
};
const REPOSITORY = 'https://github.com/n8n-nodes-cyberark-identity/n8n-nodes-cyberark-identity';

/** A trigger whose filter matches no event of the tenant: its test fetch finds nothing. */
const QUIET_TRIGGER = {
	id: 'edQuietTrigger',
	name: 'Editor: a trigger with no events yet',
	active: false,
	settings: { executionOrder: 'v1' },
	connections: {},
	nodes: [
		{
			id: 'q1',
			name: 'Failed logins of nobody',
			type: 'n8n-nodes-cyberark-identity.cyberArkIdentityTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				event: ['Cloud.Core.LoginFail'],
				filters: { userEquals: 'nobody.ever@example.com' },
			},
			credentials: { cyberArkIdentityApi: { id: 'cyberArkSandbox', name: 'CyberArk Identity (sandbox)' } },
		},
	],
};

let sandbox: Sandbox;
let n8n: { version: string };
let env: Record<string, string>;
let server: { url: string; stop: () => Promise<void>; output: () => string };
let userFolder: string;

/** Waits until the check passes (returns true); fails with the last value seen. */
async function until<T>(
	read: () => Promise<T> | T,
	ok: (value: T) => boolean,
	what: string,
	timeoutMs = 15_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (ok(value)) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(value).slice(0, 2000)}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

function expectNoSecrets(text: string) {
	expect(text).not.toContain(SECRET);
	expect(text).not.toContain(PASSWORD);
	expect(text).not.toContain('Editor-Wrong-Secret-0000');
}

beforeAll(async () => {
	if (BROWSER_STEPS && !SKIP_BROWSER && !fs.existsSync(CHROMIUM)) {
		throw new Error(
			`The editor's browser tests need Chromium at ${CHROMIUM}, and it is not there. Install Debian's package: ` +
				'`apt-get install -y --no-install-recommends chromium` (or point CHROMIUM_PATH at a Chromium binary). ' +
				'To skip the browser steps on purpose, set SKIP_BROWSER_TESTS=1.',
		);
	}
	sandbox = await startSandbox({ tenant: { clientSecret: SECRET, password: PASSWORD } });
	n8n = n8nTools.ensureN8n();
	userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-editor-e2e-'));
	env = await n8nTools.prepareUserFolder(n8n, userFolder, sandbox.credentials(), {
		tenantOrigin: sandbox.url,
		workflows: [...n8nTools.exampleWorkflows(sandbox.url), QUIET_TRIGGER],
	});
	server = await n8nTools.startServer(
		n8n,
		{ ...env, ...n8nTools.ownerEnv(n8n), N8N_RUNNERS_BROKER_PORT: String(PORT + 1) },
		{ port: PORT },
	);
});

afterAll(async () => {
	await server?.stop();
	await sandbox?.close();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

describe('the credential Test runs the exchange with the values in the form (REST, as the editor calls it)', () => {
	let editor: (url: string, init?: RequestInit) => Promise<Response>;
	let stored: { id: string; name: string; type: string; data: Record<string, unknown> };

	beforeAll(async () => {
		editor = await n8nTools.login(server.url);
		// A run first, so n8n's database holds a token that works: the Test must not lean on it.
		const tokens = sandbox.counters.tokensIssued;
		const run = await n8nTools.n8nCommand(n8n, env, ['execute', '--id=exTokenCustomCalls', '--rawOutput']);
		expect(n8nTools.executionJson(run.stdout)?.status ?? (run.code === 0 ? 'success' : run.stderr)).toBe(
			'success',
		);
		expect(sandbox.counters.tokensIssued).toBeGreaterThan(tokens);
		const response = await editor('/rest/credentials/cyberArkSandbox?includeData=true');
		stored = ((await response.json()) as { data: typeof stored }).data;
		expectNoSecrets(JSON.stringify(stored));
	});

	async function pressTest(change: Record<string, unknown>) {
		const response = await editor('/rest/credentials/test', {
			method: 'POST',
			body: JSON.stringify({ credentials: { ...stored, data: { ...stored.data, ...change } } }),
		});
		expect(response.status).toBe(200);
		const text = await response.text();
		expectNoSecrets(text);
		return (JSON.parse(text) as { data: { status: string; message: string } }).data;
	}

	test('the saved values pass, with one fresh token exchange and one whoami', async () => {
		const tokens = sandbox.counters.tokensIssued;
		const whoami = sandbox.counters.calls['/security/whoami'] ?? 0;
		expect(await pressTest({})).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.counters.tokensIssued).toBe(tokens + 1);
		expect(sandbox.counters.calls['/security/whoami']).toBe(whoami + 1);
	});

	test.each([
		[
			'Application ID',
			{ appId: 'wrong-app' },
			/^No OAuth2 app with application ID "wrong-app" was found at http:\/\/127\.0\.0\.1:\d+\. Set Application ID/,
		],
		[
			'Client ID',
			{ clientId: 'nobody@example.com' },
			/^CyberArk rejected the client ID or client secret \(invalid_client\)\. Check Client ID/,
		],
		[
			'Client Secret',
			{ clientSecret: 'Editor-Wrong-Secret-0000' },
			/^CyberArk rejected the client ID or client secret \(invalid_client\)/,
		],
		[
			'Username (MFA)',
			{ username: 'mfa.admin@example.com' },
			/must pass MFA \(invalid_grant\)\. Check Username and Password/,
		],
		[
			'Scope',
			{ scope: 'nope' },
			/^The scope "nope" is not defined on the OAuth2 app \(invalid_scope\)\. Set Scope/,
		],
		[
			'Tenant URL (http://)',
			{ tenantUrl: 'http://example.com' },
			/^The tenant URL must use https:\/\/ \(got http:\/\/example\.com\)\. .*plain http is only allowed for localhost/,
		],
		[
			'Tenant URL (unknown host)',
			{ tenantUrl: 'wrong-tenant.invalid' },
			/^The tenant host of https:\/\/wrong-tenant\.invalid could not be found\. Check Tenant URL for typos \(error code ENOTFOUND\)/,
		],
	])('a wrong %s fails with the readable message', async (_field, change, message) => {
		const result = await pressTest(change);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});

	test("no secret reached n8n's output", () => expectNoSecrets(server.output()));
});

const browserDescribe = BROWSER_STEPS && !SKIP_BROWSER ? describe : describe.skip;

browserDescribe('in the browser (n8n 2.x editor, Chromium)', () => {
	let browser: Browser;
	let page: Page;
	let step = 0;

	/** Saves a screenshot of this step into the artifacts folder (and, on request, into docs/). */
	async function shot(name: string, docsName?: string) {
		// n8n's toasts ("Workflow executed successfully") would cover the pictures in docs/.
		if (docsName) {
			for (const close of await page.locator('.el-notification__closeBtn').all())
				await close.click().catch(() => {});
			await page
				.locator('.el-notification')
				.first()
				.waitFor({ state: 'hidden' })
				.catch(() => {});
		}
		step += 1;
		const file = path.join(ARTIFACTS, `${String(step).padStart(2, '0')}-${name}.png`);
		await page.screenshot({ path: file });
		if (docsName && process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
			fs.mkdirSync(DOCS, { recursive: true });
			fs.copyFileSync(file, path.join(DOCS, docsName));
		}
	}

	/** A browser step: on failure, a picture of where it stopped goes beside the others. */
	function browserTest(title: string, body: () => Promise<void>) {
		test(title, async () => {
			try {
				await body();
			} catch (error) {
				await page
					?.screenshot({
						path: path.join(ARTIFACTS, `failed-${title.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}.png`),
					})
					.catch(() => undefined);
				throw error;
			}
		});
	}

	const dialog = () => page.getByTestId('credential-edit-dialog');
	const secretInput = () => page.getByTestId('parameter-input-clientSecret').locator('input');
	const failed = () => dialog().getByText(/Couldn.t connect with these settings/);
	const passed = () => page.getByTestId('credentials-config-container-test-success');

	/**
	 * Presses Retry in the credential's test banner; returns 'OK' once the banner says so, or the
	 * dialog's text once it shows the failure n8n answered (with "More details" opened).
	 */
	async function retry(): Promise<string> {
		const answered = page.waitForResponse(
			(r) => r.url().includes('/rest/credentials/test') && r.request().method() === 'POST',
		);
		await dialog().getByRole('button', { name: 'Retry' }).click();
		const { data } = (await (await answered).json()) as { data: { status: string; message: string } };
		if (data.status === 'OK') {
			await passed().waitFor();
			return 'OK';
		}
		await failed().waitFor();
		const details = dialog().getByText('More details');
		if (await details.isVisible()) await details.click();
		return await until(
			() => dialog().innerText(),
			(text) => text.includes(data.message),
			'the failure message in the dialog',
		);
	}

	async function outputTable(): Promise<{ head: string[]; rows: string[][] }> {
		const panel = page.getByTestId('output-panel');
		await panel.getByTestId('radio-button-table').click();
		const table = panel.locator('table').first();
		await table.waitFor();
		return await table.evaluate((t) => ({
			head: [...t.querySelectorAll('thead th')].map((th) => (th as HTMLElement).innerText.trim()),
			rows: [...t.querySelectorAll('tbody tr')].map((tr) =>
				[...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim()),
			),
		}));
	}

	beforeAll(async () => {
		fs.mkdirSync(ARTIFACTS, { recursive: true });
		for (const f of fs.readdirSync(ARTIFACTS)) if (f.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, f));
		process.stdout.write(`\nEditor screenshots: ${ARTIFACTS}\n`);
		const { chromium, selectors } = await import('playwright-core');
		selectors.setTestIdAttribute('data-test-id');
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-dev-shm-usage'],
		});
		page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		page.setDefaultTimeout(30_000);
	});

	afterAll(async () => {
		await browser?.close();
		process.stdout.write(`\nEditor screenshots: ${ARTIFACTS}\n`);
	});

	browserTest('log in', async () => {
		await page.goto(`${server.url}/signin`);
		await page.getByTestId('emailOrLdapLoginId').locator('input').fill(n8nTools.OWNER.email);
		await page.getByTestId('password').locator('input').fill(n8nTools.OWNER.password);
		await shot('signin');
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.includes('signin'));
	});

	browserTest(
		'the sandbox credential: a broken client secret shows the readable invalid-client message; fixed, it passes',
		async () => {
			await page.goto(`${server.url}/home/credentials`);
			await page.getByTestId('resources-list-item').filter({ hasText: CREDENTIAL_NAME }).click();
			// n8n tests a credential when it opens it.
			await passed().waitFor();
			// Required markers: Username and Password (shown for the default password grant) carry the asterisk.
			await shot('credential-opened', 'credential.png');
			for (const field of ['username', 'password'])
				await expect(page.getByTestId(field).innerText()).resolves.toMatch(/\*/);
			await page.getByTestId('scope').scrollIntoViewIfNeeded();
			await shot('credential-required-fields');
			await page.getByTestId('credentials-config-container-test-success').scrollIntoViewIfNeeded();

			await secretInput().fill('Editor-Wrong-Secret-0000');
			const message = await retry();
			expect(message).toContain(
				'CyberArk rejected the client ID or client secret (invalid_client). Check Client ID',
			);
			expectNoSecrets(message);
			await shot('credential-wrong-secret', 'credential-invalid-client.png');

			await secretInput().fill(SECRET);
			expect(await retry()).toBe('OK');
			await shot('credential-fixed');
		},
	);

	browserTest('tenant URL mistakes read clearly, and http:// to a remote host is refused', async () => {
		const tenant = page.getByTestId('parameter-input-tenantUrl').locator('input');
		await tenant.fill('wrong-tenant.invalid');
		expect(await retry()).toContain(
			'The tenant host of https://wrong-tenant.invalid could not be found. Check Tenant URL for typos (error code ENOTFOUND).',
		);
		await shot('credential-unknown-host');
		await tenant.fill('http://example.com');
		expect(await retry()).toContain('The tenant URL must use https:// (got http://example.com)');
		await shot('credential-http-refused');
		await tenant.fill(sandbox.url!);
		expect(await retry()).toBe('OK');
		// Close without saving the edits (n8n asks first).
		await page.keyboard.press('Escape');
		await page.getByText('Close without saving?').waitFor();
		await page.getByRole('button', { name: 'Close', exact: true }).click();
		await page.getByTestId('editCredential-modal').waitFor({ state: 'hidden' });
	});

	browserTest(
		'a new workflow: one entry for "CyberArk" that says what the node does, the events by name, a Custom API Call; User → Get; the user list loads and filters',
		async () => {
			await page.goto(`${server.url}/workflow/new`);
			await page.getByTestId('canvas-plus-button').click();
			await page.getByTestId('node-creator-search-bar').waitFor();
			await page.keyboard.type('CyberArk');
			const item = page.getByTestId('node-creator-item-name').filter({ hasText: /^CyberArk Identity$/ });
			await item.waitFor();
			await expect(item.count()).resolves.toBe(1);
			// The package's one entry carries the trigger's description: it says what the action node does too.
			const entry = page.getByTestId('node-creator-action-item').filter({ has: item });
			await expect(entry.getByTestId('node-creator-item-description').innerText()).resolves.toMatch(
				/^Manage CyberArk Identity users and roles/,
			);
			await shot('node-search');
			await item.click();
			const actions = page.getByTestId('node-creator-category-item').filter({ hasText: /^Actions \(\d+\)$/ });
			await actions.waitFor();
			await expect(actions.count()).resolves.toBe(1);
			// The trigger's events, by name (n8n lowercased a name without an action: "On mfa summary").
			const names = page.getByTestId('node-creator-item-name');
			const triggers = await until(
				() => names.allInnerTexts(),
				(texts) => texts.includes('On MFA Summary'),
				"the trigger's events",
			);
			expect(triggers).toEqual(
				expect.arrayContaining(['On Failed Login', 'On MFA Summary', 'On Token Issued']),
			);
			expect(triggers.some((t) => /^On [a-z]/.test(t))).toBe(false);
			await shot('node-events', 'node-creator.png');
			const getUser = names.filter({ hasText: /^Get a user$/ });
			if (!(await getUser.isVisible())) await actions.click();
			await getUser.waitFor();
			await expect(names.allInnerTexts()).resolves.toContain('Make a custom API call');
			await shot('node-actions');
			await getUser.click();

			const ndv = page.getByTestId('ndv');
			await ndv.waitFor();
			await expect(page.getByTestId('parameter-input-resource').locator('input').inputValue()).resolves.toBe(
				'User',
			);
			await expect(page.getByTestId('parameter-input-operation').locator('input').inputValue()).resolves.toBe(
				'Get',
			);
			await expect(page.getByTestId('node-credentials-select').locator('input').inputValue()).resolves.toBe(
				CREDENTIAL_NAME,
			);
			const locator = page.getByTestId('resource-locator-userId');
			await locator.locator('input').last().click();
			const items = page.getByTestId('rlc-item');
			await items.first().waitFor();
			const all = await items.allInnerTexts();
			expect(all.length).toBeGreaterThanOrEqual(3);
			expect(all.some((t) => t.includes('provisioner@example.com'))).toBe(true);
			await shot('user-list', 'node.png');

			await page.keyboard.type('provis');
			const filtered = await until(
				() => items.allInnerTexts(),
				(texts) => texts.length > 0 && texts.every((t) => /provis/i.test(t)),
				'the filtered user list',
			);
			expect(filtered.length).toBe(all.filter((t) => /provis/i.test(t)).length);
			expect(filtered.length).toBeLessThan(all.length);
			await shot('user-list-filtered');
			await items.first().click();
			await page.getByTestId('ndv-close-button').click();
		},
	);

	/** Opens a workflow; leaving an unsaved one may ask first. */
	async function openWorkflow(id: string) {
		await page.goto(`${server.url}/workflow/${id}`);
		const leave = page.getByRole('button', { name: /leave without saving/i });
		if (await leave.isVisible().catch(() => false)) await leave.click();
		await page.getByTestId('canvas-node').first().waitFor();
	}

	/** Opens a node's details; returns its parameter issues and where its Docs link goes. */
	async function inspectNode(name: string): Promise<{ issues: string[]; docs: string | null }> {
		await page.getByTestId('canvas-node').filter({ hasText: name }).first().dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await page.getByTestId('node-parameters').waitFor();
		// Parameter issues are computed once the inputs have loaded and evaluated their expressions.
		await page.waitForTimeout(1500);
		const issues = await page.getByTestId('parameter-issues').allInnerTexts();
		const docs = await ndv.getByRole('link', { name: 'Docs' }).getAttribute('href');
		await page.getByTestId('ndv-close-button').click();
		await ndv.waitFor({ state: 'hidden' });
		return { issues, docs };
	}

	browserTest(
		'every example, as imported: no node issue, subtitles in display names, docs links that land on a page',
		async () => {
			const subtitles: string[] = [];
			for (const [id, nodes] of Object.entries(EXAMPLES)) {
				await openWorkflow(id);
				await page.waitForTimeout(1000);
				await shot(`example-${id}`);
				expect([id, await page.getByTestId('node-issues').count()]).toEqual([id, 0]);
				subtitles.push(...(await page.getByTestId('canvas-node').allInnerTexts()));
				for (const name of nodes) {
					const { issues, docs } = await inspectNode(name);
					expect([id, name, issues]).toEqual([id, name, []]);
					// A page of the repository; n8n appends its tracking parameters, which a #fragment would break.
					const trigger = name === 'Failed logins';
					expect(docs).toMatch(
						new RegExp(`^${REPOSITORY}/blob/main/${trigger ? 'docs/trigger' : 'README'}\\.md\\?utm_`),
					);
					expect(docs).not.toContain('#');
				}
				// Opening every node must not have raised one either.
				expect([id, await page.getByTestId('node-issues').count()]).toEqual([id, 0]);
			}
			const text = subtitles.join('\n');
			for (const subtitle of [
				'Create or Update: User',
				'Add to Role: User',
				'Get Many: User',
				'Remove From Role: User',
				'Custom API Call',
				'Failed Login',
			])
				expect(text).toContain(subtitle);
			expect(text).not.toMatch(/upsert: user|addToRole: user|getAll: user|Cloud\.Core\.LoginFail/);
		},
	);

	browserTest('the credential links to the page where its values come from', async () => {
		await page.goto(`${server.url}/home/credentials`);
		await page.getByTestId('resources-list-item').filter({ hasText: CREDENTIAL_NAME }).click();
		await passed().waitFor();
		const docs = await dialog().getByRole('link', { name: 'docs' }).getAttribute('href');
		expect(docs).toMatch(new RegExp(`^${REPOSITORY}/blob/main/docs/setup\\.md`));
		expect(docs).not.toContain('#');
		await page.getByTestId('parameter-input-grantType').scrollIntoViewIfNeeded();
		await expect(dialog().innerText()).resolves.toMatch(/Tick the same grant in the app's General Usage/);
		await shot('credential-grant-type');
		await page.keyboard.press('Escape');
		await page.getByTestId('editCredential-modal').waitFor({ state: 'hidden' });
	});

	/** The output pane of the open node: its hints and its table. */
	async function outputOf(): Promise<{ text: string; head: string[]; rows: string[][] }> {
		const text = await page.getByTestId('output-panel').innerText();
		return { text, ...(await outputTable()) };
	}

	browserTest(
		'the HR sync example, run from the editor: Dry Run in the first column and in a hint, roles by name, nothing written',
		async () => {
			sandbox.resetCounters();
			await openWorkflow('exHrSync');
			await page.getByTestId('execute-workflow-button').click();
			await page.getByTestId('canvas-node').filter({ hasText: 'What would change' }).waitFor();
			await until(
				() => page.getByTestId('canvas-node').filter({ hasText: 'What would change' }).innerText(),
				(t) => /item/i.test(t),
				'the sync to finish',
				60_000,
			);
			await page.getByTestId('canvas-node').filter({ hasText: 'Sync to CyberArk' }).dblclick();
			const sync = await outputOf();
			expect(sync.text).toContain('Dry Run: nothing was changed in CyberArk');
			expect(sync.head[0]).toBe('dryRun');
			expect(sync.rows.every((row) => row[0] === 'true')).toBe(true);
			const table = sync.rows.map((row) => row.join(' | ')).join('\n');
			expect(table).toContain('<ID of the new user ada.lovelace@example.com>');
			expect(table).toMatch(/name:\s*Engineering/);
			expect(table).not.toContain('Add:[null]');
			await shot('hr-sync-dry-run', 'dry-run.png');
			// The roles as the node shows them: pickers, the department by name from an expression, no warning.
			await page.getByTestId('node-parameters').getByText('Managed Roles').scrollIntoViewIfNeeded();
			await expect(page.getByTestId('parameter-issues').count()).resolves.toBe(0);
			await shot('hr-sync-roles', 'roles.png');
			await page.getByTestId('ndv-close-button').click();

			await page.getByTestId('canvas-node').filter({ hasText: 'What would change' }).dblclick();
			// Who moves where, by name.
			const summary = await outputTable();
			expect(summary.rows.map((row) => row.join(' | ')).join('\n')).toMatch(/name:\s*Engineering/);
			await shot('hr-sync-summary');
			await page.getByTestId('ndv-close-button').click();
			expect(
				Object.keys(sandbox.counters.calls).filter((p) =>
					/create|change|setuserstate|updaterole|setcolumns/i.test(p),
				),
			).toEqual([]);
		},
	);

	browserTest("the Custom API Call: whoami with the credential's tenant and token", async () => {
		await openWorkflow('exTokenCustomCalls');
		await page.getByTestId('execute-workflow-button').click();
		await until(
			() => page.getByTestId('canvas-node').filter({ hasText: 'whoami with the node' }).innerText(),
			(t) => /item/i.test(t),
			'the calls to finish',
			30_000,
		);
		await page.getByTestId('canvas-node').filter({ hasText: 'whoami with the node' }).dblclick();
		await page.getByTestId('output-panel').getByTestId('radio-button-json').click();
		await until(
			() => page.getByTestId('output-panel').innerText(),
			(text) => /"success":\s*true/.test(text) && text.includes('provisioner@example.com'),
			"whoami's answer in JSON view",
		);
		await shot('custom-api-call');
		await page.getByTestId('ndv-close-button').click();
	});

	browserTest("the trigger's test fetch with no event says how to make one", async () => {
		await openWorkflow('edQuietTrigger');
		await page.getByTestId('canvas-node').first().dblclick();
		await page.getByTestId('ndv').waitFor();
		await page.getByTestId('node-execute-button').click();
		const output = page.getByTestId('output-panel');
		await output.getByText('No matching audit event in the tenant yet').first().waitFor();
		await expect(output.innerText()).resolves.toMatch(
			/sign in to the tenant's user portal with a wrong password/,
		);
		await expect(output.innerText()).resolves.not.toMatch(/No CyberArk Identity data found/);
		await shot('trigger-no-event');
		await page.getByTestId('ndv-close-button').click();
	});

	browserTest(
		'the bulk example runs from the editor; its tables show which rows failed and why',
		async () => {
			await openWorkflow('exBulkImport');
			await page.getByTestId('execute-workflow-button').click();
			await until(
				() => sandbox.directory.findByName('bulk.barbara@example.com') !== undefined,
				Boolean,
				'the bulk run to create its users',
				30_000,
			);
			await page.getByTestId('canvas-node').filter({ hasText: 'Summary' }).waitFor();
			await page.waitForTimeout(1000);
			await shot('bulk-run');

			await page.getByTestId('canvas-node').filter({ hasText: 'Create users' }).dblclick();
			const create = await outputTable();
			await shot('bulk-create-table', 'example-failures.png');
			expect(create.rows).toHaveLength(6);
			const errorColumn = create.head.indexOf('error');
			expect(errorColumn).toBeGreaterThanOrEqual(0);
			const failedRows = create.rows.filter((row) => row[errorColumn] && row[errorColumn] !== 'undefined');
			// A failed item names the employee it was about before its error.
			const userColumn = create.head.indexOf('userName');
			expect(userColumn).toBeLessThan(errorColumn);
			expect(failedRows.map((row) => row[userColumn])).toEqual([
				'bulk grace@example.com',
				'bulk.edsger@example.com',
				'bulk.linus@elsewhere.example',
			]);
			const failures = failedRows.map((row) => row.join(' | '));
			expect(failures).toHaveLength(3);
			expect(failures[0]).toContain(
				'User Name "bulk grace@example.com" contains characters CyberArk does not allow',
			);
			expect(failures[1]).toContain('Email "not-an-email" is not an e-mail address');
			expect(failures[2]).toContain('elsewhere.example');
			// In the item itself: the key first, then the error.
			await page.getByTestId('output-panel').getByTestId('radio-button-json').click();
			await until(
				() => page.getByTestId('output-panel').innerText(),
				(text) => /\{\s*"userName":\s*"bulk grace@example\.com",\s*"error":/.test(text),
				'the failed item in JSON view',
			);
			await page.getByTestId('ndv-close-button').click();

			await page.getByTestId('canvas-node').filter({ hasText: 'Summary' }).dblclick();
			const summary = await outputTable();
			await shot('bulk-summary-table');
			const text = summary.rows.map((row) => row.join(' | ')).join('\n');
			for (const login of [
				'bulk grace@example.com',
				'bulk.edsger@example.com',
				'bulk.linus@elsewhere.example',
			])
				expect(text).toContain(`login:${login}`);
			await page.getByTestId('ndv-close-button').click();
			expectNoSecrets(server.output());
		},
	);
});
