// The sync service process: load the configuration, start the services, run until SIGTERM/SIGINT, then drain.
// The list of services started here is the architecture of the runtime:
//   replication (upstream/)  PostgreSQL → transaction log, keeping the schema catalog current
//   HTTP (http/)             /api/status, /api/migrations
//   Satellite (ws/)          /ws sessions that stream the log to clients through their shapes
import { createTokenValidator } from './auth/index.ts';
import { ConfigError, loadRuntimeConfig } from './config/index.ts';
import { startHttpServer } from './http/index.ts';
import { createLogger, severityOf } from './logging/logger.ts';
import { loadMigrations } from './migrations/index.ts';
import { ensurePostgresSetup, replicationSlotName } from './postgres-setup/index.ts';
import {
  createConcurrencyLimit,
  createSchemaCatalog,
  createTransactionLog,
  ddlCommandsTable,
  migrationsInChanges,
  type SchemaCatalog,
} from './sync/index.ts';
import {
  connectToDatabase,
  getSlotPositionOrNull,
  startReplicationService,
  type ReplicatedTransaction,
  type Row,
} from './upstream/index.ts';
import { attachWebSocketServer, createClientRegistry, startSatelliteSession, type SyncTransaction } from './ws/index.ts';

export interface RuntimeOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Aborting it shuts the service down, as SIGTERM does. */
  readonly signal?: AbortSignal;
}

/** Electric's window of unacknowledged transactions per client. */
const unackedWindow = 30;
/** Subscriptions reading their initial data at once, each on its own PostgreSQL connection. */
const initialDataConnections = 8;

/** Runs the sync service until it is told to stop. Returns the process exit code. */
export async function runRuntime(options: RuntimeOptions): Promise<number> {
  let config;
  try {
    config = await loadRuntimeConfig(options.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Before any port is opened: a misconfigured service must not look healthy to anyone.
    process.stderr.write(`electric-sync runtime: ${error.message}\n`);
    return 1;
  }

  const logger = createLogger({ level: severityOf(config.logLevel), component: 'runtime' });
  logger.info('starting', {
    instance_id: config.instanceId,
    auth_mode: config.auth.mode,
    write_to_pg_mode: config.writeToPgMode,
    database: `${config.database.url.host}:${config.database.url.port}/${config.database.url.database}`,
    database_ssl: config.database.ssl,
  });
  if (config.auth.mode === 'insecure') logger.warn('AUTH_MODE=insecure: unsigned tokens are accepted; never use this in production');
  if (config.writeToPgMode === 'logical_replication') {
    logger.warn('client writes are not supported yet: clients are served read-only (the logical publisher is not implemented)');
  }

  const log = createTransactionLog<SyncTransaction>(config.txnCacheSizeBytes);
  let catalog: SchemaCatalog | undefined;
  const replicationLogger = logger.child('replication');

  const slotName = replicationSlotName(config.database.url.database);
  const replication = startReplicationService({
    config,
    logger: replicationLogger,
    slotName,
    prepareDatabase: async (client) => {
      await ensurePostgresSetup(client, replicationLogger);
      catalog ??= createSchemaCatalog(await loadMigrations(client));
      replicationLogger.info('schema catalog loaded', { tables: catalog.tables().length, migrations: catalog.migrations().length });
      // The log is rebuilt from the slot's position: a client that last saw something older must resync.
      const slot = await getSlotPositionOrNull(client, slotName);
      if (slot) log.setFloor(slot.confirmedFlushLsn);
    },
    onTransaction: (transaction) => log.append(withMigrations(transaction, catalog)),
  });

  const http = await startHttpServer({
    port: config.http.port,
    listenOnIpv6: config.http.listenOnIpv6,
    readiness: replication.readiness,
    catalog: () => catalog,
    logger: logger.child('http'),
  });

  const validator = createTokenValidator(config.auth);
  const clients = createClientRegistry();
  const initialDataLimit = createConcurrencyLimit(initialDataConnections);
  // Clients gone for longer than the window can only resync when they return: forget their subscriptions.
  const evictions = setInterval(() => {
    const evicted = clients.evictBehind(log.stats().droppedUpTo);
    if (evicted > 0) logger.info('forgot clients that fell behind the window', { clients: evicted });
  }, 60_000);
  evictions.unref();
  const websockets = attachWebSocketServer({
    httpServer: http.server,
    logger: logger.child('ws'),
    readiness: () => {
      const readiness = replication.readiness();
      return readiness.state === 'ready' && catalog
        ? { ready: true, detail: readiness.detail }
        : { ready: false, detail: readiness.state === 'unavailable' ? readiness.reason : readiness.detail };
    },
    onConnection: (connection) => {
      if (!catalog) return connection.socket.close(1013, 'Try again later');
      startSatelliteSession(connection, {
        instanceId: config.instanceId,
        validator,
        catalog,
        log,
        clients,
        connect: () => connectToDatabase(config),
        initialDataLimit,
        logger: logger.child('ws'),
        unackedWindow,
      });
    },
  });

  await waitForShutdown(options.signal);
  clearInterval(evictions);
  logger.info('shutting down', { clients: websockets.connectionCount() });
  await websockets.close();
  await http.close();
  await replication.stop();
  logger.info('stopped');
  return 0;
}

/**
 * Applies the migrations a transaction carries to the catalog, and keeps them with it for the clients — also when
 * the catalog knew them already (a restarted service replays its window): a client resuming from before them needs
 * them, and clients skip versions they applied.
 */
function withMigrations(transaction: ReplicatedTransaction, catalog: SchemaCatalog | undefined): SyncTransaction {
  const ddlRows: Row[] = [];
  for (const change of transaction.changes) {
    if (change.kind === 'insert' && change.relation.schema === ddlCommandsTable.schema && change.relation.table === ddlCommandsTable.table) {
      ddlRows.push(change.record);
    }
  }
  if (!catalog) return { ...transaction, migrations: [], tables: new Map() };
  if (ddlRows.length === 0) return { ...transaction, migrations: [], tables: catalog.tableMap() };
  const migrations = migrationsInChanges(ddlRows);
  catalog.apply(migrations);
  return { ...transaction, migrations, tables: catalog.tableMap() };
}

function waitForShutdown(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      resolve();
    };
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
