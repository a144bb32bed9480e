// Kubernetes Events about ElectricSync resources (what `kubectl describe` shows). A repeat of the same event on the
// same object within ten minutes bumps the existing Event's count instead of creating a new one. Best effort: a
// failure to record an Event is logged, never thrown.
import type { Logger } from '../../../runtime/src/logging/logger.ts';
import { describeError, isNotFound } from './errors.ts';
import { collectionPath, objectPath, resourceTypes } from './resources.ts';
import type { KubeClient } from './rest-client.ts';
import type { KubeEvent, KubeObject } from './types.ts';

export type EventType = 'Normal' | 'Warning';

interface Seen {
  name: string;
  count: number;
  firstTimestamp: string;
  lastAt: number;
}

const aggregateWindowMs = 10 * 60_000;
const maxRemembered = 4096;

export class EventRecorder {
  readonly #client: KubeClient;
  readonly #component: string;
  readonly #instance: string;
  readonly #logger: Logger;
  readonly #fieldManager: string;
  readonly #seen = new Map<string, Seen>();
  #counter = 0;

  constructor(options: { client: KubeClient; component: string; instance: string; logger: Logger; fieldManager: string }) {
    this.#client = options.client;
    this.#component = options.component;
    this.#instance = options.instance;
    this.#logger = options.logger;
    this.#fieldManager = options.fieldManager;
  }

  /** Records an Event; resolves when it is written (or has failed and been logged). */
  async record(object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = object.metadata?.namespace;
    const name = object.metadata?.name;
    if (!namespace || !name) return;
    const key = `${object.metadata?.uid}/${type}/${reason}/${message}`;
    const now = Date.now();
    const nowText = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const seen = this.#seen.get(key);
    try {
      if (seen && now - seen.lastAt < aggregateWindowMs) {
        seen.count++;
        seen.lastAt = now;
        try {
          await this.#client.mergePatch(objectPath(resourceTypes.event, namespace, seen.name), { count: seen.count, lastTimestamp: nowText }, this.#fieldManager);
          return;
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      const eventName = `${name}.${now.toString(16)}${(this.#counter++ % 4096).toString(16).padStart(3, '0')}`;
      const event: KubeEvent = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: eventName, namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name,
          namespace,
          uid: object.metadata?.uid,
          resourceVersion: object.metadata?.resourceVersion,
        },
        reason,
        message: message.slice(0, 1024),
        type,
        source: { component: this.#component },
        reportingComponent: this.#component,
        reportingInstance: this.#instance,
        firstTimestamp: nowText,
        lastTimestamp: nowText,
        count: 1,
      };
      await this.#client.create(collectionPath(resourceTypes.event, namespace), event);
      if (this.#seen.size >= maxRemembered) this.#seen.delete(this.#seen.keys().next().value as string);
      this.#seen.set(key, { name: eventName, count: 1, firstTimestamp: nowText, lastAt: now });
    } catch (error) {
      this.#logger.warn('cannot record an Event', { object: `${namespace}/${name}`, reason, error: describeError(error) });
    }
  }
}
