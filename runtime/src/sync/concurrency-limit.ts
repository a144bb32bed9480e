// Runs at most `limit` tasks at once; the rest wait in arrival order. Used to bound how many PostgreSQL connections
// subscriptions open for their initial data, so a reconnect storm cannot exhaust max_connections.

export interface ConcurrencyLimit {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running and waiting, for status and tests. */
  stats(): { running: number; waiting: number };
}

export function createConcurrencyLimit(limit: number): ConcurrencyLimit {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return {
    async run(task) {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await task();
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length }),
  };
}
