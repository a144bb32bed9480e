// Logical replication decode throughput: our consumer vs pg_recvlogical, on the same WAL with the same plugin options.
//
// How to run (takes a few minutes: it starts a throwaway PostgreSQL 15 and writes ~1.1M rows of WAL):
//
//   node_modules/.bin/node bench/replication/decode-throughput.bench.ts [--reps 3] [--workloads batch,single]
//        [--batch-rows 1000000] [--batch-txns 100] [--single-txns 100000] [--ack] [--node-flags=…]
//        [--cpu-prof DIR] [--json FILE]
//
// What it does, per workload:
//   1. creates a "template" pgoutput slot, BEFORE writing the workload;
//   2. writes the workload with server-side SQL (generate_series in a DO block that commits per transaction):
//        batch  — 1,000,000 rows in 100 transactions of 10,000 rows,
//        single — 100,000 transactions of one row each;
//      then one transactional logical message (the end marker), and takes endpos = pg_current_wal_lsn();
//   3. for each repetition, copies the template slot (pg_copy_logical_replication_slot) once per side, so every run
//      decodes exactly the same WAL from the same start, and runs, alternating which side goes first:
//        pg_recvlogical -d URL --slot S --start -o proto_version=1 -o publication_names=bench_pub -o messages=true
//                       --endpos <endpos> -f /dev/null --no-loop
//        our-consumer.ts (connectToDatabase + startReplicationStream: XLogData parse, pgoutput decode, transaction
//                       assembly, text → typed values), until the marker transaction.
//      Both sessions get Electric's display settings (DateStyle ISO/DMY, TimeZone UTC, bytea hex, extra_float_digits
//      1; pg_recvlogical through PGOPTIONS) so the walsender prints byte-identical values for both.
//
// What the figures mean:
//   - seconds: pg_recvlogical from spawn to exit (it exits by itself at endpos); ours from just before connecting to
//     the last transaction received (Node start-up and module loading excluded; "wall" shows spawn→exit too).
//   - rows/s, txn/s: workload rows (transactions) divided by the MEDIAN seconds of the repetitions.
//   - cpu s: user+system CPU of the consumer process (not the walsender); wal cpu s: CPU of the walsender serving it
//     (server-side decoding, shared cost — if it is close to the wall time, the server is the bottleneck).
//   - peak RSS: max resident set of the consumer process (/usr/bin/time -v, or /proc polling without it);
//     heap: our V8 heapUsed peak, sampled every 20 ms.
//   - ratio: ours rows/s ÷ pg_recvlogical rows/s (same for txn/s). Target ≥ 0.5. Reported, never asserted: the
//     machine is shared and noisy.
//   --ack acknowledges every transaction as the real consumer does (coalesced: one status update per event-loop turn); off by
//   default because pg_recvlogical only confirms on its status interval.
//   --node-flags=… passes V8/Node flags to our consumer's process (e.g. --node-flags=--max-semi-space-size=64).
//   ES_BENCH_NO_TIME=1 measures peak RSS and CPU by polling /proc instead of /usr/bin/time -v.
//   --cpu-prof DIR adds one extra, unmeasured run of ours per workload under `node --cpu-prof` and prints where the
//   time goes.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { findPostgresBinaries, startThrowawayPostgres } from '../../local-postgres/index.ts';
import { printProfileSummary, summarizeCpuProfile } from './cpu-profile-summary.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    workloads: { type: 'string', default: 'batch,single' },
    'batch-rows': { type: 'string', default: '1000000' },
    'batch-txns': { type: 'string', default: '100' },
    'single-txns': { type: 'string', default: '100000' },
    ack: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'node-flags': { type: 'string', default: '' },
    json: { type: 'string' },
  },
});

const reps = Number(values.reps);
const ourNodeFlags = values['node-flags'].split(' ').filter(Boolean);
const publication = 'bench_pub';
const marker = 'electric-sync-bench-end';
// Electric's display settings (runtime/src/upstream/connect.ts), for pg_recvlogical's walsender too.
const pgOptions = '-c datestyle=ISO,DMY -c timezone=UTC -c bytea_output=hex -c extra_float_digits=1';

interface Workload {
  readonly name: string;
  readonly description: string;
  readonly transactions: number;
  readonly rowsPerTransaction: number;
}

const allWorkloads: Record<string, Workload> = {
  batch: {
    name: 'batch',
    description: `${Number(values['batch-rows']).toLocaleString('en-US')} rows in ${values['batch-txns']} transactions`,
    transactions: Number(values['batch-txns']),
    rowsPerTransaction: Math.round(Number(values['batch-rows']) / Number(values['batch-txns'])),
  },
  single: {
    name: 'single',
    description: `${Number(values['single-txns']).toLocaleString('en-US')} single-row transactions`,
    transactions: Number(values['single-txns']),
    rowsPerTransaction: 1,
  },
};
const workloads = values.workloads.split(',').map((name) => {
  const workload = allWorkloads[name.trim()];
  if (!workload) throw new Error(`unknown workload ${name}: use batch, single`);
  return workload;
});

function findPgRecvlogical(): string {
  const candidates = [process.env.PG_RECVLOGICAL, path.join(findPostgresBinaries().binDir, 'pg_recvlogical'), '/usr/bin/pg_recvlogical'];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  throw new Error('pg_recvlogical not found: install postgresql-client or set PG_RECVLOGICAL');
}

const pgRecvlogical = findPgRecvlogical();
const timeBinary = existsSync('/usr/bin/time') && !process.env.ES_BENCH_NO_TIME ? '/usr/bin/time' : undefined;
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

// ---- process measurement ------------------------------------------------------------------------------------------

interface ProcessResult {
  readonly wallSeconds: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly maxRssBytes: number;
  readonly cpuSeconds: number;
}

function readProcStat(pid: number): { cpuTicks: number; hwmKb: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuTicks, hwmKb };
  } catch {
    return undefined;
  }
}

/** Runs a command; max RSS and CPU from /usr/bin/time -v when available, else by polling /proc. */
async function measureProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'es-bench-time-'));
  const timeFile = path.join(scratch, 'time.txt');
  const [file, argv] = timeBinary ? [timeBinary, ['-v', '-o', timeFile, command, ...args]] : [command, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let polled = { cpuTicks: 0, hwmKb: 0 };
  const poller = timeBinary
    ? undefined
    : setInterval(() => {
        const now = child.pid ? readProcStat(child.pid) : undefined;
        if (now) polled = { cpuTicks: now.cpuTicks, hwmKb: Math.max(polled.hwmKb, now.hwmKb) };
      }, 10);
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const wallSeconds = (performance.now() - started) / 1000;
  if (poller) clearInterval(poller);
  await new Promise((resolve) => setImmediate(resolve)); // let the last stdout chunks arrive
  let maxRssBytes = polled.hwmKb * 1024;
  let cpuSeconds = polled.cpuTicks / clockTicks;
  if (timeBinary && existsSync(timeFile)) {
    const report = readFileSync(timeFile, 'utf8');
    maxRssBytes = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? 0) * 1024;
    cpuSeconds =
      Number(/User time \(seconds\): ([\d.]+)/.exec(report)?.[1] ?? 0) +
      Number(/System time \(seconds\): ([\d.]+)/.exec(report)?.[1] ?? 0);
  }
  rmSync(scratch, { recursive: true, force: true });
  return { wallSeconds, stdout, stderr, exitCode, maxRssBytes, cpuSeconds };
}

/** Follows the walsender serving `slot` and returns its CPU seconds once stop() is called. */
function watchWalsender(sql: pg.Client, slot: string): { stop(): Promise<number> } {
  let pid: number | undefined;
  let ticks = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped && pid === undefined) {
      const { rows } = await sql.query<{ pid: number | null }>(
        'select active_pid as pid from pg_replication_slots where slot_name = $1',
        [slot],
      );
      if (rows[0]?.pid) pid = rows[0].pid;
      else await sleep(10);
    }
    while (!stopped && pid !== undefined) {
      const now = readProcStat(pid);
      if (!now) break; // the walsender is gone; keep the last reading
      ticks = now.cpuTicks;
      await sleep(20);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      return ticks / clockTicks;
    },
  };
}

// ---- the two sides ------------------------------------------------------------------------------------------------

interface RunResult {
  readonly side: 'pg_recvlogical' | 'ours';
  readonly seconds: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly walsenderCpuSeconds: number;
  readonly maxRssBytes: number;
  readonly heapPeakBytes?: number;
  readonly rows?: number;
  readonly transactions?: number;
}

async function runPgRecvlogical(sql: pg.Client, url: string, slot: string, endpos: string): Promise<RunResult> {
  const walsender = watchWalsender(sql, slot);
  const args = [
    '-d', url, '--slot', slot, '--start',
    '-o', 'proto_version=1', '-o', `publication_names=${publication}`, '-o', 'messages=true',
    '--endpos', endpos, '-f', '/dev/null', '--no-loop',
  ];
  const result = await measureProcess(pgRecvlogical, args, { ...process.env, PGOPTIONS: pgOptions });
  const walsenderCpuSeconds = await walsender.stop();
  if (result.exitCode !== 0) throw new Error(`pg_recvlogical exited with ${result.exitCode}: ${result.stderr}`);
  return {
    side: 'pg_recvlogical',
    seconds: result.wallSeconds,
    wallSeconds: result.wallSeconds,
    cpuSeconds: result.cpuSeconds,
    walsenderCpuSeconds,
    maxRssBytes: result.maxRssBytes,
  };
}

async function runOurs(
  sql: pg.Client,
  url: string,
  slot: string,
  endpos: string,
  nodeFlags: readonly string[] = [],
): Promise<RunResult> {
  const walsender = watchWalsender(sql, slot);
  const args = [
    ...ourNodeFlags,
    ...nodeFlags,
    path.join(here, 'our-consumer.ts'),
    '--url', url, '--slot', slot, '--publication', publication, '--end-lsn', endpos, '--marker', marker,
    ...(values.ack ? ['--ack'] : []),
  ];
  const result = await measureProcess(process.execPath, args, process.env);
  const walsenderCpuSeconds = await walsender.stop();
  if (result.exitCode !== 0) throw new Error(`our consumer exited with ${result.exitCode}: ${result.stderr}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  const report = JSON.parse(line) as {
    seconds: number;
    transactions: number;
    rows: number;
    sawMarker: boolean;
    heapPeakBytes: number;
    maxRssBytes: number;
  };
  if (!report.sawMarker) throw new Error(`our consumer stopped without seeing the end marker: ${line}`);
  return {
    side: 'ours',
    seconds: report.seconds,
    wallSeconds: result.wallSeconds,
    cpuSeconds: result.cpuSeconds,
    walsenderCpuSeconds,
    maxRssBytes: Math.max(result.maxRssBytes, report.maxRssBytes),
    heapPeakBytes: report.heapPeakBytes,
    rows: report.rows,
    transactions: report.transactions - 1, // the marker transaction
  };
}

// ---- workload -----------------------------------------------------------------------------------------------------

async function writeWorkload(sql: pg.Client, workload: Workload): Promise<void> {
  // Commits are flushed by the marker transaction below (synchronous_commit on), so the workload can skip the wait.
  await sql.query('set synchronous_commit = off');
  await sql.query(`
    do $$
    declare
      per int := ${workload.rowsPerTransaction};
      base int8 := coalesce((select max(n) from bench_items), 0);
    begin
      for t in 0..${workload.transactions - 1} loop
        insert into bench_items (id, n, title, created_at, done, meta)
        select gen_random_uuid(), base + t::int8 * per + i, 'item ' || (base + t::int8 * per + i) || ' ' || md5(i::text),
               now() + i * interval '1 millisecond', i % 2 = 0,
               jsonb_build_object('n', i, 'tag', 'tag-' || (i % 10), 'ok', true)
          from generate_series(1, per) as i;
        commit;
      end loop;
    end $$`);
  await sql.query('set synchronous_commit = on');
  await sql.query(`select pg_logical_emit_message(true, '${marker}', 'end')`);
}

// ---- helpers ------------------------------------------------------------------------------------------------------

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

interface WorkloadSummary {
  readonly workload: Workload;
  readonly walBytes: number;
  readonly runs: readonly RunResult[];
  readonly sides: Record<'pg_recvlogical' | 'ours', {
    seconds: number;
    rowsPerSecond: number;
    transactionsPerSecond: number;
    cpuSeconds: number;
    walsenderCpuSeconds: number;
    maxRssBytes: number;
    heapPeakBytes?: number;
  }>;
  readonly ratio: number;
  readonly loadBefore: string;
  readonly loadAfter: string;
}

// ---- main ---------------------------------------------------------------------------------------------------------

console.log(
  `decode throughput: ours vs ${pgRecvlogical} (${execFileSync(pgRecvlogical, ['--version'], { encoding: 'utf8' }).trim()}), ` +
    `node ${process.version}, ${os.availableParallelism()} cores, load ${load()}, ${reps} repetitions` +
    `${values.ack ? ', --ack' : ''}${ourNodeFlags.length ? `, our node flags: ${ourNodeFlags.join(' ')}` : ''}; peak RSS via ${timeBinary ? '/usr/bin/time -v' : '/proc polling'}`,
);

const server = await startThrowawayPostgres({
  settings: {
    max_wal_size: '8GB',
    checkpoint_timeout: '1h',
    shared_buffers: '256MB',
    wal_buffers: '16MB',
    wal_sender_timeout: '5min',
  },
});
const url = server.url();
const sql = new pg.Client(url);
sql.on('error', () => {});
await sql.connect();
const summaries: WorkloadSummary[] = [];

try {
  console.log(`PostgreSQL ${(await sql.query('show server_version')).rows[0].server_version} on port ${server.port}`);
  await sql.query(`
    create table bench_items (
      id uuid primary key,
      n int8 not null,
      title text not null,
      created_at timestamptz not null,
      done bool not null,
      meta jsonb not null
    );
    create publication ${publication} for table bench_items`);

  for (const workload of workloads) {
    const template = `bench_${workload.name}_template`;
    const { rows: created } = await sql.query<{ lsn: string }>(
      `select lsn::text from pg_create_logical_replication_slot($1, 'pgoutput')`,
      [template],
    );
    process.stdout.write(`\n[${workload.name}] ${workload.description}: writing the workload… `);
    const writeStarted = performance.now();
    await writeWorkload(sql, workload);
    const { rows: end } = await sql.query<{ lsn: string; bytes: string }>(
      `select pg_current_wal_lsn()::text as lsn, (pg_current_wal_lsn() - $1::pg_lsn)::text as bytes`,
      [created[0]!.lsn],
    );
    const endpos = end[0]!.lsn;
    const walBytes = Number(end[0]!.bytes);
    await sql.query('checkpoint'); // no checkpoint in the middle of a measured run
    console.log(`${((performance.now() - writeStarted) / 1000).toFixed(1)} s, ${mb(walBytes)} of WAL, endpos ${endpos}`);

    const expectedRows = workload.transactions * workload.rowsPerTransaction;
    const loadBefore = load();
    const runs: RunResult[] = [];
    for (let rep = 1; rep <= reps; rep++) {
      const order: RunResult['side'][] = rep % 2 === 1 ? ['pg_recvlogical', 'ours'] : ['ours', 'pg_recvlogical'];
      for (const side of order) {
        const slot = `bench_${workload.name}_${side === 'ours' ? 'ours' : 'pgrl'}_${rep}`;
        await sql.query('select pg_copy_logical_replication_slot($1, $2)', [template, slot]);
        const result =
          side === 'ours' ? await runOurs(sql, url, slot, endpos) : await runPgRecvlogical(sql, url, slot, endpos);
        await sql.query('select pg_drop_replication_slot($1)', [slot]);
        if (side === 'ours' && (result.rows !== expectedRows || result.transactions !== workload.transactions)) {
          throw new Error(
            `our consumer got ${result.rows} rows in ${result.transactions} transactions; ` +
              `expected ${expectedRows} in ${workload.transactions}`,
          );
        }
        runs.push(result);
        console.log(
          `  rep ${rep} ${side.padEnd(14)} ${result.seconds.toFixed(2).padStart(7)} s` +
            `  (wall ${result.wallSeconds.toFixed(2)} s, cpu ${result.cpuSeconds.toFixed(2)} s, ` +
            `walsender cpu ${result.walsenderCpuSeconds.toFixed(2)} s, peak RSS ${mb(result.maxRssBytes)}` +
            `${result.heapPeakBytes !== undefined ? `, heap ${mb(result.heapPeakBytes)}` : ''})  load ${load()}`,
        );
      }
    }

    const sideSummary = (side: RunResult['side']) => {
      const mine = runs.filter((r) => r.side === side);
      const seconds = median(mine.map((r) => r.seconds));
      const heaps = mine.flatMap((r) => (r.heapPeakBytes === undefined ? [] : [r.heapPeakBytes]));
      return {
        seconds,
        rowsPerSecond: expectedRows / seconds,
        transactionsPerSecond: workload.transactions / seconds,
        cpuSeconds: median(mine.map((r) => r.cpuSeconds)),
        walsenderCpuSeconds: median(mine.map((r) => r.walsenderCpuSeconds)),
        maxRssBytes: median(mine.map((r) => r.maxRssBytes)),
        ...(heaps.length ? { heapPeakBytes: median(heaps) } : {}),
      };
    };
    const sides = { pg_recvlogical: sideSummary('pg_recvlogical'), ours: sideSummary('ours') };
    const ratio = sides.ours.rowsPerSecond / sides.pg_recvlogical.rowsPerSecond;
    summaries.push({ workload, walBytes, runs, sides, ratio, loadBefore, loadAfter: load() });

    if (values['cpu-prof']) {
      const dir = path.resolve(values['cpu-prof'], workload.name);
      mkdirSync(dir, { recursive: true });
      const slot = `bench_${workload.name}_profile`;
      await sql.query('select pg_copy_logical_replication_slot($1, $2)', [template, slot]);
      const before = new Set(readdirSync(dir));
      const profiled = await runOurs(sql, url, slot, endpos, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      await sql.query('select pg_drop_replication_slot($1)', [slot]);
      const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile') && !before.has(name));
      console.log(`  profiled run (not counted): ${profiled.seconds.toFixed(2)} s; profile ${file ? path.join(dir, file) : 'missing'}`);
      if (file) {
        printProfileSummary(
          summarizeCpuProfile(path.join(dir, file), [
            'onCopyData', 'parseReplicationMessage', 'decode', 'push', 'buildRow', 'next', 'handleCopyData', 'parse',
          ]),
        );
      }
    }
    await sql.query('select pg_drop_replication_slot($1)', [template]);
  }
} finally {
  await sql.end().catch(() => {});
  await server.stop();
}

// ---- report -------------------------------------------------------------------------------------------------------

console.log(`\nmedians of ${reps} repetitions (load now ${load()}):\n`);
const header = ['workload', 'consumer', 'seconds', 'rows/s', 'txn/s', 'cpu s', 'wal cpu s', 'peak RSS', 'heap peak', 'ours/pg'];
const table: string[][] = [header];
for (const s of summaries) {
  for (const side of ['pg_recvlogical', 'ours'] as const) {
    const x = s.sides[side];
    table.push([
      s.workload.name,
      side,
      x.seconds.toFixed(2),
      int(x.rowsPerSecond),
      int(x.transactionsPerSecond),
      x.cpuSeconds.toFixed(2),
      x.walsenderCpuSeconds.toFixed(2),
      mb(x.maxRssBytes),
      x.heapPeakBytes !== undefined ? mb(x.heapPeakBytes) : '—',
      side === 'ours' ? `${s.ratio.toFixed(2)}×` : '',
    ]);
  }
}
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
for (const [i, row] of table.entries()) {
  console.log(row.map((cell, j) => (j < 2 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log('');
for (const s of summaries) {
  console.log(
    `${s.workload.name}: ${s.workload.description}, ${mb(s.walBytes)} of WAL — ours/pg_recvlogical = ${s.ratio.toFixed(2)}× ` +
      `(target ≥ 0.5×, ${s.ratio >= 0.5 ? 'met' : 'NOT met'}); consumer CPU pg_recvlogical/ours = ` +
      `${(s.sides.pg_recvlogical.cpuSeconds / s.sides.ours.cpuSeconds).toFixed(2)}; load ${s.loadBefore} → ${s.loadAfter}`,
  );
}

if (values.json) {
  writeFileSync(
    values.json,
    `${JSON.stringify({ node: process.version, cores: os.availableParallelism(), reps, ack: values.ack, summaries }, null, 2)}\n`,
  );
}
