// LIKE and ILIKE matching with Postgres semantics (like_match.c): `%` matches any run of characters, `_` exactly one
// character (a code point), and a backslash makes the next character literal. The whole value must match. ILIKE
// under COLLATE "C" (what the SQL translation uses) lowercases ASCII letters only, in the pattern and the value, before
// matching. A pattern ending in a lone backslash is an error in Postgres; the parser refuses it before it gets here.
//
// The matcher is the two-pointer wildcard algorithm (backtracking only to the last `%`), so any pattern runs in
// O(value × pattern) time: a client cannot make evaluation exponential with a pattern such as '%a%a%a%a%b'.

type PatternItem = { readonly kind: 'any' } | { readonly kind: 'one' } | { readonly kind: 'char'; readonly char: string };

export type LikeMatcher = (value: string) => boolean;

export function compileLikePattern(pattern: string, caseInsensitive: boolean): LikeMatcher {
  const items = parsePattern(caseInsensitive ? lowerAscii(pattern) : pattern);
  return (value) => matchItems(items, Array.from(caseInsensitive ? lowerAscii(value) : value));
}

export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}

function parsePattern(pattern: string): PatternItem[] {
  const items: PatternItem[] = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '\\') {
      const escaped = chars[++i];
      if (escaped === undefined) throw new Error('LIKE pattern must not end with escape character');
      items.push({ kind: 'char', char: escaped });
    } else if (char === '%') {
      if (items.at(-1)?.kind !== 'any') items.push({ kind: 'any' });
    } else if (char === '_') {
      items.push({ kind: 'one' });
    } else {
      items.push({ kind: 'char', char });
    }
  }
  return items;
}

function matchItems(items: readonly PatternItem[], value: readonly string[]): boolean {
  let v = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    const item = items[p];
    if (item !== undefined && (item.kind === 'one' || (item.kind === 'char' && item.char === value[v]))) {
      v++;
      p++;
    } else if (item !== undefined && item.kind === 'any') {
      star = p++;
      mark = v;
    } else if (star !== -1) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (items[p]?.kind === 'any') p++;
  return p === items.length;
}
