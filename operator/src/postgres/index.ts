// The operator's own use of an ElectricSync's database: checking that it is reachable (for status) and removing the
// runtime's subscription, replication slot and publication when the resource is deleted (the finalizer).
export { databaseTarget, connectTo, probeDatabase, type DatabaseTarget } from './connect.ts';
export { cleanUpDatabase, replicationSlotName, subscriptionName, publicationName, type CleanupReport } from './cleanup.ts';
