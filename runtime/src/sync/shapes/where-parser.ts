// parseWhereClause: the `where` of an Electric shape subscription (notes §3.7) → a checked ParsedWhere, or an
// INVALID_WHERE_CLAUSE ShapeError naming the problem and its position.
//
// Columns are written `this.<column>`, as the Electric client documents and Electric 0.12 requires (its parser knows
// only the references ["this", column]; a bare `col` gets "unknown reference col - did you mean `this.col`?").
// Identifiers follow Postgres: `this.Title` means column title; write `this."Title"` for a mixed-case name.
//
// The accepted subset: comparisons (= <> != < <= > >=) between a column and a literal or two columns of the same kind,
// AND / OR / NOT, parentheses, [NOT] IN (literals), IS [NOT] NULL, IS [NOT] TRUE / FALSE / UNKNOWN, [NOT] LIKE / ILIKE
// with a literal pattern, a bool column or TRUE / FALSE / NULL as a condition, and literals: strings ('' escapes),
// integers, decimals, TRUE / FALSE / NULL, optionally cast to the column's own type (`'2024-01-01'::date`,
// `CAST('1' AS int8)`, `date '2024-01-01'`). A literal must be valid input for the type of the column it is compared
// with; see where-values.ts for the accepted text of each type. Everything else is refused.
import { invalidWhere } from './errors.ts';
import type { ColumnOperand, ComparisonOperator, LiteralOperand, ParsedWhere, WherePredicate } from './where-ast.ts';
import { tokenizeWhere } from './where-lexer.ts';
import { parseSyntax, type Syntax } from './where-syntax.ts';
import {
  familyOfType,
  floatFromDecimalText,
  formatDecimal,
  isEqualityFamily,
  isOrderedFamily,
  parseBoolText,
  parseByteaText,
  parseDateText,
  parseFloatText,
  parseIntegerText,
  parseNumericToken,
  parseTimestampText,
  parseTimeText,
  parseUuidText,
  integerRanges,
  type ParamType,
  type Parsed,
  type ValueFamily,
  type ValueKey,
  type WhereColumn,
} from './where-values.ts';

/** Longer clauses are refused before tokenizing. */
export const maxWhereLength = 64 * 1024;
/** More literals than this (Postgres allows 65535 parameters per statement) are refused. */
export const maxWhereLiterals = 10_000;

interface ResolvedColumn {
  readonly name: string;
  readonly pgType: string;
  readonly family: ValueFamily;
  readonly enumValues: readonly string[] | undefined;
}

interface Context {
  readonly columns: ReadonlyMap<string, ResolvedColumn>;
  readonly used: Set<string>;
  literals: number;
}

/**
 * Parses and checks a where clause against the table's columns. Returns null for an empty clause (Electric: no where
 * means every row). Throws ShapeError INVALID_WHERE_CLAUSE for anything it does not accept.
 */
export function parseWhereClause(source: string, columns: readonly WhereColumn[]): ParsedWhere | null {
  if (source === '') return null;
  if (source.length > maxWhereLength) {
    throw invalidWhere(0, `the where clause is ${source.length} characters long; the limit is ${maxWhereLength}`);
  }
  const tokens = tokenizeWhere(source);
  if (tokens[0]!.kind === 'eof') throw invalidWhere(0, 'the where clause is empty; leave `where` out to select every row');
  const syntax = parseSyntax(tokens);
  const context: Context = {
    columns: new Map(
      columns.map((column) => [
        column.name,
        {
          name: column.name,
          pgType: column.pgType,
          family: familyOfType(column.pgType, column.enumValues !== undefined),
          enumValues: column.enumValues,
        },
      ]),
    ),
    used: new Set(),
    literals: 0,
  };
  const predicate = checkCondition(syntax, context);
  return { source, predicate, columns: [...context.used] };
}

// ---- conditions ---------------------------------------------------------------------------------------------------

function checkCondition(node: Syntax, context: Context): WherePredicate {
  switch (node.t) {
    case 'and':
    case 'or':
      return { kind: node.t, args: node.args.map((arg) => checkCondition(arg, context)) };
    case 'not':
      return { kind: 'not', arg: checkCondition(node.arg, context) };
    case 'compare':
      return checkComparison(node, context);
    case 'like':
      return checkLike(node, context);
    case 'in':
      return checkIn(node, context);
    case 'is':
      return checkIs(node, context);
    case 'column': {
      const column = resolveColumn(node, context);
      if (column.family !== 'bool') {
        throw invalidWhere(
          node.position,
          `${reference(column)} is ${column.pgType}, not a condition; the clause must evaluate to a boolean (compare it, e.g. ${reference(column)} = …)`,
        );
      }
      return { kind: 'column', column };
    }
    case 'bool':
      return { kind: 'constant', value: node.value, position: node.position };
    case 'null':
      return { kind: 'constant', value: null, position: node.position };
    case 'string':
    case 'number':
    case 'cast':
      throw invalidWhere(node.position, 'a literal alone is not a condition; compare a column with it, e.g. this.col = …');
  }
}

function checkComparison(node: Extract<Syntax, { t: 'compare' }>, context: Context): WherePredicate {
  const left = classifyOperand(node.left, context);
  const right = classifyOperand(node.right, context);
  if (left.kind === 'column' && right.kind === 'column') {
    checkColumnPair(node.op, left.column, right.column, node.position);
    return { kind: 'compare', op: node.op, family: left.column.family, left: left.column, right: right.column };
  }
  if (left.kind === 'condition' || right.kind === 'condition') {
    const side = left.kind === 'condition' ? node.left : node.right;
    throw invalidWhere(
      side.position,
      'a condition cannot be compared; compare a column with a literal or another column, or use IS [NOT] TRUE / FALSE',
    );
  }
  if (left.kind === 'literal' && right.kind === 'literal') {
    throw invalidWhere(node.left.position, 'a comparison needs a column on at least one side, e.g. this.col = 1');
  }
  const [column, literal] =
    left.kind === 'column' && right.kind === 'literal'
      ? [left.column, right.node]
      : [(right as Extract<Classified, { kind: 'column' }>).column, (left as Extract<Classified, { kind: 'literal' }>).node];
  checkOperatorFor(node.op, column, node.position);
  const value = checkLiteral(literal, column, context);
  return {
    kind: 'compare',
    op: node.op,
    family: column.family,
    left: left.kind === 'column' ? column : value,
    right: left.kind === 'column' ? value : column,
  };
}

function checkIn(node: Extract<Syntax, { t: 'in' }>, context: Context): WherePredicate {
  const subject = classifyOperand(node.arg, context);
  if (subject.kind !== 'column') {
    throw invalidWhere(node.arg.position, 'IN needs a column on its left, e.g. this.status IN (\'open\', \'closed\')');
  }
  checkOperatorFor('=', subject.column, node.position);
  const values = node.items.map((item) => {
    if (classifyOperand(item, context).kind !== 'literal') {
      throw invalidWhere(item.position, 'an IN list may contain only literals');
    }
    return checkLiteral(item, subject.column, context);
  });
  return { kind: 'in', column: subject.column, values, negated: node.negated };
}

function checkLike(node: Extract<Syntax, { t: 'like' }>, context: Context): WherePredicate {
  const operator = node.caseInsensitive ? 'ILIKE' : 'LIKE';
  const subject = classifyOperand(node.arg, context);
  if (subject.kind !== 'column') {
    throw invalidWhere(node.arg.position, `${operator} needs a text column on its left, e.g. this.name ${operator} 'a%'`);
  }
  const column = subject.column;
  if (column.family !== 'text') {
    throw invalidWhere(node.position, `${operator} needs a text column, and ${reference(column)} is ${column.pgType}`);
  }
  if (classifyOperand(node.pattern, context).kind !== 'literal') {
    throw invalidWhere(node.pattern.position, `the ${operator} pattern must be a string literal`);
  }
  const pattern = checkLiteral(node.pattern, column, context);
  if (typeof pattern.key === 'string' && endsWithEscape(pattern.key)) {
    throw invalidWhere(node.pattern.position, `${operator} pattern must not end with the escape character \\; write \\\\ for a backslash`);
  }
  return { kind: 'like', column, pattern, caseInsensitive: node.caseInsensitive, negated: node.negated };
}

function checkIs(node: Extract<Syntax, { t: 'is' }>, context: Context): WherePredicate {
  const subject = classifyOperand(node.arg, context);
  if (node.test === 'null' && subject.kind === 'column') {
    return { kind: 'isNull', column: subject.column, negated: node.negated };
  }
  if (subject.kind === 'literal') {
    throw invalidWhere(node.arg.position, `IS ${node.negated ? 'NOT ' : ''}${node.test.toUpperCase()} needs a column or a condition, not a literal`);
  }
  const arg = checkCondition(node.arg, context); // refuses a non-bool column
  return { kind: 'isBoolean', arg, test: node.test === 'null' ? 'unknown' : node.test, negated: node.negated };
}

// ---- operands -----------------------------------------------------------------------------------------------------

type Classified =
  | { readonly kind: 'column'; readonly column: ColumnOperand }
  | { readonly kind: 'literal'; readonly node: Syntax }
  | { readonly kind: 'condition' };

/** What a comparison side is: a column, a literal (possibly cast), or a condition (which we do not compare). */
function classifyOperand(node: Syntax, context: Context): Classified {
  switch (node.t) {
    case 'column':
      return { kind: 'column', column: resolveColumn(node, context) };
    case 'string':
    case 'number':
    case 'bool':
    case 'null':
      return { kind: 'literal', node };
    case 'cast': {
      const inner = node.arg;
      if (inner.t === 'column') {
        throw invalidWhere(node.position, `casting a column is not supported; compare ${inner.path.join('.')} with a literal of its type`);
      }
      if (inner.t !== 'string' && inner.t !== 'number' && inner.t !== 'bool' && inner.t !== 'null') {
        throw invalidWhere(node.position, 'only a literal can be cast, e.g. \'2024-01-01\'::date');
      }
      return { kind: 'literal', node };
    }
    default:
      return { kind: 'condition' };
  }
}

function resolveColumn(node: Extract<Syntax, { t: 'column' }>, context: Context): ColumnOperand {
  const { path, position } = node;
  const shown = shortText(path.map(displayIdentifier).join('.'));
  if (path.length === 2 && path[0] === 'this') {
    const column = context.columns.get(path[1]!);
    if (column) {
      context.used.add(column.name);
      return { kind: 'column', name: column.name, pgType: column.pgType, family: column.family, position };
    }
    throw invalidWhere(position, `unknown column ${shown}; the table's columns are ${listColumns(context)}`);
  }
  if (path.length === 1) {
    const hint = context.columns.has(path[0]!) ? ` - did you mean \`this.${displayIdentifier(path[0]!)}\`?` : '; columns are written this.<column>';
    throw invalidWhere(position, `unknown reference ${shown}${hint}`);
  }
  throw invalidWhere(position, `unknown reference ${shown}: a where clause can read only the shape's own table, written this.<column>`);
}

function checkColumnPair(op: ComparisonOperator, left: ColumnOperand, right: ColumnOperand, position: number): void {
  const sameKind = left.family === right.family && (left.family !== 'enum' || left.pgType === right.pgType);
  if (!sameKind) {
    throw invalidWhere(position, `cannot compare ${reference(left)} (${left.pgType}) with ${reference(right)} (${right.pgType}); compare columns of the same kind`);
  }
  checkOperatorFor(op, left, position);
}

function checkOperatorFor(op: ComparisonOperator, column: ColumnOperand, position: number): void {
  const ordering = op !== '=' && op !== '<>';
  if (ordering ? isOrderedFamily(column.family) : isEqualityFamily(column.family)) return;
  if (column.family === 'enum') {
    throw invalidWhere(position, `${reference(column)} is an enum (${column.pgType}); enums support only =, <>, IN and IS NULL here, because their order lives in the database`);
  }
  if (column.family === 'jsonb') {
    throw invalidWhere(position, `${reference(column)} is jsonb; jsonb columns support only IS NULL and IS NOT NULL`);
  }
  throw invalidWhere(position, `${reference(column)} has type ${column.pgType}, which where clauses support only with IS NULL and IS NOT NULL`);
}

// ---- literals -----------------------------------------------------------------------------------------------------

const typeAliases: Readonly<Record<string, string>> = {
  int2: 'int2',
  smallint: 'int2',
  int4: 'int4',
  int: 'int4',
  integer: 'int4',
  int8: 'int8',
  bigint: 'int8',
  float4: 'float4',
  real: 'float4',
  float8: 'float8',
  float: 'float8',
  'double precision': 'float8',
  bool: 'bool',
  boolean: 'bool',
  text: 'text',
  varchar: 'varchar',
  'character varying': 'varchar',
  uuid: 'uuid',
  date: 'date',
  time: 'time',
  'time without time zone': 'time',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  bytea: 'bytea',
  jsonb: 'jsonb',
};

/** Reads a literal (possibly cast) as a value of the column's type, for comparing with that column. */
function checkLiteral(node: Syntax, column: ColumnOperand, context: Context): LiteralOperand {
  if (++context.literals > maxWhereLiterals) {
    throw invalidWhere(node.position, `the clause has more than ${maxWhereLiterals} literals; use fewer values`);
  }
  let castType: string | undefined;
  let literal = node;
  if (node.t === 'cast') {
    castType = resolveCastType(node.type, node.typePosition, column, context);
    literal = node.arg;
  }
  const position = literal.position;
  const target = castType ?? column.pgType;

  if (literal.t === 'null') return { kind: 'literal', paramType: nullParamType(column, castType), text: null, key: null, position };

  const refuse = (reason: string): never => {
    throw invalidWhere(position, `${describeLiteral(literal)} ${reason} (${reference(column)} is ${column.pgType})`);
  };
  const fromParsed = <T extends ValueKey>(parsed: Parsed<T>, paramType: ParamType): LiteralOperand =>
    parsed.ok ? { kind: 'literal', paramType, text: parsed.text, key: parsed.key, position } : refuse(parsed.reason);
  const needsString = (example: string): never => refuse(`is not a ${column.pgType} value; write it as a string literal such as ${example}`);

  switch (column.family) {
    case 'integer': {
      const integerType = target as keyof typeof integerRanges;
      if (literal.t === 'string') return fromParsed(parseIntegerText(literal.value, integerType), 'int8');
      if (literal.t !== 'number') return refuse('is not an integer');
      const numeric = parseNumericToken(literal.text);
      if (numeric === null) return refuse('has an exponent too large to compare');
      if ('integer' in numeric) {
        if (castType !== undefined) return fromParsed(parseIntegerText(numeric.integer.toString(), integerType), 'int8');
        return { kind: 'literal', paramType: 'int8', text: numeric.integer.toString(), key: numeric.integer, position };
      }
      if (castType !== undefined) return refuse(`is not an integer, and a cast to ${castType} would round it`);
      return { kind: 'literal', paramType: 'numeric', text: formatDecimal(numeric.decimal), key: numeric.decimal, position };
    }
    case 'float': {
      const floatType = target as 'float4' | 'float8';
      if (literal.t === 'string') return fromParsed(parseFloatText(literal.value, floatType), floatType);
      if (literal.t !== 'number') return refuse('is not a number');
      // An unquoted number is numeric in Postgres, and float4 = numeric compares as float8 (float48eq).
      const numberType = castType === undefined ? 'float8' : floatType;
      return fromParsed(floatFromDecimalText(literal.text, numberType), numberType);
    }
    case 'text':
      if (literal.t !== 'string') return needsString(`'${literal.t === 'number' ? literal.text : 'text'}'`);
      return { kind: 'literal', paramType: 'text', text: literal.value, key: literal.value, position };
    case 'enum':
      if (literal.t !== 'string') return needsString("'label'");
      {
        const labels = context.columns.get(column.name)?.enumValues ?? [];
        if (!labels.includes(literal.value)) return refuse(`is not a label of enum ${column.pgType} (${shortList(labels)})`);
      }
      return { kind: 'literal', paramType: 'text', text: literal.value, key: literal.value, position };
    case 'uuid':
      if (literal.t !== 'string') return needsString("'5b1f…'");
      return fromParsed(parseUuidText(literal.value), 'uuid');
    case 'bool':
      if (literal.t === 'bool') return { kind: 'literal', paramType: 'bool', text: String(literal.value), key: literal.value, position };
      if (literal.t !== 'string') return refuse('is not a bool; write true or false');
      return fromParsed(parseBoolText(literal.value), 'bool');
    case 'date':
      if (literal.t !== 'string') return needsString("'2024-01-31'");
      return fromParsed(parseDateText(literal.value), 'date');
    case 'time':
      if (literal.t !== 'string') return needsString("'13:45:00'");
      return fromParsed(parseTimeText(literal.value), 'time');
    case 'timestamp':
    case 'timestamptz':
      if (literal.t !== 'string') return needsString("'2024-01-31 13:45:00'");
      return fromParsed(parseTimestampText(literal.value, column.family === 'timestamptz'), column.family);
    case 'bytea':
      if (literal.t !== 'string') return needsString("'\\xdeadbeef'");
      return fromParsed(parseByteaText(literal.value), 'bytea');
    case 'jsonb':
    case 'other':
      return refuse('cannot be compared with this column');
  }
}

/** The cast's type, which must be of the column's kind (a cast never converts between kinds here). */
function resolveCastType(written: string, position: number, column: ColumnOperand, context: Context): string {
  const canonical = Object.hasOwn(typeAliases, written) ? typeAliases[written]! : written;
  const enumColumn = [...context.columns.values()].find((c) => c.family === 'enum' && c.pgType === canonical);
  if (!Object.hasOwn(typeAliases, written) && !enumColumn) {
    throw invalidWhere(position, `cast to ${JSON.stringify(shortText(written))} is not supported; cast only to the column's own type, or leave the cast out`);
  }
  const family = familyOfType(canonical, enumColumn !== undefined);
  const matches = family === column.family && (family !== 'enum' || canonical === column.pgType) && family !== 'jsonb';
  if (!matches) {
    throw invalidWhere(position, `cannot compare ${reference(column)} (${column.pgType}) with a value cast to ${canonical}; cast to the column's own type, or leave the cast out`);
  }
  return canonical;
}

function nullParamType(column: ColumnOperand, castType: string | undefined): ParamType {
  switch (column.family) {
    case 'integer':
      return 'int8';
    case 'float':
      return (castType ?? column.pgType) === 'float4' ? 'float4' : 'float8';
    case 'text':
    case 'enum':
    case 'jsonb':
    case 'other':
      return 'text';
    default:
      return column.family;
  }
}

// ---- helpers ------------------------------------------------------------------------------------------------------

function endsWithEscape(pattern: string): boolean {
  let backslashes = 0;
  for (let i = pattern.length - 1; i >= 0 && pattern[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function reference(column: { readonly name: string }): string {
  return `this.${displayIdentifier(column.name)}`;
}

/** An identifier for a message, as Postgres would need it written: bare when lower-case and simple, else quoted. */
function displayIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function listColumns(context: Context): string {
  return shortList([...context.columns.keys()].map(displayIdentifier));
}

function shortList(items: readonly string[]): string {
  return items.length > 20 ? `${items.slice(0, 20).join(', ')}, …` : items.join(', ');
}

function shortText(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function describeLiteral(node: Syntax): string {
  switch (node.t) {
    case 'string':
      return `'${shortText(node.value).replace(/'/g, "''")}'`;
    case 'number':
      return shortText(node.text);
    case 'bool':
      return node.value ? 'true' : 'false';
    default:
      return 'the value';
  }
}
