import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/electric-sync.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  // A clean environment: only what the test sets, plus PATH.
  return spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });
}

test('`electric-sync --help` lists the subcommands', () => {
  const result = run(['--help']);
  assert.equal(result.status, 0);
  for (const command of ['runtime', 'operator', 'dev']) assert.match(result.stdout, new RegExp(`^  ${command} `, 'm'));
});

test('each subcommand explains itself with --help', () => {
  for (const command of ['runtime', 'operator', 'dev']) {
    const result = run([command, '--help']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^Usage: electric-sync ${command}`));
  }
});

test('an unknown subcommand exits 2 with the usage', () => {
  const result = run(['serve']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command "serve"/);
  assert.match(result.stderr, /Usage: electric-sync <command>/);
});

test('`electric-sync runtime` with several bad variables prints all of them and exits non-zero without serving', () => {
  const result = run(['runtime'], {
    DATABASE_URL: 'mysql://root:topsecret@db/app',
    HTTP_PORT: 'eighty',
    AUTH_MODE: 'secure',
    AUTH_JWT_ALG: 'HS256',
    AUTH_JWT_KEY: 'short',
    ELECTRIC_TELEMETRY: 'perhaps',
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /invalid configuration \(5 problems\)/);
  for (const variable of ['DATABASE_URL', 'HTTP_PORT', 'LOGICAL_PUBLISHER_HOST', 'ELECTRIC_TELEMETRY']) {
    assert.match(result.stderr, new RegExp(`- ${variable}`), `${variable} is reported`);
  }
  assert.match(result.stderr, /AUTH_JWT_KEY/);
  assert.doesNotMatch(result.stderr, /topsecret|short"/, 'secrets are not printed');
  assert.doesNotMatch(result.stderr, /listening/i, 'no port was opened');
});
