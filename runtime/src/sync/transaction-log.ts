// The recent transactions, in commit order, kept in memory for clients that resume from an LSN. Bounded by bytes
// (ELECTRIC_TXN_CACHE_SIZE): the oldest transactions are dropped first, and a client that asks for an LSN older than
// what is kept must resync (Electric's BEHIND_WINDOW). After a restart the log is rebuilt from the WAL the slot
// retains (ELECTRIC_RESUMABLE_WAL_WINDOW).
/** What the log needs of an entry: where it ends in the WAL, and roughly how much memory it holds. */
export interface LogEntry {
  readonly endLsn: bigint;
  readonly approximateBytes: number;
}

export interface TransactionLog<T extends LogEntry> {
  append(transaction: T): void;
  /** Up to `limit` transactions that end after `lsn`, or 'behind-window' when some of them were already dropped. */
  since(lsn: bigint, limit?: number): readonly T[] | 'behind-window';
  /** The last `limit` transactions that end at or before `lsn`, oldest first. */
  recentUpTo(lsn: bigint, limit: number): readonly T[];
  /**
   * Positions before `lsn` are behind the window: a restarted service rebuilds its log from the slot's position, and
   * knows nothing older.
   */
  setFloor(lsn: bigint): void;
  /** End LSN of the newest transaction, or undefined when empty. */
  latestLsn(): bigint | undefined;
  /** Calls `listener` after each append; returns a function that stops it. */
  onAppend(listener: () => void): () => void;
  stats(): { transactions: number; bytes: number; oldestLsn: bigint | undefined; droppedUpTo: bigint };
}

export function createTransactionLog<T extends LogEntry>(maxBytes: number): TransactionLog<T> {
  const entries: T[] = [];
  const listeners = new Set<() => void>();
  let head = 0; // index of the oldest kept entry; compacted now and then instead of shifting on every drop
  let bytes = 0;
  let droppedUpTo = 0n; // end LSN of the newest dropped transaction

  const kept = () => entries.length - head;

  /** Index of the first kept transaction that ends after `lsn` (binary search). */
  const firstAfter = (lsn: bigint) => {
    let low = head;
    let high = entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((entries[mid] as T).endLsn <= lsn) low = mid + 1;
      else high = mid;
    }
    return low;
  };

  return {
    append(transaction) {
      const newest = entries[entries.length - 1];
      if (newest && transaction.endLsn <= newest.endLsn) return; // replayed after a reconnect: already here
      entries.push(transaction);
      bytes += transaction.approximateBytes;
      while (bytes > maxBytes && kept() > 1) {
        const oldest = entries[head++] as T;
        bytes -= oldest.approximateBytes;
        droppedUpTo = oldest.endLsn;
      }
      if (head > 1024 && head > entries.length / 2) {
        entries.splice(0, head);
        head = 0;
      }
      for (const listener of listeners) listener();
    },
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(lsn, limit = Number.POSITIVE_INFINITY) {
      if (lsn < droppedUpTo) return 'behind-window';
      const first = firstAfter(lsn);
      return entries.slice(first, Math.min(entries.length, first + limit));
    },
    recentUpTo(lsn, limit) {
      const end = firstAfter(lsn);
      return entries.slice(Math.max(head, end - limit), end);
    },
    setFloor(lsn) {
      if (lsn > droppedUpTo) droppedUpTo = lsn;
    },
    latestLsn: () => entries[entries.length - 1]?.endLsn,
    stats: () => ({ transactions: kept(), bytes, oldestLsn: entries[head]?.endLsn, droppedUpTo }),
  };
}
