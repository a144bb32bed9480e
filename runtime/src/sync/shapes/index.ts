// shapes: the `where` clause of Electric shape subscriptions (notes §3.7) — parsed once per subscription, evaluated
// against every replicated row, and translated to SQL for the initial-data query. No sockets, no database access.
//
//   const where = parseWhereClause(select.where, table.columns);   // null for '' (every row); throws INVALID_WHERE_CLAUSE
//   const { sql, params } = buildWhereSql(where);                    // SELECT … FROM "public"."items" WHERE ${sql}
//   if (isRowSelected(where, row)) …                                 // the live stream: is this row in the shape?
//
// Invariants:
// - Nothing the client sends is ever spliced into SQL: columns are the table's own (double-quoted), every literal is a
//   parameter, and every operator, cast and keyword in the SQL is a fixed string.
// - The evaluator and the SQL agree row for row (the .pg test checks this against a real Postgres): literals are read
//   as the compared column's type at parse time, and both sides use one canonical value and Postgres' semantics
//   (three-valued logic, code point order for text, exact integer/decimal comparison, PG float ordering, UTC instants).
// - Refusals are ShapeError{code: 'INVALID_WHERE_CLAUSE', position} with a message "At location N: <problem; fix>".
export { parseWhereClause, maxWhereLength, maxWhereLiterals } from './where-parser.ts';
export { evaluateWhere, isRowSelected, type WhereRow } from './where-evaluator.ts';
export { buildWhereSql, quoteIdent, type WhereSql, type BuildWhereSqlOptions } from './where-sql.ts';
export { maxWhereDepth } from './where-syntax.ts';
export { compileLikePattern, type LikeMatcher } from './like-pattern.ts';
export { comparisonOperators } from './where-ast.ts';
export type { ParsedWhere, WherePredicate, ColumnOperand, LiteralOperand, Operand, ComparisonOperator } from './where-ast.ts';
export type { WhereColumn, ValueFamily, ParamType, ValueKey, Decimal } from './where-values.ts';
export { ShapeError, isShapeError, shapeErrorCodes, type ShapeErrorCode } from './errors.ts';
