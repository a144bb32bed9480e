import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectTestClient, startTestPostgres } from '../../../test/support/postgres.ts';
import { createLogger } from '../logging/logger.ts';
import { connectToDatabase } from './connect.ts';
import { ensureReplicationSlot } from './replication-slot.ts';
import { startReplicationStream } from './replication-stream.ts';
import { testRuntimeConfig } from './testing/test-config.ts';

const logger = createLogger({ level: 'error' });

async function openStream(url: string, options: { maxQueuedBytes?: number; statusIntervalMs?: number }) {
  const config = await testRuntimeConfig(url);
  const client = await connectToDatabase(config, 'replication');
  await ensureReplicationSlot(client, 'stream_slot');
  return startReplicationStream({ client, slotName: 'stream_slot', publicationName: 'pub', startLsn: 0n, logger, ...options });
}

test('a slow downstream keeps the session alive past wal_sender_timeout (status updates go out while paused)', async (t) => {
  const server = await startTestPostgres(t, { settings: { wal_sender_timeout: '1s' } });
  const sql = await connectTestClient(t, server.url());
  await sql.query(`create table t (id int primary key, pad text); create publication pub for table t`);
  const stream = await openStream(server.url(), { maxQueuedBytes: 64 * 1024, statusIntervalMs: 200 });
  t.after(() => stream.close());
  await sql.query(`insert into t select g, repeat('x', 2000) from generate_series(1, 2000) g`); // one 4 MB transaction
  for (let i = 2001; i <= 2010; i++) await sql.query('insert into t values ($1, $2)', [i, 'small']);

  // Take a transaction every 400 ms: 11 transactions take about 4 s, four times wal_sender_timeout.
  let received = 0;
  for await (const transaction of stream) {
    received++;
    await sleep(400);
    stream.acknowledge(transaction.endLsn);
    if (received === 11) break;
  }
  assert.equal(received, 11, 'every transaction arrived on the same session');
  const { rows } = await sql.query<{ active: boolean }>(`select active from pg_replication_slots where slot_name = 'stream_slot'`);
  assert.equal(rows[0]?.active, true, 'the server did not time the session out');
});

test('reading stops while downstream does not keep up, so memory stays bounded', async (t) => {
  const server = await startTestPostgres(t);
  const sql = await connectTestClient(t, server.url());
  await sql.query(`create table t (id int primary key, pad text); create publication pub for table t`);
  const stream = await openStream(server.url(), { maxQueuedBytes: 1024 * 1024 });
  t.after(() => stream.close());
  const walPosition = async () => BigInt((await sql.query<{ lsn: string }>(`select (pg_current_wal_lsn() - '0/0')::text as lsn`)).rows[0]?.lsn ?? '0');
  const start = await walPosition();
  // About 60 MB of changes in 300 transactions, and nobody takes them.
  for (let i = 0; i < 300; i++) await sql.query(`insert into t select g, repeat('y', 1000) from generate_series($1::int * 200 + 1, $1::int * 200 + 200) g`, [i]);
  const written = (await walPosition()) - start;
  await sleep(2000);
  const read = stream.positions().received - start;
  assert.ok(written > 50_000_000n, `the burst wrote ${written} bytes of WAL`);
  assert.ok(read < written / 2n, `stopped reading early: read ${read} of ${written} bytes of WAL`);

  // Taking the transactions lets the rest flow, and all 300 arrive.
  let count = 0;
  for await (const transaction of stream) {
    stream.acknowledge(transaction.endLsn);
    if (++count === 300) break;
  }
  assert.equal(count, 300);
});
