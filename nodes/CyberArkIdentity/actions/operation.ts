// What an operation is: one module that owns every fact about it. The operation picker, the Dry Run
// switch, the Options collection, the output schemas and the router are all derived from these modules.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { Endpoint } from '../../shared/endpoints';
import { writesAny } from '../../shared/endpoints';
import type { CyberArkClient } from '../../shared/transport/client';
import type { OutputSchemaFile } from '../schemas/schema';

interface OperationFacts {
	/** Its entry in the Operation list, less its value (the export name in the resource index). */
	option: Omit<INodePropertyOptions, 'value'>;
	/** Its parameters; `displayOptions` for its resource and operation are added. */
	description: INodeProperties[];
	/** The entries of its Options collection; none, no collection. */
	options?: INodeProperties[];
	/** Every endpoint it may call: an operation that lists a write offers Dry Run. */
	endpoints: readonly Endpoint[];
	/** The schema of one output item, which n8n's editor offers for mapping before a first run. */
	output: OutputSchemaFile;
	/**
	 * It takes access away from the user of each item (disables, deletes, locks, signs out, removes from
	 * a role): a run is bounded by its Max Users option.
	 */
	removesAccess?: true;
}

/** Runs for each input item: its output item(s). */
export interface ItemOperation extends OperationFacts {
	execute(
		this: IExecuteFunctions,
		client: CyberArkClient,
		itemIndex: number,
	): Promise<IDataObject | IDataObject[]>;
}

/**
 * Sees every input item before it writes anything (Create or Update plans all rows and checks its
 * limits first; Get Token runs once for all items) and returns the run's output items itself.
 */
export interface RunOperation extends OperationFacts {
	executeAll(
		this: IExecuteFunctions,
		client: CyberArkClient,
		items: INodeExecutionData[],
	): Promise<INodeExecutionData[]>;
}

export type Operation = ItemOperation | RunOperation;

/** Resource value → operation value → operation. */
export type Resources = Record<string, Record<string, Operation>>;

/** Whether the operation takes access away from the user of each item, and so offers Max Users. */
export function removesAccess(operation: Operation): boolean {
	return 'removesAccess' in operation && operation.removesAccess === true;
}

/** Whether the operation writes, and so offers Dry Run. */
export function offersDryRun(operation: Operation): boolean {
	return writesAny(operation.endpoints);
}
