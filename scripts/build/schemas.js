#!/usr/bin/env node
// Writes the node's output schemas where n8n serves them from (/schemas/<node type>/<version>/<resource>/<operation>.json):
// `__schema__/v<version>/<resource>/<operation>.json` beside the built node file. Run by `npm run build`
// after tsc, from the compiled operation modules (each names its output schema), so the files always match
// the modules and the field table they are made from; nothing generated is committed.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const NODE_DIR = path.join(ROOT, 'dist', 'nodes', 'CyberArkIdentity');

/** Writes the files (relative path → content) under `nodeDir`, replacing any earlier `__schema__`; returns the paths. */
function writeSchemas(files, nodeDir) {
	fs.rmSync(path.join(nodeDir, '__schema__'), { recursive: true, force: true });
	for (const [relative, content] of Object.entries(files)) {
		const target = path.join(nodeDir, relative);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, content);
	}
	return Object.keys(files);
}

/** The node's versions, from its description (a number or a list). */
function nodeVersions(description) {
	return [description.version].flat();
}

function main() {
	const { outputSchemaFiles } = require(path.join(NODE_DIR, 'schemas', 'files.js'));
	const { CyberArkIdentity, resources } = require(path.join(NODE_DIR, 'CyberArkIdentity.node.js'));
	const versions = nodeVersions(new CyberArkIdentity().description);
	const written = writeSchemas(outputSchemaFiles(resources, versions), NODE_DIR);
	console.log(
		`Output schemas: ${written.length} files in ${path.relative(ROOT, path.join(NODE_DIR, '__schema__'))}`,
	);
}

module.exports = { writeSchemas, nodeVersions, NODE_DIR };

if (require.main === module) main();
