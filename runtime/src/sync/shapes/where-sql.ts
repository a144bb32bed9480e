// Translates a checked where clause into a parameterised Postgres WHERE fragment for the initial-data query:
//
//   buildWhereSql(parseWhereClause("this.title ILIKE 'a%' AND this.id IN (1, 2)", columns)!)
//   → { sql: '(("title" COLLATE "C" ILIKE $1::text) AND ("id" IN ($2::int8, $3::int8)))', params: ['a%', '1', '2'] }
//
// Nothing the client wrote reaches the SQL text: columns are the table's own names, double-quoted; every literal is a
// parameter carrying its canonical text; operators, casts and keywords are fixed strings chosen here. Each parameter
// is cast to a fixed type so Postgres picks the same operator the evaluator imitates (float48eq for a float4 column
// against a number, numeric comparison for an integer column against a decimal, …), text orders and matches under
// COLLATE "C" (code point order, ASCII-only ILIKE folding) whatever the database's collation, and an enum column is
// compared as text. Every node is parenthesised, so precedence never depends on the client's layout.
import type { Operand, ParsedWhere, WherePredicate } from './where-ast.ts';

export interface WhereSql {
  /** A boolean SQL expression to put after WHERE (combine with other conditions using AND). */
  readonly sql: string;
  /** Text parameters ($firstParameter, …), or null for NULL; the SQL casts each to its type. */
  readonly params: readonly (string | null)[];
}

export interface BuildWhereSqlOptions {
  /** The number of the first placeholder, when the query has parameters of its own before these. Default 1. */
  readonly firstParameter?: number;
}

export function buildWhereSql(where: ParsedWhere | WherePredicate, options: BuildWhereSqlOptions = {}): WhereSql {
  const params: (string | null)[] = [];
  const first = options.firstParameter ?? 1;
  const parameter = (text: string | null, type: string): string => {
    params.push(text);
    return `$${first + params.length - 1}::${type}`;
  };
  const operand = (node: Operand, collateC: boolean): string => {
    if (node.kind === 'literal') return parameter(node.text, node.paramType);
    const column = quoteIdent(node.name);
    if (node.family === 'enum') return `${column}::text`;
    return collateC ? `${column} COLLATE "C"` : column;
  };

  const render = (node: WherePredicate): string => {
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${node.args.map(render).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${render(node.arg)})`;
      case 'compare': {
        const collate = node.family === 'text' && node.op !== '=' && node.op !== '<>';
        return `(${operand(node.left, collate)} ${node.op} ${operand(node.right, collate)})`;
      }
      case 'in':
        return `(${operand(node.column, false)} ${node.negated ? 'NOT IN' : 'IN'} (${node.values.map((v) => operand(v, false)).join(', ')}))`;
      case 'like':
        return `(${operand(node.column, true)} ${node.negated ? 'NOT ' : ''}${node.caseInsensitive ? 'ILIKE' : 'LIKE'} ${operand(node.pattern, false)})`;
      case 'isNull':
        return `(${quoteIdent(node.column.name)} IS ${node.negated ? 'NOT ' : ''}NULL)`;
      case 'isBoolean':
        return `(${render(node.arg)} IS ${node.negated ? 'NOT ' : ''}${node.test.toUpperCase()})`;
      case 'column':
        return `(${quoteIdent(node.column.name)})`;
      case 'constant':
        return `(${parameter(node.value === null ? null : String(node.value), 'bool')})`;
    }
  };

  const predicate = 'predicate' in where ? where.predicate : where;
  return { sql: render(predicate), params };
}

/** A Postgres identifier, always double-quoted ("" doubles a quote), so case and keywords never matter. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error('identifiers cannot contain NUL');
  return `"${name.replace(/"/g, '""')}"`;
}
