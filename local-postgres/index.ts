// Local PostgreSQL clusters for `electric-sync dev` and for the tests: find the server binaries, create a cluster,
// start it on loopback with logical replication enabled, stop it, and never leave a server behind.
export { findPostgresBinaries, type PostgresBinaries } from './binaries.ts';
export { startLocalPostgres, startThrowawayPostgres, type LocalPostgres, type LocalPostgresOptions } from './cluster.ts';
export { findFreePort, isPortInUse } from './free-port.ts';
