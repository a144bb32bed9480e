// Test support: the PUBLISHED `electric-sql@0.12.1` client, unmodified from npm, running in this Node over `node:sqlite`.
//
// - The package lives in its own folder, `test/electric-client/` (own package.json + package-lock.json), installed by
//   `test/electric-client/install.sh` with `npm ci --ignore-scripts` (its prisma / better-sqlite3 install scripts are
//   never needed here). `loadElectricClient()` runs that script when the install is missing or stale.
// - No generator: an empty `DbSchema` as in Electric's node-sidecar example. Every table arrives from the server as
//   `SatOpMigrate`; reads go through `electric.db.rawQuery`, writes through `electric.db.unsafeExec` (still captured by
//   the client's triggers and replicated).
// - SQLite: `node:sqlite` (`DatabaseSync`, built into Node 22.5+) behind the package's own generic adapter
//   (`electric-sql/generic` `BatchDatabaseAdapter`), wired with the package's `electrify` (`electric-sql/electric`) and
//   its Node socket (`electric-sql/sockets/node`, i.e. `ws`) — the same wiring as `electric-sql/node`, minus
//   better-sqlite3.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CompactSign } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import { MessageType } from '../../runtime/src/client-protocol/index.ts';

export const ELECTRIC_CLIENT_VERSION = '0.12.1';

/** `test/electric-client/`: the client's own npm project. */
export const electricClientDir = fileURLToPath(new URL('../electric-client/', import.meta.url));
const packageDir = join(electricClientDir, 'node_modules', 'electric-sql');
const stampFile = join(electricClientDir, 'node_modules', '.electric-client-install-stamp');

// ---------------------------------------------------------------------------------------------------------------------
// Install + load

/** True when node_modules holds exactly what package-lock.json says (same stamp as install.sh writes). */
export function electricClientInstalled(): boolean {
  if (!existsSync(join(packageDir, 'package.json')) || !existsSync(stampFile)) return false;
  const want = createHash('sha256')
    .update(readFileSync(join(electricClientDir, 'package-lock.json')))
    .digest('hex');
  return readFileSync(stampFile, 'utf8').trim() === want;
}

/** Runs `test/electric-client/install.sh` unless the install is already current (it is idempotent and locked). */
export function ensureElectricClientInstalled(): void {
  if (electricClientInstalled()) return;
  execFileSync('bash', [join(electricClientDir, 'install.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (!electricClientInstalled()) {
    throw new Error(`electric-client: ${join(electricClientDir, 'install.sh')} ran but the install is not current`);
  }
}

// Minimal structural types for the parts of the client we touch (we don't typecheck against the package's .d.ts so
// that `npm run typecheck` does not depend on the install).
type Any = any;

/** An SQL statement as the client passes it to its adapter (`util/types.ts Statement`). */
export interface ElectricStatement {
  sql: string;
  args?: unknown[] | Record<string, unknown>;
}

/** The `ElectricClient` (`electric-sql/client/model`), only the members the tests use. */
export interface ElectricClientLike {
  readonly dbName: string;
  readonly isConnected: boolean;
  readonly satellite: Any;
  readonly notifier: Any;
  readonly db: {
    rawQuery(statement: ElectricStatement): Promise<Record<string, unknown>[]>;
    unsafeExec(statement: ElectricStatement): Promise<Record<string, unknown>[]>;
    liveRawQuery(statement: ElectricStatement): Any;
  };
  connect(token?: string): Promise<void>;
  disconnect(): void;
  close(): Promise<void>;
  potentiallyChanged(): void;
}

export interface ElectricClientModules {
  /** `electric-sql/electric` `electrify(dbName, dbDescription, adapter, socketFactory, config?, opts?)`. */
  electrify: (...args: Any[]) => Promise<ElectricClientLike>;
  /** `electric-sql/client/model` `DbSchema`. */
  DbSchema: new (tables: object, migrations: unknown[], pgMigrations: unknown[]) => object;
  /** `electric-sql/sockets/node` `WebSocketNode` (uses `ws`). */
  WebSocketNode: Any;
  /** `electric-sql/generic` `BatchDatabaseAdapter`. */
  BatchDatabaseAdapter: Any;
  /** `electric-sql/notifiers` `EventNotifier(dbName, eventEmitter?)`. */
  EventNotifier: new (dbName: string, eventEmitter?: EventEmitter) => Any;
  /** Our node:sqlite adapter, a subclass of the package's `BatchDatabaseAdapter`. */
  NodeSqliteAdapter: new (db: DatabaseSync) => NodeSqliteAdapterLike;
  /** The package's generated protobuf codec (`dist/_generated/protocol/satellite.js`), for fake servers in tests. */
  protocol: Record<string, Any>;
  /** The resolved package folder. */
  packageDir: string;
}

export interface NodeSqliteAdapterLike {
  readonly db: DatabaseSync;
  readonly defaultNamespace: 'main';
  run(statement: ElectricStatement): Promise<{ rowsAffected: number }>;
  query(statement: ElectricStatement): Promise<Record<string, unknown>[]>;
}

let loading: Promise<ElectricClientModules> | undefined;

/** Installs (if needed) and imports the published client, once per process. */
export function loadElectricClient(): Promise<ElectricClientModules> {
  loading ??= load();
  return loading;
}

async function load(): Promise<ElectricClientModules> {
  ensureElectricClientInstalled();
  const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  if (version !== ELECTRIC_CLIENT_VERSION) {
    throw new Error(`electric-client: expected electric-sql@${ELECTRIC_CLIENT_VERSION}, found ${version} in ${packageDir}`);
  }
  // Resolve through the package's own `exports` map, from the harness folder, so we use exactly its public entry points.
  const require = createRequire(join(electricClientDir, 'package.json'));
  const importExport = (specifier: string) => import(pathToFileURL(require.resolve(specifier)).href);
  const [electric, model, sockets, generic, notifiers, protocol] = await Promise.all([
    importExport('electric-sql/electric'),
    importExport('electric-sql/client/model'),
    importExport('electric-sql/sockets/node'),
    importExport('electric-sql/generic'),
    importExport('electric-sql/notifiers'),
    import(pathToFileURL(join(packageDir, 'dist', '_generated', 'protocol', 'satellite.js')).href),
  ]);
  return {
    electrify: electric.electrify,
    DbSchema: model.DbSchema,
    WebSocketNode: sockets.WebSocketNode,
    BatchDatabaseAdapter: generic.BatchDatabaseAdapter,
    EventNotifier: notifiers.EventNotifier,
    NodeSqliteAdapter: createNodeSqliteAdapterClass(generic.BatchDatabaseAdapter),
    protocol,
    packageDir,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// node:sqlite adapter

/**
 * Builds our adapter class on top of the package's generic `BatchDatabaseAdapter` (which brings the mutex, `run`,
 * `query`, `transaction`, `runExclusively`, `tableNames`). We supply `_run`, `_query` and `execBatch`.
 *
 * Value mapping (the client's `SqlValue` is `string | number | null | Uint8Array | bigint`):
 * - in: string, number, bigint, Uint8Array, null as they are; `boolean` → 1/0 and `undefined` → null (node:sqlite
 *   refuses both). Anything else (Date, other objects) is refused with a TypeError (node:sqlite would bind NULL).
 * - out: INTEGER → `number` when it is a safe integer, otherwise `bigint` (node:sqlite would throw ERR_OUT_OF_RANGE
 *   without `readBigInts`; better-sqlite3 would silently round); REAL → number; TEXT → string; BLOB → Uint8Array;
 *   NULL → null. Rows are plain objects (node:sqlite returns null-prototype objects).
 * - SQL text holding more than one statement is refused (node:sqlite would silently run only the first; better-sqlite3
 *   throws too).
 */
function createNodeSqliteAdapterClass(Base: Any): new (db: DatabaseSync) => NodeSqliteAdapterLike {
  class NodeSqliteAdapter extends Base {
    readonly defaultNamespace = 'main' as const;
    readonly db: DatabaseSync;
    private savepoints = 0;

    constructor(db: DatabaseSync) {
      super();
      this.db = db;
    }

    async _run(statement: ElectricStatement): Promise<{ rowsAffected: number }> {
      return { rowsAffected: runStatement(this.db, statement) };
    }

    async _query(statement: ElectricStatement): Promise<Record<string, unknown>[]> {
      return queryStatement(this.db, statement);
    }

    /** All statements in one transaction, synchronously (nothing else can interleave); a savepoint when nested. */
    async execBatch(statements: ElectricStatement[]): Promise<{ rowsAffected: number }> {
      const nested = this.db.isTransaction;
      const savepoint = `electric_batch_${++this.savepoints}`;
      this.db.exec(nested ? `SAVEPOINT ${savepoint}` : 'BEGIN');
      try {
        let rowsAffected = 0;
        for (const statement of statements) rowsAffected += runStatement(this.db, statement);
        this.db.exec(nested ? `RELEASE ${savepoint}` : 'COMMIT');
        return { rowsAffected };
      } catch (error) {
        if (nested) {
          this.db.exec(`ROLLBACK TO ${savepoint}`);
          this.db.exec(`RELEASE ${savepoint}`);
        } else if (this.db.isTransaction) {
          this.db.exec('ROLLBACK');
        }
        throw error;
      }
    }
  }
  return NodeSqliteAdapter as Any;
}

function prepare(db: DatabaseSync, sql: string): StatementSync {
  const statement = db.prepare(sql);
  const consumed = statement.sourceSQL;
  if (sql.startsWith(consumed) && !isBlankSql(sql.slice(consumed.length))) {
    throw new Error(`node:sqlite adapter: the SQL string contains more than one statement: ${sql}`);
  }
  return statement;
}

/** Whitespace, semicolons and comments only. */
function isBlankSql(rest: string): boolean {
  return /^(?:\s|;|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*$/.test(rest);
}

function toSqlite(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (ArrayBuffer.isView(value)) return value as SQLInputValue;
  // node:sqlite would take another object (a Date, say) in first position as a bag of named parameters and bind NULL.
  throw new TypeError(
    `node:sqlite adapter: cannot bind ${Object.prototype.toString.call(value)}; ` +
      'pass a string, number, bigint, boolean, Uint8Array or null',
  );
}

/** The client's `BindParams`: positional array, named object (bare names), or a lone value (as better-sqlite3's adapter). */
function bindArgs(args: ElectricStatement['args'] | SQLInputValue): SQLInputValue[] | [Record<string, SQLInputValue>] {
  if (args === undefined || args === null) return [];
  if (Array.isArray(args)) return args.map(toSqlite);
  if (typeof args === 'object' && !ArrayBuffer.isView(args)) {
    const named: Record<string, SQLInputValue> = {};
    for (const [key, value] of Object.entries(args)) named[key] = toSqlite(value);
    return [named];
  }
  return [toSqlite(args)];
}

function runStatement(db: DatabaseSync, { sql, args }: ElectricStatement): number {
  const result = prepare(db, sql).run(...(bindArgs(args) as SQLInputValue[]));
  return Number(result.changes);
}

function queryStatement(db: DatabaseSync, { sql, args }: ElectricStatement): Record<string, unknown>[] {
  const statement = prepare(db, sql);
  statement.setReadBigInts(true);
  const rows = statement.all(...(bindArgs(args) as SQLInputValue[]));
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const key in row) {
      const value = (row as Record<string, unknown>)[key];
      out[key] =
        typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(value)
          : value;
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// The client

export interface ShapeRequest {
  tablename: string;
  /** Columns referenced as `this.col`. */
  where?: string;
  /** `[{ foreignKey: ['col'], select: { tablename, where?, include? } }]` (`foreign_key` is accepted too). */
  include?: unknown[];
}

export interface StartElectricClientOptions {
  /** `http://127.0.0.1:PORT`; the client always connects to `ws://host:port/ws` (the path is ignored). */
  url: string;
  /** JWT handed to `electric.connect(token)`; needs a top-level `sub` (or `user_id`). */
  token: string;
  /** SQLite file; default a fresh file in a temporary folder that `close()` deletes. `':memory:'` works too. */
  dbPath?: string;
  /** Bound on `connect()` and on each `subscribe()` waiting for its data. Default 15 s. */
  timeoutMs?: number;
  /** The client's RPC timeout (`config.timeout`, client default 3000 ms). */
  rpcTimeoutMs?: number;
  /** `config.auth.clientId`; default the client's own (a UUID stored in `_electric_meta`). */
  clientId?: string;
  /** `config.connectionBackOffOptions`; default a fast policy for tests (5 attempts, 100 ms doubling to 1 s). */
  connectionBackOffOptions?: {
    delayFirstAttempt: boolean;
    startingDelay: number;
    jitter: 'none' | 'full';
    maxDelay: number;
    numOfAttempts: number;
    timeMultiple: number;
  };
  /** `config.debug`: the client logs at TRACE level. */
  debug?: boolean;
}

export interface ElectricClientHandle {
  /** The `ElectricClient`. */
  electric: ElectricClientLike;
  /** The SQLite file and the raw connection, for inspecting what the client wrote (bypasses the client). */
  dbPath: string;
  sqlite: DatabaseSync;
  adapter: NodeSqliteAdapterLike;
  /** The client id sent in `SatAuthReq.id`. */
  clientId(): string;
  /** `electric.connect(token)` (uses the start token unless another is given); resolves once connected. */
  connect(token?: string): Promise<void>;
  /** `electric.satellite.subscribe([shape])`; resolves once the shape's data has been applied locally. */
  subscribe(shape: ShapeRequest, key?: string): Promise<{ key: string }>;
  /** `electric.sync.unsubscribe([key])`. */
  unsubscribe(key: string): Promise<void>;
  /** `electric.db.rawQuery` (read-only statements). */
  query<T = Record<string, unknown>>(sql: string, args?: unknown[]): Promise<T[]>;
  /** `electric.db.unsafeExec` then `potentiallyChanged()`: the triggers capture the write and the client replicates it. */
  exec(sql: string, args?: unknown[]): Promise<void>;
  /** Polls `query` until `predicate(rows)` holds; returns the rows. */
  waitForQuery<T = Record<string, unknown>>(
    sql: string,
    args: unknown[] | undefined,
    predicate: (rows: T[]) => boolean,
    timeoutMs?: number,
  ): Promise<T[]>;
  /** `electric.disconnect()`. */
  disconnect(): Promise<void>;
  /** Disconnects, stops the client (`electric.close()`), closes SQLite and deletes the temporary file. Idempotent. */
  close(): Promise<void>;
}

const fastBackOff = {
  delayFirstAttempt: false,
  startingDelay: 100,
  jitter: 'none',
  maxDelay: 1000,
  numOfAttempts: 5,
  timeMultiple: 2,
} as const;

/** Opens a node:sqlite DB, electrifies it with an empty DbSchema (the client runs its internal migration '0'). */
export async function startElectricClient(options: StartElectricClientOptions): Promise<ElectricClientHandle> {
  const modules = await loadElectricClient();
  const timeoutMs = options.timeoutMs ?? 15_000;
  const tempDir = options.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'electric-client-')) : undefined;
  const dbPath = options.dbPath ?? join(tempDir!, 'client.db');
  const sqlite = new DatabaseSync(dbPath);
  const adapter = new modules.NodeSqliteAdapter(sqlite);
  const schema = new modules.DbSchema({}, [], []);
  const config = {
    url: options.url,
    debug: options.debug ?? false,
    timeout: options.rpcTimeoutMs,
    auth: options.clientId === undefined ? {} : { clientId: options.clientId },
    connectionBackOffOptions: options.connectionBackOffOptions ?? fastBackOff,
  };

  // The client's registry is keyed by dbName: one live satellite per SQLite file.
  const dbName = dbPath === ':memory:' ? `memory-${randomUUID()}` : dbPath;
  // Each client gets its own notifier event bus. By default all clients in a process share one global EventEmitter and
  // every listener filters by dbName, so N clients in one process (benches) would cost O(N) per change notification.
  const notifier = new modules.EventNotifier(dbName, new EventEmitter().setMaxListeners(Infinity));
  let electric: ElectricClientLike;
  try {
    electric = await modules.electrify(dbName, schema, adapter, modules.WebSocketNode, config, { notifier });
  } catch (error) {
    sqlite.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw error;
  }

  unrefAckTimers(electric);
  let closed = false;
  const query = async <T>(sql: string, args?: unknown[]): Promise<T[]> =>
    (await electric.db.rawQuery({ sql, args })) as T[];

  const handle: ElectricClientHandle = {
    electric,
    dbPath,
    sqlite,
    adapter,
    clientId: () => electric.satellite._authState?.clientId,
    connect: (token = options.token) => withTimeout(electric.connect(token), timeoutMs, 'electric.connect()'),
    async subscribe(shape, key) {
      const { synced, key: subscriptionKey } = await withTimeout<{ synced: Promise<void>; key: string }>(
        electric.satellite.subscribe([normalizeShape(shape)], key),
        timeoutMs,
        `subscribe(${shape.tablename})`,
      );
      await withTimeout(synced, timeoutMs, `subscribe(${shape.tablename}) synced`);
      return { key: subscriptionKey };
    },
    async unsubscribe(key) {
      await withTimeout(electric.satellite.unsubscribe([key]), timeoutMs, `unsubscribe(${key})`);
    },
    query,
    async exec(sql, args) {
      await electric.db.unsafeExec({ sql, args });
      electric.potentiallyChanged();
    },
    async waitForQuery(sql, args, predicate, waitMs = timeoutMs) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const rows = await query<Any>(sql, args);
        if (predicate(rows)) return rows;
        if (Date.now() > deadline) {
          throw new Error(`waitForQuery timed out after ${waitMs} ms: ${sql}\nlast rows: ${safeJson(rows)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async disconnect() {
      electric.disconnect();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        // Not electric.disconnect() first: it closes the socket while the client still listens to it, so the client
        // starts reconnecting, and close() then cancels that attempt with a rejection nobody handles.
        // electric.close() removes its listeners before it disconnects.
        await electric.close();
      } finally {
        clearPendingRpcTimers(electric);
        clearClientTimers(electric);
        if (sqlite.isOpen) sqlite.close();
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      }
    },
  };
  return handle;
}

/** `{foreign_key}` → `{foreignKey}` in include trees (the client's `Rel` is camelCase; it feeds protobuf `fromPartial`). */
function normalizeShape(shape: ShapeRequest): ShapeRequest {
  const out: ShapeRequest = { tablename: shape.tablename };
  if (shape.where !== undefined) out.where = shape.where;
  if (shape.include !== undefined) {
    out.include = shape.include.map((rel) => {
      const { foreignKey, foreign_key, select } = rel as { foreignKey?: string[]; foreign_key?: string[]; select: ShapeRequest };
      return { foreignKey: foreignKey ?? foreign_key, select: normalizeShape(select) };
    });
  }
  return out;
}

/**
 * The published client starts a self-re-arming 60 s ack timer (`satellite/client.ts resetInboundReplication` /
 * `maybeSendAck('timeout')`) in its constructor and again on every disconnect, and never clears any of them, so a
 * process that used it never exits by itself. We unref those timers on this client instance (wrapping the two methods
 * that arm them; their behaviour is unchanged while anything else keeps the process alive) and clear the current one
 * on `close()`. The package files are not touched.
 */
function unrefAckTimers(electric: ElectricClientLike): void {
  const client = electric.satellite?.client;
  if (!client || typeof client.resetInboundReplication !== 'function' || typeof client.maybeSendAck !== 'function') {
    throw new Error('electric-client: SatelliteClient internals changed (resetInboundReplication/maybeSendAck)');
  }
  const unref = (timer: unknown) => (timer as { unref?: () => void } | undefined)?.unref?.();
  unref(client.inbound?.ackTimer);
  const resetInboundReplication = client.resetInboundReplication;
  client.resetInboundReplication = function (this: Any, ...args: unknown[]) {
    const inbound = resetInboundReplication.apply(this, args);
    unref(inbound?.ackTimer);
    return inbound;
  };
  const maybeSendAck = client.maybeSendAck;
  client.maybeSendAck = function (this: Any, ...args: unknown[]) {
    try {
      return maybeSendAck.apply(this, args);
    } finally {
      unref(this.inbound?.ackTimer);
    }
  };
}

/** After `close()`: the current ack timer, and the lodash throttle that pushes outbound transactions (500 ms, trailing). */
function clearClientTimers(electric: ElectricClientLike): void {
  const client = electric.satellite?.client;
  if (client?.inbound?.ackTimer) clearTimeout(client.inbound.ackTimer);
  client?.throttledPushTransaction?.cancel?.();
}

/**
 * The client leaves RPC timeout timers running when it disconnects mid-call (satellite/RPC.ts); they would keep the
 * process alive for `config.timeout` and then make its connect loop retry once. After `close()` nothing else may run.
 */
function clearPendingRpcTimers(electric: ElectricClientLike): void {
  const pending: Map<string, { timer: ReturnType<typeof setTimeout> }> | undefined =
    electric.satellite?.client?.rpcClient?.pendingRequests;
  if (!pending) return;
  for (const { timer } of pending.values()) clearTimeout(timer);
  pending.clear();
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function safeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

// ---------------------------------------------------------------------------------------------------------------------
// Tokens

/**
 * The published client reads the user id out of the JWT payload itself (`auth/decode.ts jwtDecode`) with the `base-64`
 * package, a *standard* base64 decoder that throws on the base64url characters `-` and `_`. A token whose payload
 * segment contains either makes `electric.connect()` fail with "Invalid token specified: invalid base64 for part #2".
 * JSON allows whitespace between tokens, so we re-space the payload JSON until its base64url has neither character
 * (the claims are unchanged; any JWT library parses the result).
 */
export function clientSafePayloadJson(claims: Record<string, unknown>): string {
  const json = JSON.stringify(claims);
  const gaps: number[] = []; // offsets just after a structural `{ [ , :` outside strings
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[' || c === ',' || c === ':') gaps.push(i + 1);
  }
  let seed = 0x9e3779b9;
  const random = () => {
    // mulberry32: deterministic, so a given claim set always yields the same token text
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let attempt = 0; attempt < 5000; attempt++) {
    let text = json;
    if (attempt > 0) {
      text = '';
      let from = 0;
      for (const gap of gaps) {
        text += json.slice(from, gap) + ' '.repeat(Math.floor(random() * 3));
        from = gap;
      }
      text += json.slice(from);
    }
    if (!/[-_]/.test(base64url(text))) return text;
  }
  throw new Error(`no whitespace variant of these claims avoids '-'/'_' in base64url: ${json}`);
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export interface TokenClaims {
  sub?: string;
  user_id?: string;
  [claim: string]: unknown;
}

/** An unsigned JWT (`alg: none`, empty signature), as Electric's `insecureAuthToken` makes, with a client-safe payload. */
export function insecureToken(claims: TokenClaims): string {
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(clientSafePayloadJson(claims))}.`;
}

/**
 * An HMAC-signed JWT (jose). `iat` (now) and `exp` (now + 1 h) are added unless the claims set them; pass
 * `exp: undefined` / `iat: undefined` to leave them out. The payload is client-safe (see `clientSafePayloadJson`).
 */
export async function hmacToken(
  alg: 'HS256' | 'HS384' | 'HS512',
  key: string | Uint8Array,
  claims: TokenClaims,
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const full: Record<string, unknown> = { iat: now, exp: now + 3600, ...claims };
  const payload = new TextEncoder().encode(clientSafePayloadJson(full));
  const secret = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return new CompactSign(payload).setProtectedHeader({ typ: 'JWT', ...header, alg }).sign(secret);
}

/** `hmacToken('HS256', key, claims)`. */
export function hs256Token(key: string | Uint8Array, claims: TokenClaims): Promise<string> {
  return hmacToken('HS256', key, claims);
}

/** A fresh client id, handy for `clientId`. */
export function newClientId(): string {
  return randomUUID();
}

// ---------------------------------------------------------------------------------------------------------------------
// A scripted stand-in for a Satellite server, for testing this harness without our runtime: a `ws` server on 127.0.0.1
// that records upgrades and decodes every frame with the published client's own generated codec
// (`electric-sql/dist/_generated/protocol/satellite.js`, `loadElectricClient().protocol`), so what it sees is exactly
// what the client sent. The test drives the conversation (`take` the next matching message, `send` a reply). It is not
// a server implementation and knows nothing about Postgres.

/** The 0.12 frame tags: the same table our server uses (client-protocol/frames.ts, checked against the client's). */
export const satelliteTags: Readonly<Record<string, number>> = MessageType;
const namesByTag = new Map(Object.entries(satelliteTags).map(([name, tag]) => [tag, name]));

/** RPC method → request / response message names. */
const rpcTypes: Record<string, [string, string]> = {
  authenticate: ['SatAuthReq', 'SatAuthResp'],
  startReplication: ['SatInStartReplicationReq', 'SatInStartReplicationResp'],
  stopReplication: ['SatInStopReplicationReq', 'SatInStopReplicationResp'],
  subscribe: ['SatSubsReq', 'SatSubsResp'],
  unsubscribe: ['SatUnsubsReq', 'SatUnsubsResp'],
};

export interface Upgrade {
  path: string | undefined;
  offered: string | undefined;
  accepted: string | undefined;
}

export interface Received {
  connection: WebSocket;
  binary: boolean;
  raw: Buffer;
  tag: number;
  name: string;
  message: Any;
  /** For SatRpcRequest / SatRpcResponse: the decoded inner message. */
  inner?: Any;
}

export interface FakeSatellite {
  /** `http://127.0.0.1:PORT`, as `startElectricClient` wants it. */
  url: string;
  upgrades: Upgrade[];
  received: Received[];
  /** Waits for the first not-yet-taken message with this name (and predicate), from any connection. */
  take(name: string, predicate?: (m: Received) => boolean, timeoutMs?: number): Promise<Received>;
  /** Sends one frame: tag byte + `protocol[name].encode(fromPartial(fields))`. */
  send(connection: WebSocket, name: string, fields: object): void;
  /** Replies to an RPC request with `message` (encoded as the method's response type) or an `error` (SatErrorResp). */
  reply(request: Received, result: { message?: object; error?: object }): void;
  /** Sends a server → client RPC request. */
  request(connection: WebSocket, method: string, requestId: number, fields: object): void;
  close(): Promise<void>;
}

export async function startFakeSatellite(
  protocol: Record<string, Any>,
  subprotocol = 'electric.0.12',
): Promise<FakeSatellite> {
  const upgrades: Upgrade[] = [];
  const received: Received[] = [];
  const taken = new Set<Received>();
  const waiters = new Set<() => void>();
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols: Set<string>) => (protocols.has(subprotocol) ? subprotocol : false),
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });

  const encode = (name: string, fields: object): Uint8Array => {
    const type = protocol[name];
    if (!type) throw new Error(`fake satellite: no message ${name} in the codec`);
    return type.encode(type.fromPartial(fields)).finish();
  };

  wss.on('connection', (connection: WebSocket, request: IncomingMessage) => {
    upgrades.push({
      path: request.url,
      offered: request.headers['sec-websocket-protocol'],
      accepted: connection.protocol,
    });
    connection.on('message', (data: Buffer, binary: boolean) => {
      const raw = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      const tag = raw[0] ?? -1;
      const name = namesByTag.get(tag) ?? `unknown(${tag})`;
      const entry: Received = { connection, binary, raw, tag, name, message: undefined };
      try {
        entry.message = protocol[name]?.decode(raw.subarray(1));
        const method = entry.message?.method as string | undefined;
        if (method && rpcTypes[method] && entry.message.message) {
          const innerName = name === 'SatRpcRequest' ? rpcTypes[method][0] : rpcTypes[method][1];
          entry.inner = protocol[innerName].decode(entry.message.message);
        }
      } catch (error) {
        entry.message = { decodeError: String(error) };
      }
      received.push(entry);
      for (const wake of [...waiters]) wake();
    });
  });

  const send = (connection: WebSocket, name: string, fields: object): void => {
    const tag = satelliteTags[name];
    if (tag === undefined) throw new Error(`fake satellite: no tag for ${name}`);
    connection.send(Buffer.concat([Buffer.from([tag]), encode(name, fields)]));
  };

  const { port } = wss.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    upgrades,
    received,
    take(name, predicate = () => true, timeoutMs = 10_000) {
      const find = () => received.find((m) => !taken.has(m) && m.name === name && predicate(m));
      return new Promise<Received>((resolve, reject) => {
        const check = () => {
          const found = find();
          if (!found) return false;
          taken.add(found);
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = received.map((m) => m.name + (m.message?.method ? `:${m.message.method}` : '')).join(', ');
          reject(new Error(`fake satellite: no ${name} within ${timeoutMs} ms (received: ${seen})`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    send,
    reply(request, { message, error }) {
      const method: string = request.message.method;
      send(request.connection, 'SatRpcResponse', {
        method,
        requestId: request.message.requestId,
        ...(message ? { message: encode(rpcTypes[method]![1], message) } : {}),
        ...(error ? { error } : {}),
      });
    },
    request(connection, method, requestId, fields) {
      send(connection, 'SatRpcRequest', { method, requestId, message: encode(rpcTypes[method]![0], fields) });
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
