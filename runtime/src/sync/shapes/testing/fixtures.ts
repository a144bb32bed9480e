// Test fixtures for shapes/ (imported only by tests): a table with a column of every kind, and a compact rendering of
// checked where clauses so table tests can state the expected tree on one line.
import type { LiteralOperand, Operand, WherePredicate } from '../where-ast.ts';
import type { WhereColumn } from '../where-values.ts';

export const itemColumns: readonly WhereColumn[] = [
  { name: 'id', pgType: 'int4' },
  { name: 'big', pgType: 'int8' },
  { name: 'small', pgType: 'int2' },
  { name: 'name', pgType: 'text' },
  { name: 'label', pgType: 'varchar' },
  { name: 'done', pgType: 'bool' },
  { name: 'archived', pgType: 'bool' },
  { name: 'at', pgType: 'timestamptz' },
  { name: 'ts', pgType: 'timestamp' },
  { name: 'day', pgType: 'date' },
  { name: 'tod', pgType: 'time' },
  { name: 'uid', pgType: 'uuid' },
  { name: 'f4', pgType: 'float4' },
  { name: 'f8', pgType: 'float8' },
  { name: 'data', pgType: 'bytea' },
  { name: 'doc', pgType: 'jsonb' },
  { name: 'mood', pgType: 'mood', enumValues: ['happy', 'sad', 'meh'] },
  { name: 'geo', pgType: 'point' },
  { name: 'Title', pgType: 'text' },
  { name: 'from', pgType: 'text' },
];

function showOperand(operand: Operand): string {
  return operand.kind === 'column' ? `this.${operand.name}` : showLiteral(operand);
}

function showLiteral(literal: LiteralOperand): string {
  return `${literal.text === null ? 'NULL' : JSON.stringify(literal.text)}:${literal.paramType}`;
}

/** `(and (= this.id "1":int8) (like this.name "a%"))` */
export function showPredicate(node: WherePredicate): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.kind} ${node.args.map(showPredicate).join(' ')})`;
    case 'not':
      return `(not ${showPredicate(node.arg)})`;
    case 'compare':
      return `(${node.op} ${showOperand(node.left)} ${showOperand(node.right)})`;
    case 'in':
      return `(${node.negated ? 'not-in' : 'in'} this.${node.column.name} [${node.values.map(showLiteral).join(' ')}])`;
    case 'like':
      return `(${node.negated ? 'not-' : ''}${node.caseInsensitive ? 'ilike' : 'like'} this.${node.column.name} ${showLiteral(node.pattern)})`;
    case 'isNull':
      return `(is-${node.negated ? 'not-' : ''}null this.${node.column.name})`;
    case 'isBoolean':
      return `(is-${node.negated ? 'not-' : ''}${node.test} ${showPredicate(node.arg)})`;
    case 'column':
      return `this.${node.column.name}`;
    case 'constant':
      return node.value === null ? 'NULL' : node.value ? 'TRUE' : 'FALSE';
  }
}
