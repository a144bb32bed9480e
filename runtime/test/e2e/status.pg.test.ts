// Black-box: the runtime process against a real PostgreSQL, observed through /api/status.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findFreePort } from '../../../local-postgres/index.ts';
import { connectTestClient, startTestPostgres } from '../../../test/support/postgres.ts';
import { startRuntimeProcess } from '../../../test/support/runtime-process.ts';

const insecure = { AUTH_MODE: 'insecure', ELECTRIC_WRITE_TO_PG_MODE: 'direct_writes', LOG_LEVEL: 'info' };

test('/api/status says what the runtime waits for until PostgreSQL is up, then reports streaming', async (t) => {
  // PostgreSQL is not running yet: the runtime keeps serving and says why it is not ready.
  const port = await findFreePort();
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  const runtime = await startRuntimeProcess(t, { ...insecure, DATABASE_URL: url });
  const waiting = await runtime.waitForStatus(503);
  assert.match(waiting, /Database connection failure\. Waiting to reconnect: .*ECONNREFUSED/);

  // Now start it on that port: the runtime picks it up without a restart.
  const server = await startTestPostgres(t, { port });
  const ready = await runtime.waitForStatus(200, 60_000);
  assert.match(ready, /^Connection to Postgres is up! \(streaming from slot electric_replication_out_postgres at /);

  const sql = await connectTestClient(t, server.url());
  const { rows } = await sql.query<{ slot_name: string; active: boolean }>('select slot_name, active from pg_replication_slots');
  assert.deepEqual(rows, [{ slot_name: 'electric_replication_out_postgres', active: true }]);
  const publication = await sql.query("select 1 from pg_publication where pubname = 'electric_publication'");
  assert.equal(publication.rowCount, 1);

  assert.equal(await runtime.stop(), 0, runtime.output());
  assert.match(runtime.output(), /shutting down/);
});

test('the runtime reports a PostgreSQL restart on /api/status and recovers by itself', async (t) => {
  const server = await startTestPostgres(t);
  const runtime = await startRuntimeProcess(t, { ...insecure, DATABASE_URL: server.url() });
  await runtime.waitForStatus(200);
  await server.crash();
  const waiting = await runtime.waitForStatus(503);
  assert.match(waiting, /Database connection failure\. Waiting to reconnect: replication interrupted/);
  await server.restart();
  await runtime.waitForStatus(200, 60_000);
  assert.equal(await runtime.stop(), 0);
});
