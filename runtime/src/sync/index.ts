// sync: what clients can sync and which rows each one gets — no sockets. The transaction log of recent changes, the
// schema catalog kept current by migrations in the stream, shape plans and where clauses, initial data read in one
// snapshot, and subscriptions that join that data to the live stream with no gap and no duplicate.
export { createTransactionLog, type TransactionLog, type LogEntry } from './transaction-log.ts';
export { createSchemaCatalog, ddlCommandsTable, migrationsInChanges, type SchemaCatalog, type SyncedTable } from './schema-catalog.ts';
export { planShapeRequests, type ShapeRequestPlan, type ShapeNode } from './shape-plan.ts';
export { fetchInitialData, type InitialData } from './initial-data.ts';
export { createSubscription, isInInitialData, selectsRow, ownerColumn, type Subscription } from './subscription.ts';
export { createConcurrencyLimit, type ConcurrencyLimit } from './concurrency-limit.ts';
export { parseSnapshot, isVisibleInSnapshot, type Snapshot } from './snapshot.ts';
