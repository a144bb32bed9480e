// Splits a where clause into tokens by Postgres' lexical rules (scan.l), so a clause means here what it would mean
// to Postgres: identifiers fold to lower case unless double-quoted, strings are standard ('' doubles a quote; a
// backslash is an ordinary character), `--` and nested `/* */` are comments, and an operator is the longest run of
// operator characters, shortened so it does not end in + or - (so `=-1` is `=` then `-1`).
// Forms we do not support are refused here with their position: E'' / B'' / X'' / N'' / U&'' strings, dollar quoting,
// $n parameters, and numbers with trailing junk such as `0x1F` or `1_000`.
import { invalidWhere } from './errors.ts';

export type TokenKind = 'identifier' | 'keyword' | 'string' | 'number' | 'operator' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /**
   * identifier: the name after case folding or unquoting; keyword: lower case; string: the value with quotes
   * undone; number: the digits as written; operator and punct: the characters.
   */
  readonly text: string;
  /** Offset of the token's first character in the clause. */
  readonly position: number;
}

/** Unquoted words the parser gives a meaning to (or refuses with a specific message); any other word is an identifier. */
const keywords = new Set([
  'all', 'and', 'any', 'array', 'as', 'asymmetric', 'between', 'case', 'cast', 'collate', 'current_date',
  'current_role', 'current_time', 'current_timestamp', 'current_user', 'distinct', 'else', 'end', 'escape', 'exists',
  'false', 'from', 'ilike', 'in', 'interval', 'is', 'isnull', 'like', 'localtime', 'localtimestamp', 'not', 'notnull',
  'null', 'or', 'overlaps', 'row', 'select', 'session_user', 'similar', 'some', 'symmetric', 'table', 'then', 'true',
  'unknown', 'user', 'values', 'when', 'where', 'with',
]);

const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';
const isOperatorChar = (c: string | undefined) => c !== undefined && OPERATOR_CHARS.includes(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined) =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c.charCodeAt(0) >= 0x80);
const isIdentChar = (c: string | undefined) => isIdentStart(c) || isDigit(c) || c === '$';
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

export function tokenizeWhere(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (offset = 0) => source[i + offset];

  while (i < source.length) {
    const c = at()!;
    const start = i;

    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '-' && at(1) === '-') {
      while (i < source.length && at() !== '\n' && at() !== '\r') i++;
      continue;
    }
    if (c === '/' && at(1) === '*') {
      i = skipBlockComment(source, i);
      continue;
    }

    if (c === "'") {
      const { value, end } = readQuoted(source, i, "'", 'string constant');
      tokens.push({ kind: 'string', text: value, position: start });
      i = end;
      continue;
    }
    if (c === '"') {
      const { value, end } = readQuoted(source, i, '"', 'quoted identifier');
      if (value.length === 0) throw invalidWhere(start, 'zero-length quoted identifier ""; write a column name between the quotes');
      tokens.push({ kind: 'identifier', text: value, position: start });
      i = end;
      continue;
    }

    if (isDigit(c) || (c === '.' && isDigit(at(1)))) {
      i = readNumber(source, i);
      tokens.push({ kind: 'number', text: source.slice(start, i), position: start });
      continue;
    }

    if (isIdentStart(c)) {
      refusePrefixedString(source, i);
      while (isIdentChar(at())) i++;
      const word = source.slice(start, i);
      const folded = word.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
      tokens.push({ kind: keywords.has(folded) ? 'keyword' : 'identifier', text: folded, position: start });
      continue;
    }

    if (c === '$') {
      if (isDigit(at(1))) throw invalidWhere(start, 'parameters such as $1 are not supported; write the value as a literal');
      throw invalidWhere(start, "dollar-quoted strings are not supported; write a string in single quotes, doubling any '");
    }

    if (c === ':') {
      if (at(1) === ':') {
        tokens.push({ kind: 'punct', text: '::', position: start });
        i += 2;
        continue;
      }
      throw invalidWhere(start, 'unexpected ":"; casts are written ::type');
    }

    if ('(),.;[]'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, position: start });
      i++;
      continue;
    }

    if (isOperatorChar(c)) {
      i = readOperator(source, i);
      tokens.push({ kind: 'operator', text: source.slice(start, i), position: start });
      continue;
    }

    throw invalidWhere(start, `unexpected character ${JSON.stringify(String.fromCodePoint(source.codePointAt(i)!))}`);
  }

  tokens.push({ kind: 'eof', text: '', position: source.length });
  return tokens;
}

function skipBlockComment(source: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < source.length) {
    if (source[i] === '/' && source[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (source[i] === '*' && source[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  throw invalidWhere(start, 'unterminated /* comment; close it with */');
}

function readQuoted(source: string, start: number, quote: string, what: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const next = source.indexOf(quote, i);
    if (next === -1) break;
    value += source.slice(i, next);
    if (source[next + 1] === quote) {
      value += quote;
      i = next + 2;
      continue;
    }
    return { value, end: next + 1 };
  }
  throw invalidWhere(start, `unterminated ${what}; close it with ${quote}`);
}

/** digits[.digits][e[+-]digits] or .digits[…]; a letter, _ or $ right after it is trailing junk (Postgres 15+). */
function readNumber(source: string, start: number): number {
  let i = start;
  while (isDigit(source[i])) i++;
  if (source[i] === '.' && source[i + 1] !== '.') {
    i++;
    while (isDigit(source[i])) i++;
  }
  if ((source[i] === 'e' || source[i] === 'E') && (isDigit(source[i + 1]) || ('+-'.includes(source[i + 1] ?? 'x') && isDigit(source[i + 2])))) {
    i += 2;
    while (isDigit(source[i])) i++;
  }
  if (isIdentChar(source[i])) {
    throw invalidWhere(start, 'trailing junk after numeric literal; write decimal numbers such as 42, -7 or 1.5 (no 0x, _ or units)');
  }
  return i;
}

/** An operator is a run of operator characters that stops before a comment and does not end in + or -. */
function readOperator(source: string, start: number): number {
  let end = start;
  while (isOperatorChar(source[end])) {
    if (end > start && ((source[end] === '-' && source[end + 1] === '-') || (source[end] === '/' && source[end + 1] === '*'))) break;
    end++;
  }
  let text = source.slice(start, end);
  if (text.length > 1 && !/[~!@#%^&|`?]/.test(text)) {
    while (text.length > 1 && (text.endsWith('+') || text.endsWith('-'))) text = text.slice(0, -1);
  }
  return start + text.length;
}

function refusePrefixedString(source: string, i: number): void {
  const c = source[i]!.toLowerCase();
  const next = source[i + 1];
  if (next === "'") {
    if (c === 'e') throw invalidWhere(i, "escape strings (E'...') are not supported; write a standard string such as 'it''s'");
    if (c === 'b' || c === 'x') throw invalidWhere(i, "bit-string constants (B'...', X'...') are not supported");
    if (c === 'n') throw invalidWhere(i, "national character strings (N'...') are not supported; write a standard string");
  }
  if (c === 'u' && next === '&' && (source[i + 2] === "'" || source[i + 2] === '"')) {
    throw invalidWhere(i, "Unicode escapes (U&'...') are not supported; write the characters themselves");
  }
}
