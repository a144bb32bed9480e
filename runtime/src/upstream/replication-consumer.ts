// Keeps a replication stream running: connect, make sure the slot exists, stream, hand each transaction to the
// handler, acknowledge it once the handler is done (the handler resolves only when the transaction is durable), and
// on any failure reconnect with capped exponential backoff, resuming right after the last handled transaction.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeConfig } from '../config/index.ts';
import type { Logger } from '../logging/logger.ts';
import { formatLsn } from '../pgwire/index.ts';
import { connectToDatabase } from './connect.ts';
import { ensureReplicationSlot } from './replication-slot.ts';
import { startReplicationStream, type ReplicationStream } from './replication-stream.ts';
import type { ReplicatedTransaction } from './transaction.ts';

export type ConsumerStatus =
  | { readonly state: 'connecting'; readonly attempt: number }
  | { readonly state: 'streaming'; readonly slot: string; readonly handledLsn: string }
  | { readonly state: 'waiting'; readonly reason: string; readonly retryInMs: number; readonly attempt: number }
  | { readonly state: 'stopped' };

export interface ReplicationConsumerOptions {
  readonly config: RuntimeConfig;
  readonly slotName: string;
  readonly publicationName: string;
  readonly logger: Logger;
  /** Resume after this LSN (e.g. what a durable sink already holds). Default: the slot's confirmed position. */
  readonly startLsn?: bigint;
  /** Handles one transaction; resolve only once it is durable, since that is what lets the slot move past it. */
  readonly handle: (transaction: ReplicatedTransaction) => Promise<void>;
  readonly statusIntervalMs?: number;
  readonly maxQueuedBytes?: number;
  readonly maxBackoffMs?: number;
  /** WAL the slot keeps behind what was handled, to rebuild in-memory state after a restart. Default 0. */
  readonly retainWalBytes?: bigint;
}

export interface ReplicationConsumer {
  status(): ConsumerStatus;
  stop(): Promise<void>;
}

export function startReplicationConsumer(options: ReplicationConsumerOptions): ReplicationConsumer {
  const { logger } = options;
  let status: ConsumerStatus = { state: 'connecting', attempt: 1 };
  let handledLsn = options.startLsn ?? 0n;
  let stream: ReplicationStream | undefined;
  const abort = new AbortController();

  const runOnce = async () => {
    const client = await connectToDatabase(options.config, 'replication');
    if (abort.signal.aborted) {
      await client.end();
      return;
    }
    const slot = await ensureReplicationSlot(client, options.slotName);
    if (slot === 'created') logger.info('created replication slot', { slot: options.slotName });
    stream = startReplicationStream({
      client,
      slotName: options.slotName,
      publicationName: options.publicationName,
      startLsn: handledLsn,
      logger,
      ...(options.statusIntervalMs !== undefined ? { statusIntervalMs: options.statusIntervalMs } : {}),
      ...(options.maxQueuedBytes !== undefined ? { maxQueuedBytes: options.maxQueuedBytes } : {}),
      ...(options.retainWalBytes !== undefined ? { retainWalBytes: options.retainWalBytes } : {}),
    });
    status = { state: 'streaming', slot: options.slotName, handledLsn: formatLsn(handledLsn) };
    try {
      for await (const transaction of stream) {
        await options.handle(transaction);
        handledLsn = transaction.endLsn;
        stream.acknowledge(transaction.endLsn);
        status = { state: 'streaming', slot: options.slotName, handledLsn: formatLsn(handledLsn) };
      }
    } finally {
      await stream.close();
      stream = undefined;
    }
  };

  const loop = async () => {
    let attempt = 1;
    const maxBackoffMs = options.maxBackoffMs ?? 30_000;
    while (!abort.signal.aborted) {
      try {
        await runOnce();
        attempt = 1;
      } catch (error) {
        if (abort.signal.aborted) break;
        const retryInMs = Math.min(250 * 2 ** (attempt - 1), maxBackoffMs);
        const reason = (error as Error).message;
        status = { state: 'waiting', reason, retryInMs, attempt };
        logger.warn('replication interrupted; reconnecting', { reason, retry_in_ms: retryInMs, resume_after: formatLsn(handledLsn) });
        await sleep(retryInMs, undefined, { signal: abort.signal }).catch(() => {});
        attempt++;
        status = { state: 'connecting', attempt };
      }
    }
    status = { state: 'stopped' };
  };
  const running = loop();

  return {
    status: () => status,
    async stop() {
      abort.abort();
      await stream?.close();
      await running;
    },
  };
}
