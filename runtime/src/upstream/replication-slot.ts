// The persistent logical replication slot the runtime reads from.
import type pg from 'pg';

/** Creates the slot unless it exists. Runs on a replication connection. */
export async function ensureReplicationSlot(client: pg.Client, slotName: string): Promise<'created' | 'existing'> {
  try {
    await client.query(`CREATE_REPLICATION_SLOT "${slotName}" LOGICAL pgoutput NOEXPORT_SNAPSHOT`);
    return 'created';
  } catch (error) {
    if ((error as { code?: string }).code === '42710') return 'existing'; // duplicate_object
    throw error;
  }
}

export interface SlotPosition {
  /** 0n while the slot is still being created (PostgreSQL reports NULL until its snapshot is built). */
  readonly confirmedFlushLsn: bigint;
  readonly restartLsn: bigint;
  readonly active: boolean;
  /** WAL the slot keeps on the server's disk, in bytes. */
  readonly retainedWalBytes: bigint;
}

/** The slot's positions, read over a normal connection, or null when there is no such slot. */
export async function getSlotPositionOrNull(client: pg.Client, slotName: string): Promise<SlotPosition | null> {
  const { rows } = await client.query<{ confirmed: string | null; restart: string | null; active: boolean; retained: string | null }>(
    `select (confirmed_flush_lsn - '0/0')::text as confirmed, (restart_lsn - '0/0')::text as restart, active,
            (pg_current_wal_lsn() - restart_lsn)::text as retained
       from pg_replication_slots where slot_name = $1`,
    [slotName],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    confirmedFlushLsn: BigInt(row.confirmed ?? 0),
    restartLsn: BigInt(row.restart ?? 0),
    active: row.active,
    retainedWalBytes: BigInt(row.retained ?? 0),
  };
}
