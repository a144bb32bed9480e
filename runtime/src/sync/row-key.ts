// A row's identity for membership tracking: its primary key values in PostgreSQL's text form, so a row read by the
// initial-data query (text) and the same row from the replication stream (typed values) get the same key.

export function rowKey(primaryKeys: readonly string[], row: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(primaryKeys.map((column) => postgresText(row[column])));
}

export function postgresText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  return String(value);
}
