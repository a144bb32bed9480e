// One resource type watched in several namespaces (one informer each) or in all of them (one informer), read as one
// cache.
import { Informer, type Change, type InformerOptions } from './informer.ts';
import type { KubeObject } from './types.ts';

export type WatchScope = { readonly kind: 'all' } | { readonly kind: 'namespaces'; readonly namespaces: readonly string[] };

export class InformerSet<T extends KubeObject> {
  readonly informers: readonly Informer<T>[];
  readonly #byNamespace = new Map<string, Informer<T>>();
  readonly #all: Informer<T> | undefined;

  constructor(scope: WatchScope, options: Omit<InformerOptions, 'namespace'>) {
    if (scope.kind === 'all') {
      this.#all = new Informer<T>(options);
      this.informers = [this.#all];
    } else {
      this.informers = scope.namespaces.map((namespace) => {
        const informer = new Informer<T>({ ...options, namespace });
        this.#byNamespace.set(namespace, informer);
        return informer;
      });
    }
  }

  get(namespace: string, name: string): T | undefined {
    return (this.#all ?? this.#byNamespace.get(namespace))?.get(namespace, name);
  }

  list(namespace?: string): T[] {
    if (this.#all) return this.#all.list(namespace);
    if (namespace !== undefined) return this.#byNamespace.get(namespace)?.list(namespace) ?? [];
    return this.informers.flatMap((informer) => informer.list());
  }

  get size(): number {
    return this.informers.reduce((sum, informer) => sum + informer.size, 0);
  }

  onChange(handler: (change: Change<T>) => void): void {
    for (const informer of this.informers) informer.onChange(handler);
  }

  start(): void {
    for (const informer of this.informers) informer.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((informer) => informer.stop()));
  }

  hasSynced(): boolean {
    return this.informers.every((informer) => informer.hasSynced());
  }

  async waitForSync(): Promise<void> {
    await Promise.all(this.informers.map((informer) => informer.waitForSync()));
  }

  /** The longest time any of the watches has gone without traffic. */
  maxSilenceMs(now = Date.now()): number {
    return Math.max(0, ...this.informers.map((informer) => informer.silenceMs(now)));
  }
}
