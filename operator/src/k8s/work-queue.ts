// The reconcile queue. Keys (namespace/name) are deduplicated while they wait; one key is never processed by two
// workers at once (an add during processing runs it again afterwards); failures are retried with per-key exponential
// backoff; a success may ask to come back later. Time is injectable so tests need not sleep.

export interface ProcessResult {
  /** Reconcile again after this long (a missing prerequisite, a rollout to watch). */
  readonly requeueAfterMs?: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface WorkQueueOptions {
  readonly process: (key: string) => Promise<ProcessResult | void>;
  readonly concurrency?: number;
  /** Backoff after the n-th consecutive failure of a key: min(baseMs · 2ⁿ⁻¹, maxMs). */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  readonly timers?: Timers;
  readonly onError?: (key: string, error: unknown, retryInMs: number) => void;
}

export class WorkQueue {
  readonly #options: WorkQueueOptions;
  readonly #timers: Timers;
  readonly #concurrency: number;
  readonly #waiting = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #delayed = new Map<string, { handle: unknown; dueAt: number }>();
  readonly #idleWaiters: (() => void)[] = [];
  #running = false;
  #adds = 0;

  constructor(options: WorkQueueOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
  }

  /** Keys waiting to be processed (not counting delayed ones). */
  get depth(): number {
    return this.#waiting.size;
  }

  get processingCount(): number {
    return this.#processing.size;
  }

  get delayedCount(): number {
    return this.#delayed.size;
  }

  /** How many times add() put a key in the queue (not counting duplicates). */
  get adds(): number {
    return this.#adds;
  }

  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  start(): void {
    this.#running = true;
    this.#pump();
  }

  /** Stops taking keys and waits for the ones in progress. Waiting and delayed keys are dropped. */
  async shutdown(): Promise<void> {
    this.#running = false;
    for (const { handle } of this.#delayed.values()) this.#timers.clearTimeout(handle);
    this.#delayed.clear();
    this.#waiting.clear();
    if (this.#processing.size > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  add(key: string): void {
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#waiting.has(key)) return;
    const delayed = this.#delayed.get(key);
    if (delayed) {
      this.#timers.clearTimeout(delayed.handle);
      this.#delayed.delete(key);
    }
    this.#waiting.add(key);
    this.#adds++;
    this.#pump();
  }

  /** Adds the key after `ms`, unless it is added sooner; of two delays, the earlier wins. */
  addAfter(key: string, ms: number, now = Date.now()): void {
    if (ms <= 0) return this.add(key);
    const dueAt = now + ms;
    const existing = this.#delayed.get(key);
    if (existing && existing.dueAt <= dueAt) return;
    if (existing) this.#timers.clearTimeout(existing.handle);
    const handle = this.#timers.setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, ms);
    this.#delayed.set(key, { handle, dueAt });
  }

  /** Forgets a key's failure count (e.g. when its object is deleted). */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  backoffFor(failures: number): number {
    const { baseMs, maxMs } = this.#options.backoff ?? { baseMs: 500, maxMs: 5 * 60_000 };
    return Math.min(baseMs * 2 ** Math.max(0, failures - 1), maxMs);
  }

  #pump(): void {
    while (this.#running && this.#processing.size < this.#concurrency && this.#waiting.size > 0) {
      const key = this.#waiting.values().next().value as string;
      this.#waiting.delete(key);
      this.#processing.add(key);
      void this.#run(key);
    }
  }

  async #run(key: string): Promise<void> {
    try {
      const result = await this.#options.process(key);
      this.#failures.delete(key);
      if (result?.requeueAfterMs !== undefined && this.#running) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const failures = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      const retryInMs = this.backoffFor(failures);
      this.#options.onError?.(key, error, retryInMs);
      if (this.#running) this.addAfter(key, retryInMs);
    } finally {
      this.#processing.delete(key);
      if (this.#dirty.delete(key) && this.#running) this.add(key);
      if (this.#processing.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
      this.#pump();
    }
  }
}
