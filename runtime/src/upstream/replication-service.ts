// The read path as one service: prepare the database (schema, publication), then stream from the persistent slot
// into the transaction log, reconnecting with backoff. Its status tells /api/status what it is waiting for.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { RuntimeConfig } from '../config/index.ts';
import type { Logger } from '../logging/logger.ts';
import { publicationName } from '../postgres-setup/index.ts';
import { connectToDatabase } from './connect.ts';
import { startReplicationConsumer, type ReplicationConsumer } from './replication-consumer.ts';
import type { ReplicatedTransaction } from './transaction.ts';

export type Readiness =
  | { readonly state: 'ready'; readonly detail: string }
  | { readonly state: 'initializing'; readonly detail: string }
  | { readonly state: 'unavailable'; readonly reason: string; readonly retryInMs: number };

export interface ReplicationServiceOptions {
  readonly config: RuntimeConfig;
  readonly logger: Logger;
  readonly slotName: string;
  /** Takes each replicated transaction, in commit order; it must be durable (or rebuildable) when this returns. */
  readonly onTransaction: (transaction: ReplicatedTransaction) => void;
  /** Installs or upgrades what the service needs in the database; idempotent. */
  readonly prepareDatabase: (client: pg.Client) => Promise<void>;
  readonly maxBackoffMs?: number;
}

export interface ReplicationService {
  readiness(): Readiness;
  stop(): Promise<void>;
}

export function startReplicationService(options: ReplicationServiceOptions): ReplicationService {
  const { config, logger } = options;
  const abort = new AbortController();
  let consumer: ReplicationConsumer | undefined;
  let preparing: Readiness = { state: 'initializing', detail: 'connecting to PostgreSQL' };

  const prepare = async () => {
    let attempt = 1;
    while (!abort.signal.aborted) {
      try {
        const client = await connectToDatabase(config);
        try {
          preparing = { state: 'initializing', detail: 'installing the electric schema and publication' };
          await options.prepareDatabase(client);
        } finally {
          await client.end().catch(() => {});
        }
        return true;
      } catch (error) {
        const retryInMs = Math.min(500 * 2 ** (attempt - 1), options.maxBackoffMs ?? 30_000);
        const reason = (error as Error).message;
        preparing = { state: 'unavailable', reason, retryInMs };
        logger.warn('cannot prepare the database; will retry', { reason, retry_in_ms: retryInMs });
        await sleep(retryInMs, undefined, { signal: abort.signal }).catch(() => {});
        attempt++;
      }
    }
    return false;
  };

  const running = prepare().then((prepared) => {
    if (!prepared || abort.signal.aborted) return;
    consumer = startReplicationConsumer({
      config,
      logger,
      slotName: options.slotName,
      publicationName,
      // Keep the WAL window in the slot, so a restarted service can rebuild its log of recent transactions.
      retainWalBytes: BigInt(config.resumableWalWindowBytes),
      ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
      handle: async (transaction) => options.onTransaction(transaction),
    });
  });

  return {
    readiness() {
      if (!consumer) return preparing;
      const status = consumer.status();
      switch (status.state) {
        case 'streaming':
          return { state: 'ready', detail: `streaming from slot ${status.slot} at ${status.handledLsn}` };
        case 'connecting':
          return { state: 'initializing', detail: `starting replication (attempt ${status.attempt})` };
        case 'waiting':
          return { state: 'unavailable', reason: `replication interrupted: ${status.reason}`, retryInMs: status.retryInMs };
        case 'stopped':
          return { state: 'unavailable', reason: 'stopped', retryInMs: 0 };
      }
    },
    async stop() {
      abort.abort();
      await running;
      await consumer?.stop();
    },
  };
}
