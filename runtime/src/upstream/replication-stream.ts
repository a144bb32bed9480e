// One logical replication session from a persistent slot: START_REPLICATION with pgoutput, transactions out as an
// async iterable, flush positions back as standby status updates.
//
// Invariants:
// - Only what downstream acknowledged (acknowledge(lsn)) is confirmed as flushed. The one exception is when nothing
//   is in flight at all — no open transaction, nothing queued, everything delivered acknowledged — and the server
//   reports its WAL end in a keepalive: then no change of interest lies before that point (pgoutput sends nothing for
//   transactions on unpublished tables), so confirming it is safe, and it stops the slot from retaining WAL forever
//   when only other tables change (the failure of Electric issue #1083).
// - Memory is bounded: when the queue of decoded transactions is over its limit the socket is paused, so Postgres
//   waits instead of us buffering. A status update goes out on a timer even then, well inside wal_sender_timeout.
// - Nothing is skipped silently: a decoding error ends the stream with that error.
// - Acknowledging is cheap: acknowledge(lsn) only records the position, and at most one status update per event-loop
//   turn carries it (plus the periodic one), so a burst of small transactions is not a burst of socket writes.
// - The read path allocates little per message: each XLogData is decoded where it lies in its CopyData chunk, with
//   one Reader reused for the whole stream and released (pointed at an empty buffer) after every message.
import type pg from 'pg';
import {
  createPgoutputDecoder,
  dateToPgMicros,
  formatLsn,
  parseReplicationMessage,
  Reader,
  ReplicationMessageCode,
  serializeStandbyStatusUpdate,
} from '../pgwire/index.ts';
import type { PgoutputMessage } from '../pgwire/index.ts';
import type { Logger } from '../logging/logger.ts';
import { createTransactionAssembler } from './transaction-assembler.ts';
import type { ReplicatedTransaction } from './transaction.ts';

export interface ReplicationStreamOptions {
  /** A connection opened with replication=database. The stream owns it from now on and ends it on close. */
  readonly client: pg.Client;
  readonly slotName: string;
  readonly publicationName: string;
  /** Resume after this position: transactions ending at or before it are not delivered. 0n: the slot's position. */
  readonly startLsn: bigint;
  readonly logger: Logger;
  /** Pause reading from Postgres while this many bytes of decoded transactions wait downstream. Default 64 MiB. */
  readonly maxQueuedBytes?: number;
  /** How often to send a status update (and ask for the server's WAL end when idle). Default 10 s. */
  readonly statusIntervalMs?: number;
  /**
   * Confirm this many bytes less than what was acknowledged, so the slot keeps that much WAL to replay after a
   * restart (ELECTRIC_RESUMABLE_WAL_WINDOW). Default 0.
   */
  readonly retainWalBytes?: bigint;
}

export interface ReplicationStream extends AsyncIterable<ReplicatedTransaction> {
  /** Everything up to `lsn` (a transaction's endLsn) is durably handled downstream. */
  acknowledge(lsn: bigint): void;
  /** Ends the session. Pending iteration finishes without error. */
  close(): Promise<void>;
  /** Positions, for status and logs. */
  positions(): { received: bigint; delivered: bigint; acknowledged: bigint };
}

interface CopyDataMessage {
  readonly chunk: Buffer;
}

interface PgConnectionInternals {
  on(event: 'copyData', listener: (message: CopyDataMessage) => void): void;
  sendCopyFromChunk(chunk: Buffer): void;
  stream: { pause(): void; resume(): void };
}

// XLogData: Byte1('w'), Int64 walStart, Int64 walEnd, Int64 serverTime, then one pgoutput message.
const XLOG_DATA_HEADER_BYTES = 25;
const EMPTY = Buffer.alloc(0);

export function startReplicationStream(options: ReplicationStreamOptions): ReplicationStream {
  const { client, logger } = options;
  const connection = (client as unknown as { connection: PgConnectionInternals }).connection;
  const maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
  const decoder = createPgoutputDecoder();
  const assembler = createTransactionAssembler();
  const reader = new Reader(EMPTY); // reused for every XLogData; points at nothing between messages

  const queue: ReplicatedTransaction[] = [];
  let queuedBytes = 0;
  let paused = false;
  let received = options.startLsn;
  let delivered = options.startLsn;
  let acknowledged = options.startLsn;
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const retainWalBytes = options.retainWalBytes ?? 0n;
  let confirmed = 0n; // the flush position last sent; never moves backwards
  let statusUpdate: NodeJS.Immediate | undefined; // the status update acknowledge() scheduled for this turn

  const flushPosition = () => {
    const position = acknowledged - retainWalBytes;
    if (position > confirmed) confirmed = position;
    return confirmed;
  };

  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  const finish = (error?: unknown) => {
    if (ended) return;
    ended = true;
    if (error !== undefined) failure = error;
    clearInterval(statusTimer);
    if (statusUpdate !== undefined) clearImmediate(statusUpdate);
    statusUpdate = undefined;
    notify();
  };

  const isIdle = () => !assembler.inTransaction && queue.length === 0 && acknowledged >= delivered;

  const sendStatus = (replyRequested: boolean) => {
    if (ended) return;
    try {
      connection.sendCopyFromChunk(
        serializeStandbyStatusUpdate({
          written: received,
          flushed: flushPosition(),
          applied: flushPosition(),
          clientTime: dateToPgMicros(new Date()),
          replyRequested,
        }),
      );
    } catch (error) {
      finish(error);
    }
  };

  // One pgoutput message, decoded where it lies in the CopyData chunk (after the XLogData header): no XLogData
  // object, no Buffer view, no Reader per message.
  const onXLogData = (walStart: bigint, chunk: Buffer) => {
    if (walStart > received) received = walStart;
    let change: PgoutputMessage;
    try {
      change = decoder.decodeNext(reader.reset(chunk, XLOG_DATA_HEADER_BYTES));
      reader.expectEnd(change.type);
    } finally {
      reader.reset(EMPTY); // don't keep the chunk alive
    }
    const transaction = assembler.push(change, chunk.length - XLOG_DATA_HEADER_BYTES);
    if (!transaction) return;
    if (transaction.endLsn > received) received = transaction.endLsn;
    // After a reconnect Postgres may resend a transaction we already delivered; never deliver it twice.
    if (transaction.endLsn <= delivered) return;
    queue.push(transaction);
    queuedBytes += transaction.approximateBytes;
    if (queuedBytes > maxQueuedBytes && !paused) {
      paused = true;
      connection.stream.pause();
      logger.debug('downstream is slow: pausing replication', { queued_bytes: queuedBytes });
    }
    notify();
  };

  const sendScheduledStatus = () => {
    statusUpdate = undefined;
    sendStatus(false);
  };

  const onCopyData = ({ chunk }: CopyDataMessage) => {
    if (ended) return;
    try {
      if (chunk[0] === ReplicationMessageCode.XLogData && chunk.length >= XLOG_DATA_HEADER_BYTES) {
        onXLogData(chunk.readBigUInt64BE(1), chunk);
        return;
      }
      // Keepalives, and anything malformed (parseReplicationMessage throws the right PgwireError for it).
      const message = parseReplicationMessage(chunk);
      if (message.type === 'XLogData') {
        onXLogData(message.walStart, chunk); // not reached: a well-formed XLogData took the path above
        return;
      }
      if (isIdle() && message.walEnd > acknowledged) {
        acknowledged = message.walEnd;
        delivered = message.walEnd;
        received = message.walEnd > received ? message.walEnd : received;
      }
      if (message.replyRequested) sendStatus(false);
    } catch (error) {
      finish(error);
      void client.end().catch(() => {});
    }
  };

  connection.on('copyData', onCopyData);
  client.on('error', (error) => finish(error));
  client.on('end', () => finish(ended ? undefined : new Error('the replication connection closed')));

  const command =
    `START_REPLICATION SLOT "${options.slotName}" LOGICAL ${formatLsn(options.startLsn)} ` +
    `(proto_version '1', publication_names '${options.publicationName}', messages 'true')`;
  logger.info('starting replication', { slot: options.slotName, from_lsn: formatLsn(options.startLsn) });
  client.query(command).then(
    () => finish(new Error('the server ended replication')),
    (error: unknown) => finish(error),
  );

  const statusTimer = setInterval(() => sendStatus(isIdle()), options.statusIntervalMs ?? 10_000);
  statusTimer.unref();

  const next = async (): Promise<IteratorResult<ReplicatedTransaction>> => {
    for (;;) {
      const transaction = queue.shift();
      if (transaction) {
        queuedBytes -= transaction.approximateBytes;
        delivered = transaction.endLsn;
        if (paused && queuedBytes <= maxQueuedBytes / 2) {
          paused = false;
          connection.stream.resume();
        }
        return { value: transaction, done: false };
      }
      if (ended) {
        if (failure !== undefined) {
          const error = failure;
          failure = undefined;
          throw error;
        }
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };

  return {
    [Symbol.asyncIterator]: () => ({ next, return: async () => ({ value: undefined, done: true }) }),
    acknowledge(lsn) {
      if (lsn <= acknowledged) return;
      acknowledged = lsn;
      // Coalesce: every acknowledgement made in this turn of the event loop goes out in one status update.
      if (statusUpdate === undefined && !ended) statusUpdate = setImmediate(sendScheduledStatus);
    },
    positions: () => ({ received, delivered, acknowledged }),
    async close() {
      if (!ended) {
        sendStatus(false); // a last status update: the slot moves as far as we got
        finish();
      }
      await client.end().catch(() => {});
    },
  };
}
