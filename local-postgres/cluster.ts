// Creates, starts and stops a local PostgreSQL cluster for development and tests.
//
// Invariants:
// - The server listens on a loopback address only, over TCP (no Unix socket, so two clusters never fight over
//   /var/run/postgresql or a socket lock file), with wal_level=logical and room for replication slots and WAL senders.
// - Nothing outlives its owner: the server runs under a tiny `sh` guardian whose standard input is a pipe from this
//   process. When this process exits for any reason — even SIGKILL — the pipe closes, the guardian shuts the server
//   down and, for throwaway clusters, deletes the data. `stop()` does the same on purpose.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { findPostgresBinaries, type PostgresBinaries } from './binaries.ts';
import { findFreePort } from './free-port.ts';
import { postgresServerUser, type OsUser } from './os-user.ts';

export interface LocalPostgresOptions {
  /** Folder that holds (or will hold) the cluster's data. Created with initdb when it has no cluster yet. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1. Default: a free one. */
  readonly port?: number;
  /** Delete dataDir when the server stops or its owner exits: for throwaway test clusters. */
  readonly ephemeral?: boolean;
  /** Server log file. Default: `<dataDir>/../postgres.log` for throwaway clusters, `<dataDir>.log` otherwise. */
  readonly logFile?: string;
  /** Extra server settings (`-c name=value`), applied after ours. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Trade durability for speed (fsync off). Only for throwaway clusters. */
  readonly unsafeFastWrites?: boolean;
}

export interface LocalPostgres {
  readonly host: string;
  readonly port: number;
  readonly superuser: string;
  readonly dataDir: string;
  readonly logFile: string;
  /** A libpq URL for `database` (default `postgres`), without SSL: the server is on loopback. */
  url(database?: string): string;
  /** Fast shutdown; deletes the data of a throwaway cluster. Safe to call twice. */
  stop(): Promise<void>;
  /** Fast shutdown and start again on the same data and port. */
  restart(): Promise<void>;
  /** Kills the postmaster with SIGKILL, as a crash would. The data stays; `restart()` recovers it. */
  crash(): Promise<void>;
}

const superuser = 'postgres';
const host = '127.0.0.1';

const baseSettings: Readonly<Record<string, string>> = {
  listen_addresses: host,
  unix_socket_directories: '',
  wal_level: 'logical',
  max_replication_slots: '32',
  max_wal_senders: '32',
  max_connections: '200',
  shared_buffers: '32MB',
  logging_collector: 'off',
  log_min_messages: 'warning',
};

// synchronous_commit stays on: logical decoding only reads flushed WAL, and with it off a commit can take up to
// wal_writer_delay to reach subscribers, which would make replication tests slow and flaky. fsync=off already makes
// the flush cheap.
const fastWriteSettings: Readonly<Record<string, string>> = {
  fsync: 'off',
  full_page_writes: 'off',
};

// Reads one line from stdin, then stops the server. "keep" means keep the data even for a throwaway cluster.
const guardianScript = `
"$@" </dev/null &
pid=$!
read cmd || cmd=""
kill -INT "$pid" 2>/dev/null
wait "$pid"
status=$?
if [ "$cmd" != keep ] && [ -n "$ES_REMOVE_ON_EXIT" ]; then rm -rf "$ES_REMOVE_ON_EXIT"; fi
exit $status
`;

/** Creates a throwaway cluster in a new temporary folder and starts it. */
export async function startThrowawayPostgres(
  options: Omit<LocalPostgresOptions, 'dataDir' | 'ephemeral'> = {},
): Promise<LocalPostgres> {
  const user = postgresServerUser();
  const root = mkdtempSync(path.join(os.tmpdir(), 'electric-sync-pg-'));
  if (user) chownSync(root, user.uid, user.gid);
  return startLocalPostgres({ unsafeFastWrites: true, ...options, dataDir: path.join(root, 'data'), ephemeral: true });
}

/** Starts the cluster in `options.dataDir`, creating it first when needed. */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const binaries = findPostgresBinaries();
  const user = postgresServerUser();
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await initCluster(options.dataDir, binaries, user);

  const logFile =
    options.logFile ??
    (options.ephemeral ? path.join(path.dirname(options.dataDir), 'postgres.log') : `${options.dataDir}.log`);
  const settings = {
    ...baseSettings,
    ...(options.unsafeFastWrites ? fastWriteSettings : {}),
    ...options.settings,
  };
  const removeOnExit = options.ephemeral ? path.dirname(options.dataDir) : '';

  let port = options.port ?? (await findFreePort(host));
  let guardian: ChildProcess | undefined;
  let stopped = false;

  const launch = async (): Promise<void> => {
    // A free port can be taken between choosing and binding, and a crashed server's backends can hold its shared
    // memory for a moment: try a few times before giving up.
    for (let attempt = 1; ; attempt++) {
      guardian = spawnGuardian(binaries, user, options.dataDir, port, settings, logFile, removeOnExit);
      guardian.ref(); // while we wait for it; unref'd again once it is up
      const ready = await waitUntilReady(guardian, port);
      guardian.unref();
      if (ready === 'ready') return;
      if (attempt >= 3) {
        throw new Error(`PostgreSQL in ${options.dataDir} did not start on port ${port}:\n${tail(logFile)}`);
      }
      if (options.port === undefined) port = await findFreePort(host);
      await sleep(200 * attempt);
    }
  };

  const shutDown = async (command: 'keep' | 'remove'): Promise<void> => {
    const child = guardian;
    guardian = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.ref(); // keep this process alive until the server is down
    child.stdin?.end(command === 'keep' ? 'keep\n' : 'stop\n');
    await exited;
  };

  const onOwnerExit = (): void => {
    // Synchronous last resort: the guardian sees its stdin close and cleans up by itself.
    guardian?.stdin?.destroy();
  };
  process.once('exit', onOwnerExit);

  await launch();

  return {
    host,
    get port() {
      return port;
    },
    superuser,
    dataDir: options.dataDir,
    logFile,
    url: (database = 'postgres') => `postgresql://${superuser}@${host}:${port}/${database}?sslmode=disable`,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onOwnerExit);
      await shutDown('remove');
      if (removeOnExit) rmSync(removeOnExit, { recursive: true, force: true });
    },
    async restart() {
      await shutDown('keep');
      await launch();
    },
    async crash() {
      const pid = postmasterPid(options.dataDir);
      if (pid) process.kill(pid, 'SIGKILL');
      await shutDown('keep');
    },
  };
}

async function initCluster(dataDir: string, binaries: PostgresBinaries, user: OsUser | undefined): Promise<void> {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const template = await ensureTemplateCluster(binaries, user);
  // `cp -a` keeps ownership and modes (Node's fs.cp does not keep a folder's owner), so the copy belongs to the
  // server's user like the template.
  await run('cp', ['-a', template, dataDir], undefined);
}

/**
 * initdb takes a second or two; copying a finished cluster takes a few milliseconds. Each machine keeps one pristine
 * cluster per server version, created atomically (initdb into a private folder, then rename), so concurrent test
 * processes never see a half-made template.
 */
async function ensureTemplateCluster(binaries: PostgresBinaries, user: OsUser | undefined): Promise<string> {
  const template = path.join(os.tmpdir(), `electric-sync-pg-template-${binaries.majorVersion}-uid${user?.uid ?? process.getuid?.() ?? 0}`);
  if (existsSync(path.join(template, 'PG_VERSION'))) return template;
  const staging = mkdtempSync(`${template}.staging-`);
  if (user) chownSync(staging, user.uid, user.gid);
  const stagingData = path.join(staging, 'data');
  await run(
    binaries.initdb,
    ['-D', stagingData, '-U', superuser, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    user,
  );
  try {
    renameSync(stagingData, template);
  } catch {
    // Another process won the race; its template is as good as ours.
  }
  rmSync(staging, { recursive: true, force: true });
  return template;
}

function spawnGuardian(
  binaries: PostgresBinaries,
  user: OsUser | undefined,
  dataDir: string,
  port: number,
  settings: Readonly<Record<string, string>>,
  logFile: string,
  removeOnExit: string,
): ChildProcess {
  const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const log = openSync(logFile, 'a');
  if (user) chownSync(logFile, user.uid, user.gid);
  const child = spawn('/bin/sh', ['-c', guardianScript, 'postgres-guardian', binaries.postgres, ...args], {
    stdio: ['pipe', log, log],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', ES_REMOVE_ON_EXIT: removeOnExit },
    // Own process group: a Ctrl-C in the terminal reaches us, and we shut the server down in order.
    detached: true,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  closeSync(log);
  // Do not keep the event loop alive for the server alone, nor die on a write to an exited guardian.
  child.unref();
  child.stdin?.on('error', () => {});
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return child;
}

async function waitUntilReady(child: ChildProcess, port: number, timeoutMs = 30_000): Promise<'ready' | 'failed'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return 'failed';
    const client = new pg.Client({ host, port, user: superuser, database: 'postgres', connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      return 'ready';
    } catch {
      await sleep(50);
    } finally {
      await client.end().catch(() => {});
    }
  }
  child.stdin?.end('stop\n');
  return 'failed';
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[], user: OsUser | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited with ${code}:\n${output}`)),
    );
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}
