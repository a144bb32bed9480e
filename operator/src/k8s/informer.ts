// A list-then-watch cache of one resource type in one namespace (or all), written for an operator that must not go
// deaf. client-node's informers are known to stop delivering events without an error (kubernetes-client/javascript
// #596, #958), so this one:
//   - watches with bookmarks and a server-side timeout, resuming from the last resourceVersion;
//   - restarts a watch that has been silent (no event, not even a bookmark) for `watchdogMs`;
//   - re-lists everything every `relistIntervalMs` (jittered), turning differences into add/update/delete events;
//   - re-lists at once when the server says the resourceVersion is too old (410 Gone);
//   - backs off exponentially (with jitter) after errors, and never stops until stop() is called.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../runtime/src/logging/logger.ts';
import { describeError, isGone, KubeApiError, type StatusBody } from './errors.ts';
import { collectionPath, type ResourceType } from './resources.ts';
import type { KubeClient } from './rest-client.ts';
import type { KubeObject } from './types.ts';
import { readWatchEvents } from './watch-lines.ts';

export type ChangeType = 'add' | 'update' | 'delete';
export interface Change<T> {
  readonly type: ChangeType;
  readonly object: T;
  readonly old?: T;
}
export type RestartReason = 'closed' | 'watchdog' | 'relist-timer' | 'expired' | 'error';

export interface InformerOptions {
  readonly client: KubeClient;
  readonly type: ResourceType;
  /** Undefined: all namespaces. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly logger: Logger;
  /** Full re-list period (default 10 min), ±10 % jitter. */
  readonly relistIntervalMs?: number;
  /** A watch with no traffic for this long is restarted (default 150 s; the server sends bookmarks about every minute). */
  readonly watchdogMs?: number;
  /** Server-side watch timeout, randomised between this and twice this (default 300 s), as client-go does. */
  readonly watchTimeoutSeconds?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly onRestart?: (reason: RestartReason) => void;
  readonly onList?: (items: number) => void;
  readonly random?: () => number;
}

export function objectKey(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

export class Informer<T extends KubeObject> {
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly #options: InformerOptions;
  readonly #random: () => number;
  #store = new Map<string, T>();
  readonly #handlers: ((change: Change<T>) => void)[] = [];
  #resourceVersion = '';
  #synced = false;
  #syncWaiters: (() => void)[] = [];
  #stopped = true;
  #relistDue = false;
  #watchAbort: AbortController | undefined;
  #abortReason: RestartReason = 'closed';
  #relistTimer: NodeJS.Timeout | undefined;
  #loop: Promise<void> | undefined;
  #lastEventAt = 0;

  constructor(options: InformerOptions) {
    this.type = options.type;
    this.namespace = options.namespace;
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  onChange(handler: (change: Change<T>) => void): void {
    this.#handlers.push(handler);
  }

  get(namespace: string, name: string): T | undefined {
    return this.#store.get(`${namespace}/${name}`);
  }

  list(namespace?: string): T[] {
    const all = [...this.#store.values()];
    return namespace === undefined ? all : all.filter((object) => object.metadata?.namespace === namespace);
  }

  get size(): number {
    return this.#store.size;
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  /** Milliseconds since the watch last received anything; for health checks. */
  silenceMs(now = Date.now()): number {
    return this.#lastEventAt === 0 ? 0 : now - this.#lastEventAt;
  }

  waitForSync(): Promise<void> {
    return this.#synced ? Promise.resolve() : new Promise((resolve) => this.#syncWaiters.push(resolve));
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#scheduleRelist();
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#relistTimer);
    this.#watchAbort?.abort();
    await this.#loop;
  }

  #emit(change: Change<T>): void {
    for (const handler of this.#handlers) {
      try {
        handler(change);
      } catch (error) {
        this.#options.logger.error('informer handler failed', { resource: this.type.plural, error: describeError(error) });
      }
    }
  }

  #scheduleRelist(): void {
    const base = this.#options.relistIntervalMs ?? 600_000;
    const delay = base * (0.9 + 0.2 * this.#random());
    this.#relistTimer = setTimeout(() => {
      this.#relistDue = true;
      this.#abortReason = 'relist-timer';
      this.#watchAbort?.abort();
      this.#scheduleRelist();
    }, delay);
    this.#relistTimer.unref();
  }

  #path(): string {
    return collectionPath(this.type, this.namespace);
  }

  #selectors(): Record<string, string | undefined> {
    return { labelSelector: this.#options.labelSelector, fieldSelector: this.#options.fieldSelector };
  }

  async #run(): Promise<void> {
    const { initialMs, maxMs } = this.#options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    let backoffMs = initialMs;
    while (!this.#stopped) {
      try {
        if (!this.#resourceVersion || this.#relistDue) await this.#relist();
        const reason = await this.#watch();
        if (reason === 'expired') this.#resourceVersion = '';
        this.#options.onRestart?.(reason);
        backoffMs = initialMs;
      } catch (error) {
        if (this.#stopped) break;
        if (isGone(error)) {
          this.#resourceVersion = '';
          this.#options.onRestart?.('expired');
          continue;
        }
        this.#options.onRestart?.('error');
        const retryAfterMs = error instanceof KubeApiError && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
        const delay = Math.max(retryAfterMs, backoffMs * (0.5 + this.#random()));
        this.#options.logger.warn('list/watch failed; retrying', {
          resource: this.type.plural,
          namespace: this.namespace ?? '*',
          error: describeError(error),
          retry_in_ms: Math.round(delay),
        });
        await sleep(delay).catch(() => {});
        backoffMs = Math.min(backoffMs * 2, maxMs);
      }
    }
  }

  async #relist(): Promise<void> {
    this.#relistDue = false;
    const { items, resourceVersion } = await this.#options.client.list<T>(this.#path(), this.#selectors());
    this.#options.onList?.(items.length);
    const fresh = new Map<string, T>();
    for (const item of items) fresh.set(objectKey(item), item);
    const previous = this.#store;
    this.#store = fresh;
    this.#resourceVersion = resourceVersion;
    for (const [key, item] of fresh) {
      const old = previous.get(key);
      if (!old) this.#emit({ type: 'add', object: item });
      else if (old.metadata?.resourceVersion !== item.metadata?.resourceVersion) this.#emit({ type: 'update', object: item, old });
    }
    for (const [key, old] of previous) if (!fresh.has(key)) this.#emit({ type: 'delete', object: old });
    if (!this.#synced) {
      this.#synced = true;
      for (const resolve of this.#syncWaiters.splice(0)) resolve();
    }
  }

  async #watch(): Promise<RestartReason> {
    const abort = new AbortController();
    this.#watchAbort = abort;
    this.#abortReason = 'closed';
    if (this.#stopped || this.#relistDue) return this.#relistDue ? 'relist-timer' : 'closed';
    const watchdogMs = this.#options.watchdogMs ?? 150_000;
    let watchdog: NodeJS.Timeout | undefined;
    const feed = () => {
      this.#lastEventAt = Date.now();
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        this.#abortReason = 'watchdog';
        abort.abort();
      }, watchdogMs);
      watchdog.unref();
    };
    const timeoutBase = this.#options.watchTimeoutSeconds ?? 300;
    try {
      feed();
      const body = await this.#options.client.stream(
        this.#path(),
        {
          watch: 1,
          resourceVersion: this.#resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: Math.round(timeoutBase * (1 + this.#random())),
          ...this.#selectors(),
        },
        abort.signal,
      );
      for await (const event of readWatchEvents<T>(body, feed)) {
        if (event.type === 'ERROR') {
          const status = event.object as StatusBody;
          if (status.code === 410) return 'expired';
          throw new KubeApiError(status.code ?? 500, `watch ${this.#path()}`, status);
        }
        const rv = event.object.metadata?.resourceVersion;
        if (event.type === 'BOOKMARK') {
          if (rv) this.#resourceVersion = rv;
          continue;
        }
        const key = objectKey(event.object);
        const old = this.#store.get(key);
        if (event.type === 'DELETED') {
          this.#store.delete(key);
          this.#emit({ type: 'delete', object: event.object });
        } else {
          this.#store.set(key, event.object);
          if (!old) this.#emit({ type: 'add', object: event.object });
          else if (old.metadata?.resourceVersion !== rv) this.#emit({ type: 'update', object: event.object, old });
        }
        if (rv) this.#resourceVersion = rv;
      }
      return 'closed';
    } catch (error) {
      if (abort.signal.aborted) return this.#abortReason;
      throw error;
    } finally {
      clearTimeout(watchdog);
      abort.abort();
    }
  }
}
