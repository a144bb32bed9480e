import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findFreePort, isPortInUse } from '../local-postgres/index.ts';

const bin = fileURLToPath(new URL('../bin/electric-sync.js', import.meta.url));

async function startDev(devDir: string, ports: { pg: number; http: number; publisher: number }, extra: string[] = []) {
  const child = spawn(
    process.execPath,
    [bin, 'dev', '--pg-port', String(ports.pg), '--http-port', String(ports.http), '--publisher-port', String(ports.publisher), ...extra],
    { env: { ...process.env, ELECTRIC_SYNC_DEV_DIR: devDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!stdout.includes('Press Ctrl-C')) {
    if (Date.now() > deadline || child.exitCode !== null) assert.fail(`dev did not start:\n${stdout}\n${stderr}`);
    await sleep(50);
  }
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitForOutput(dev: { output(): { stdout: string; stderr: string } }, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!pattern.test(dev.output().stdout)) {
    if (Date.now() > deadline) assert.fail(`dev never printed ${pattern}:\n${dev.output().stdout}\n${dev.output().stderr}`);
    await sleep(100);
  }
}

async function waitForStatus(url: string, expected: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      last = `${response.status} ${await response.text()}`;
      if (response.status === expected) return last;
    } catch (error) {
      last = String(error);
    }
    await sleep(100);
  }
  assert.fail(`status never became ${expected}; last: ${last}`);
}

test('`electric-sync dev` starts PostgreSQL and the sync service, prints the URLs, and Ctrl-C leaves nothing running', async (t) => {
  const devDir = mkdtempSync(path.join(os.tmpdir(), 'electric-sync-dev-test-'));
  chmodSync(devDir, 0o755); // the server runs as the postgres user when we are root
  t.after(() => rmSync(devDir, { recursive: true, force: true }));
  const ports = { pg: await findFreePort(), http: await findFreePort(), publisher: await findFreePort() };

  const first = await startDev(devDir, ports);
  const { stdout } = first.output();
  assert.match(stdout, /creating PostgreSQL/);
  assert.match(stdout, new RegExp(`HTTP API\\s+http://localhost:${ports.http}/api/status`));
  assert.match(stdout, new RegExp(`WebSocket\\s+ws://localhost:${ports.http}/ws`));
  assert.match(stdout, new RegExp(`Logical publisher\\s+127.0.0.1:${ports.publisher}`));
  assert.match(stdout, new RegExp(`DATABASE_URL\\s+postgresql://postgres@127.0.0.1:${ports.pg}/postgres`));
  assert.match(await waitForStatus(`http://127.0.0.1:${ports.http}/api/status`, 200), /Connection to Postgres is up!/);

  // The demo: the published client receives the demo rows, and then a row inserted in PostgreSQL.
  await waitForOutput(first, /demo: client has [0-9a-f-]{36}: try local-first sync/);
  const sql = new pg.Client(`postgresql://postgres@127.0.0.1:${ports.pg}/postgres`);
  await sql.connect();
  await sql.query("insert into demo_items values (gen_random_uuid(), 'inserted by the test', false)");
  await sql.end();
  await waitForOutput(first, /demo: client has [0-9a-f-]{36}: inserted by the test/);

  first.child.kill('SIGINT');
  assert.equal(await first.exited, 0, first.output().stderr);
  assert.equal(await isPortInUse(ports.http), false, 'the HTTP port is closed');
  assert.equal(await isPortInUse(ports.pg), false, 'the PostgreSQL port is closed');
  assert.equal(existsSync(path.join(devDir, 'postgres', 'postmaster.pid')), false, 'PostgreSQL has stopped');

  // The data stays for the next run, which reuses it.
  const second = await startDev(devDir, ports, ['--no-demo']);
  assert.match(second.output().stdout, /starting PostgreSQL/);
  second.child.kill('SIGINT');
  assert.equal(await second.exited, 0);
  assert.equal(await isPortInUse(ports.pg), false);
});
