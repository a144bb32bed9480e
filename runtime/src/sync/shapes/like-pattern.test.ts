import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileLikePattern } from './like-pattern.ts';

type Case = readonly [pattern: string, value: string, like: boolean, ilike: boolean];

// Expected results are Postgres' (LIKE, and ILIKE under COLLATE "C": ASCII-only case folding).
const cases: readonly Case[] = [
  ['abc', 'abc', true, true],
  ['abc', 'ABC', false, true],
  ['abc', 'abcd', false, false],
  ['a%', 'a', true, true],
  ['a%', 'abc', true, true],
  ['%c', 'abc', true, true],
  ['%b%', 'abc', true, true],
  ['%', '', true, true],
  ['', '', true, true],
  ['', 'a', false, false],
  ['_', 'a', true, true],
  ['_', '', false, false],
  ['_', 'ab', false, false],
  ['a_c', 'abc', true, true],
  ['a_c', 'ac', false, false],
  ['_', '😀', true, true], // one code point, two UTF-16 units
  ['__', '😀', false, false],
  ['%😀%', 'x😀y', true, true],
  ['\\%', '%', true, true],
  ['\\%', 'a', false, false],
  ['\\_', '_', true, true],
  ['\\_', 'a', false, false],
  ['\\\\', '\\', true, true],
  ['\\a', 'a', true, true],
  ['\\A', 'a', false, true],
  ['a%b%c', 'aXXbYYc', true, true],
  ['a%b%c', 'aXXcYYb', false, false],
  ['%a%a%a%a%a%b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false, false],
  ['É%', 'éclair', false, false], // ILIKE folds ASCII only under COLLATE "C"
  ['é%', 'éclair', true, true],
  ['line%', 'line1\nline2', true, true], // % crosses newlines
  ['.*', '.*', true, true], // regex characters are literal
  ['[a]', 'a', false, false],
];

for (const [pattern, value, like, ilike] of cases) {
  test(`${JSON.stringify(value)} LIKE ${JSON.stringify(pattern)} is ${like}, ILIKE is ${ilike}`, () => {
    assert.equal(compileLikePattern(pattern, false)(value), like);
    assert.equal(compileLikePattern(pattern, true)(value), ilike);
  });
}

test('matches a pathological pattern against a long value in linear-ish time', () => {
  const pattern = `${'%a'.repeat(2000)}%b`;
  const value = 'a'.repeat(20_000);
  const started = performance.now();
  assert.equal(compileLikePattern(pattern, false)(value), false);
  assert.ok(performance.now() - started < 2000, 'took too long');
});
