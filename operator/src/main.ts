// `electric-sync operator`: read the configuration, start the operator, run until SIGTERM/SIGINT (or until leadership
// is lost, which exits non-zero so that Kubernetes restarts the process with fresh caches).
import { createLogger } from '../../runtime/src/logging/logger.ts';
import { parseOperatorConfig, usage } from './config.ts';
import { startOperator } from './operator.ts';

export interface RunOperatorOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly argv: readonly string[];
  /** Stops the operator when aborted; by default SIGTERM and SIGINT do. */
  readonly signal?: AbortSignal;
}

/** Runs the operator; resolves to the process exit code. */
export async function runOperator({ env, argv, signal }: RunOperatorOptions): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(usage());
    return 0;
  }
  const parsed = parseOperatorConfig(env, argv);
  if (!parsed.ok) {
    process.stderr.write(`electric-sync operator: invalid settings:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}\n\n${usage()}`);
    return 2;
  }
  const { config } = parsed;
  const logger = createLogger({ level: config.logLevel, component: 'operator' });
  const scope = config.scope.kind === 'all' ? 'all namespaces' : config.scope.namespaces.join(', ');
  logger.info('starting', {
    watching: scope,
    leader_election: config.leaderElection.enabled ? `${config.leaderElection.namespace}/${config.leaderElection.name}` : 'off',
    identity: config.leaderElection.identity,
    http: `${config.http.host}:${config.http.port}`,
  });

  let operator;
  try {
    operator = await startOperator(config, logger);
  } catch (error) {
    logger.error('cannot start', { error: error instanceof Error ? error.message : String(error) });
    return 1;
  }
  const stop = () => void operator.stop();
  if (signal) {
    signal.addEventListener('abort', stop, { once: true });
  } else {
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  const outcome = await operator.done;
  await operator.stop();
  if (!signal) {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
  logger.info('stopped', { outcome });
  return outcome === 'lost' ? 1 : 0;
}

// Runnable on its own too: `node operator/src/main.ts [options]`.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  runOperator({ env: process.env, argv: process.argv.slice(2) }).then((code) => process.exit(code));
}
