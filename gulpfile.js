const { src, dest } = require('gulp');

// tsc builds the code; this copies what it does not: icons and the node's codex files.
function buildAssets() {
	return src(['icons/**/*.svg', 'nodes/**/*.json', 'credentials/**/*.json'], {
		base: '.',
		encoding: false,
		allowEmpty: true,
	}).pipe(dest('dist'));
}

exports['build:assets'] = buildAssets;
