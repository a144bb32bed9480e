// The checked form of a where clause. Every column in it exists in the table, every literal has already been read as
// a value of the type it is compared with (its comparison key for the evaluator, its canonical text and Postgres type
// for the SQL parameter), and every operation is one whose Postgres semantics the evaluator reproduces exactly.
// Plain data: no functions, no classes, safe to keep per subscription and to print in tests.
import type { ParamType, ValueFamily, ValueKey } from './where-values.ts';

export const comparisonOperators = ['=', '<>', '<', '<=', '>', '>='] as const;
/** `!=` is read as `<>`, as Postgres does. */
export type ComparisonOperator = (typeof comparisonOperators)[number];

export interface ColumnOperand {
  readonly kind: 'column';
  readonly name: string;
  readonly pgType: string;
  readonly family: ValueFamily;
  /** Where the reference starts in the clause. */
  readonly position: number;
}

export interface LiteralOperand {
  readonly kind: 'literal';
  /** The Postgres type of the SQL parameter: `$n::<paramType>`. */
  readonly paramType: ParamType;
  /** Canonical text of the value, sent as the SQL parameter; null for NULL. */
  readonly text: string | null;
  /** The value as the evaluator compares it; null for NULL. */
  readonly key: ValueKey | null;
  readonly position: number;
}

export type Operand = ColumnOperand | LiteralOperand;

export type WherePredicate =
  | { readonly kind: 'and'; readonly args: readonly WherePredicate[] }
  | { readonly kind: 'or'; readonly args: readonly WherePredicate[] }
  | { readonly kind: 'not'; readonly arg: WherePredicate }
  | {
      readonly kind: 'compare';
      readonly op: ComparisonOperator;
      /** How the two sides compare (both sides belong to it). */
      readonly family: ValueFamily;
      readonly left: Operand;
      readonly right: Operand;
    }
  | { readonly kind: 'in'; readonly column: ColumnOperand; readonly values: readonly LiteralOperand[]; readonly negated: boolean }
  | {
      readonly kind: 'like';
      readonly column: ColumnOperand;
      /** A text literal: the pattern, with `%`, `_` and backslash escapes. */
      readonly pattern: LiteralOperand;
      readonly caseInsensitive: boolean;
      readonly negated: boolean;
    }
  | { readonly kind: 'isNull'; readonly column: ColumnOperand; readonly negated: boolean }
  /** `<condition> IS [NOT] TRUE | FALSE | UNKNOWN` (and `<condition> IS [NOT] NULL`, which is IS UNKNOWN). */
  | { readonly kind: 'isBoolean'; readonly arg: WherePredicate; readonly test: 'true' | 'false' | 'unknown'; readonly negated: boolean }
  /** A bool column used as a condition: `this.done`. */
  | { readonly kind: 'column'; readonly column: ColumnOperand }
  /** TRUE, FALSE or NULL written as the condition itself. */
  | { readonly kind: 'constant'; readonly value: boolean | null; readonly position: number };

export interface ParsedWhere {
  /** The clause as the client sent it. */
  readonly source: string;
  readonly predicate: WherePredicate;
  /** The columns the clause reads, in order of first use. */
  readonly columns: readonly string[];
}
