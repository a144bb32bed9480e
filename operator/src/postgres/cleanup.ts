// What the finalizer removes from the database when an ElectricSync with deletionPolicy Delete goes: the runtime's
// subscription (Postgres subscribing to our publisher), its replication slot, and its publication. The `electric`
// schema stays (it holds the application's migrations and shadow tables). Every step is idempotent, so a retry
// after a partial failure finishes the job.
import type pg from 'pg';

export const subscriptionName = 'postgres_1';
export const publicationName = 'electric_publication';
const maxIdentifierLength = 63;

/** The runtime's slot name for a database: `electric_replication_out_<db>`, db folded to [a-z0-9_], at most 63 chars. */
export function replicationSlotName(database: string): string {
  return `electric_replication_out_${database.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, maxIdentifierLength);
}

export interface CleanupReport {
  readonly subscriptionDropped: boolean;
  readonly slotDropped: boolean;
  readonly publicationDropped: boolean;
  readonly terminatedBackends: number;
}

async function dropSubscription(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ subenabled: boolean }>(
    'SELECT subenabled FROM pg_subscription WHERE subname = $1 AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())',
    [subscriptionName],
  );
  if (rows.length === 0) return false;
  // Detach the remote slot first: the publisher (our runtime) is going away, and DROP SUBSCRIPTION would otherwise
  // try to connect to it to drop a slot there.
  if (rows[0]?.subenabled) await client.query(`ALTER SUBSCRIPTION ${subscriptionName} DISABLE`);
  await client.query(`ALTER SUBSCRIPTION ${subscriptionName} SET (slot_name = NONE)`);
  await client.query(`DROP SUBSCRIPTION ${subscriptionName}`);
  return true;
}

async function dropSlot(client: pg.Client, slot: string, waitMs: number): Promise<{ dropped: boolean; terminated: number }> {
  let terminated = 0;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows } = await client.query<{ active_pid: number | null }>(
      'SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1',
      [slot],
    );
    if (rows.length === 0) return { dropped: false, terminated };
    const pid = rows[0]?.active_pid;
    if (pid === null || pid === undefined) break;
    // A runtime (or a leftover walsender) still streams from it; the Deployment is already gone, so end it.
    await client.query('SELECT pg_terminate_backend($1)', [pid]);
    terminated++;
    if (Date.now() > deadline) throw new Error(`replication slot ${slot} is still in use by backend ${pid}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  try {
    await client.query('SELECT pg_drop_replication_slot($1)', [slot]);
  } catch (error) {
    // 42704 undefined_object: dropped concurrently. Anything else (e.g. 55006 object_in_use) is retried by the caller.
    if ((error as { code?: string }).code === '42704') return { dropped: false, terminated };
    throw error;
  }
  return { dropped: true, terminated };
}

async function dropPublication(client: pg.Client): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publicationName]);
  if (!rowCount) return false;
  await client.query(`DROP PUBLICATION IF EXISTS ${publicationName}`);
  return true;
}

/** Removes the runtime's subscription, replication slot and publication from the database `client` is connected to. */
export async function cleanUpDatabase(client: pg.Client, options: { slotBusyWaitMs?: number } = {}): Promise<CleanupReport> {
  const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
  const slot = replicationSlotName(rows[0]?.db ?? '');
  const subscriptionDropped = await dropSubscription(client);
  const { dropped: slotDropped, terminated } = await dropSlot(client, slot, options.slotBusyWaitMs ?? 10_000);
  const publicationDropped = await dropPublication(client);
  return { subscriptionDropped, slotDropped, publicationDropped, terminatedBackends: terminated };
}
