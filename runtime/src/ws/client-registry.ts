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
  /** Where the stream stood for this client last: it cannot resume from anything newer. */
  position: bigint;
}

export interface ClientRegistry {
  /** Takes the client id for `owner`; false when another live connection holds it. */
  claim(clientId: string, owner: object): boolean;
  release(clientId: string, owner: object): void;
  state(userId: string, clientId: string): ClientState;
  /**
   * Forgets clients without a live connection whose last position is older than `floor`: they could only get
   * BEHIND_WINDOW when they come back, so their subscriptions are dead weight. Returns how many were forgotten.
   */
  evictBehind(floor: bigint): number;
  liveCount(): number;
  stateCount(): number;
}

export function createClientRegistry(): ClientRegistry {
  const owners = new Map<string, object>();
  const states = new Map<string, ClientState & { readonly clientId: string }>();
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
      if (!state) states.set(key, (state = { clientId, subscriptions: new Map(), sentUpTo: 0n, position: 0n }));
      return state;
    },
    evictBehind(floor) {
      let evicted = 0;
      for (const [key, state] of states) {
        if (owners.has(state.clientId) || state.position >= floor) continue;
        states.delete(key);
        evicted++;
      }
      return evicted;
    },
    liveCount: () => owners.size,
    stateCount: () => states.size,
  };
}
