// GET /api/migrations?dialect=sqlite|postgresql[&version=<v>]: the migrations after `version` (all without it) as a
// zip of `<version>/migration.sql` and `<version>/metadata.json`, as Electric served them to its client generator.
// 204 when there are none; 403 for a missing or unknown dialect (Electric's codes).
import type http from 'node:http';
import { toBinary } from '@bufbuild/protobuf';
import { zipSync } from 'fflate';
import { SatOpMigrateSchema, type SatOpMigrate, type SatTransOp } from '../client-protocol/index.ts';
import type { Migration } from '../migrations/index.ts';
import type { SchemaCatalog } from '../sync/schema-catalog.ts';
import { buildMigrateOps, buildPostgresMigrateMessages } from '../ws/satellite-messages.ts';

const dialects = ['sqlite', 'postgresql'] as const;
type Dialect = (typeof dialects)[number];

export function serveMigrations(url: URL, response: http.ServerResponse, catalog: SchemaCatalog): void {
  const dialect = url.searchParams.get('dialect');
  if (!dialect) return sendJson(response, 403, { error: "missing required parameter 'dialect'" });
  if (!(dialects as readonly string[]).includes(dialect)) {
    return sendJson(response, 403, { error: `unsupported dialect '${dialect}': use sqlite or postgresql` });
  }
  const version = url.searchParams.get('version') ?? '';
  const migrations = catalog.migrationsAfter(version);
  if (!migrations) return sendJson(response, 400, { error: `unknown migration version '${version}'` });
  if (migrations.length === 0) {
    response.writeHead(204).end();
    return;
  }
  const files: Record<string, Uint8Array> = {};
  for (const migration of migrations) {
    const { sql, ops } = dialect === 'sqlite' ? sqliteFiles(migration) : postgresFiles(migration);
    files[`${migration.version}/migration.sql`] = new TextEncoder().encode(sql);
    files[`${migration.version}/metadata.json`] = new TextEncoder().encode(
      JSON.stringify({
        format: 'SatOpMigrate',
        ops: ops.map((op) => Buffer.from(toBinary(SatOpMigrateSchema, op)).toString('base64')),
        protocol_version: 'Electric.Satellite',
        version: migration.version,
      }),
    );
  }
  const zip = zipSync(files, { level: 6 });
  response.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length }).end(Buffer.from(zip));
}

function sqliteFiles(migration: Migration): { sql: string; ops: SatOpMigrate[] } {
  const ops = buildMigrateOps(migration).map((op: SatTransOp) => op.op.value as SatOpMigrate);
  return { sql: joinStatements(ops.flatMap((op) => op.stmts.map((stmt) => stmt.sql))), ops };
}

function postgresFiles(migration: Migration): { sql: string; ops: SatOpMigrate[] } {
  return { sql: joinStatements(migration.statements.map((s) => s.postgresSql)), ops: buildPostgresMigrateMessages(migration) };
}

/** Statements joined by a blank line, each ending in ';', as Electric wrote migration.sql. */
function joinStatements(statements: readonly string[]): string {
  return statements.map((s) => (s.trimEnd().endsWith(';') ? s.trimEnd() : `${s.trimEnd()};`)).join('\n\n');
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

export type { Dialect };
