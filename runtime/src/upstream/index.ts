// upstream: the runtime's side of PostgreSQL — connections with the configured SSL policy and display settings, the
// persistent replication slot, and the replication consumer that hands downstream one committed transaction at a time.
//
// Invariants:
// - Only what downstream acknowledged is confirmed to the slot (plus the server's WAL end when nothing at all is in
//   flight), so WAL is kept until it is handled, and writes to unsynced tables cannot make the slot retain WAL.
// - Memory is bounded: the socket pauses while decoded transactions wait downstream; status updates keep the session
//   alive meanwhile.
// - Any failure reconnects with capped backoff and resumes right after the last handled transaction.
export { connectToDatabase, resolveDatabaseHost, displaySettings } from './connect.ts';
export { ensureReplicationSlot, getSlotPositionOrNull, type SlotPosition } from './replication-slot.ts';
export { startReplicationStream, type ReplicationStream, type ReplicationStreamOptions } from './replication-stream.ts';
export { startReplicationConsumer, type ReplicationConsumer, type ConsumerStatus } from './replication-consumer.ts';
export { startReplicationService, type ReplicationService, type Readiness } from './replication-service.ts';
export type { ReplicatedTransaction, ReplicatedChange, ReplicatedRelation, ReplicatedMessage, Row } from './transaction.ts';
