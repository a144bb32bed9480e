import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startTestPostgres } from '../../../test/support/postgres.ts';
import { createLogger } from '../logging/logger.ts';
import { startReplicationConsumer } from './replication-consumer.ts';
import { getSlotActivity } from './testing/slot-activity.ts';
import { testRuntimeConfig } from './testing/test-config.ts';

const sinkProgram = fileURLToPath(new URL('./testing/file-sink-consumer.ts', import.meta.url));

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client(url);
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** One transaction per id; every third transaction inserts a second row (id + 100000) to check boundaries. */
async function writeTransactions(sql: pg.Client, from: number, to: number): Promise<void> {
  for (let id = from; id <= to; id++) {
    if (id % 3 === 0) await sql.query('insert into t values ($1), ($2)', [id, id + 100_000]);
    else await sql.query('insert into t values ($1)', [id]);
  }
}

function expectedTransactions(from: number, to: number): string[][] {
  const all: string[][] = [];
  for (let id = from; id <= to; id++) all.push(id % 3 === 0 ? [String(id), String(id + 100_000)] : [String(id)]);
  return all;
}

/** The transactions in the sink file: complete lines only, since the consumer may be appending one right now. */
function readSink(file: string): string[][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(0, -1) // what follows the last newline is empty, or a line still being written
    .map((line) => (JSON.parse(line) as { ids: string[] }).ids);
}

test('kill -9 of the consumer and a restart lose no transaction and deliver none twice', async (t) => {
  const server = await startTestPostgres(t);
  const sql = await connect(server.url());
  t.after(() => sql.end());
  await sql.query('create table t (id int primary key); create publication electric_publication for table t');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'electric-sync-sink-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'transactions.jsonl');
  const slot = 'kill9_slot';

  const children: ChildProcess[] = [];
  t.after(() => children.forEach((child) => child.kill('SIGKILL')));
  const startConsumer = async () => {
    const child = spawn(process.execPath, [sinkProgram, server.url(), slot, 'electric_publication', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await waitUntil('the consumer to stream', async () => (await getSlotActivity(sql, slot)) === 'streaming');
    return child;
  };

  const first = await startConsumer();
  await writeTransactions(sql, 1, 150);
  await waitUntil('some transactions in the sink', () => readSink(file).length >= 40);
  first.kill('SIGKILL'); // mid-stream: the sink has some transactions, Postgres has more
  await new Promise((resolve) => first.once('exit', resolve));
  const beforeRestart = readSink(file).length;
  await writeTransactions(sql, 151, 300);

  await waitUntil('the killed consumer’s slot to be free', async () => (await getSlotActivity(sql, slot)) === 'free');
  await startConsumer();
  await waitUntil('all 300 transactions in the sink', () => readSink(file).length >= 300);
  await sleep(500); // a duplicate, if any, would arrive now
  assert.ok(beforeRestart < 300, 'the consumer was killed before it had everything');
  assert.deepEqual(readSink(file), expectedTransactions(1, 300));
});

test('a PostgreSQL restart mid-stream loses no transaction and delivers none twice', async (t) => {
  const server = await startTestPostgres(t, { unsafeFastWrites: false });
  let sql = await connect(server.url());
  await sql.query('create table t (id int primary key); create publication electric_publication for table t');
  const received: string[][] = [];
  const consumer = startReplicationConsumer({
    config: await testRuntimeConfig(server.url()),
    slotName: 'restart_slot',
    publicationName: 'electric_publication',
    statusIntervalMs: 100,
    maxBackoffMs: 500,
    logger: createLogger({ level: 'error' }),
    handle: async (txn) => void received.push(txn.changes.map((c) => (c.kind === 'insert' ? String(c.record.id) : c.kind))),
  });
  t.after(() => consumer.stop());
  await waitUntil('the consumer to stream', async () => (await getSlotActivity(sql, 'restart_slot')) === 'streaming');

  await writeTransactions(sql, 1, 100);
  await sql.end();
  await server.restart();
  sql = await connect(server.url());
  t.after(() => sql.end());
  await writeTransactions(sql, 101, 200);

  await waitUntil('all 200 transactions', () => received.length >= 200);
  await sleep(500);
  assert.deepEqual(received, expectedTransactions(1, 200));
  assert.equal(consumer.status().state, 'streaming');
});
