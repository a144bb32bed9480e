// A minimal Satellite client for the fan-out benchmark: enough of the protocol to authenticate (insecure token),
// start replication from scratch, subscribe to one table, and notice when a given row arrives. The published
// electric-sql client (with SQLite) is far too heavy for 1,000 clients in one process; this one is a `ws` socket, a
// handful of closures and our own codec (runtime/src/client-protocol).
//
// What "has the row" means here: the WebSocket message carrying the SatOpLog with the insert of that row was handed to
// the client. The receive time is taken first thing in the 'message' handler, before decoding, so one client's decode
// does not count against it (it does delay the clients whose messages the event loop handles after it; the bare `ws`
// baseline does the same decode, so both sides pay it).
//
// Acks: every live transaction is acknowledged (SatOpLogAck{transactionId, lsn}), but only when the harness calls
// ackLatest() — after every client has the row — so acks stay out of the measured window. The server stops sending
// after 30 unacknowledged transactions; one commit in flight at a time keeps us far below that.
import { randomUUID } from 'node:crypto';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import WebSocket from 'ws';
import {
  decodeFrame,
  encodeFrame,
  MessageType,
  SatAuthReqSchema,
  SatAuthRespSchema,
  SatInStartReplicationReqSchema,
  SatInStartReplicationRespSchema,
  SatOpLogAckSchema,
  SatOpLogSchema,
  SatRpcRequestSchema,
  SatRpcResponseSchema,
  SatSubsReqSchema,
  SatSubsRespSchema,
  type SatOpLog,
} from '../../runtime/src/client-protocol/index.ts';

export const SATELLITE_SUBPROTOCOL = 'electric.0.12';

/** What every client of one process reports to: the row being waited for and where its arrival goes. */
export interface RowProbe {
  /** The primary key value of the row the harness is waiting for; undefined between measurements. */
  expectedId: string | undefined;
  /** Called once per client for the expected row, with the hrtime (ns) taken when its message arrived. */
  onRow(clientIndex: number, receivedAt: bigint, frame: Buffer): void;
}

/** The unsigned token insecure mode accepts: base64url({"alg":"none"}) . base64url(claims) . (empty signature). */
export function insecureToken(userId: string): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: userId, iat: now, exp: now + 24 * 3600 })}.`;
}

/**
 * Finds the insert of the row whose `idColumn` value is `id` in a SatOpLog frame (type byte included). Returns the
 * transaction id and LSN from the transaction's SatOpBegin when found. Shared by our clients and the bare baseline's.
 */
export function findInsert(
  frame: Buffer,
  id: string,
  idColumnIndex: (relationId: number) => number | undefined,
): { transactionId: bigint; lsn: Uint8Array } | undefined {
  const log: SatOpLog = fromBinary(SatOpLogSchema, frame.subarray(1), { readUnknownFields: false });
  let transactionId = 0n;
  let lsn: Uint8Array = new Uint8Array(0);
  let found = false;
  for (const { op } of log.ops) {
    if (op.case === 'begin') {
      transactionId = op.value.transactionId ?? 0n;
      lsn = op.value.lsn;
    } else if (op.case === 'insert' && !found) {
      const index = idColumnIndex(op.value.relationId);
      const value = index === undefined ? undefined : op.value.rowData?.values[index];
      if (value !== undefined && Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8') === id) found = true;
    }
  }
  return found ? { transactionId, lsn } : undefined;
}

export interface SatelliteBenchClient {
  readonly index: number;
  readonly clientId: string;
  /** The index of the `id` column of a relation, as learned from the server's SatRelation. */
  idColumnOf(relationId: number): number | undefined;
  /** Acknowledges the newest live transaction received, if it was not acknowledged yet. */
  ackLatest(): void;
  close(): void;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
}

export interface ConnectOptions {
  readonly url: string; // ws://127.0.0.1:PORT/ws
  readonly index: number;
  readonly table: string;
  readonly probe: RowProbe;
  readonly rpcTimeoutMs?: number;
  /** Called if the server closes the connection or sends an error after setup (a failed benchmark, not a hang). */
  readonly onFailure: (index: number, reason: string) => void;
}

/** Connects, authenticates, starts replication, subscribes to `table` and waits for its initial data to end. */
export async function connectSatelliteClient(options: ConnectOptions): Promise<SatelliteBenchClient> {
  const { index, probe } = options;
  const clientId = randomUUID();
  const socket = new WebSocket(options.url, SATELLITE_SUBPROTOCOL, { perMessageDeflate: false });
  socket.binaryType = 'nodebuffer';
  const idColumns = new Map<number, number>(); // relation id → index of the `id` column
  const pending = new Map<string, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
  let nextRequestId = 1;
  let ready = false;
  let subsDataEnd: (() => void) | undefined;
  let latest: { transactionId: bigint; lsn: Uint8Array } | undefined;
  let acked = true;

  const fail = (reason: string) => {
    for (const waiter of pending.values()) waiter.reject(new Error(reason));
    pending.clear();
    if (ready) options.onFailure(index, reason);
  };

  let closeInfo = '';
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('close', (code, reason) => {
    closeInfo = `${code} ${reason.toString()}`;
    fail(`client ${index}: connection closed (${closeInfo})`);
  });
  socket.on('error', (error) => fail(`client ${index}: ${error.message}`));

  socket.on('message', (data: Buffer) => {
    const receivedAt = process.hrtime.bigint();
    const type = data[0];
    if (type === MessageType.SatOpLog) {
      const expected = probe.expectedId;
      if (expected === undefined) return; // initial data or something we do not wait for
      const hit = findInsert(data, expected, (relationId) => idColumns.get(relationId));
      if (!hit) return;
      if (hit.transactionId !== 0n) {
        latest = hit;
        acked = false;
      }
      probe.onRow(index, receivedAt, data);
      return;
    }
    const frame = decodeFrame(data);
    switch (frame.name) {
      case 'SatRelation': {
        const column = frame.message.columns.findIndex((c) => c.name === 'id');
        if (column >= 0) idColumns.set(frame.message.relationId, column);
        return;
      }
      case 'SatRpcResponse': {
        const key = `${frame.message.method}/${frame.message.requestId}`;
        const waiter = pending.get(key);
        if (!waiter) return;
        pending.delete(key);
        const result = frame.message.result;
        if (result.case === 'message') waiter.resolve(result.value);
        else waiter.reject(new Error(`${key} failed: ${result.case === 'error' ? `${result.value.errorType} ${result.value.message ?? ''}` : 'empty answer'}`));
        return;
      }
      case 'SatRpcRequest': // the server's own calls (startReplication of our outbound stream): answer with an empty message
        socket.send(
          encodeFrame(
            create(SatRpcResponseSchema, {
              method: frame.message.method,
              requestId: frame.message.requestId,
              result: { case: 'message', value: new Uint8Array(0) },
            }),
          ),
        );
        return;
      case 'SatSubsDataEnd':
        subsDataEnd?.();
        return;
      case 'SatErrorResp':
        fail(`client ${index}: server error ${frame.message.errorType} ${frame.message.message ?? ''}`);
        return;
      default:
        return; // SubsDataBegin, ShapeData*, …
    }
  });

  const rpc = (method: string, body: Uint8Array): Promise<Uint8Array> => {
    const requestId = nextRequestId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(`${method}/${requestId}`);
        reject(new Error(`client ${index}: ${method} timed out`));
      }, options.rpcTimeoutMs ?? 15_000);
      pending.set(`${method}/${requestId}`, {
        resolve: (bytes) => (clearTimeout(timer), resolve(bytes)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      socket.send(encodeFrame(create(SatRpcRequestSchema, { method, requestId, message: body })));
    });
  };

  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`client ${index}: upgrade refused with ${response.statusCode}`)));
    });

    fromBinary(SatAuthRespSchema, await rpc('authenticate', toBinary(SatAuthReqSchema, create(SatAuthReqSchema, { id: clientId, token: insecureToken('u1') }))));

    const started = fromBinary(
      SatInStartReplicationRespSchema,
      await rpc('startReplication', toBinary(SatInStartReplicationReqSchema, create(SatInStartReplicationReqSchema, { lsn: new Uint8Array(0) }))),
    );
    if (started.err) throw new Error(`client ${index}: startReplication refused: ${started.err.code} ${started.err.message}`);

    const dataEnded = new Promise<void>((resolve) => (subsDataEnd = resolve));
    const subscriptionId = randomUUID();
    const subscribed = fromBinary(
      SatSubsRespSchema,
      await rpc(
        'subscribe',
        toBinary(
          SatSubsReqSchema,
          create(SatSubsReqSchema, {
            subscriptionId,
            shapeRequests: [{ requestId: randomUUID(), shapeDefinition: { selects: [{ tablename: options.table }] } }],
          }),
        ),
      ),
    );
    if (subscribed.err) {
      const shapes = subscribed.err.shapeRequestError.map((e) => `${e.code} ${e.message}`).join('; ');
      throw new Error(`client ${index}: subscribe refused: ${subscribed.err.code} ${subscribed.err.message} ${shapes}`);
    }
    await Promise.race([
      dataEnded,
      closed.then(() => Promise.reject(new Error(`client ${index}: closed before SatSubsDataEnd (${closeInfo})`))),
    ]);
  } catch (error) {
    socket.terminate();
    throw error;
  }
  ready = true;

  return {
    index,
    clientId,
    closed,
    idColumnOf: (relationId) => idColumns.get(relationId),
    ackLatest() {
      if (acked || !latest || socket.readyState !== WebSocket.OPEN) return;
      acked = true;
      socket.send(
        encodeFrame(
          create(SatOpLogAckSchema, {
            ackTimestamp: BigInt(Date.now()),
            lsn: latest.lsn,
            transactionId: latest.transactionId,
          }),
        ),
      );
    },
    close() {
      ready = false;
      socket.close(1000);
      setTimeout(() => socket.terminate(), 1_000).unref();
    },
  };
}
