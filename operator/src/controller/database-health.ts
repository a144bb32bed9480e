// Whether each ElectricSync's database answers, as seen from the operator; cached, so a reconcile storm does not
// become a connection storm. A success is trusted for `okTtlMs`, a failure rechecked after `failureTtlMs`; a change of
// URL or SSL setting always rechecks.
import { probeDatabase, type DatabaseTarget } from '../postgres/index.ts';
import { sha256 } from '../specs/index.ts';
import type { DatabaseHealth } from './electric-sync-status.ts';

export interface DatabaseHealthOptions {
  readonly enabled: boolean;
  readonly okTtlMs?: number;
  readonly failureTtlMs?: number;
  readonly timeoutMs?: number;
  readonly probe?: typeof probeDatabase;
  readonly now?: () => number;
}

export class DatabaseHealthChecker {
  readonly #options: DatabaseHealthOptions;
  readonly #results = new Map<string, { fingerprint: string; result: NonNullable<DatabaseHealth>; at: number }>();

  constructor(options: DatabaseHealthOptions) {
    this.#options = options;
  }

  get enabled(): boolean {
    return this.#options.enabled;
  }

  async check(key: string, target: DatabaseTarget, rawUrl: string): Promise<DatabaseHealth> {
    if (!this.#options.enabled) return undefined;
    const now = (this.#options.now ?? Date.now)();
    const fingerprint = sha256(`${rawUrl}\n${target.ssl}`);
    const cached = this.#results.get(key);
    if (cached && cached.fingerprint === fingerprint) {
      const ttl = cached.result.ok ? (this.#options.okTtlMs ?? 60_000) : (this.#options.failureTtlMs ?? 15_000);
      if (now - cached.at < ttl) return cached.result;
    }
    const result = await (this.#options.probe ?? probeDatabase)(target, this.#options.timeoutMs ?? 5_000);
    this.#results.set(key, { fingerprint, result, at: now });
    return result;
  }

  /** How long until a failed check is worth repeating. */
  get retryAfterMs(): number {
    return this.#options.failureTtlMs ?? 15_000;
  }

  forget(key: string): void {
    this.#results.delete(key);
  }
}
