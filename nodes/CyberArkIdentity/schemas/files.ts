// The node's schema files, from its operation modules: `npm run build` writes them beside the built node
// (scripts/build/schemas.js), where n8n looks for them.
import type { Resources } from '../actions/operation';

/**
 * Path under the node's folder → content: `__schema__/v<version, padded to x.y.z>/<resource>/<operation>.json`
 * for every operation of every resource.
 */
export function outputSchemaFiles(
	resources: Resources,
	nodeVersions: number[] = [1],
): Record<string, string> {
	const files: Record<string, string> = {};
	for (const version of nodeVersions) {
		const dir = `v${String(version).split('.').concat(['0', '0']).slice(0, 3).join('.')}`;
		for (const [resource, operations] of Object.entries(resources)) {
			for (const [operation, { output }] of Object.entries(operations)) {
				files[`__schema__/${dir}/${resource}/${operation}.json`] = `${JSON.stringify(output, null, '\t')}\n`;
			}
		}
	}
	return files;
}
