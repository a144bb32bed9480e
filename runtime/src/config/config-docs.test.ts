import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderConfigTable, replaceConfigTable } from './config-docs.ts';
import { variableNames } from './schema.ts';

test('the README configuration table is the one generated from the schema (run `npm run docs:config` to fix)', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  assert.equal(readme, replaceConfigTable(readme));
});

test('the generated table has one row per variable, with its default', () => {
  const table = renderConfigTable();
  for (const name of variableNames) assert.match(table, new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  assert.match(table, /^\| `HTTP_PORT` \| `5133` \|/m);
  assert.match(table, /^\| `ELECTRIC_RESUMABLE_WAL_WINDOW` \| `2G` \|/m);
});
