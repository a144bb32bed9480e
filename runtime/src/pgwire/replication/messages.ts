// Types of the CopyData payloads exchanged once START_REPLICATION has switched the connection to copy-both mode
// (PostgreSQL docs, "Streaming Replication Protocol"). Names follow the docs. LSNs are bigints; times are the
// server's `TimestampTz`, microseconds since 2000-01-01 00:00 UTC (see time.ts to convert).

/** First byte of each CopyData payload, with its letter. */
export const ReplicationMessageCode = {
  XLogData: 0x77, // w
  PrimaryKeepaliveMessage: 0x6b, // k
  StandbyStatusUpdate: 0x72, // r
} as const;

/** 'w' (backend): a piece of the WAL stream; for logical replication exactly one output-plugin message. */
export type XLogData = {
  readonly type: 'XLogData';
  /** The starting point of the WAL data in this message. */
  readonly walStart: bigint;
  /** The current end of WAL on the server. */
  readonly walEnd: bigint;
  /** The server's clock at transmission, µs since 2000-01-01 UTC. */
  readonly serverTime: bigint;
  /** The payload (a pgoutput message). A view into the received buffer, not a copy. */
  readonly data: Buffer;
};

/** 'k' (backend): the server's heartbeat. */
export type PrimaryKeepaliveMessage = {
  readonly type: 'PrimaryKeepaliveMessage';
  /** The current end of WAL on the server. Not a position we may acknowledge by itself. */
  readonly walEnd: bigint;
  /** The server's clock at transmission, µs since 2000-01-01 UTC. */
  readonly serverTime: bigint;
  /** The client should send a StandbyStatusUpdate as soon as possible, to avoid a timeout disconnect. */
  readonly replyRequested: boolean;
};

/** A message the server sends in copy-both mode. */
export type ReplicationMessage = XLogData | PrimaryKeepaliveMessage;

/** 'r' (frontend): tells the server how far we got. Each LSN is "last WAL byte + 1". */
export type StandbyStatusUpdate = {
  /** Received and written to disk. */
  readonly written: bigint;
  /** Flushed to disk: the server may discard WAL before this once the slot's confirmed_flush_lsn moves. */
  readonly flushed: bigint;
  /** Applied. */
  readonly applied: bigint;
  /** Our clock at transmission, µs since 2000-01-01 UTC (see `dateToPgMicros`). */
  readonly clientTime: bigint;
  /** Ask the server to reply immediately (with a keepalive). */
  readonly replyRequested: boolean;
};
