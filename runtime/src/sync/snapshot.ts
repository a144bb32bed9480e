// PostgreSQL snapshots (pg_current_snapshot(): "xmin:xmax:xip1,xip2,…") and whether a transaction's changes are
// visible in one. A subscription's initial data is read in a snapshot; the live stream then skips exactly the
// transactions that snapshot already saw, so initial data and live changes join with no gap and no duplicate.

export interface Snapshot {
  readonly xmin: bigint;
  readonly xmax: bigint;
  readonly inProgress: ReadonlySet<bigint>;
}

export function parseSnapshot(text: string): Snapshot {
  const match = /^(\d+):(\d+):([\d,]*)$/.exec(text.trim());
  if (!match) throw new Error(`not a PostgreSQL snapshot: ${JSON.stringify(text)}`);
  return {
    xmin: BigInt(match[1] as string),
    xmax: BigInt(match[2] as string),
    inProgress: new Set((match[3] as string).split(',').filter(Boolean).map(BigInt)),
  };
}

const epochSize = 1n << 32n;

/**
 * True when the transaction with this 32-bit xid (as pgoutput's Begin carries it) committed before the snapshot was
 * taken. The 64-bit id is rebuilt from the snapshot's epoch: a transaction seen after the snapshot is at most a few
 * billion transactions away from it.
 */
export function isVisibleInSnapshot(snapshot: Snapshot, xid32: number): boolean {
  let xid = (snapshot.xmax & ~(epochSize - 1n)) | BigInt(xid32 >>> 0);
  if (xid > snapshot.xmax + epochSize / 2n) xid -= epochSize;
  else if (xid < snapshot.xmax - epochSize / 2n) xid += epochSize;
  if (xid < snapshot.xmin) return true;
  if (xid >= snapshot.xmax) return false;
  return !snapshot.inProgress.has(xid);
}
