// The name of the durable logical replication slot for a database, by Electric 0.x's rule
// (Connectors.get_replication_opts/1, notes §2.3), so an existing Electric deployment's slot is found again.

export const replicationSlotPrefix = 'electric_replication_out_';

/** Postgres limits identifiers to NAMEDATALEN - 1 = 63 bytes. */
const maxSlotNameLength = 63;

/**
 * `electric_replication_out_<dbname>`: the database name lower-cased, every character outside [a-z0-9_] replaced by
 * `_` (one `_` per character, counted by code point), the whole name cut to 63 characters.
 */
export function replicationSlotName(databaseName: string): string {
  const safe = Array.from(databaseName.toLowerCase(), (char) => (/^[a-z0-9_]$/.test(char) ? char : '_')).join('');
  return `${replicationSlotPrefix}${safe}`.slice(0, maxSlotNameLength);
}
