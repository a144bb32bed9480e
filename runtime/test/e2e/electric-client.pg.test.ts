// Acceptance for the Satellite server: the published electric-sql@0.12.1 client, unmodified, against our runtime
// process and a real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { startElectricClient, hs256Token, insecureToken, hmacToken, type ElectricClientHandle } from '../../../test/support/electric-client.ts';
import { connectTestClient, startTestPostgres } from '../../../test/support/postgres.ts';
import { startRuntimeProcess, type RuntimeProcess } from '../../../test/support/runtime-process.ts';

const jwtKey = 'an-hs256-test-key-that-is-at-least-32-bytes-long';
const now = () => Math.floor(Date.now() / 1000);
const validClaims = (sub: string) => ({ sub, iat: now() - 10, exp: now() + 3600 });

describe('the published electric-sql client against electric-sync', () => {
  let runtime: RuntimeProcess;
  let sql: pg.Client;
  // Cleanups registered while the suite starts, run (newest first) when it ends.
  const cleanups: (() => unknown)[] = [];
  const suite = { after: (fn: () => unknown) => void cleanups.unshift(fn) };

  before(async () => {
    const server = await startTestPostgres(suite);
    runtime = await startRuntimeProcess(suite, {
      DATABASE_URL: server.url(),
      AUTH_MODE: 'secure',
      AUTH_JWT_ALG: 'HS256',
      AUTH_JWT_KEY: jwtKey,
      ELECTRIC_WRITE_TO_PG_MODE: 'direct_writes',
      LOG_LEVEL: 'info',
    });
    await runtime.waitForStatus(200);
    sql = await connectTestClient(suite, server.url());
    await sql.query(`
      create type mood as enum ('happy', 'sad');
      create table items (
        id uuid primary key, b bool, by bytea, d date, f4 float4, f8 float8, i2 int2, i4 int4, i8 int8, j jsonb,
        tx text, tm time, ts timestamp, tz timestamptz, vc varchar, m mood);
      create table projects (id text primary key, name text);
      create table issues (id text primary key, project_id text references projects (id), title text);
      call electric.electrify('items');
      call electric.electrify('projects');
      call electric.electrify('issues');
      insert into items values
        ('00000000-0000-4000-8000-000000000001', true, '\\x00ff10', '2024-02-29', 3.5, -1.25e300, -32768, 2147483647,
         9223372036854775807, '{"a": [1, "ü"]}', 'héllo 🌍', '23:59:59.123456', '2024-01-01 10:11:12.5',
         '2024-06-01 12:00:00+02', 'v', 'sad'),
        ('00000000-0000-4000-8000-000000000002', false, null, null, null, null, 1, -5, -9223372036854775808, null,
         '', null, null, null, null, 'happy');
      insert into projects values ('p1', 'first'), ('p2', 'second');
      insert into issues values ('i1', 'p1', 'one'), ('i2', 'p1', 'two'), ('i3', 'p2', 'three');
    `);
  });

  const clients: ElectricClientHandle[] = [];
  after(async () => {
    for (const client of clients) await client.close();
  });
  after(() => {
    if (process.env.DEBUG_RUNTIME_OUTPUT) console.log(runtime.output());
  });
  // Last: the clients are closed before the runtime and PostgreSQL stop, or they would start reconnecting.
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  const newClient = async (token: string, clientId?: string) => {
    const client = await startElectricClient({ url: runtime.baseUrl, token, ...(clientId ? { clientId } : {}) });
    clients.push(client);
    return client;
  };

  test('connects with an HS256 token, subscribes with a where clause, and receives exact values of every type', async () => {
    const client = await newClient(await hs256Token(jwtKey, validClaims('alice')));
    await client.connect();
    await client.subscribe({ tablename: 'items', where: 'this.i2 < 0' });
    const rows = await client.query<Record<string, unknown>>('select * from items order by id');
    assert.equal(rows.length, 1, 'only the row matching the where clause');
    const row = rows[0] ?? {};
    assert.equal(row.id, '00000000-0000-4000-8000-000000000001');
    assert.equal(row.b, 1);
    assert.deepEqual(Buffer.from(row.by as Uint8Array), Buffer.from([0x00, 0xff, 0x10]));
    assert.equal(row.d, '2024-02-29');
    assert.equal(row.f4, 3.5);
    assert.equal(row.f8, -1.25e300);
    assert.equal(row.i2, -32768);
    assert.equal(row.i4, 2147483647);
    assert.equal(BigInt(row.i8 as bigint), 9223372036854775807n);
    assert.deepEqual(JSON.parse(row.j as string), { a: [1, 'ü'] });
    assert.equal(row.tx, 'héllo 🌍');
    assert.equal(row.tm, '23:59:59.123456');
    assert.equal(row.ts, '2024-01-01 10:11:12.5');
    assert.match(String(row.tz), /^2024-06-01[ T]10:00:00(\.0+)?(Z|\+00(:00)?)$/);
    assert.equal(row.vc, 'v');
    assert.equal(row.m, 'sad');

    // The other row: NULLs of every type, an empty string that is not NULL, the int8 minimum.
    await client.subscribe({ tablename: 'items', where: 'this.i2 >= 0' });
    const second = (await client.query<Record<string, unknown>>("select * from items where id = '00000000-0000-4000-8000-000000000002'"))[0] ?? {};
    assert.equal(second.b, 0);
    assert.equal(second.i2, 1);
    assert.equal(second.i4, -5);
    assert.equal(BigInt(second.i8 as bigint), -9223372036854775808n);
    assert.equal(second.tx, '');
    assert.equal(second.m, 'happy');
    for (const column of ['by', 'd', 'f4', 'f8', 'j', 'tm', 'ts', 'tz', 'vc']) assert.equal(second[column], null, `${column} is NULL`);
  });

  test('subscribes to a parent with its children included, and sees INSERT/UPDATE/DELETE made in Postgres', async () => {
    const client = await newClient(await hs256Token(jwtKey, validClaims('bob')));
    await client.connect();
    await client.subscribe({ tablename: 'projects', where: "this.id = 'p1'", include: [{ foreignKey: ['project_id'], select: { tablename: 'issues' } }] });
    assert.deepEqual(await client.query('select id, name from projects'), [{ id: 'p1', name: 'first' }]);
    assert.deepEqual(await client.query('select id, title from issues order by id'), [{ id: 'i1', title: 'one' }, { id: 'i2', title: 'two' }]);

    await sql.query(`insert into issues values ('i4', 'p1', 'four'), ('i5', 'p2', 'five')`);
    await sql.query(`update issues set title = 'ONE' where id = 'i1'`);
    await sql.query(`delete from issues where id = 'i2'`);
    const issues = await client.waitForQuery<{ id: string; title: string }>('select id, title from issues order by id', [], (rows) =>
      rows.some((r) => r.id === 'i4') && rows.some((r) => r.title === 'ONE') && !rows.some((r) => r.id === 'i2'),
    );
    assert.deepEqual(issues, [{ id: 'i1', title: 'ONE' }, { id: 'i4', title: 'four' }], 'i5 belongs to p2, outside the shape');
  });

  test('disconnects, misses changes, reconnects and resumes without a full resync', async () => {
    const client = await newClient(await hs256Token(jwtKey, validClaims('carol')));
    await client.connect();
    await client.subscribe({ tablename: 'projects' });
    const dataBlocks = () => countMatches(runtime.output(), new RegExp(`session ${client.clientId()}\\] subscription data sent`, 'g'));
    await waitForOutput(runtime, () => dataBlocks() === 1);
    await client.disconnect();
    await sql.query(`insert into projects values ('p3', 'third')`);
    await sql.query(`update projects set name = 'FIRST' where id = 'p1'`);
    await client.connect();
    await client.waitForQuery<{ id: string; name: string }>('select id, name from projects order by id', [], (rows) =>
      rows.some((r) => r.id === 'p3') && rows.some((r) => r.name === 'FIRST'),
    );
    assert.equal(dataBlocks(), 1, 'no subscription data was sent again');
    assert.match(runtime.output(), /replication started from_lsn=[1-9]\d* resumed_subscriptions=1/);
  });

  test('a client whose shapes are quiet still moves its resume point forward on a busy database', async () => {
    const client = await newClient(await hs256Token(jwtKey, validClaims('dave')));
    await client.connect();
    await client.subscribe({ tablename: 'projects', where: "this.id = 'p2'" });
    const resumePoint = async () => {
      const rows = await client.query<{ value: unknown }>("select value from _electric_meta where key = 'lsn'");
      const value = rows[0]?.value;
      const text = value instanceof Uint8Array ? Buffer.from(value).toString() : String(value ?? '');
      return BigInt(Buffer.from(text, 'base64').toString() || '0');
    };
    const before = await resumePoint();
    // 600 transactions on a table this client does not subscribe to.
    await sql.query(`do $$ begin for i in 1..600 loop insert into issues values ('busy-' || i, 'p1', 'x'); commit; end loop; end $$`);
    await client.waitForQuery('select 1', [], () => true);
    const deadline = Date.now() + 15_000;
    while ((await resumePoint()) <= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok((await resumePoint()) > before, 'the resume point moved');
    // And the client keeps working: a change in its shape still arrives.
    await sql.query(`update projects set name = 'SECOND' where id = 'p2'`);
    await client.waitForQuery<{ name: string }>("select name from projects where id = 'p2'", [], (rows) => rows[0]?.name === 'SECOND');
  });

  test('refuses expired, wrongly signed, other-algorithm and unsigned tokens in secure mode', async () => {
    const bad = {
      expired: await hs256Token(jwtKey, { sub: 'mallory', iat: now() - 7200, exp: now() - 3600 }),
      wrongKey: await hs256Token('another-key-that-is-also-32-bytes-long!!', validClaims('mallory')),
      otherAlgorithm: await hmacToken('HS384', `${jwtKey}-and-more-bytes-for-hs384`, validClaims('mallory')),
      unsigned: insecureToken(validClaims('mallory')),
    };
    for (const [name, token] of Object.entries(bad)) {
      const client = await newClient(token);
      const error = await client.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error, `${name}: connect must fail`);
      assert.equal((error as { errorType?: number }).errorType, 1, `${name}: refused with AUTH_REQUIRED`);
    }
  });
});

async function waitForOutput(runtime: RuntimeProcess, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`the runtime never logged what was expected:\n${runtime.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function countMatches(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}
