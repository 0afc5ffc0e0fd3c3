// The node's own `execute` against the sandbox's tenant without HTTP or n8n's engine: a stand-in for
// n8n's execute context whose authenticated request helper hands each call straight to the sandbox's
// handler. The real router, client (Dry Run recording, envelopes, errors) and sync run; only the wire
// and the expression engine are left out, so thousands of runs fit in a unit test.
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	NodeExecutionHint,
} from 'n8n-workflow';

import { CyberArkIdentity } from '../../../../nodes/CyberArkIdentity/CyberArkIdentity.node';
import { Failure } from '../../../../sandbox/directory';
import { Sandbox } from '../../../../sandbox/server';
import { WRITE_PATHS } from '../../../writes';

const TENANT = 'https://in-process.example';
const NODE = new CyberArkIdentity();
const WRITES = new Set(WRITE_PATHS);

/** A parameter's value for an item: a plain value, or a function of the item (an expression's stand-in). */
export type Parameter = unknown | ((json: IDataObject, itemIndex: number) => unknown);
export type Parameters = Record<string, Parameter>;

export interface Outcome {
	items: INodeExecutionData[];
	/** The run's error, when the node failed. */
	error?: Error & { description?: string | null; context?: IDataObject };
	hints: NodeExecutionHint[];
	/** The management calls sent, in order: lower-case path. */
	sent: string[];
	writes: string[];
}

function resolve(value: Parameter, json: IDataObject, i: number): unknown {
	if (typeof value === 'function') return (value as (json: IDataObject, i: number) => unknown)(json, i);
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const out: IDataObject = {};
		for (const [k, v] of Object.entries(value)) out[k] = resolve(v, json, i) as IDataObject[string];
		return out;
	}
	return value;
}

/** The node's parameters as n8n stores them: an expression stays text (Dry Run reads it so). */
function stored(parameters: Parameters): IDataObject {
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(parameters))
		out[k] = typeof v === 'function' ? '={{ … }}' : (v as never);
	return out;
}

/** A sandbox tenant that the node reaches without HTTP. */
export class InProcessTenant {
	readonly sandbox: Sandbox;
	private sent: string[] = [];
	/** A fault to inject: a message makes the tenant refuse the call (success:false) with it. */
	refuse: (path: string, body: IDataObject) => string | undefined = () => undefined;
	/** An answer as another tenant might give it: the sandbox's Result in, the Result sent out. */
	rewrite: (path: string, result: unknown, body: IDataObject) => unknown = (_path, result) => result;
	/** Every call sent in the last run, in order. */
	calls: Array<{ path: string; body: IDataObject; qs: IDataObject }> = [];

	constructor(roles: string[]) {
		this.sandbox = new Sandbox({ roles: roles.map((Name) => ({ Name, Description: '' })) });
	}

	private answer(options: IHttpRequestOptions): IDataObject {
		const url = new URL(String(options.url));
		for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
		const path = url.pathname.toLowerCase().replace(/\/+$/, '');
		this.sent.push(path);
		this.calls.push({
			path,
			body: (options.body ?? {}) as IDataObject,
			qs: (options.qs ?? {}) as IDataObject,
		});
		this.sandbox.counters.managementRequests++;
		this.sandbox.count(path);
		const refusal = this.refuse(path, (options.body ?? {}) as IDataObject);
		if (refusal !== undefined) return { success: false, Result: null, Message: refusal };
		try {
			const session = { subject: this.sandbox.owner };
			const body = (options.body ?? {}) as IDataObject;
			const result = this.rewrite(path, this.sandbox.call(path, url, body, session), body);
			return { success: true, Result: (result ?? null) as IDataObject, Message: null };
		} catch (error) {
			if (!(error instanceof Failure)) throw error;
			return { success: false, Result: null, Message: error.message };
		}
	}

	/** Runs the node once over `input`, as n8n would with these parameters. */
	async run(
		parameters: Parameters,
		input: IDataObject[],
		settings: { continueOnFail?: boolean } = {},
	): Promise<Outcome> {
		this.sent = [];
		this.calls = [];
		const hints: NodeExecutionHint[] = [];
		const node: INode = {
			id: 'cyberark',
			name: 'CyberArk Identity',
			type: 'n8n-nodes-cyberark-identity.cyberArkIdentity',
			typeVersion: 1,
			position: [0, 0],
			parameters: stored(parameters) as INode['parameters'],
			credentials: { cyberArkIdentityApi: { id: '1', name: 'CyberArk' } },
		};
		const context = {
			getNode: () => node,
			getInputData: () => input.map((json) => ({ json })),
			continueOnFail: () => settings.continueOnFail === true,
			getNodeParameter: (name: string, i: number, fallback?: unknown) =>
				name in parameters ? resolve(parameters[name], input[i] ?? {}, i) : fallback,
			getCredentials: async () => ({ ...this.sandbox.credentials(), tenantUrl: TENANT }),
			addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) =>
					this.answer(options),
			},
		} as unknown as IExecuteFunctions;
		const outcome: Outcome = { items: [], hints, sent: [], writes: [] };
		try {
			[outcome.items] = await NODE.execute.call(context);
		} catch (error) {
			outcome.error = error as Outcome['error'];
		}
		outcome.sent = this.sent;
		outcome.writes = this.sent.filter((path) => WRITES.has(path));
		return outcome;
	}
}
