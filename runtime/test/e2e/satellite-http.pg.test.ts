// Black-box: the HTTP surface of the runtime process on HTTP_PORT — the `/ws` upgrade answers (Electric's
// satellite_websocket_plug.ex: 400 bad upgrade / missing sub-protocol / unsupported version, 503 while PostgreSQL is
// not ready, the sub-protocol echoed on success), `/api/status`, `/api/migrations` and 404 for everything else
// (protocol notes §3.1 and §7).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { fromBinary } from '@bufbuild/protobuf';
import { unzipSync } from 'fflate';
import type pg from 'pg';
import WebSocket from 'ws';
import { findFreePort } from '../../../local-postgres/index.ts';
import { SatOpMigrate_Type, SatOpMigrateSchema, type SatOpMigrate } from '../../src/client-protocol/index.ts';
import { connectTestClient, startTestPostgres } from '../../../test/support/postgres.ts';
import { startRuntimeProcess, type RuntimeProcess } from '../../../test/support/runtime-process.ts';
import { cleanupScope } from '../../../test/support/satellite-client.ts';

const insecure = { AUTH_MODE: 'insecure', ELECTRIC_WRITE_TO_PG_MODE: 'direct_writes', LOG_LEVEL: 'info' };

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A raw HTTP GET that asks for a WebSocket upgrade: the headers a browser or `ws` sends, with `headers` merged over them
 * (an undefined value removes a header). Resolves with the answer, 101 included (the socket is then dropped).
 */
function upgradeRequest(baseUrl: string, path: string, headers: Record<string, string | undefined> = {}): Promise<Answer> {
  const all: Record<string, string | undefined> = {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': randomBytes(16).toString('base64'),
    ...headers,
  };
  const sent = Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}${path}`, { method: 'GET', headers: sent });
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '' });
    });
    request.on('error', reject);
    request.end();
  });
}

/** Connects with `ws` offering `protocols`; the protocol the server chose, then closes. */
async function negotiate(baseUrl: string, protocols: string[]): Promise<string> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, protocols);
  socket.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return socket.protocol;
  } finally {
    socket.close();
  }
}

async function get(url: string): Promise<Answer> {
  const response = await fetch(url);
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

describe('HTTP on HTTP_PORT while PostgreSQL is not reachable', () => {
  test('/api/status and the /ws upgrade answer 503 with the reason; bad upgrades are still 400', async (t) => {
    const scope = cleanupScope(t);
    const port = await findFreePort(); // nothing listens here
    const runtime = await startRuntimeProcess(scope, { ...insecure, DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable` });
    await runtime.waitForStatus(503);

    const status = await get(`${runtime.baseUrl}/api/status`);
    assert.equal(status.status, 503);
    assert.match(String(status.headers['content-type']), /^text\/plain/);
    assert.match(status.body, /^Database connection failure\./);

    const upgrade = await upgradeRequest(runtime.baseUrl, '/ws', { 'sec-websocket-protocol': 'electric.0.12' });
    assert.equal(upgrade.status, 503, upgrade.body);
    assert.match(upgrade.body, /^Postgres connection is not ready: /);
    assert.equal(upgrade.headers['sec-websocket-protocol'], undefined);

    // The request checks come before the readiness check, as in Electric's plug.
    const old = await upgradeRequest(runtime.baseUrl, '/ws', { 'sec-websocket-protocol': 'electric.0.9' });
    assert.equal(old.status, 400);
    assert.match(old.body, /^Cannot connect satellite version 0\.9/);
    const missing = await upgradeRequest(runtime.baseUrl, '/ws');
    assert.equal(missing.status, 400);
    assert.equal(missing.body, 'Missing satellite websocket subprotocol');

    const migrations = await get(`${runtime.baseUrl}/api/migrations?dialect=sqlite`);
    assert.equal(migrations.status, 503);
    assert.equal((await get(`${runtime.baseUrl}/nowhere`)).status, 404);
  });
});

describe('HTTP on HTTP_PORT with PostgreSQL ready', () => {
  let runtime: RuntimeProcess;
  let sql: pg.Client;
  const scope = cleanupScope({ after });

  before(async () => {
    const server = await startTestPostgres(scope);
    runtime = await startRuntimeProcess(scope, { ...insecure, DATABASE_URL: server.url() });
    await runtime.waitForStatus(200);
    sql = await connectTestClient(scope, server.url());
  });

  test('/api/status answers 200 with text', async () => {
    const answer = await get(`${runtime.baseUrl}/api/status`);
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /^text\/plain/);
    assert.match(answer.body, /^Connection to Postgres is up!/);
  });

  test('anything else is 404 Not found', async () => {
    for (const path of ['/', '/api', '/api/statusx', '/ws/more', '/proxy', '/api/migrations/x']) {
      const answer = await get(`${runtime.baseUrl}${path}`);
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body, 'Not found', path);
    }
    const post = await fetch(`${runtime.baseUrl}/api/migrations?dialect=sqlite`, { method: 'POST' });
    assert.equal(post.status, 404, 'only GET serves migrations');
    await post.body?.cancel();
    const elsewhere = await upgradeRequest(runtime.baseUrl, '/not-ws', { 'sec-websocket-protocol': 'electric.0.12' });
    assert.equal(elsewhere.status, 404, 'a WebSocket upgrade anywhere but /ws');
  });

  test(
    '/ws answers a plain GET (no upgrade) with 400 Bad request',
    async () => {
      const answer = await get(`${runtime.baseUrl}/ws`);
      assert.equal(answer.status, 400);
      assert.equal(answer.body, 'Bad request');
    },
  );

  test('/ws answers an upgrade that is not a valid WebSocket upgrade with 400 Bad request', async () => {
    const cases: Record<string, Record<string, string | undefined>> = {
      'another upgrade protocol': { upgrade: 'h2c' },
      'no Sec-WebSocket-Key': { 'sec-websocket-key': undefined },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const answer = await upgradeRequest(runtime.baseUrl, '/ws', { 'sec-websocket-protocol': 'electric.0.12', ...headers });
      assert.equal(answer.status, 400, name);
      assert.equal(answer.body, 'Bad request', name);
    }
  });

  test('/ws answers 400 "Missing satellite websocket subprotocol" without an electric.* sub-protocol', async () => {
    for (const protocol of [undefined, 'graphql-ws', `electric.${'1'.repeat(20)}`]) {
      const answer = await upgradeRequest(runtime.baseUrl, '/ws', { 'sec-websocket-protocol': protocol });
      assert.equal(answer.status, 400, String(protocol));
      assert.equal(answer.body, 'Missing satellite websocket subprotocol', String(protocol));
    }
  });

  test('/ws answers 400 "Cannot connect satellite version" outside 0.10 to 0.12', async () => {
    for (const version of ['0.9', '1.0', '0.13', '0.6']) {
      const answer = await upgradeRequest(runtime.baseUrl, '/ws', { 'sec-websocket-protocol': `electric.${version}` });
      assert.equal(answer.status, 400, version);
      assert.ok(answer.body.startsWith(`Cannot connect satellite version ${version}`), `${version}: ${answer.body}`);
      assert.equal(answer.headers['sec-websocket-protocol'], undefined);
    }
  });

  test('/ws upgrades and echoes the client’s sub-protocol', async () => {
    const answer = await upgradeRequest(runtime.baseUrl, '/ws', { 'sec-websocket-protocol': 'electric.0.12' });
    assert.equal(answer.status, 101);
    assert.equal(answer.headers['sec-websocket-protocol'], 'electric.0.12');
    // With `ws`, which aborts the handshake unless exactly the offered sub-protocol comes back.
    assert.equal(await negotiate(runtime.baseUrl, ['electric.0.12']), 'electric.0.12');
    assert.equal(await negotiate(runtime.baseUrl, ['electric.0.10']), 'electric.0.10');
    assert.equal(await negotiate(runtime.baseUrl, ['electric.0.11']), 'electric.0.11');
  });

  test('/api/migrations answers 403 JSON for a missing or unknown dialect', async () => {
    for (const query of ['', '?version=', '?dialect=', '?dialect=mysql', '?dialect=SQLITE']) {
      const answer = await get(`${runtime.baseUrl}/api/migrations${query}`);
      assert.equal(answer.status, 403, query);
      assert.match(String(answer.headers['content-type']), /^application\/json/, query);
      const body = JSON.parse(answer.body) as { error?: unknown };
      assert.equal(typeof body.error, 'string', query);
    }
    const missing = JSON.parse((await get(`${runtime.baseUrl}/api/migrations`)).body) as { error: string };
    assert.equal(missing.error, "missing required parameter 'dialect'");
  });

  test('/api/migrations: 204 with none, then a zip of each migration for sqlite and postgresql, and only later ones after ?version', async () => {
    for (const dialect of ['sqlite', 'postgresql']) {
      const none = await get(`${runtime.baseUrl}/api/migrations?dialect=${dialect}`);
      assert.equal(none.status, 204, dialect);
      assert.equal(none.body, '');
    }

    // Two migrations: each electrify in its own transaction.
    await sql.query(`create table projects (id text primary key, name text not null)`);
    await sql.query(`create table issues (id uuid primary key, project_id text references projects (id), n int4)`);
    await sql.query(`call electric.electrify('projects')`);
    await sql.query(`call electric.electrify('issues')`);
    const { rows } = await sql.query<{ version: string }>(`select version from electric.ddl_commands group by version order by min(id)`);
    const versions = rows.map((r) => r.version);
    assert.equal(versions.length, 2);
    const [first, second] = versions as [string, string];

    // The catalog follows the replication stream: wait until it has both.
    const zipOf = async (query: string) => {
      const response = await fetch(`${runtime.baseUrl}/api/migrations?${query}`);
      if (response.status !== 200) {
        await response.body?.cancel();
        return { status: response.status, files: {} as Record<string, Uint8Array>, type: '' };
      }
      return { status: 200, files: unzipSync(new Uint8Array(await response.arrayBuffer())), type: response.headers.get('content-type') ?? '' };
    };
    const deadline = Date.now() + 15_000;
    while (Object.keys((await zipOf('dialect=sqlite')).files).length < 4) {
      assert.ok(Date.now() < deadline, `/api/migrations never listed both migrations\n${runtime.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    for (const dialect of ['sqlite', 'postgresql'] as const) {
      const zip = await zipOf(`dialect=${dialect}`);
      assert.equal(zip.status, 200);
      assert.equal(zip.type, 'application/zip');
      const names = Object.keys(zip.files).filter((name) => !name.endsWith('/')).sort();
      assert.deepEqual(names, [`${first}/metadata.json`, `${first}/migration.sql`, `${second}/metadata.json`, `${second}/migration.sql`].sort());

      const checkMigration = (version: string, table: string) => {
        const text = (name: string) => new TextDecoder().decode(zip.files[`${version}/${name}`]);
        const sqlText = text('migration.sql');
        const metadata = JSON.parse(text('metadata.json')) as { format: string; ops: string[]; protocol_version: string; version: string };
        assert.equal(metadata.format, 'SatOpMigrate');
        assert.equal(metadata.protocol_version, 'Electric.Satellite');
        assert.equal(metadata.version, version);
        const ops: SatOpMigrate[] = metadata.ops.map((op) => fromBinary(SatOpMigrateSchema, Buffer.from(op, 'base64')));
        assert.ok(ops.length >= 1);
        const create = ops.find((op) => op.stmts[0]?.type === SatOpMigrate_Type.CREATE_TABLE);
        assert.ok(create, `${dialect} ${version}: a CREATE_TABLE op`);
        assert.equal(create.version, version);
        assert.equal(create.affectedEntity.case, 'table');
        const entity = create.affectedEntity.value as Extract<SatOpMigrate['affectedEntity'], { case: 'table' }>['value'];
        assert.equal(entity.name, table);
        // migration.sql: the ops' statements, each ending in ';', joined by a blank line.
        assert.equal(sqlText, ops.flatMap((op) => op.stmts.map((s) => s.sql.trimEnd())).map((s) => (s.endsWith(';') ? s : `${s};`)).join('\n\n'));
        if (dialect === 'sqlite') {
          assert.match(create.stmts[0]?.sql ?? '', new RegExp(`^CREATE TABLE "${table}" \\(`));
          assert.doesNotMatch(sqlText, /public\./, 'SQLite DDL names no schema');
        } else {
          assert.match(create.stmts[0]?.sql ?? '', new RegExp(`^CREATE TABLE (public\\.)?"?${table}"? \\(`, 'i'));
        }
        return entity;
      };
      const projects = checkMigration(first, 'projects');
      assert.deepEqual(projects.columns.map((c) => [c.name, c.pgType?.name]), [['id', 'text'], ['name', 'text']]);
      assert.deepEqual(projects.pks, ['id']);
      assert.deepEqual(projects.fks, []);
      const issues = checkMigration(second, 'issues');
      assert.deepEqual(issues.columns.map((c) => [c.name, c.pgType?.name]), [['id', 'uuid'], ['project_id', 'text'], ['n', 'int4']]);
      assert.deepEqual(issues.pks, ['id']);
      assert.deepEqual(issues.fks.map((fk) => ({ fkCols: fk.fkCols, pkTable: fk.pkTable, pkCols: fk.pkCols })), [{ fkCols: ['project_id'], pkTable: 'projects', pkCols: ['id'] }]);

      // Only the migrations after ?version.
      const later = await zipOf(`dialect=${dialect}&version=${encodeURIComponent(first)}`);
      assert.equal(later.status, 200);
      assert.deepEqual(Object.keys(later.files).filter((name) => !name.endsWith('/')).sort(), [`${second}/metadata.json`, `${second}/migration.sql`]);
      const none = await get(`${runtime.baseUrl}/api/migrations?dialect=${dialect}&version=${encodeURIComponent(second)}`);
      assert.equal(none.status, 204);
      // An empty version means all of them.
      assert.equal(Object.keys((await zipOf(`dialect=${dialect}&version=`)).files).filter((n) => !n.endsWith('/')).length, 4);
    }
  });
});
