// Tokens → syntax tree, by a recursive descent that follows Postgres' operator precedence (lowest first):
//
//   OR  <  AND  <  NOT  <  IS [NOT] NULL|TRUE|FALSE|UNKNOWN, ISNULL, NOTNULL  <  = <> != < <= > >= (not chained)
//       <  [NOT] LIKE | ILIKE | IN (…)  <  unary + -  <  ::type
//
// so `this.a = 1 IS NULL` is `(this.a = 1) IS NULL` and `NOT this.a LIKE 'x'` is `NOT (this.a LIKE 'x')`, as in
// Postgres. Nothing is typed here; where-parser.ts checks the tree against the table. Syntax we never accept is refused
// here, at its position: subqueries, function calls, arithmetic and other operators, BETWEEN, SIMILAR TO, ESCAPE,
// CASE, arrays, row constructors, COLLATE, IS DISTINCT FROM, time- and session-dependent values.
import { invalidWhere } from './errors.ts';
import type { ComparisonOperator } from './where-ast.ts';
import type { Token } from './where-lexer.ts';

export type Syntax =
  | { readonly t: 'column'; readonly path: readonly string[]; readonly position: number }
  | { readonly t: 'string'; readonly value: string; readonly position: number }
  /** The digits as written, with the sign of any unary minus in front. */
  | { readonly t: 'number'; readonly text: string; readonly position: number }
  | { readonly t: 'bool'; readonly value: boolean; readonly position: number }
  | { readonly t: 'null'; readonly position: number }
  /** `x::type`, `CAST(x AS type)` or `type 'text'`; `type` is the name with words joined by one space, lower case. */
  | { readonly t: 'cast'; readonly arg: Syntax; readonly type: string; readonly typePosition: number; readonly position: number }
  | { readonly t: 'and' | 'or'; readonly args: readonly Syntax[]; readonly position: number }
  | { readonly t: 'not'; readonly arg: Syntax; readonly position: number }
  | { readonly t: 'compare'; readonly op: ComparisonOperator; readonly left: Syntax; readonly right: Syntax; readonly position: number }
  | {
      readonly t: 'like';
      readonly arg: Syntax;
      readonly pattern: Syntax;
      readonly caseInsensitive: boolean;
      readonly negated: boolean;
      readonly position: number;
    }
  | { readonly t: 'in'; readonly arg: Syntax; readonly items: readonly Syntax[]; readonly negated: boolean; readonly position: number }
  | {
      readonly t: 'is';
      readonly arg: Syntax;
      readonly test: 'null' | 'true' | 'false' | 'unknown';
      readonly negated: boolean;
      readonly position: number;
    };

/** Deeper nesting is refused, so a hostile clause cannot exhaust the stack. */
export const maxWhereDepth = 100;

const comparisonTokens: Readonly<Record<string, ComparisonOperator>> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

const subqueryKeywords = new Set(['select', 'values', 'with', 'table', 'exists']);
const timeKeywords = new Set(['current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp']);
const sessionKeywords = new Set(['current_user', 'current_role', 'session_user', 'user']);

export function parseSyntax(tokens: readonly Token[]): Syntax {
  let index = 0;
  let depth = 0;

  const peek = (offset = 0): Token => tokens[Math.min(index + offset, tokens.length - 1)]!;
  const next = (): Token => tokens[Math.min(index++, tokens.length - 1)]!;
  const isKeyword = (token: Token, ...words: string[]) => token.kind === 'keyword' && words.includes(token.text);
  const isPunct = (token: Token, text: string) => token.kind === 'punct' && token.text === text;

  const enter = (position: number) => {
    if (++depth > maxWhereDepth) throw invalidWhere(position, `the clause nests deeper than ${maxWhereDepth} levels; simplify it`);
  };
  const leave = () => {
    depth--;
  };

  const expectPunct = (text: string, what: string): Token => {
    const token = next();
    if (!isPunct(token, text)) throw invalidWhere(token.position, `expected "${text}" ${what}, found ${describe(token)}`);
    return token;
  };

  function parseExpression(): Syntax {
    enter(peek().position);
    const result = parseOr();
    leave();
    return result;
  }

  function parseOr(): Syntax {
    const first = parseAnd();
    if (!isKeyword(peek(), 'or')) return first;
    const args = [first];
    while (isKeyword(peek(), 'or')) {
      next();
      args.push(parseAnd());
    }
    return { t: 'or', args, position: first.position };
  }

  function parseAnd(): Syntax {
    const first = parseNot();
    if (!isKeyword(peek(), 'and')) return first;
    const args = [first];
    while (isKeyword(peek(), 'and')) {
      next();
      args.push(parseNot());
    }
    return { t: 'and', args, position: first.position };
  }

  function parseNot(): Syntax {
    if (!isKeyword(peek(), 'not')) return parseIs();
    const token = next();
    enter(token.position);
    const arg = parseNot();
    leave();
    return { t: 'not', arg, position: token.position };
  }

  function parseIs(): Syntax {
    let arg = parseComparison();
    for (;;) {
      const token = peek();
      if (isKeyword(token, 'isnull', 'notnull')) {
        next();
        arg = { t: 'is', arg, test: 'null', negated: token.text === 'notnull', position: token.position };
        continue;
      }
      if (!isKeyword(token, 'is')) return arg;
      next();
      const negated = isKeyword(peek(), 'not');
      if (negated) next();
      const test = next();
      if (isKeyword(test, 'null', 'true', 'false', 'unknown')) {
        arg = { t: 'is', arg, test: test.text as 'null' | 'true' | 'false' | 'unknown', negated, position: token.position };
        continue;
      }
      if (isKeyword(test, 'distinct')) {
        throw invalidWhere(token.position, 'IS [NOT] DISTINCT FROM is not supported; use = or <> with IS NULL');
      }
      throw invalidWhere(test.position, `expected NULL, TRUE, FALSE or UNKNOWN after IS, found ${describe(test)}`);
    }
  }

  function parseComparison(): Syntax {
    const left = parseLikeLevel();
    const token = peek();
    const op = comparisonOf(token);
    if (op === undefined) {
      refuseOtherOperator(token);
      return left;
    }
    next();
    const right = parseLikeLevel();
    const after = peek();
    if (comparisonOf(after) !== undefined) {
      throw invalidWhere(after.position, 'comparison operators cannot be chained; combine comparisons with AND');
    }
    refuseOtherOperator(after);
    return { t: 'compare', op, left, right, position: token.position };
  }

  function parseLikeLevel(): Syntax {
    const arg = parseUnary();
    let token = peek();
    let negated = false;
    if (isKeyword(token, 'not') && isKeyword(peek(1), 'like', 'ilike', 'in', 'between', 'similar')) {
      negated = true;
      next();
      token = peek();
    }
    if (isKeyword(token, 'like', 'ilike')) {
      next();
      const pattern = parseUnary();
      if (isKeyword(peek(), 'escape')) {
        throw invalidWhere(peek().position, 'LIKE … ESCAPE is not supported; the escape character is always \\');
      }
      return { t: 'like', arg, pattern, caseInsensitive: token.text === 'ilike', negated, position: token.position };
    }
    if (isKeyword(token, 'in')) {
      next();
      const open = expectPunct('(', 'after IN');
      if (peek().kind === 'keyword' && subqueryKeywords.has(peek().text)) {
        throw invalidWhere(peek().position, 'subqueries are not supported; list the values: IN (1, 2, 3)');
      }
      if (isPunct(peek(), ')')) throw invalidWhere(peek().position, 'an IN list needs at least one value');
      enter(open.position);
      const items = [parseExpression()];
      while (isPunct(peek(), ',')) {
        next();
        items.push(parseExpression());
      }
      leave();
      expectPunct(')', 'to close the IN list');
      return { t: 'in', arg, items, negated, position: token.position };
    }
    if (isKeyword(token, 'between')) {
      throw invalidWhere(token.position, 'BETWEEN is not supported; write this.x >= a AND this.x <= b');
    }
    if (isKeyword(token, 'similar')) {
      throw invalidWhere(token.position, 'SIMILAR TO is not supported; use LIKE or ILIKE');
    }
    return arg;
  }

  function parseUnary(): Syntax {
    const token = peek();
    if (token.kind === 'operator' && (token.text === '-' || token.text === '+')) {
      next();
      enter(token.position);
      const operand = parseUnary();
      leave();
      if (operand.t !== 'number') {
        throw invalidWhere(token.position, `unary ${token.text} is supported only in front of a number; arithmetic is not supported`);
      }
      if (token.text === '+') return { ...operand, position: token.position };
      const text = operand.text.startsWith('-') ? operand.text.slice(1) : `-${operand.text}`;
      return { t: 'number', text, position: token.position };
    }
    return parsePostfix();
  }

  function parsePostfix(): Syntax {
    let node = parsePrimary();
    for (;;) {
      const token = peek();
      if (isPunct(token, '::')) {
        next();
        const { type, position } = parseTypeName();
        node = { t: 'cast', arg: node, type, typePosition: position, position: token.position };
        continue;
      }
      if (isPunct(token, '[')) throw invalidWhere(token.position, 'array subscripts are not supported');
      if (isKeyword(token, 'collate')) throw invalidWhere(token.position, 'COLLATE is not supported; text is compared by code point');
      return node;
    }
  }

  function parsePrimary(): Syntax {
    const token = next();
    switch (token.kind) {
      case 'number':
        return { t: 'number', text: token.text, position: token.position };
      case 'string':
        return { t: 'string', value: token.text, position: token.position };
      case 'identifier':
        return parseReference(token);
      case 'keyword':
        return parseKeywordPrimary(token);
      case 'punct':
        if (token.text === '(') {
          if (peek().kind === 'keyword' && subqueryKeywords.has(peek().text)) {
            throw invalidWhere(peek().position, 'subqueries are not supported; a where clause may only read the row itself');
          }
          enter(token.position);
          const inner = parseExpression();
          leave();
          if (isPunct(peek(), ',')) throw invalidWhere(peek().position, 'row constructors (a, b) are not supported');
          expectPunct(')', 'to close the parenthesis');
          return inner;
        }
        throw unexpected(token);
      case 'operator':
        throw invalidWhere(token.position, `operator ${token.text} is not supported here; expected a column, a literal or (`);
      case 'eof':
        throw invalidWhere(token.position, 'unexpected end of the where clause; expected a column, a literal or (');
    }
  }

  function parseKeywordPrimary(token: Token): Syntax {
    switch (token.text) {
      case 'true':
      case 'false':
        return { t: 'bool', value: token.text === 'true', position: token.position };
      case 'null':
        return { t: 'null', position: token.position };
      case 'not': {
        // Postgres accepts NOT wherever an expression starts, e.g. `this.done = NOT this.archived`.
        enter(token.position);
        const arg = parseNot();
        leave();
        return { t: 'not', arg, position: token.position };
      }
      case 'cast': {
        expectPunct('(', 'after CAST');
        enter(token.position);
        const arg = parseExpression();
        leave();
        const as = next();
        if (!isKeyword(as, 'as')) throw invalidWhere(as.position, `expected AS in CAST(… AS type), found ${describe(as)}`);
        const { type, position } = parseTypeName();
        expectPunct(')', 'to close CAST(');
        return { t: 'cast', arg, type, typePosition: position, position: token.position };
      }
      case 'case':
        throw invalidWhere(token.position, 'CASE is not supported; combine conditions with AND, OR and NOT');
      case 'array':
      case 'row':
        throw invalidWhere(token.position, `${token.text.toUpperCase()} constructors are not supported`);
      case 'interval':
        throw invalidWhere(token.position, 'interval values are not supported');
      case 'any':
      case 'all':
      case 'some':
        throw invalidWhere(token.position, `${token.text.toUpperCase()} (…) is not supported; use IN (…)`);
    }
    if (subqueryKeywords.has(token.text)) {
      throw invalidWhere(token.position, 'subqueries are not supported; a where clause may only read the row itself');
    }
    if (timeKeywords.has(token.text)) {
      throw invalidWhere(token.position, `${token.text} is not supported: a shape cannot depend on the time; write the value as a literal`);
    }
    if (sessionKeywords.has(token.text)) {
      throw invalidWhere(token.position, `${token.text} is not supported: a shape cannot depend on the database session`);
    }
    throw unexpected(token);
  }

  function parseReference(first: Token): Syntax {
    const path = [first.text];
    while (isPunct(peek(), '.')) {
      next();
      const part = next();
      if (part.kind === 'identifier' || part.kind === 'keyword') {
        path.push(part.text);
        continue;
      }
      if (part.kind === 'operator' && part.text === '*') throw invalidWhere(part.position, `${path.join('.')}.* is not supported; name one column`);
      throw invalidWhere(part.position, `expected a column name after "${path.join('.')}.", found ${describe(part)}`);
    }
    const after = peek();
    if (isPunct(after, '(')) {
      throw invalidWhere(
        first.position,
        `function calls are not supported (${path.join('.')}(…)); compare columns with literals using = <> < <= > >=, IN, LIKE, IS NULL`,
      );
    }
    if (after.kind === 'string' && path.length === 1) {
      // The typed-literal form `timestamptz '2024-01-01'`, which Postgres reads as a cast.
      next();
      return {
        t: 'cast',
        arg: { t: 'string', value: after.text, position: after.position },
        type: first.text,
        typePosition: first.position,
        position: first.position,
      };
    }
    return { t: 'column', path, position: first.position };
  }

  function parseTypeName(): { type: string; position: number } {
    let token = next();
    const position = token.position;
    if (token.kind !== 'identifier' && token.kind !== 'keyword') {
      throw invalidWhere(token.position, `expected a type name, found ${describe(token)}`);
    }
    let words = [token.text];
    if (token.text === 'pg_catalog' && isPunct(peek(), '.')) {
      next();
      token = next();
      if (token.kind !== 'identifier' && token.kind !== 'keyword') {
        throw invalidWhere(token.position, `expected a type name, found ${describe(token)}`);
      }
      words = [token.text];
    }
    const word = () => (peek().kind === 'identifier' || peek().kind === 'keyword' ? peek().text : undefined);
    if (words[0] === 'double' && word() === 'precision') words.push(next().text);
    if (words[0] === 'character' && word() === 'varying') words.push(next().text);
    if ((words[0] === 'timestamp' || words[0] === 'time') && (word() === 'with' || word() === 'without')) {
      words.push(next().text);
      for (const expected of ['time', 'zone']) {
        const part = next();
        if (part.text !== expected || (part.kind !== 'identifier' && part.kind !== 'keyword')) {
          throw invalidWhere(part.position, `expected "${words.join(' ')} time zone", found ${describe(part)}`);
        }
        words.push(part.text);
      }
    }
    if (isPunct(peek(), '(')) throw invalidWhere(peek().position, 'type modifiers such as varchar(10) are not supported in casts');
    if (isPunct(peek(), '[')) throw invalidWhere(peek().position, 'array types are not supported');
    return { type: words.join(' '), position };
  }

  function refuseOtherOperator(token: Token): void {
    if (token.kind === 'operator') {
      throw invalidWhere(
        token.position,
        `operator ${token.text} is not supported; only = <> != < <= > >= compare, and arithmetic is not supported`,
      );
    }
  }

  const result = parseExpression();
  const rest = peek();
  if (rest.kind !== 'eof') {
    if (isPunct(rest, ';')) {
      throw invalidWhere(rest.position, 'unexpected ";": a where clause is a single expression; remove the ";" and anything after it');
    }
    throw invalidWhere(rest.position, `unexpected ${describe(rest)}; expected AND, OR or the end of the clause`);
  }
  return result;
}

function comparisonOf(token: Token): ComparisonOperator | undefined {
  return token.kind === 'operator' && Object.hasOwn(comparisonTokens, token.text) ? comparisonTokens[token.text] : undefined;
}

function unexpected(token: Token): Error {
  return invalidWhere(token.position, `unexpected ${describe(token)}`);
}

/** A token for an error message; client text is cut short. */
export function describe(token: Token): string {
  const short = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
  switch (token.kind) {
    case 'eof':
      return 'the end of the clause';
    case 'string':
      return `string '${short(token.text)}'`;
    case 'keyword':
      return token.text.toUpperCase();
    case 'identifier':
      return `"${short(token.text)}"`;
    default:
      return `"${short(token.text)}"`;
  }
}
