// Test support: a raw Satellite client — a `ws` WebSocket plus our codec, no client library — for black-box tests of
// the `/ws` protocol. It records every frame the server sends, in order, and lets a test walk them with a cursor
// (`next`, `expectNext`, `nextOf`) or call RPCs (`call`, which moves the cursor past the answer).
//
//   const client = await openSatellite(scope, runtime.baseUrl);
//   await client.authenticate('client-1', insecureToken('alice'));
//   await client.startReplication();                       // initial sync: migrations + relations follow
//   const { subscriptionId } = await client.subscribe([{ tablename: 'items' }]);
//   const tx = await client.nextTransaction();             // the next live SatOpLog, split into begin / ops / commit
import { randomUUID } from 'node:crypto';
import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { unzipSync } from 'fflate';
import WebSocket from 'ws';
import {
  decodeFrame,
  encodeFrame,
  Root,
  SatOpLogAckSchema,
  SatRpcRequestSchema,
  type ClientRpcMethod,
  type ClientRpcResponse,
  type Frame,
  type FrameMessage,
  type FrameName,
  type SatErrorResp,
  type SatOpBegin,
  type SatOpCommit,
  type SatOpRow,
  type SatRelation,
  type SatRpcResponse,
  type SatShapeDef_Select,
  type SatShapeDef_SelectSchema,
  type SatTransOp,
} from '../../runtime/src/client-protocol/index.ts';

/** Anything with node:test's `after` hook. */
export interface HasAfter {
  after(fn: () => unknown): void;
}

/**
 * A scope whose cleanups run newest first, in one `after` hook of `context`. node:test runs `after` hooks in the
 * order they were added, so a server started first would otherwise stop before the clients that use it.
 */
export function cleanupScope(context: HasAfter): HasAfter {
  const cleanups: (() => unknown)[] = [];
  context.after(async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // a cleanup that fails must not keep the others from running
      }
    }
  });
  return { after: (fn) => void cleanups.push(fn) };
}

/** An unsigned token for AUTH_MODE=insecure: `base64url({"alg":"none"}).base64url(payload).` */
export function insecureToken(sub: string, claims: Record<string, unknown> = {}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none' })}.${encode({ sub, ...claims })}.`;
}

export type ShapeInit = MessageInitShape<typeof SatShapeDef_SelectSchema>;

type RootMethods = typeof Root.method;
export type RpcOutcome<M extends ClientRpcMethod> =
  | { readonly ok: true; readonly response: ClientRpcResponse<M> }
  | { readonly ok: false; readonly error: SatErrorResp };

/** The message of the frame named N. */
export type MessageOf<N extends FrameName> = { [F in Frame as F['name']]: F['message'] }[N];

export interface Transaction {
  readonly begin: SatOpBegin;
  readonly ops: readonly SatTransOp[];
  readonly commit: SatOpCommit;
}

export interface OpenOptions {
  /** Sub-protocol to offer (default electric.0.12). */
  readonly protocol?: string;
  /** How long helpers wait for a frame before failing (default 10 s). */
  readonly timeoutMs?: number;
}

const defaultTimeoutMs = 10_000;

/** Opens /ws with the sub-protocol and waits for the upgrade. The socket is terminated when `scope` ends. */
export async function openSatellite(scope: HasAfter, baseUrl: string, options: OpenOptions = {}): Promise<SatelliteClient> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/ws`;
  const socket = new WebSocket(url, [options.protocol ?? 'electric.0.12']);
  const client = new SatelliteClient(socket, options.timeoutMs ?? defaultTimeoutMs);
  scope.after(() => client.terminate());
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => reject(new Error(`upgrade refused: ${response.statusCode} ${body}`)));
    });
    socket.once('error', reject);
  });
  return client;
}

export class SatelliteClient {
  readonly socket: WebSocket;
  /** Every frame received, in order. */
  readonly received: Frame[] = [];
  /** Relations received, by relation id. */
  readonly relations = new Map<number, SatRelation>();
  /** Resolves with the close code and reason when the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Index into `received` of the next frame `next` returns. */
  cursor = 0;
  private readonly timeoutMs: number;
  private readonly waiters = new Set<() => void>();
  private nextRequestId = 1;
  private closeInfo: { code: number; reason: string } | undefined;
  private decodeErrors: string[] = [];

  constructor(socket: WebSocket, timeoutMs: number) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    socket.on('error', () => {}); // the close event says what happened
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        if (!isBinary) throw new Error('text message');
        const frame = decodeFrame(data, { maxBytes: Number.MAX_SAFE_INTEGER });
        if (frame.name === 'SatRelation') this.relations.set(frame.message.relationId, frame.message);
        this.received.push(frame);
      } catch (error) {
        this.decodeErrors.push(String(error));
      }
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code: number, reason: Buffer) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        this.wake();
      });
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Frames the server sent that our codec could not decode (a server bug). */
  get undecodable(): readonly string[] {
    return this.decodeErrors;
  }

  send(message: FrameMessage): void {
    this.socket.send(encodeFrame(message));
  }

  sendRaw(data: Uint8Array | string, options: { binary?: boolean } = {}): void {
    this.socket.send(data, { binary: options.binary ?? typeof data !== 'string' });
  }

  /** Waits until `check` returns a value (re-checked whenever a frame arrives or the socket closes). */
  async waitUntil<T>(check: () => T | undefined, what: string, timeoutMs = this.timeoutMs): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 250));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /** The next frame after the cursor (waits for it); fails when the socket closes first. */
  async next(timeoutMs = this.timeoutMs): Promise<Frame> {
    const frame = await this.waitUntil(
      () => {
        const frame = this.received[this.cursor];
        if (frame) return frame;
        if (this.closeInfo) throw new Error(`socket closed (${this.closeInfo.code} ${this.closeInfo.reason}) while waiting for a frame; ${this.describe()}`);
        return undefined;
      },
      'the next frame',
      timeoutMs,
    );
    this.cursor++;
    return frame;
  }

  /** The next frame, which must be a `name`. */
  async expectNext<N extends FrameName>(name: N): Promise<MessageOf<N>> {
    const frame = await this.next();
    if (frame.name !== name) throw new Error(`expected ${name} at frame ${this.cursor - 1}, got ${frame.name}; ${this.describe()}`);
    return frame.message as MessageOf<N>;
  }

  /** Skips frames until one named `name` (that satisfies `match`) arrives; the cursor moves past it. */
  async nextOf<N extends FrameName>(
    name: N,
    match: (message: MessageOf<N>) => boolean = () => true,
    timeoutMs = this.timeoutMs,
  ): Promise<MessageOf<N>> {
    return this.waitUntil(
      () => {
        for (; this.cursor < this.received.length; this.cursor++) {
          const frame = this.received[this.cursor]!;
          if (frame.name === name && match(frame.message as MessageOf<N>)) {
            this.cursor++;
            return frame.message as MessageOf<N>;
          }
        }
        if (this.closeInfo) throw new Error(`socket closed (${this.closeInfo.code}) while waiting for ${name}; ${this.describe()}`);
        return undefined;
      },
      name,
      timeoutMs,
    );
  }

  /** The next live transaction (a SatOpLog that starts with begin), skipping other frames. */
  async nextTransaction(timeoutMs = this.timeoutMs): Promise<Transaction> {
    const log = await this.nextOf('SatOpLog', (message) => message.ops[0]?.op.case === 'begin', timeoutMs);
    return splitTransaction(log.ops);
  }

  /** Waits for the socket to close; the close code and reason. */
  async waitForClose(timeoutMs = this.timeoutMs): Promise<{ code: number; reason: string }> {
    return this.waitUntil(() => this.closeInfo, 'the socket to close', timeoutMs);
  }

  /** Sends an RPC request with a raw method name and message; resolves with the matching SatRpcResponse. */
  async callRaw(method: string, message: Uint8Array): Promise<SatRpcResponse> {
    const requestId = this.nextRequestId++;
    this.send(create(SatRpcRequestSchema, { method, requestId, message }));
    return this.nextOf('SatRpcResponse', (response) => response.method === method && response.requestId === requestId);
  }

  /** Calls a method of service Root; the cursor moves past the answer. */
  async call<M extends ClientRpcMethod>(method: M, request: MessageInitShape<RootMethods[M]['input']>): Promise<RpcOutcome<M>> {
    const descriptor = Root.method[method];
    const bytes = toBinary(descriptor.input, create(descriptor.input, request as never));
    const response = await this.callRaw(method, bytes);
    if (response.result.case === 'error') return { ok: false, error: response.result.value };
    if (response.result.case !== 'message') throw new Error(`${method} answered with neither message nor error`);
    return { ok: true, response: fromBinary(descriptor.output, response.result.value) as ClientRpcResponse<M> };
  }

  /** Calls `method` and fails unless it succeeds. */
  async callOk<M extends ClientRpcMethod>(method: M, request: MessageInitShape<RootMethods[M]['input']>): Promise<ClientRpcResponse<M>> {
    const outcome = await this.call(method, request);
    if (!outcome.ok) throw new Error(`${method} failed: error ${outcome.error.errorType} ${outcome.error.message ?? ''}`);
    return outcome.response;
  }

  async authenticate(clientId: string, token: string): Promise<void> {
    await this.callOk('authenticate', { id: clientId, token });
  }

  /** startReplication; fails when the server answers with a ReplicationError. */
  async startReplication(request: MessageInitShape<RootMethods['startReplication']['input']> = {}) {
    const response = await this.callOk('startReplication', request);
    if (response.err) throw new Error(`startReplication refused: ${response.err.code} ${response.err.message}`);
    return response;
  }

  /**
   * Subscribes to the shapes (one shape request each) and waits for the data block to end. Returns the ids and the
   * frames of the data block, SatSubsDataBegin to SatSubsDataEnd.
   */
  async subscribe(shapes: readonly ShapeInit[], subscriptionId: string = randomUUID()) {
    const requestIds = shapes.map(() => randomUUID());
    const response = await this.callOk('subscribe', {
      subscriptionId,
      shapeRequests: shapes.map((shape, i) => ({ requestId: requestIds[i], shapeDefinition: { selects: [shape] } })),
    });
    if (response.err) throw new Error(`subscribe refused: ${response.err.code} ${response.err.message}`);
    await this.nextOf('SatSubsDataBegin', (begin) => begin.subscriptionId === subscriptionId);
    const start = this.cursor - 1;
    await this.nextOf('SatSubsDataEnd');
    return { subscriptionId, requestIds, frames: this.received.slice(start, this.cursor) };
  }

  /** Acknowledges a transaction, as the client does (lsn + transaction_id). */
  ack(
    transaction: Transaction,
    extra: { lsn?: Uint8Array; transactionId?: bigint; subscriptionIds?: string[]; goneSubscriptionIds?: string[]; additionalDataSourceIds?: bigint[] } = {},
  ): void {
    this.send(
      create(SatOpLogAckSchema, {
        ackTimestamp: BigInt(Date.now()),
        lsn: transaction.begin.lsn,
        transactionId: transaction.begin.transactionId ?? 0n,
        ...extra,
      }),
    );
  }

  /** The row's values as text (UTF-8 of the wire bytes), NULL as null, by column name of the relation. */
  decodeRow(relationId: number, row: SatOpRow | undefined): Record<string, string | null> {
    const relation = this.relations.get(relationId);
    if (!relation) throw new Error(`no SatRelation received for relation ${relationId}`);
    if (!row) throw new Error('no row data');
    const out: Record<string, string | null> = {};
    relation.columns.forEach((column, i) => {
      const isNull = ((row.nullsBitmask[i >>> 3] ?? 0) & (0x80 >>> (i & 7))) !== 0;
      out[column.name] = isNull ? null : Buffer.from(row.values[i] ?? new Uint8Array()).toString('utf8');
    });
    return out;
  }

  /** The table name of a relation id. */
  tableOf(relationId: number): string | undefined {
    return this.relations.get(relationId)?.tableName;
  }

  close(code = 1000): void {
    this.socket.close(code);
  }

  terminate(): void {
    this.socket.terminate();
  }

  /** A summary of what was received, for failure messages. */
  describe(): string {
    const names = this.received.map((frame, i) => `${i === this.cursor ? '>' : ''}${frame.name}`);
    const shown = names.length > 40 ? ['…', ...names.slice(-40)] : names;
    const close = this.closeInfo ? `closed ${this.closeInfo.code} ${this.closeInfo.reason}` : 'open';
    return `${close}; ${this.received.length} frames received: [${shown.join(' ')}]`;
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}

/** Splits a transaction's ops into begin, the ops between, and commit. */
export function splitTransaction(ops: readonly SatTransOp[]): Transaction {
  const first = ops[0]?.op;
  const last = ops[ops.length - 1]?.op;
  if (first?.case !== 'begin' || last?.case !== 'commit') {
    throw new Error(`not a whole transaction: ${ops.map((op) => op.op.case).join(', ')}`);
  }
  return { begin: first.value, ops: ops.slice(1, -1), commit: last.value };
}

/**
 * Waits until the runtime's schema catalog (which follows the replication stream) knows every table in `tables`, as
 * seen on /api/migrations?dialect=sqlite. Electrify tables in PostgreSQL first.
 */
export async function waitForTables(baseUrl: string, tables: readonly string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let known: string[] = [];
  for (;;) {
    const response = await fetch(`${baseUrl}/api/migrations?dialect=sqlite`);
    if (response.status === 200) {
      const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
      const text = Object.entries(files)
        .filter(([name]) => name.endsWith('/migration.sql'))
        .map(([, bytes]) => new TextDecoder().decode(bytes))
        .join('\n');
      known = tables.filter((table) => text.includes(`CREATE TABLE "${table}"`));
      if (known.length === tables.length) return;
    } else {
      await response.body?.cancel();
    }
    if (Date.now() > deadline) throw new Error(`the runtime never knew tables ${tables.join(', ')} (knows ${known.join(', ')})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A shape select, for `subscribe`. */
export function select(tablename: string, where?: string): ShapeInit {
  return where === undefined ? { tablename } : { tablename, where };
}

export type { SatShapeDef_Select };
