// `electric-sync dev`: a local PostgreSQL plus the sync service against it, on embedded defaults.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findFreePort, isPortInUse, startLocalPostgres, type LocalPostgres } from '../local-postgres/index.ts';
import { startDemo, type RunningDemo } from './dev-demo.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// ELECTRIC_SYNC_DEV_DIR moves the development data elsewhere (the tests use it to stay out of the developer's way).
const devDir = process.env.ELECTRIC_SYNC_DEV_DIR ?? path.join(repoRoot, '.dev');
const dataDir = path.join(devDir, 'postgres');

export async function runDev(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'pg-port': { type: 'string' },
      'http-port': { type: 'string', default: '5133' },
      'publisher-port': { type: 'string', default: '5433' },
      'no-demo': { type: 'boolean', default: false },
    },
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);

  mkdirSync(devDir, { recursive: true });
  const database = await startOrReuseDatabase(values['pg-port'] ? Number(values['pg-port']) : undefined, say);
  const databaseUrl = `postgresql://postgres@127.0.0.1:${database.port}/postgres?sslmode=disable`;

  for (const [flag, port] of [['--http-port', values['http-port']], ['--publisher-port', values['publisher-port']]] as const) {
    if (await isPortInUse(Number(port))) {
      process.stderr.write(`electric-sync dev: port ${port} is already in use; choose another with ${flag}\n`);
      await database.stop();
      return 1;
    }
  }

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTH_MODE: 'insecure',
    HTTP_PORT: values['http-port'],
    LOGICAL_PUBLISHER_HOST: '127.0.0.1',
    LOGICAL_PUBLISHER_PORT: values['publisher-port'],
    ELECTRIC_TELEMETRY: 'disabled',
  };
  const runtime = spawn(process.execPath, [path.join(repoRoot, 'bin', 'electric-sync.js'), 'runtime'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });

  say('');
  say('electric-sync dev is running:');
  say(`  HTTP API           http://localhost:${values['http-port']}/api/status`);
  say(`  WebSocket          ws://localhost:${values['http-port']}/ws`);
  say(`  Logical publisher  127.0.0.1:${values['publisher-port']} (reserved for PostgreSQL's subscription; not served yet)`);
  say(`  DATABASE_URL       ${databaseUrl}`);
  say(`  psql               psql '${databaseUrl}'`);
  say(database.reused ? '  (reusing a development PostgreSQL that was already running; it is left running)' : '');
  say('Press Ctrl-C to stop.');

  const stopDemo = new AbortController();
  // On Ctrl-C the terminal signals the service too, so it may go away before the demo client is closed; the client
  // then fails its reconnect attempt with a rejection nobody can catch. Only during shutdown is that expected.
  process.on('unhandledRejection', (reason) => {
    if (stopDemo.signal.aborted) return;
    throw reason;
  });
  let demo: RunningDemo | undefined;
  if (!values['no-demo']) {
    startDemo({ databaseUrl, serviceUrl: `http://127.0.0.1:${values['http-port']}`, say, signal: stopDemo.signal }).then(
      (running) => (demo = running),
      (error: unknown) => say(`demo: could not start (${(error as Error).message}); the sync service keeps running`),
    );
  }

  // The demo client goes first: it would try to reconnect to a service that is going away.
  const code = await runUntilInterrupted(runtime, async () => {
    stopDemo.abort();
    await demo?.stop();
  });
  await database.stop();
  say('electric-sync dev: stopped');
  return code;
}

interface DevDatabase {
  readonly port: number;
  readonly reused: boolean;
  stop(): Promise<void>;
}

/** Reuses the development cluster when another `dev` already runs it; otherwise starts it (creating it the first time). */
async function startOrReuseDatabase(requestedPort: number | undefined, say: (line: string) => void): Promise<DevDatabase> {
  const running = runningClusterPort();
  if (running !== undefined && (await isPortInUse(running))) {
    return { port: running, reused: true, stop: async () => {} };
  }
  const preferred = requestedPort ?? 54321;
  const port = (await isPortInUse(preferred)) && requestedPort === undefined ? await findFreePort() : preferred;
  say(existsSync(path.join(dataDir, 'PG_VERSION')) ? `starting PostgreSQL in ${dataDir}` : `creating PostgreSQL in ${dataDir}`);
  const server: LocalPostgres = await startLocalPostgres({ dataDir, port, logFile: path.join(devDir, 'postgres.log') });
  return { port: server.port, reused: false, stop: () => server.stop() };
}

/** The port of the development cluster's running postmaster, from its postmaster.pid (line 4). */
function runningClusterPort(): number | undefined {
  try {
    const lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    process.kill(Number(lines[0]), 0);
    return Number(lines[3]);
  } catch {
    return undefined;
  }
}

function runUntilInterrupted(runtime: ChildProcess, beforeStop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void beforeStop()
        .catch(() => {})
        .finally(() => runtime.kill('SIGTERM'));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    runtime.once('exit', (code, signal) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1));
    });
  });
}
