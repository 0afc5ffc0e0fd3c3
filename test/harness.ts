// The engine runner (scripts/engine) bound to the node and credential sources.
import type { IDataObject, INodeExecutionData, IRun } from 'n8n-workflow';

import { CyberArkIdentityApi } from '../credentials/CyberArkIdentityApi.credentials';
import { CyberArkIdentity } from '../nodes/CyberArkIdentity/CyberArkIdentity.node';
import { CredentialStore, createEngine } from '../scripts/engine';

export { CredentialStore };

/** Log lines n8n wrote while the tests ran (see setup.ts), to check that no secret reaches a log. */
export const capturedLogs: string[] = (globalThis as { capturedLogs?: string[] }).capturedLogs ?? [];

export interface RunResult {
	/** Output items of the CyberArk node; empty when the run failed. */
	items: INodeExecutionData[];
	/** The run's error (the node failed without Continue On Fail). */
	error?: { message: string; description?: string | null; context?: IDataObject; name?: string };
	/** With On Error "Continue (using error output)": the items n8n routed to the error output. */
	errorOutput: INodeExecutionData[];
	run: IRun;
}

const engine = createEngine({ NodeClass: CyberArkIdentity, CredentialClass: CyberArkIdentityApi });

/** Runs one CyberArk Identity node over the given input items, as n8n does. */
export async function runNode(
	store: CredentialStore,
	parameters: IDataObject,
	input: IDataObject[] = [{}],
	settings: { continueOnFail?: boolean; onError?: 'continueErrorOutput' } = {},
): Promise<RunResult> {
	return (await engine.run(store, parameters, input, settings)) as RunResult;
}

/**
 * A role list parameter (Roles, Managed Roles) as the editor stores it: one entry per role, each a
 * role picker By Name (a name, an ID or an expression: names and IDs are resolved alike).
 */
export function roleEntries(...refs: string[]): IDataObject {
	return { role: refs.map((value) => ({ roleId: { __rl: true, mode: 'name', value } })) };
}
