// Leader election on a coordination.k8s.io/v1 Lease, as client-go does it (client-node has none). Candidates try to
// take the Lease every retryPeriod; the holder renews it every retryPeriod and gives up leadership when it could not
// renew for renewDeadline. A Lease counts as expired when its record has not changed for leaseDuration *as measured
// on this process's clock* since it was last seen to change, so clock skew between replicas does not matter.
// Renewals write the Lease with the resourceVersion of our last write (one request), reading it only on a conflict.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../runtime/src/logging/logger.ts';
import { describeError, isAlreadyExists, isConflict, isNotFound } from './errors.ts';
import { collectionPath, objectPath, resourceTypes } from './resources.ts';
import type { KubeClient } from './rest-client.ts';
import type { Lease } from './types.ts';

export interface LeaderElectionOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly fieldManager: string;
  readonly logger: Logger;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly now?: () => number;
}

/** A Lease's spec with the times as the API server stores them: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export type LeaseDecision = 'take' | 'renew' | 'wait';

/**
 * What a candidate should do with the Lease it read. `observedAt` is when (on our clock) the Lease's record was last
 * seen to change.
 */
export function decide(spec: Lease['spec'] | undefined, identity: string, observedAt: number, now: number): LeaseDecision {
  const holder = spec?.holderIdentity ?? '';
  if (holder === identity) return 'renew';
  if (holder === '') return 'take';
  const durationMs = (spec?.leaseDurationSeconds ?? 15) * 1000;
  return observedAt + durationMs < now ? 'take' : 'wait';
}

function recordOf(spec: Lease['spec'] | undefined): string {
  return JSON.stringify([spec?.holderIdentity ?? '', spec?.renewTime ?? '', spec?.leaseTransitions ?? 0]);
}

export class LeaderElector {
  readonly #o: Required<Omit<LeaderElectionOptions, 'now'>> & { now: () => number };
  #lease: Lease | undefined;
  #observedRecord = '';
  #observedAt = 0;
  #leader = false;

  constructor(options: LeaderElectionOptions) {
    this.#o = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      now: Date.now,
      ...options,
    };
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  #path(): string {
    return objectPath(resourceTypes.lease, this.#o.namespace, this.#o.name);
  }

  #spec(previous: Lease['spec'] | undefined, now: number): NonNullable<Lease['spec']> {
    const mine = previous?.holderIdentity === this.#o.identity;
    return {
      holderIdentity: this.#o.identity,
      leaseDurationSeconds: Math.ceil(this.#o.leaseDurationMs / 1000),
      acquireTime: mine && previous?.acquireTime ? previous.acquireTime : microTime(now),
      renewTime: microTime(now),
      // Every change of holder counts, including taking over a released Lease (as client-go counts).
      leaseTransitions: previous ? (previous.leaseTransitions ?? 0) + (mine ? 0 : 1) : 0,
    };
  }

  #observe(lease: Lease, now: number): void {
    const record = recordOf(lease.spec);
    if (record !== this.#observedRecord) {
      this.#observedRecord = record;
      this.#observedAt = now;
    }
    this.#lease = lease;
  }

  /** One attempt to take or renew the Lease. True when we hold it afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.#o.now();
    // Fast path: we hold it and know its resourceVersion.
    if (this.#leader && this.#lease?.spec?.holderIdentity === this.#o.identity) {
      try {
        const written = await this.#o.client.replace<Lease>(this.#path(), { ...this.#lease, spec: this.#spec(this.#lease.spec, now) }, this.#o.fieldManager);
        this.#observe(written, now);
        return true;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    let lease: Lease;
    try {
      lease = await this.#o.client.get<Lease>(this.#path());
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        const created = await this.#o.client.create<Lease>(collectionPath(resourceTypes.lease, this.#o.namespace), {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.#o.name, namespace: this.#o.namespace },
          spec: this.#spec(undefined, now),
        });
        this.#observe(created, now);
        return true;
      } catch (createError) {
        if (isAlreadyExists(createError) || isConflict(createError)) return false;
        throw createError;
      }
    }
    this.#observe(lease, now);
    if (decide(lease.spec, this.#o.identity, this.#observedAt, now) === 'wait') return false;
    try {
      const written = await this.#o.client.replace<Lease>(this.#path(), { ...lease, spec: this.#spec(lease.spec, now) }, this.#o.fieldManager);
      this.#observe(written, now);
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  /**
   * Campaigns until elected, calls `lead` with a signal that aborts when leadership is lost, and returns when either
   * `signal` aborts ('stopped', after releasing the Lease unless `release()` returns false) or leadership is lost
   * ('lost'). After 'lost', the process should exit: its caches and queue may be behind a newer leader's writes.
   */
  async run(
    signal: AbortSignal,
    lead: (leadership: AbortSignal) => Promise<void> | void,
    options: { readonly releaseOnStop?: () => boolean } = {},
  ): Promise<'stopped' | 'lost'> {
    const { logger, retryPeriodMs, renewDeadlineMs, identity } = this.#o;
    while (!signal.aborted) {
      let acquired = false;
      try {
        acquired = await this.tryAcquireOrRenew();
      } catch (error) {
        logger.warn('cannot read or write the leader Lease', { error: describeError(error) });
      }
      if (acquired) break;
      await sleep(retryPeriodMs * (1 + 0.2 * Math.random()), undefined, { signal }).catch(() => {});
    }
    if (signal.aborted) return 'stopped';

    this.#leader = true;
    logger.info('became the leader', { lease: `${this.#o.namespace}/${this.#o.name}`, identity });
    const leadership = new AbortController();
    const leading = Promise.resolve().then(() => lead(leadership.signal));
    let lastRenew = this.#o.now();
    let outcome: 'stopped' | 'lost' = 'stopped';
    while (!signal.aborted) {
      await sleep(retryPeriodMs, undefined, { signal }).catch(() => {});
      if (signal.aborted) break;
      try {
        if (await this.tryAcquireOrRenew()) {
          lastRenew = this.#o.now();
          continue;
        }
      } catch (error) {
        logger.warn('cannot renew the leader Lease', { error: describeError(error) });
      }
      if (this.#o.now() - lastRenew > renewDeadlineMs || this.#lease?.spec?.holderIdentity !== identity) {
        outcome = 'lost';
        break;
      }
    }
    this.#leader = false;
    leadership.abort();
    await leading.catch((error: unknown) => logger.error('the leader’s work failed', { error: describeError(error) }));
    if (outcome === 'lost') logger.error('lost leadership', { identity });
    else if (options.releaseOnStop?.() ?? true) await this.release();
    return outcome;
  }

  /** Gives the Lease up so a standby takes over at once instead of waiting for it to expire. */
  async release(): Promise<void> {
    const lease = this.#lease;
    if (!lease || lease.spec?.holderIdentity !== this.#o.identity) return;
    const now = this.#o.now();
    try {
      await this.#o.client.replace<Lease>(
        this.#path(),
        { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(now), acquireTime: microTime(now) } },
        this.#o.fieldManager,
      );
      this.#o.logger.info('released the leader Lease', { identity: this.#o.identity });
    } catch (error) {
      this.#o.logger.warn('cannot release the leader Lease; a standby takes over when it expires', { error: describeError(error) });
    }
  }
}
