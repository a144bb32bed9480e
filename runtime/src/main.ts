// The sync service process: load the configuration, start the services, run until SIGTERM/SIGINT, then drain.
// The list of services started here is the architecture of the runtime.
import { ConfigError, loadRuntimeConfig } from './config/index.ts';
import { startHttpServer } from './http/http-server.ts';
import { createLogger, severityOf } from './logging/logger.ts';
import { startDatabaseProbe } from './upstream/database-probe.ts';

export interface RuntimeOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Aborting it shuts the service down, as SIGTERM does. */
  readonly signal?: AbortSignal;
}

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

  const database = startDatabaseProbe(config, logger.child('database'));
  const http = await startHttpServer({
    port: config.http.port,
    listenOnIpv6: config.http.listenOnIpv6,
    databaseStatus: database.status,
    logger: logger.child('http'),
  });

  await waitForShutdown(options.signal);
  logger.info('shutting down');
  database.stop();
  await http.close();
  logger.info('stopped');
  return 0;
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
