// Reads the captured migrations from Postgres (electric.ddl_commands), for /api/migrations and for clients that
// connect after the migrations streamed by.

import type pg from 'pg';
import { groupIntoMigrations, parseCapturedDdlRow, type CapturedDdlRow } from './captured-ddl.ts';
import { MigrationsError } from './errors.ts';
import type { Migration } from './table-metadata.ts';

export interface LoadMigrationsOptions {
  /**
   * Only migrations captured after the one with this version (in capture order, which is commit order).
   * Undefined or '' means all. An unknown version throws ES_MIGRATION_UNKNOWN_VERSION.
   */
  readonly afterVersion?: string | undefined;
}

/** All captured migrations, oldest first, each with its statements in capture order. */
export async function loadMigrations(client: pg.Client, options: LoadMigrationsOptions = {}): Promise<Migration[]> {
  const after = options.afterVersion ?? '';
  let afterId = '0';
  if (after !== '') {
    const { rows } = await client.query<{ last_id: string | null }>(
      'SELECT max(id)::text AS last_id FROM electric.ddl_commands WHERE version = $1',
      [after],
    );
    const lastId = rows[0]?.last_id ?? null;
    if (lastId === null) {
      throw new MigrationsError('ES_MIGRATION_UNKNOWN_VERSION', `no migration has version ${JSON.stringify(after)}`);
    }
    afterId = lastId;
  }
  const { rows } = await client.query<CapturedDdlRow>(
    `SELECT id::text, txid::text, txts::text, version, query, metadata::text
       FROM electric.ddl_commands
      WHERE id > $1::int8
      ORDER BY id`,
    [afterId],
  );
  return groupIntoMigrations(rows.map(parseCapturedDdlRow));
}
