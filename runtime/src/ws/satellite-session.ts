// One Satellite connection: authentication, the server → client replication stream, subscriptions and acks.
//
// Invariants:
// - Messages from the client are handled one at a time, in order.
// - A subscription's data block (SatSubsDataBegin … SatSubsDataEnd) is sent in one go, and the live stream stands
//   still while its initial data is read: transactions at or before the stream's position are in that data (they
//   committed before its snapshot), and later ones pass the subscription's snapshot filter. No gap, no duplicate.
// - At most `unackedWindow` transactions are in flight; the stream resumes when the client acknowledges.
// - A malformed frame gets SatErrorResp and close 1007; nothing a client sends can stop the process or other clients.
import { create } from '@bufbuild/protobuf';
import type pg from 'pg';
import type { TokenValidator } from '../auth/index.ts';
import {
  buildErrorResp,
  buildRpcError,
  buildRpcResponse,
  decodeFrame,
  encodeFrame,
  isClientProtocolError,
  isEmptyLsn,
  parseRpcRequest,
  parseServerLsn,
  SatErrorResp_ErrorCode,
  SatInStartReplicationResp_ReplicationError_Code,
  SatOpLogSchema,
  SatShapeDataBeginSchema,
  SatShapeDataEndSchema,
  SatSubsDataBeginSchema,
  SatSubsDataEndSchema,
  SatSubsResp_SatSubsError_Code,
  SatSubsResp_SatSubsError_ShapeReqError_Code,
  SatTransOpSchema,
  SatUnsubsDataBeginSchema,
  SatUnsubsDataEndSchema,
  serializeRow,
  serializeServerLsn,
  type ClientRpcCall,
  type FrameMessage,
  type SatInStartReplicationReq,
  type SatOpLogAck,
  type SatSubsReq,
  type SatUnsubsReq,
} from '../client-protocol/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { Migration } from '../migrations/index.ts';
import { fetchInitialData } from '../sync/initial-data.ts';
import { rowKey } from '../sync/row-key.ts';
import type { SchemaCatalog, SyncedTable } from '../sync/schema-catalog.ts';
import { planShapeRequests } from '../sync/shape-plan.ts';
import {
  addMember,
  completeRow,
  createSubscription,
  isInInitialData,
  selectsRow,
  snapshotMissesDelivered,
  type Subscription,
} from '../sync/subscription.ts';
import type { TransactionLog } from '../sync/transaction-log.ts';
import type { ReplicatedTransaction, Row } from '../upstream/transaction.ts';
import type { ConcurrencyLimit } from '../sync/concurrency-limit.ts';
import type { ClientRegistry, ClientState } from './client-registry.ts';
import {
  buildChangeOp,
  buildMigrateOps,
  buildRelation,
  buildShapeDataLogs,
  buildTransaction,
  postgresOrigin,
  type OutgoingChange,
} from './satellite-messages.ts';
import type { SatelliteConnection } from './websocket-server.ts';

/** A replicated transaction with the migrations it carried (already applied to the catalog). */
export interface SyncTransaction extends ReplicatedTransaction {
  readonly migrations: readonly Migration[];
  /**
   * The synced tables as of this transaction: a client behind a later ADD COLUMN must get this transaction's rows
   * (and relations) without the new column, which it does not have yet.
   */
  readonly tables: ReadonlyMap<string, SyncedTable>;
}

export interface SyncContext {
  readonly instanceId: string;
  readonly validator: TokenValidator;
  readonly catalog: SchemaCatalog;
  readonly log: TransactionLog<SyncTransaction>;
  readonly clients: ClientRegistry;
  /** A query connection with the display settings, for initial data. */
  readonly connect: () => Promise<pg.Client>;
  /** Bounds the initial-data reads running at once (each holds a PostgreSQL connection). */
  readonly initialDataLimit: ConcurrencyLimit;
  readonly logger: Logger;
  /** Transactions in flight before the server waits for an ack (Electric: 30). */
  readonly unackedWindow: number;
}

/** Send an empty transaction after this many transactions with nothing for the client. */
const emptyTransactionEvery = 500;

type OutboundState = { readonly state: 'idle' } | { readonly state: 'active'; position: bigint };

export function startSatelliteSession(connection: SatelliteConnection, context: SyncContext): void {
  const { socket } = connection;
  let logger = context.logger.child('session');
  let auth: { clientId: string; userId: string } | undefined;
  let outbound: OutboundState = { state: 'idle' };
  let subscriptions = new Map<string, Subscription>();
  let clientState: ClientState | undefined;
  // Transactions up to here were sent to an earlier connection of this client: replayed, not trusted (see changesFor).
  let replayUpTo = 0n;
  let retryScheduled = false;
  let fetching = 0; // subscriptions whose initial data is being read: the live stream waits
  // Subscriptions whose data is being read, by id; true once the client unsubscribed meanwhile.
  const pending = new Map<string, boolean>();
  const inFlight: bigint[] = []; // transaction ids sent and not yet acknowledged
  const relationsSent = new Map<number, string>(); // relation id → column signature sent
  let closed = false;
  let queue = Promise.resolve();

  const send = (message: FrameMessage) => {
    if (!closed) socket.send(encodeFrame(message));
  };

  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    socket.close(code, reason);
  };

  const sendRelationIfNeeded = (table: SyncedTable) => {
    const signature = table.rowColumns.map((c) => `${c.name}:${c.type}`).join(',');
    if (relationsSent.get(table.relationId) === signature) return;
    relationsSent.set(table.relationId, signature);
    send(buildRelation(table));
  };

  // --- the live stream -------------------------------------------------------------------------------------------

  const changesFor = (transaction: SyncTransaction): OutgoingChange[] => {
    if (!auth || subscriptions.size === 0) return [];
    const userId = auth.userId;
    const out: OutgoingChange[] = [];
    for (const change of transaction.changes) {
      if (change.kind === 'truncate') {
        for (const relation of change.relations) {
          const table = relation.schema === 'public' ? transaction.tables.get(relation.table) : undefined;
          if (!table) continue;
          const removed = new Set<string>();
          for (const subscription of subscriptions.values()) {
            if (isInInitialData(subscription, transaction)) continue;
            for (const key of subscription.members.get(table.metadata.name) ?? []) removed.add(key);
            subscription.members.delete(table.metadata.name);
          }
          for (const key of removed) out.push({ kind: 'delete', table, oldRecord: keyRecord(table, key) });
        }
        continue;
      }
      const relation = change.relation;
      const table = relation.schema === 'public' ? transaction.tables.get(relation.table) : undefined;
      if (!table) continue;
      const name = table.metadata.name;
      const pks = table.metadata.primaryKeys;
      const oldRow = change.kind === 'insert' ? null : change.oldRecord;
      const newRow = change.kind === 'delete' ? null : completeRow(change.record, change.kind === 'update' ? change.oldRecord : null);
      const oldKey = oldRow ? rowKey(pks, oldRow) : undefined;
      const newKey = newRow ? rowKey(pks, newRow) : undefined;
      let wasIn = false;
      let isIn = false;
      let heldBySnapshot = false; // a subscription whose initial data already has the row as it is after this change
      let subscribed = false;
      for (const subscription of subscriptions.values()) {
        if (!subscription.nodesByTable.has(name)) continue;
        subscribed = true;
        const members = subscription.members.get(name);
        if (isInInitialData(subscription, transaction)) {
          heldBySnapshot ||= newKey !== undefined && (members?.has(newKey) ?? false);
          continue;
        }
        const had = oldKey !== undefined && (members?.has(oldKey) ?? false);
        const has = newRow !== null && selectsRow(subscription, table, newRow, userId);
        if (had && oldKey !== undefined) members?.delete(oldKey);
        if (has && newKey !== undefined) addMember(subscription, name, newKey);
        wasIn ||= had;
        isIn ||= has;
      }
      // A row leaving one subscription while another holds it from its initial data stays on the client (which kept
      // its older copy of the row when that data arrived): an update, not a delete.
      if (wasIn && !isIn && heldBySnapshot) isIn = true;
      // A replayed transaction already changed membership when it was first sent, which the client may never have
      // applied: send its delete or move-out again (deleting a row the client lacks is harmless).
      if (subscribed && transaction.endLsn <= replayUpTo && oldKey !== undefined) wasIn = true;
      if (newRow && isIn && wasIn && oldKey === newKey && oldRow) out.push({ kind: 'update', table, record: newRow, oldRecord: oldRow });
      else {
        if (wasIn && oldRow) out.push({ kind: 'delete', table, oldRecord: oldRow });
        if (isIn && newRow) out.push({ kind: 'insert', table, record: newRow });
      }
    }
    return out;
  };

  let skippedSinceSent = 0;
  const sendTransaction = (transaction: SyncTransaction): boolean => {
    const migrateOps = transaction.migrations.flatMap(buildMigrateOps);
    const changes = changesFor(transaction);
    if (migrateOps.length === 0 && changes.length === 0) {
      // Nothing for this client. After many such transactions, an empty one still moves the client's resume point,
      // so a client with quiet shapes on a busy database does not fall behind the window while it is offline.
      if (++skippedSinceSent < emptyTransactionEvery) return false;
    }
    skippedSinceSent = 0;
    if (migrateOps.length > 0) relationsSent.clear(); // tables changed: their relations go out again before data
    for (const change of changes) sendRelationIfNeeded(change.table);
    const tag = `${postgresOrigin}@${transaction.commitTimeMs}`;
    const transactionId = BigInt(transaction.xid);
    send(
      buildTransaction({
        commitTimeMs: transaction.commitTimeMs,
        lsn: transaction.endLsn,
        transactionId,
        origin: postgresOrigin,
        isMigration: migrateOps.length > 0,
        ops: [...migrateOps, ...changes.map((change) => buildChangeOp(change, tag))],
      }),
    );
    inFlight.push(transactionId);
    return true;
  };

  const pump = () => {
    try {
      streamPending();
    } catch (error) {
      // One client's failure (e.g. a value its shapes cannot encode) closes that client, never the replication
      // stream or other clients.
      logger.error('cannot stream to this client; closing it', { error });
      send(buildErrorResp(SatErrorResp_ErrorCode.INTERNAL, 'the server could not encode a change for this client'));
      close(1011, 'Internal error');
    }
  };

  const streamPending = () => {
    if (closed || outbound.state !== 'active' || fetching > 0) return;
    const pending = context.log.since(outbound.position, Math.max(0, context.unackedWindow - inFlight.length));
    if (pending === 'behind-window') {
      // The client fell so far behind that the log dropped what it still needs.
      send(buildErrorResp(SatErrorResp_ErrorCode.REPLICATION_FAILED, 'this client fell behind the server’s window of recent transactions; reconnect to resync'));
      close(1011, 'Behind the server window');
      return;
    }
    for (const transaction of pending) {
      if (inFlight.length >= context.unackedWindow) return; // resumes on the next ack
      if (socket.bufferedAmount > 8 * 1024 * 1024) {
        if (!retryScheduled) {
          retryScheduled = true;
          setTimeout(() => {
            retryScheduled = false;
            pump();
          }, 20).unref();
        }
        return;
      }
      sendTransaction(transaction);
      outbound.position = transaction.endLsn;
      if (clientState) clientState.position = transaction.endLsn;
      if (clientState && transaction.endLsn > clientState.sentUpTo) clientState.sentUpTo = transaction.endLsn;
    }
  };
  const stopListening = context.log.onAppend(() => pump());

  // --- RPC handlers ----------------------------------------------------------------------------------------------

  const authenticate = async (call: Extract<ClientRpcCall, { method: 'authenticate' }>) => {
    const { id, token } = call.request;
    if (!id || !token) {
      send(buildRpcError(call, SatErrorResp_ErrorCode.INVALID_REQUEST, 'authenticate needs a client id and a token'));
      return close(1008, 'Invalid authentication request');
    }
    const result = await context.validator.validate(token);
    if (closed) return; // the client left while its token was checked: claim nothing
    if (auth) {
      // Token renewal on a live connection: same client, same user.
      if (!result.ok || result.userId !== auth.userId || id !== auth.clientId) {
        send(buildRpcError(call, SatErrorResp_ErrorCode.INVALID_REQUEST, result.ok ? 'a renewed token must be for the same user' : result.message));
        return close(1008, 'Invalid token renewal');
      }
      send(buildRpcResponse(call, { id: context.instanceId }));
      return;
    }
    if (!result.ok) {
      logger.info('refused a client token', { reason: result.code });
      send(buildRpcError(call, SatErrorResp_ErrorCode.AUTH_REQUIRED, result.message));
      return close(1008, 'Authentication failed');
    }
    if (!context.clients.claim(id, session)) {
      logger.warn('attempted multiple connections from the same client', { client_id: id });
      send(buildRpcError(call, SatErrorResp_ErrorCode.INVALID_REQUEST, 'this client id already has a live connection: close it first'));
      return close(1008, 'Duplicate client id');
    }
    auth = { clientId: id, userId: result.userId };
    clientState = context.clients.state(result.userId, id);
    subscriptions = clientState.subscriptions;
    logger = context.logger.child(`session ${id}`);
    logger.info('client authenticated', { user_id: result.userId });
    send(buildRpcResponse(call, { id: context.instanceId }));
  };

  const startReplication = (call: Extract<ClientRpcCall, { method: 'startReplication' }>) => {
    const request: SatInStartReplicationReq = call.request;
    const refuse = (code: SatInStartReplicationResp_ReplicationError_Code, message: string) =>
      send(buildRpcResponse(call, { err: { code, message } }));
    if (request.schemaVersion && context.catalog.migrationsAfter(request.schemaVersion) === undefined) {
      return refuse(SatInStartReplicationResp_ReplicationError_Code.UNKNOWN_SCHEMA_VSN, `unknown schema version ${request.schemaVersion}`);
    }
    let position: bigint;
    if (isEmptyLsn(request.lsn)) {
      if (request.subscriptionIds.length > 0) {
        return refuse(SatInStartReplicationResp_ReplicationError_Code.INVALID_POSITION, 'Cannot resume subscriptions for a first-time client');
      }
      subscriptions.clear();
      position = context.log.latestLsn() ?? 0n;
      if (clientState) clientState.sentUpTo = 0n;
    } else {
      try {
        position = parseServerLsn(request.lsn);
      } catch {
        return refuse(SatInStartReplicationResp_ReplicationError_Code.MALFORMED_LSN, 'the LSN is not one this server sent');
      }
      if (context.log.since(position) === 'behind-window') {
        subscriptions.clear();
        return refuse(SatInStartReplicationResp_ReplicationError_Code.BEHIND_WINDOW, "Cannot catch up to the server's current state");
      }
      const missing = request.subscriptionIds.find((id) => !subscriptions.has(id));
      if (missing !== undefined) {
        subscriptions.clear();
        return refuse(SatInStartReplicationResp_ReplicationError_Code.SUBSCRIPTION_NOT_FOUND, `unknown subscription ${missing}`);
      }
      // Subscriptions the client no longer reports are gone on its side.
      for (const id of [...subscriptions.keys()]) if (!request.subscriptionIds.includes(id)) subscriptions.delete(id);
      replayUpTo = clientState?.sentUpTo ?? 0n;
    }
    send(buildRpcResponse(call, { unackedWindowSize: context.unackedWindow }));
    // Relations first, so the client never has to guess column types (bool and bytea need them).
    for (const table of context.catalog.tables()) sendRelationIfNeeded(table);
    if (isEmptyLsn(request.lsn)) {
      for (const migration of context.catalog.migrationsAfter(request.schemaVersion) ?? []) {
        const ops = buildMigrateOps(migration);
        if (ops.length === 0) continue;
        send(buildTransaction({ commitTimeMs: Date.now(), lsn: position, transactionId: 0n, origin: postgresOrigin, isMigration: true, ops }));
      }
    }
    outbound = { state: 'active', position };
    if (clientState) clientState.position = position;
    logger.info('replication started', { from_lsn: position.toString(), resumed_subscriptions: subscriptions.size });
    pump();
  };

  const subscribe = (call: Extract<ClientRpcCall, { method: 'subscribe' }>) => {
    const request: SatSubsReq = call.request;
    type ShapeRequestError = { requestId: string; code: SatSubsResp_SatSubsError_ShapeReqError_Code; message: string };
    const subscriptionError = (code: SatSubsResp_SatSubsError_Code, message: string, shapeErrors: ShapeRequestError[] = []) =>
      send(buildRpcResponse(call, { subscriptionId: request.subscriptionId, err: { code, message, shapeRequestError: shapeErrors } }));
    if (subscriptions.has(request.subscriptionId) || pending.has(request.subscriptionId)) {
      return subscriptionError(SatSubsResp_SatSubsError_Code.SUBSCRIPTION_ID_ALREADY_EXISTS, 'a subscription with this id already exists');
    }
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(request.subscriptionId)) {
      return subscriptionError(SatSubsResp_SatSubsError_Code.SHAPE_REQUEST_ERROR, 'the subscription id must be a UUID');
    }
    const planned = planShapeRequests(request.shapeRequests, context.catalog);
    if (!planned.ok) {
      return subscriptionError(
        SatSubsResp_SatSubsError_Code.SHAPE_REQUEST_ERROR,
        'some shape requests are invalid',
        planned.errors.map((e) => ({ requestId: e.requestId, code: SatSubsResp_SatSubsError_ShapeReqError_Code[e.code], message: e.message })),
      );
    }
    if (outbound.state !== 'active') {
      return subscriptionError(SatSubsResp_SatSubsError_Code.SHAPE_REQUEST_ERROR, 'start replication before subscribing');
    }
    send(buildRpcResponse(call, { subscriptionId: request.subscriptionId }));
    fetching++;
    pending.set(request.subscriptionId, false);
    const startLsn = outbound.position;
    void deliverInitialData(request.subscriptionId, planned.plans, startLsn).finally(() => {
      pending.delete(request.subscriptionId);
      fetching--;
      pump();
    });
  };

  const deliverInitialData = async (id: string, plans: Parameters<typeof createSubscription>[1], startLsn: bigint) => {
    const started = Date.now();
    try {
      const data = await context.initialDataLimit.run(async () => {
        const client = await context.connect();
        try {
          for (let attempt = 1; ; attempt++) {
            const read = await fetchInitialData(client, plans, auth?.userId ?? '');
            // The stream already passed these transactions; the snapshot must have seen every one of them.
            if (!snapshotMissesDelivered(read.snapshot, context.log.recentUpTo(startLsn, 1_000)) || attempt >= 20) return read;
            await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
          }
        } finally {
          await client.end().catch(() => {});
        }
      });
      if (pending.get(id) === true) {
        logger.info('subscription cancelled before its data was sent', { subscription_id: id });
        return;
      }
      if (closed) return; // nobody to send it to; the client subscribes again when it comes back
      const subscription = createSubscription(id, plans, startLsn, data.snapshot, data.walLsn);
      for (const shape of data.shapes) for (const row of shape.rows) sendRelationIfNeeded(row.table);
      send(create(SatSubsDataBeginSchema, { subscriptionId: id, lsn: serializeServerLsn(startLsn) }));
      let rowCount = 0;
      for (const shape of data.shapes) {
        send(create(SatShapeDataBeginSchema, { requestId: shape.requestId }));
        for (const log of buildShapeDataLogs(shape.rows, `${postgresOrigin}@0`)) send(log);
        send(create(SatShapeDataEndSchema, {}));
        for (const row of shape.rows) addMember(subscription, row.table.metadata.name, row.key);
        rowCount += shape.rows.length;
      }
      send(create(SatSubsDataEndSchema, {}));
      subscriptions.set(id, subscription);
      logger.info('subscription data sent', { subscription_id: id, rows: rowCount, ms: Date.now() - started });
    } catch (error) {
      logger.error('could not read a subscription’s initial data', { subscription_id: id, error });
      send(buildErrorResp(SatErrorResp_ErrorCode.INTERNAL, 'reading the subscription’s data failed'));
      close(1011, 'Subscription data failed');
    }
  };

  const unsubscribe = (call: Extract<ClientRpcCall, { method: 'unsubscribe' }>) => {
    const request: SatUnsubsReq = call.request;
    send(buildRpcResponse(call, {}));
    // A subscription still reading its data is cancelled: it will send nothing and never go live.
    for (const id of request.subscriptionIds) if (pending.has(id)) pending.set(id, true);
    const gone = request.subscriptionIds.map((id) => subscriptions.get(id)).filter((s): s is Subscription => s !== undefined);
    for (const subscription of gone) subscriptions.delete(subscription.id);
    const position = outbound.state === 'active' ? outbound.position : 0n;
    send(create(SatUnsubsDataBeginSchema, { subscriptionIds: request.subscriptionIds, lsn: serializeServerLsn(position) }));
    const ops = [];
    for (const subscription of gone) {
      for (const [tableName, keys] of subscription.members) {
        const table = context.catalog.table(tableName);
        if (!table) continue;
        for (const key of keys) {
          const stillHeld = [...subscriptions.values()].some((other) => other.members.get(tableName)?.has(key));
          if (stillHeld) continue;
          ops.push(create(SatTransOpSchema, { op: { case: 'gone', value: { relationId: table.relationId, pkData: goneRow(table, key) } } }));
        }
      }
    }
    if (ops.length > 0) send(create(SatOpLogSchema, { ops }));
    send(create(SatUnsubsDataEndSchema, {}));
  };

  const acknowledge = (ack: SatOpLogAck) => {
    if (ack.transactionId === 0n) return; // acks of subscription data before any live transaction
    const index = inFlight.indexOf(ack.transactionId);
    if (index < 0) {
      send(buildErrorResp(SatErrorResp_ErrorCode.INVALID_REQUEST, 'Acknowledged unknown txn'));
      return;
    }
    inFlight.splice(0, index + 1);
    pump();
  };

  // --- dispatch ----------------------------------------------------------------------------------------------------

  const handle = async (data: Buffer) => {
    let frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      if (!isClientProtocolError(error)) throw error;
      logger.info('closing a connection that sent a malformed frame', { reason: error.message });
      send(buildErrorResp(SatErrorResp_ErrorCode.INVALID_REQUEST, error.message));
      return close(1007, 'Message not formatted according to Electric protocol');
    }
    if (frame.name === 'SatRpcRequest') {
      const call = parseRpcRequest(frame.message);
      if (call.kind === 'rejected') {
        send(buildRpcError(call, SatErrorResp_ErrorCode.INVALID_REQUEST, call.error.message));
        return close(1007, 'Invalid RPC request');
      }
      if (call.method !== 'authenticate' && !auth) {
        send(buildRpcError(call, SatErrorResp_ErrorCode.AUTH_REQUIRED, 'authenticate first'));
        return;
      }
      switch (call.method) {
        case 'authenticate':
          return authenticate(call);
        case 'startReplication':
          return startReplication(call);
        case 'stopReplication':
          outbound = { state: 'idle' };
          send(buildRpcResponse(call, {}));
          return;
        case 'subscribe':
          return subscribe(call);
        case 'unsubscribe':
          return unsubscribe(call);
      }
    }
    if (!auth) {
      send(buildErrorResp(SatErrorResp_ErrorCode.AUTH_REQUIRED, 'authenticate first'));
      return;
    }
    switch (frame.name) {
      case 'SatOpLogAck':
        return acknowledge(frame.message);
      case 'SatRpcResponse':
        return; // answers to our own calls; we make none that need handling yet
      case 'SatRelation':
      case 'SatOpLog':
        // We never ask the client to start its outbound stream, so it should not send writes.
        send(buildErrorResp(SatErrorResp_ErrorCode.INVALID_REQUEST, 'this server does not accept client writes yet'));
        return;
      default:
        send(buildErrorResp(SatErrorResp_ErrorCode.INVALID_REQUEST, `unexpected ${frame.name} from a client`));
    }
  };

  const session = { connection };
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    queue = queue
      .then(() => (isBinary ? handle(data) : handle(Buffer.alloc(0))))
      .catch((error: unknown) => {
        logger.error('session failed', { error });
        send(buildErrorResp(SatErrorResp_ErrorCode.INTERNAL));
        close(1011, 'Internal error');
      });
  });
  socket.on('close', () => {
    closed = true;
    stopListening();
    if (auth) context.clients.release(auth.clientId, session);
    logger.debug('connection closed');
  });
  socket.on('error', (error) => logger.debug('socket error', { error }));
}

function keyRecord(table: SyncedTable, key: string): Row {
  const values = JSON.parse(key) as (string | null)[];
  return Object.fromEntries(table.metadata.primaryKeys.map((column, i) => [column, values[i] ?? null])) as Row;
}

/** A SatOpGone's pk_data: the primary key columns from the row key, every other column NULL. */
function goneRow(table: SyncedTable, key: string) {
  return serializeRow(keyRecord(table, key) as Record<string, string | null>, table.rowColumns);
}
