// Evaluates a checked where clause against one row with SQL's three-valued logic: a comparison with NULL is unknown
// (null), AND is false if any side is false, OR is true if any side is true, NOT unknown is unknown, and a row belongs
// to the shape only when the clause is TRUE. Values compare as Postgres compares them (where-values.ts), so a row is
// selected here exactly when the SQL from buildWhereSql selects it.
//
// Rows are what pgwire/pgoutput/values.ts builds: boolean, number (int2/int4/float4/float8), bigint (int8), string
// (text/varchar/uuid/date/time/timestamp/timestamptz/enum/jsonb), Buffer (bytea), null. A column the clause reads must
// be present in the row (an UPDATE's unchanged TOAST values must be filled in from the old row first); a missing or
// ill-typed value throws ES_SHAPE_ROW_VALUE.
import { ShapeError } from './errors.ts';
import { compileLikePattern, type LikeMatcher } from './like-pattern.ts';
import type { ComparisonOperator, Operand, ParsedWhere, WherePredicate } from './where-ast.ts';
import { compareKeys, rowValueKey, type ValueKey } from './where-values.ts';

export type WhereRow = Readonly<Record<string, unknown>>;

const likeMatchers = new WeakMap<object, LikeMatcher>();

/** True when the row belongs to the shape: no where clause, or a clause that evaluates to TRUE (not FALSE or NULL). */
export function isRowSelected(where: ParsedWhere | null, row: WhereRow): boolean {
  return where === null || evaluateWhere(where.predicate, row) === true;
}

/** The clause's value for the row: true, false, or null for unknown. */
export function evaluateWhere(predicate: WherePredicate, row: WhereRow): boolean | null {
  switch (predicate.kind) {
    case 'and': {
      let unknown = false;
      for (const arg of predicate.args) {
        const value = evaluateWhere(arg, row);
        if (value === false) return false;
        if (value === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const arg of predicate.args) {
        const value = evaluateWhere(arg, row);
        if (value === true) return true;
        if (value === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case 'not': {
      const value = evaluateWhere(predicate.arg, row);
      return value === null ? null : !value;
    }
    case 'compare': {
      const left = operandKey(predicate.left, row);
      const right = operandKey(predicate.right, row);
      if (left === null || right === null) return null;
      return holds(predicate.op, compareKeys(predicate.family, left, right));
    }
    case 'in': {
      const subject = operandKey(predicate.column, row);
      if (subject === null) return null;
      let unknown = false;
      let found = false;
      for (const value of predicate.values) {
        if (value.key === null) unknown = true;
        else if (compareKeys(predicate.column.family, subject, value.key) === 0) {
          found = true;
          break;
        }
      }
      const result = found ? true : unknown ? null : false;
      return result === null ? null : result !== predicate.negated;
    }
    case 'like': {
      const subject = operandKey(predicate.column, row);
      const pattern = predicate.pattern.key;
      if (subject === null || pattern === null) return null;
      let matcher = likeMatchers.get(predicate);
      if (matcher === undefined) {
        matcher = compileLikePattern(pattern as string, predicate.caseInsensitive);
        likeMatchers.set(predicate, matcher);
      }
      return matcher(subject as string) !== predicate.negated;
    }
    case 'isNull':
      return (rowValue(row, predicate.column.name) === null) !== predicate.negated;
    case 'isBoolean': {
      const value = evaluateWhere(predicate.arg, row);
      const result = predicate.test === 'unknown' ? value === null : value === (predicate.test === 'true');
      return result !== predicate.negated;
    }
    case 'column':
      return operandKey(predicate.column, row) as boolean | null;
    case 'constant':
      return predicate.value;
  }
}

function operandKey(operand: Operand, row: WhereRow): ValueKey | null {
  if (operand.kind === 'literal') return operand.key;
  return rowValueKey(operand.family, operand.pgType, operand.name, rowValue(row, operand.name));
}

function rowValue(row: WhereRow, column: string): unknown {
  if (!Object.hasOwn(row, column)) {
    throw new ShapeError('ES_SHAPE_ROW_VALUE', `row has no value for column ${column}, which the where clause reads`);
  }
  return row[column];
}

function holds(op: ComparisonOperator, order: number): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}
