// Keeps checking that the upstream database answers, and says so for /api/status. Retries with capped exponential
// backoff, so a database that comes up after the service is picked up without a restart.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeConfig } from '../config/index.ts';
import type { Logger } from '../logging/logger.ts';
import { connectToDatabase } from './connect.ts';

export type DatabaseStatus =
  | { readonly state: 'initializing' }
  | { readonly state: 'ready'; readonly serverVersion: string }
  | { readonly state: 'unreachable'; readonly reason: string; readonly retryInMs: number };

export interface DatabaseProbe {
  status(): DatabaseStatus;
  stop(): void;
}

export function startDatabaseProbe(config: RuntimeConfig, logger: Logger, recheckEveryMs = 10_000): DatabaseProbe {
  let current: DatabaseStatus = { state: 'initializing' };
  const abort = new AbortController();

  const loop = async () => {
    let backoffMs = 500;
    while (!abort.signal.aborted) {
      try {
        const client = await connectToDatabase(config);
        try {
          const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
          if (current.state !== 'ready') logger.info('database is reachable', { server_version: rows[0]?.server_version });
          current = { state: 'ready', serverVersion: rows[0]?.server_version ?? 'unknown' };
          backoffMs = 500;
        } finally {
          await client.end().catch(() => {});
        }
        await sleep(recheckEveryMs, undefined, { signal: abort.signal });
      } catch (error) {
        if (abort.signal.aborted) return;
        const reason = (error as Error).message;
        current = { state: 'unreachable', reason, retryInMs: backoffMs };
        logger.warn('cannot reach the database; will retry', {
          host: config.database.url.host,
          port: config.database.url.port,
          reason,
          retry_in_ms: backoffMs,
        });
        await sleep(backoffMs, undefined, { signal: abort.signal }).catch(() => {});
        backoffMs = Math.min(backoffMs * 2, 30_000);
      }
    }
  };
  void loop().catch(() => {});

  return { status: () => current, stop: () => abort.abort() };
}
