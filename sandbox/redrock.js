'use strict';
// A small SQL engine for /Redrock/query: enough of the dialect CyberArk's Redrock accepts
// (SELECT cols FROM table [WHERE expr] [ORDER BY col [COLLATE NOCASE] [ASC|DESC], ...]) to behave as a
// real server does when a client concatenates unescaped input into the script — a `' OR 1=1 --`
// really breaks out. CyberArk's own examples write `ORDER BY Username COLLATE NOCASE` and
// `Select Role.Name, ID from Role` (a column named with its table).

const { Failure } = require('./directory');

/** @typedef {{type: string, value: any, upper?: string}} Token */

/** @param {string} script @returns {Token[]} */
function tokenize(script) {
	/** @type {Token[]} */
	const tokens = [];
	let i = 0;
	while (i < script.length) {
		const c = script[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === '-' && script[i + 1] === '-') {
			while (i < script.length && script[i] !== '\n') i++;
			continue;
		}
		if (c === "'") {
			let value = '';
			i++;
			for (;;) {
				if (i >= script.length) throw new Failure('Query failed: unterminated string literal.');
				if (script[i] === "'" && script[i + 1] === "'") {
					value += "'";
					i += 2;
					continue;
				}
				if (script[i] === "'") {
					i++;
					break;
				}
				value += script[i++];
			}
			tokens.push({ type: 'string', value });
			continue;
		}
		if (/[0-9]/.test(c)) {
			let value = '';
			while (i < script.length && /[0-9.]/.test(script[i])) value += script[i++];
			tokens.push({ type: 'number', value: Number(value) });
			continue;
		}
		if (/[A-Za-z_]/.test(c)) {
			let value = '';
			while (i < script.length && /[A-Za-z0-9_.]/.test(script[i])) value += script[i++];
			tokens.push({ type: 'word', value, upper: value.toUpperCase() });
			continue;
		}
		const two = script.slice(i, i + 2);
		if (['<>', '!=', '<=', '>='].includes(two)) {
			tokens.push({ type: 'op', value: two });
			i += 2;
			continue;
		}
		if ('=<>(),*'.includes(c)) {
			tokens.push({ type: 'op', value: c });
			i++;
			continue;
		}
		throw new Failure(`Query failed: unexpected character '${c}'.`);
	}
	return tokens;
}

function parse(script) {
	const tokens = tokenize(script);
	let pos = 0;
	const peek = () => tokens[pos];
	const isWord = (word) => peek()?.type === 'word' && peek().upper === word;
	const isOp = (op) => peek()?.type === 'op' && peek().value === op;
	const expectWord = (word) => {
		if (!isWord(word)) throw new Failure(`Query failed: expected ${word}.`);
		pos++;
	};
	const expectOp = (op) => {
		if (!isOp(op)) throw new Failure(`Query failed: expected '${op}'.`);
		pos++;
	};

	expectWord('SELECT');
	const columns = [];
	do {
		if (isOp('*')) {
			pos++;
			columns.push('*');
			continue;
		}
		const t = peek();
		if (t?.type !== 'word') throw new Failure('Query failed: expected a column name.');
		pos++;
		columns.push(t.value);
	} while (isOp(',') && ++pos);
	expectWord('FROM');
	const table = peek();
	if (table?.type !== 'word') throw new Failure('Query failed: expected a table name.');
	pos++;

	const operand = () => {
		const t = peek();
		if (!t) throw new Failure('Query failed: unexpected end of query.');
		if (t.type === 'string' || t.type === 'number') {
			pos++;
			return { literal: t.value };
		}
		if (t.type === 'word' && t.upper === 'NULL') {
			pos++;
			return { literal: null };
		}
		if (t.type === 'word' && !['AND', 'OR', 'NOT', 'ORDER'].includes(t.upper ?? '')) {
			pos++;
			return { column: t.value };
		}
		throw new Failure(`Query failed: syntax error near '${t.value}'.`);
	};
	const comparison = () => {
		if (isOp('(')) {
			pos++;
			const inner = orExpr();
			expectOp(')');
			return inner;
		}
		if (isWord('NOT')) {
			pos++;
			return { not: comparison() };
		}
		const left = operand();
		if (isWord('IS')) {
			pos++;
			const negate = isWord('NOT') && ++pos;
			expectWord('NULL');
			return { isNull: left, negate: Boolean(negate) };
		}
		if (isWord('LIKE')) {
			pos++;
			const pattern = operand();
			if (!isWord('ESCAPE')) return { like: [left, pattern] };
			pos++;
			return { like: [left, pattern], escape: operand() };
		}
		if (isWord('IN')) {
			pos++;
			expectOp('(');
			const list = [operand()];
			while (isOp(',')) {
				pos++;
				list.push(operand());
			}
			expectOp(')');
			return { in: [left, list] };
		}
		const op = peek();
		if (op?.type !== 'op' || !['=', '<>', '!=', '<', '>', '<=', '>='].includes(op.value)) {
			throw new Failure('Query failed: expected a comparison.');
		}
		pos++;
		return { compare: op.value, left, right: operand() };
	};
	const andExpr = () => {
		let node = comparison();
		while (isWord('AND')) {
			pos++;
			node = { and: [node, comparison()] };
		}
		return node;
	};
	const orExpr = () => {
		let node = andExpr();
		while (isWord('OR')) {
			pos++;
			node = { or: [node, andExpr()] };
		}
		return node;
	};

	let where = null;
	if (isWord('WHERE')) {
		pos++;
		where = orExpr();
	}
	/** @type {Array<{column: string, descending: boolean}>} */
	const orderBy = [];
	if (isWord('ORDER')) {
		pos++;
		expectWord('BY');
		do {
			const column = peek();
			if (column?.type !== 'word') throw new Failure('Query failed: expected a column after ORDER BY.');
			pos++;
			if (isWord('COLLATE')) {
				pos++;
				expectWord('NOCASE');
			}
			let descending = false;
			if (isWord('ASC')) pos++;
			else if (isWord('DESC')) {
				pos++;
				descending = true;
			}
			orderBy.push({ column: column.value, descending });
		} while (isOp(',') && ++pos);
	}
	if (pos < tokens.length) throw new Failure(`Query failed: syntax error near '${peek().value}'.`);
	return { columns, table: table.value, where, orderBy };
}

/** The key of `row` a column names, in any case, with or without its table's name before a dot. */
function columnKey(row, column, table) {
	const bare = column.toLowerCase().startsWith(`${table.toLowerCase()}.`)
		? column.slice(table.length + 1)
		: column;
	return Object.keys(row).find((k) => k.toLowerCase() === bare.toLowerCase());
}

function foldCase(value) {
	return typeof value === 'string' ? value.toLowerCase() : value;
}

const DATE = /^\/Date\((-?\d+)\)\/$/;

/** Milliseconds of a `/Date(ms)/` value, or undefined. */
function dateValue(value) {
	if (typeof value !== 'string' || !value.startsWith('/Date(')) return undefined;
	const match = DATE.exec(value);
	return match ? Number(match[1]) : undefined;
}

/** Date literals already read (a query compares every row with the same few). */
const literals = new Map();

/** Milliseconds of a date literal in a script: ISO 8601, UTC when no zone is written. */
function dateLiteral(text) {
	let ms = literals.get(text);
	if (ms === undefined) {
		ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(text) || !/T/.test(text) ? text : `${text}Z`);
		if (!Number.isFinite(ms)) throw new Failure(`Query failed: '${text}' is not a valid date.`);
		if (literals.size > 10_000) literals.clear();
		literals.set(text, ms);
	}
	return ms;
}

/**
 * Dates are stored as `/Date(ms)/`; a script compares them with a date literal such as
 * '2026-11-26T10:00:00.000' (UTC when no zone is written, as Redrock reads it) or '/Date(ms)/'.
 */
function dateAware(left, right, fold = foldCase) {
	const l = dateValue(left);
	const r = dateValue(right);
	if (l === undefined && r === undefined) return [fold(left), fold(right)];
	const literal = (value, parsed) => {
		if (parsed !== undefined || value === null) return parsed ?? null;
		return typeof value === 'number' ? value : dateLiteral(String(value));
	};
	return [literal(left, l), literal(right, r)];
}

/**
 * A LIKE pattern as a regular expression, as SQL reads it: `%` any run of characters, `_` any one
 * character, case-insensitive; with an ESCAPE character, that character followed by any character
 * stands for the latter as it is. Brackets are ordinary characters (SQLite's LIKE; SQL Server would
 * read `[…]` as a character class, which is why the node escapes `[` too).
 * @param {string} pattern @param {unknown} escape
 */
function likeRegex(pattern, escape) {
	if (escape !== undefined && (typeof escape !== 'string' || [...escape].length !== 1))
		throw new Failure('Query failed: the ESCAPE expression must be a single character.');
	const literal = (ch) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	let regex = '';
	const chars = [...pattern];
	for (let i = 0; i < chars.length; i++) {
		const ch = chars[i];
		if (ch === escape) {
			if (i + 1 >= chars.length)
				throw new Failure('Query failed: the LIKE pattern ends with its escape character.');
			regex += literal(chars[++i]);
		} else regex += ch === '%' ? '.*' : ch === '_' ? '.' : literal(ch);
	}
	return new RegExp(`^${regex}$`, 'is');
}

function evaluate(node, row, table, caseSensitive = false) {
	const fold = caseSensitive ? (v) => v : foldCase;
	const value = (o) => {
		if ('literal' in o) return o.literal;
		const key = columnKey(row, o.column, table);
		if (key === undefined) throw new Failure(`Query failed: invalid column name '${o.column}'.`);
		return row[key];
	};
	const inner = (n) => evaluate(n, row, table, caseSensitive);
	if (node.and) return inner(node.and[0]) && inner(node.and[1]);
	if (node.or) return inner(node.or[0]) || inner(node.or[1]);
	if (node.not) return !inner(node.not);
	if (node.isNull) return (value(node.isNull) === null) !== node.negate;
	if (node.like) {
		const subject = value(node.like[0]);
		const pattern = value(node.like[1]);
		if (subject === null || pattern === null) return false;
		return likeRegex(String(pattern), node.escape ? value(node.escape) : undefined).test(String(subject));
	}
	if (node.in) {
		const left = fold(value(node.in[0]));
		return node.in[1].some((o) => fold(value(o)) === left);
	}
	const [left, right] = dateAware(value(node.left), value(node.right), fold);
	if (left === null || right === null) return false;
	switch (node.compare) {
		case '=':
			return String(left) === String(right);
		case '<>':
		case '!=':
			return String(left) !== String(right);
		case '<':
			return left < right;
		case '>':
			return left > right;
		case '<=':
			return left <= right;
		default:
			return left >= right;
	}
}

/** The rows in a random order (Fisher–Yates), so that a stable sort leaves ties in no fixed order. */
function shuffled(rows, random) {
	const out = rows.slice();
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

/**
 * Args' sort: `SortBy`, a comma-separated list of columns, and `Direction` — CyberArk's "Use queries"
 * page documents True (ascending) and False (descending); CyberArk's Privilege Cloud scripts send "ASC".
 * @returns {Array<{column: string, descending: boolean}>}
 */
function argsOrder(args) {
	const direction = String(args.Direction ?? '').toLowerCase();
	const descending = direction === 'false' || direction.startsWith('desc');
	return String(args.SortBy)
		.split(',')
		.map((c) => c.trim())
		.filter((c) => c !== '')
		.map((column) => ({ column, descending }));
}

/** One entry of an answer's Columns, with the keys CyberArk's spec lists for them. */
function redrockColumn(name) {
	return {
		Name: name,
		Title: name,
		DDname: name,
		DDTitle: name,
		Description: null,
		Type: 12,
		Format: null,
		Width: 0,
		TableKey: 'NotKey',
		ForeignKey: null,
		TableName: null,
		IsHidden: false,
	};
}

/**
 * Runs a Redrock query against the tables given. Args as CyberArk takes them:
 * PageNumber (1-based), PageSize, Limit, SortBy, Direction. Rows that tie on the ORDER BY column come
 * in a different order on each query, as a database returns them (`options.random` picks it; tests
 * pass a seeded one).
 * @param {Record<string, () => {rows: Record<string, any>[], entity: string}>} tables
 * @param {string} script @param {Record<string, any>} [args] @param {{random?: () => number, caseSensitive?: boolean}} [options]
 * @returns {{Count: number, FullCount: number, Columns: Array<{Name: string}>, Results: Array<{Entities: any[], Row: any}>, ReturnID: string, IsAggregate: boolean}}
 */
function runQuery(tables, script, args = {}, options = {}) {
	if (typeof script !== 'string' || !script.trim()) throw new Failure('Missing required parameter: Script.');
	const query = parse(script);
	const tableName = Object.keys(tables).find((t) => t.toLowerCase() === query.table.toLowerCase());
	if (!tableName) throw new Failure(`Query failed: invalid object name '${query.table}'.`);
	const { rows: allRows, entity } = tables[tableName]();
	const matches = (row) => evaluate(query.where, row, tableName, options.caseSensitive === true);
	let rows = query.where ? allRows.filter(matches) : allRows.slice();
	const order = args.SortBy ? argsOrder(args) : query.orderBy;
	if (order.length > 0) {
		const key = (row, column) => {
			const found = columnKey(row, column, tableName);
			if (found === undefined) throw new Failure(`Query failed: invalid column name '${column}'.`);
			const value = row[found] ?? '';
			return dateValue(value) ?? foldCase(value);
		};
		// Rows that tie on every ORDER BY column come back in no fixed order, as a database returns them.
		const keyed = shuffled(rows, options.random ?? Math.random).map((row) => ({
			row,
			keys: order.map(({ column }) => key(row, column)),
		}));
		keyed.sort((a, b) => {
			for (const [n, { descending }] of order.entries()) {
				const [x, y] = [a.keys[n], b.keys[n]];
				if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
			}
			return 0;
		});
		rows = keyed.map((k) => k.row);
	}
	if (Number(args.Limit) > 0) rows = rows.slice(0, Number(args.Limit));
	const fullCount = rows.length;
	const pageSize = Number(args.PageSize) > 0 ? Number(args.PageSize) : 100000;
	const pageNumber = Number(args.PageNumber) > 0 ? Number(args.PageNumber) : 1;
	const page = rows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
	const columns = query.columns.includes('*') ? Object.keys(allRows[0] ?? {}) : query.columns;
	const project = (row) => {
		/** @type {Record<string, any>} */
		const out = {};
		for (const column of columns) {
			const key = columnKey(row, column, tableName);
			if (key === undefined) throw new Failure(`Query failed: invalid column name '${column}'.`);
			out[key] = row[key];
		}
		return out;
	};
	return {
		Count: page.length,
		FullCount: fullCount,
		Columns: columns.map((name) => redrockColumn(columnKey(allRows[0] ?? {}, name, tableName) ?? name)),
		Results: page.map((row) => ({
			Entities: [{ Type: entity, Key: row.ID, IsForeignKey: false }],
			Row: project(row),
		})),
		ReturnID: '',
		IsAggregate: false,
	};
}

/**
 * The envelope of a list answer around `Results`, as recorded answers show it (marcozj golang-sdk's
 * samples; CyberArk's data dictionary examples; CyberArk's spec of GetRoleMembers lists the same keys).
 * @param {Array<{Entities: object[], Row: object}>} results @param {string[]} columns
 */
function listAnswer(results, columns) {
	return {
		Count: results.length,
		FullCount: results.length,
		Columns: columns.map(redrockColumn),
		Results: results,
		ReturnID: '',
		IsAggregate: false,
	};
}

module.exports = { runQuery, parse, redrockColumn, listAnswer };
