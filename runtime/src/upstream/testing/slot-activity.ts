// Test helpers: what a replication slot's walsender is doing, read over a normal connection.
//
// Why not getSlotPositionOrNull(…).active: while CREATE_REPLICATION_SLOT runs, the slot is already listed and
// active (the creating walsender holds it) but its confirmed_flush_lsn is still NULL, so that function throws
// ("Cannot convert null to a BigInt"). And "active" alone does not mean "streaming": the creating walsender holds
// the slot too, and releases it before START_REPLICATION acquires it again.
import type pg from 'pg';

export type SlotActivity =
  /** No slot of that name (yet). */
  | 'absent'
  /** The slot exists and no process holds it. */
  | 'free'
  /** Being created: the creating walsender holds it and it has no confirmed position yet. */
  | 'creating'
  /** Held by a walsender that is not (yet) streaming: creation finishing, or START_REPLICATION catching up. */
  | 'held'
  /** Held by a walsender that has caught up and streams changes as they commit. */
  | 'streaming';

export async function getSlotActivity(client: pg.Client, slotName: string): Promise<SlotActivity> {
  const { rows } = await client.query<{ active: boolean; created: boolean; state: string | null }>(
    `select s.active, s.confirmed_flush_lsn is not null as created, r.state
       from pg_replication_slots s left join pg_stat_replication r on r.pid = s.active_pid
      where s.slot_name = $1`,
    [slotName],
  );
  const row = rows[0];
  if (!row) return 'absent';
  if (!row.active) return 'free';
  if (!row.created) return 'creating';
  return row.state === 'streaming' ? 'streaming' : 'held';
}
