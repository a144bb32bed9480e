// Which client ids have a live connection (Electric allows one per client id), and each client's subscriptions, which
// outlive a connection so that a reconnecting client resumes them instead of syncing everything again.
import type { Subscription } from '../sync/subscription.ts';

export interface ClientRegistry {
  /** Takes the client id for `owner`; false when another live connection holds it. */
  claim(clientId: string, owner: object): boolean;
  release(clientId: string, owner: object): void;
  /** The client's subscriptions by id (a live map: the session adds and removes entries). */
  subscriptions(clientId: string): Map<string, Subscription>;
  liveCount(): number;
}

export function createClientRegistry(): ClientRegistry {
  const owners = new Map<string, object>();
  const subscriptionsByClient = new Map<string, Map<string, Subscription>>();
  return {
    claim(clientId, owner) {
      const current = owners.get(clientId);
      if (current && current !== owner) return false;
      owners.set(clientId, owner);
      return true;
    },
    release(clientId, owner) {
      if (owners.get(clientId) === owner) owners.delete(clientId);
    },
    subscriptions(clientId) {
      let subscriptions = subscriptionsByClient.get(clientId);
      if (!subscriptions) subscriptionsByClient.set(clientId, (subscriptions = new Map()));
      return subscriptions;
    },
    liveCount: () => owners.size,
  };
}
