// Which client ids have a live connection (Electric allows one per client id), and each client's state that outlives
// a connection — its subscriptions, and how far its previous connections streamed — so that a reconnecting client
// resumes instead of syncing everything again. State is keyed by user and client id, so a client id presented with
// another user's token never sees (or clears) the first user's subscriptions.
import type { Subscription } from '../sync/subscription.ts';

export interface ClientState {
  /** The client's subscriptions by id (a live map: the session adds and removes entries). */
  readonly subscriptions: Map<string, Subscription>;
  /**
   * The newest LSN any connection of this client was sent. A resuming client may not have applied everything up to
   * it, so transactions up to here are replayed without trusting the membership they already changed.
   */
  sentUpTo: bigint;
}

export interface ClientRegistry {
  /** Takes the client id for `owner`; false when another live connection holds it. */
  claim(clientId: string, owner: object): boolean;
  release(clientId: string, owner: object): void;
  state(userId: string, clientId: string): ClientState;
  liveCount(): number;
}

export function createClientRegistry(): ClientRegistry {
  const owners = new Map<string, object>();
  const states = new Map<string, ClientState>();
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
    state(userId, clientId) {
      const key = JSON.stringify([userId, clientId]);
      let state = states.get(key);
      if (!state) states.set(key, (state = { subscriptions: new Map(), sentUpTo: 0n }));
      return state;
    },
    liveCount: () => owners.size,
  };
}
