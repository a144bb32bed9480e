// Fan-out latency: time from a Postgres commit until every one of N Satellite clients has the row, for N = 1, 100 and
// 1,000 clients subscribed to one table, beside a bare `ws` broadcast of the same bytes to N plain `ws` clients in the
// same run. Issue 4, last acceptance bullet.
//
// How to run (about 1–2 minutes; it starts a throwaway PostgreSQL and the runtime as a child process):
//
//   node_modules/.bin/node bench/fanout/fanout.bench.ts [--clients 1,100,1000] [--commits 100] [--warmup 5]
//        [--pause-ms 20] [--setup-concurrency 8] [--timeout-ms 10000] [--json FILE] [--cpu-prof DIR]
//
// Process layout (the same for both sides):
//   - this process: the N clients of each side (all on its one event loop) and the Postgres connection that commits;
//   - one server process per side: `electric-sync runtime` (ours, via test/support/runtime-process.ts) and
//     bare-server.ts (a bare `ws` WebSocketServer), both on loopback;
//   - a throwaway PostgreSQL 15 (local-postgres, fsync off, synchronous_commit on).
//
// One measured operation, "ours": probe.expectedId = new id; t0 = hrtime; `INSERT INTO items … ` as one autocommit
// statement (extended protocol: Parse/Bind/Execute/Sync, one round trip, so INSERT and COMMIT together);
// t1 = hrtime when the query promise resolves (the commit is acknowledged); wait until all N clients have seen the
// SatOpLog with that row's insert (receive hrtime taken first thing in each client's 'message' handler).
//   ours latency     = last receive − t0   (from "just before the INSERT was sent"; the primary figure. It includes the
//                      commit's own round trip, shown separately as "commit RTT")
//   ours from reply  = last receive − t1   (from "COMMIT returned"). Not the primary figure because it can be negative:
//                      the walsender is woken when the commit's WAL is flushed, in parallel with the backend's reply,
//                      and this process may handle the clients' messages before the reply (seen in test runs).
// Then every client acknowledges the transaction (SatOpLogAck), outside the measured window, and after --pause-ms the
// next operation starts. One commit in flight at a time.
//
// One measured operation, "bare": tell the bare server over IPC to broadcast; it takes sendCallAt on the shared clock
// (performance.timeOrigin + performance.now(), comparable across processes of one machine) just before its loop of
// ws.send(frame) calls; wait until all N bare clients have the message. Each bare client does exactly what ours does
// on the row's message (hrtime first, then decode the SatOpLog and find the insert), and the frame is the very
// SatOpLog our clients received in the warm-up (same bytes, same size).
//   bare latency  = last receive (converted to the shared clock) − sendCallAt   (the primary figure)
//   bare +trigger = last receive − hrtime before the IPC message to the server (all in this process's clock)
//
// Ours and bare operations alternate (ours first on even operations, bare first on odd ones) so both see the same
// noise. Clients are added between the counts (1 → 100 → 1,000) and stay connected; both sides' clients are
// connected during the whole count. Warm-up operations are not counted.
//
// Percentiles: nearest rank over the measured operations (with 100 operations p99 is the 99th smallest, i.e. the
// second largest; with 50 it is the largest). ratio = ours ÷ bare, per percentile.
// Also reported: first-client latency (the pipeline: Postgres → replication → runtime → first socket) and the spread
// first→last client (the per-client fan-out cost), the CPU time per operation of each server process (/proc, 10 ms
// ticks, summed over the count) and of this process (process.cpuUsage around each operation), and the load average.
//
// --cpu-prof DIR runs both server processes under `node --cpu-prof` and prints, for each count, where their time went
// during the measured operations only (profile-window.ts cuts the profile to that window); it slows them a little, so
// take the latency figures from a run without it.
//
// Nothing is asserted: the machine is shared and noisy; the numbers are reported.
import { fork, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { startThrowawayPostgres } from '../../local-postgres/index.ts';
import { startRuntimeProcess } from '../../test/support/runtime-process.ts';
import { printWindowSummary, summarizeWindow } from './profile-window.ts';
import { connectSatelliteClient, findInsert, SATELLITE_SUBPROTOCOL, type RowProbe, type SatelliteBenchClient } from './satellite-client.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '1,100,1000' },
    commits: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '5' },
    'pause-ms': { type: 'string', default: '20' },
    'setup-concurrency': { type: 'string', default: '8' },
    'timeout-ms': { type: 'string', default: '10000' },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const clientCounts = args.clients.split(',').map((s) => Number(s.trim()));
const commits = Number(args.commits);
const warmup = Number(args.warmup);
const pauseMs = Number(args['pause-ms']);
const setupConcurrency = Number(args['setup-concurrency']);
const timeoutMs = Number(args['timeout-ms']);
const table = 'items';

// --- cleanup, even on error or Ctrl-C ---------------------------------------------------------------------------

const cleanups: (() => unknown)[] = [];
const context = { after: (fn: () => unknown) => void cleanups.push(fn) };
let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        console.error('cleanup failed:', error);
      }
    }
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// --- helpers ------------------------------------------------------------------------------------------------------

const hr = () => process.hrtime.bigint();
const msBetween = (from: bigint, to: bigint) => Number(to - from) / 1e6;
// hrtime and performance.now() are the same monotonic clock in Node; this turns an hrtime into the shared clock.
const hrToSharedOffset = (() => {
  const a = performance.now();
  const h = hr();
  const b = performance.now();
  return (a + b) / 2 - Number(h) / 1e6;
})();
const toShared = (t: bigint) => performance.timeOrigin + Number(t) / 1e6 + hrToSharedOffset;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
const sortNum = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
const fmt = (ms: number) => (Number.isFinite(ms) ? (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)) : '—');
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');

function procCpuMs(pid: number): number {
  // /proc/<pid>/stat fields 14 (utime) and 15 (stime), in clock ticks (USER_HZ = 100 on Linux).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

function openFds(pid: number | 'self'): string {
  try {
    return String(readdirSync(`/proc/${pid}/fd`).length);
  } catch {
    return '?';
  }
}

function shellLimit(flag: '-Sn' | '-Hn'): string {
  try {
    return execFileSync('sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

async function inBatches<T>(count: number, concurrency: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/** Collects one receive time per client for the row in flight; resolves when all `n` have it. */
class Arrivals {
  times: bigint[] = [];
  private seen = new Uint8Array(0);
  private count = 0;
  private n = 0;
  private done: (() => void) | undefined;
  frame: Buffer | undefined;

  start(n: number): Promise<void> {
    this.n = n;
    this.count = 0;
    this.times = new Array<bigint>(n);
    this.seen = new Uint8Array(n);
    return new Promise<void>((resolve) => (this.done = resolve));
  }
  add(index: number, at: bigint, frame: Buffer): void {
    if (index >= this.n || this.seen[index]) return;
    this.seen[index] = 1;
    this.times[index] = at;
    this.frame ??= Buffer.from(frame);
    if (++this.count === this.n) this.done?.();
  }
  missing(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (!this.seen[i]) out.push(i);
    return out;
  }
  firstLast(): { first: bigint; last: bigint } {
    let first = this.times[0]!;
    let last = first;
    for (const t of this.times) {
      if (t < first) first = t;
      if (t > last) last = t;
    }
    return { first, last };
  }
}

async function withTimeout<T>(promise: Promise<T>, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what()}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// --- the run ------------------------------------------------------------------------------------------------------

interface OpSample {
  latency: number; // primary: ours from just before the INSERT is sent; bare from the send call
  extended: number; // ours: from the COMMIT reply (can be < 0: replication races the reply); bare: incl. IPC trigger
  first: number; // first client, from the same origin as `latency`
  spread: number; // last − first client
  extra: number; // ours: commit round trip; bare: the server's send-loop time
  cpuMs: number; // this process's CPU during the operation
}

interface CountResult {
  clients: number;
  ours: OpSample[];
  bare: OpSample[];
  runtimeCpuMsPerOp: number;
  bareServerCpuMsPerOp: number;
  loadBefore: string;
  loadAfter: string;
  seconds: number;
  minOursFromCommit: number;
  /** The measured window on the monotonic clock, µs (to cut the runtime's CPU profile). */
  windowUs: [number, number];
}

let runtimeOutput: (() => string) | undefined;

async function main(): Promise<void> {
  const maxClients = Math.max(...clientCounts);
  const soft = shellLimit('-Sn');
  const hard = shellLimit('-Hn');
  // This process holds 2 × N client sockets (ours + bare) plus a few; each server process holds N (+ Postgres).
  const needed = 2 * maxClients + 200;
  console.log(`open-file limit (ulimit -n): soft ${soft}, hard ${hard}; this process needs ~${needed} (2 × ${maxClients} client sockets + slack)`);
  if (soft !== 'unlimited' && Number(soft) < needed) {
    throw new Error(`the open-file limit ${soft} is too low for ${maxClients} clients per side; raise it (ulimit -n ${needed}) or lower --clients`);
  }
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load average (1/5/15 min) ${load()}`);

  const started = performance.now();
  const postgres = await startThrowawayPostgres();
  context.after(() => postgres.stop());
  const profDir = args['cpu-prof'] ? path.resolve(args['cpu-prof']) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const runtime = await startRuntimeProcess(context, {
    DATABASE_URL: postgres.url(),
    AUTH_MODE: 'insecure',
    ELECTRIC_WRITE_TO_PG_MODE: 'direct_writes',
    LOG_LEVEL: 'warning',
    ...(profDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir}` } : {}),
  });
  // Registered after the kill-on-exit hook, so it runs first: a clean stop (writes the CPU profile if asked).
  context.after(async () => {
    if (runtime.child.exitCode === null && runtime.child.signalCode === null) {
      await Promise.race([runtime.stop(), sleep(10_000)]);
    }
  });
  runtimeOutput = runtime.output;
  await runtime.waitForStatus(200, 60_000);

  const sql = new pg.Client(postgres.url());
  sql.on('error', () => {});
  await sql.connect();
  context.after(() => sql.end().catch(() => {}));
  await sql.query(`create table ${table} (id text primary key, sent_at text)`);
  await sql.query(`call electric.electrify('${table}')`);

  const bareServer = fork(path.join(here, 'bare-server.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profDir, 'bare')}`] : [],
  });
  const bareExited = new Promise<void>((resolve) => bareServer.once('exit', () => resolve()));
  context.after(() => {
    if (bareServer.exitCode === null && bareServer.signalCode === null) bareServer.kill('SIGKILL');
  });
  type BareMessage = { type: string; seq?: number; port?: number; sendCallAt?: number; loopMs?: number; clients?: number; at?: number };
  const bareWaiters = new Map<string, (message: BareMessage) => void>();
  bareServer.on('message', (message: BareMessage) => {
    const key = `${message.type}/${message.seq ?? ''}`;
    bareWaiters.get(key)?.(message);
    bareWaiters.delete(key);
  });
  const bareReply = (type: string, seq?: number) =>
    new Promise<BareMessage>((resolve) => bareWaiters.set(`${type}/${seq ?? ''}`, resolve));
  const barePort = (await withTimeout(bareReply('listening'), () => 'the bare server did not start')).port!;

  // Shared-clock check between this process and the bare server: NTP-style, best of 50 IPC round trips.
  let best = { rtt: Infinity, offset: 0 };
  for (let seq = 1; seq <= 50; seq++) {
    const t1 = toShared(hr());
    const reply = bareReply('clock', seq);
    bareServer.send({ type: 'clock', seq });
    const { at } = await reply;
    const t3 = toShared(hr());
    if (t3 - t1 < best.rtt) best = { rtt: t3 - t1, offset: at! - (t1 + t3) / 2 };
  }
  console.log(
    `shared clock: bare server − this process = ${(best.offset * 1000).toFixed(0)} µs ± ${((best.rtt / 2) * 1000).toFixed(0)} µs (best IPC round trip ${(best.rtt * 1000).toFixed(0)} µs); not corrected`,
  );

  const wsUrl = `ws://127.0.0.1:${runtime.httpPort}/ws`;
  const bareUrl = `ws://127.0.0.1:${barePort}/ws`;
  const failures: string[] = [];
  const ours = new Arrivals();
  const bare = new Arrivals();
  const oursProbe: RowProbe = { expectedId: undefined, onRow: (i, at, frame) => ours.add(i, at, frame) };
  const bareProbe: RowProbe = { expectedId: undefined, onRow: (i, at, frame) => bare.add(i, at, frame) };
  const oursClients: SatelliteBenchClient[] = [];
  const bareClients: WebSocket[] = [];
  context.after(() => {
    for (const client of oursClients) client.close();
    for (const socket of bareClients) socket.terminate();
  });

  // The bare clients decode the captured SatOpLog exactly as ours do; they learn the relation's id column from ours.
  let idColumnOf: (relationId: number) => number | undefined = () => undefined;
  const connectBare = (index: number) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(bareUrl, SATELLITE_SUBPROTOCOL, { perMessageDeflate: false });
      socket.binaryType = 'nodebuffer';
      socket.on('message', (data: Buffer) => {
        const receivedAt = hr();
        const expected = bareProbe.expectedId;
        if (expected === undefined) return;
        if (findInsert(data, expected, idColumnOf)) bareProbe.onRow(index, receivedAt, data);
      });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
      socket.on('close', () => failures.push(`bare client ${index} closed`));
    });

  const growTo = async (n: number) => {
    const t = performance.now();
    const have = oursClients.length;
    if (n > have) {
      const added = await inBatches(n - have, setupConcurrency, async (k) => {
        const index = have + k;
        // The runtime may still be catching up with the electrify migration: retry the first subscription a while.
        for (let attempt = 1; ; attempt++) {
          try {
            return await connectSatelliteClient({
              url: wsUrl,
              index,
              table,
              probe: oursProbe,
              onFailure: (_i, reason) => failures.push(reason),
            });
          } catch (error) {
            if (index > 0 || attempt >= 50) throw error;
            await sleep(200);
          }
        }
      });
      oursClients.push(...added);
      const addedBare = await inBatches(n - have, 50, (k) => connectBare(have + k));
      bareClients.push(...addedBare);
    }
    console.log(`  connected and subscribed ${n} clients per side in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };

  let opSeq = 0;
  let lastOursId = '';
  const runOurs = async (n: number, label: string): Promise<OpSample> => {
    const id = `${label}-${++opSeq}`;
    lastOursId = id;
    const arrived = ours.start(n);
    oursProbe.expectedId = id;
    const cpu0 = process.cpuUsage();
    const t0 = hr();
    await sql.query(`insert into ${table} (id, sent_at) values ($1, $2)`, [id, String(Date.now())]);
    const t1 = hr();
    await withTimeout(arrived, () => `ours ${id}: ${ours.missing().length} of ${n} clients never got the row (${failures.slice(0, 3).join('; ')})`);
    const cpu = process.cpuUsage(cpu0);
    oursProbe.expectedId = undefined;
    const { first, last } = ours.firstLast();
    for (const client of oursClients) client.ackLatest();
    return {
      latency: msBetween(t0, last),
      extended: msBetween(t1, last),
      first: msBetween(t0, first),
      spread: msBetween(first, last),
      extra: msBetween(t0, t1),
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };

  let bareId = '';
  const runBare = async (n: number): Promise<OpSample> => {
    const seq = ++opSeq;
    const arrived = bare.start(n);
    bareProbe.expectedId = bareId;
    const reply = bareReply('sent', seq);
    const cpu0 = process.cpuUsage();
    const t0 = hr();
    bareServer.send({ type: 'broadcast', seq });
    await withTimeout(arrived, () => `bare #${seq}: ${bare.missing().length} of ${n} clients never got the frame`);
    const cpu = process.cpuUsage(cpu0);
    const sent = await withTimeout(reply, () => `bare #${seq}: no answer from the bare server`);
    bareProbe.expectedId = undefined;
    if (sent.clients !== n) throw new Error(`the bare server has ${sent.clients} clients, expected ${n}`);
    const { first, last } = bare.firstLast();
    return {
      latency: toShared(last) - sent.sendCallAt!,
      extended: msBetween(t0, last),
      first: toShared(first) - sent.sendCallAt!,
      spread: msBetween(first, last),
      extra: sent.loopMs!,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };

  // The servers' CPU while nothing happens (timers, GC threads): subtract it in your head from the per-operation CPU.
  {
    const r0 = procCpuMs(runtime.child.pid!);
    const b0 = procCpuMs(bareServer.pid!);
    await sleep(2_000);
    console.log(
      `idle CPU over 2 s before the first count: runtime ${fmt(procCpuMs(runtime.child.pid!) - r0)} ms, bare server ${fmt(procCpuMs(bareServer.pid!) - b0)} ms (10 ms ticks)`,
    );
  }

  const results: CountResult[] = [];
  for (const n of clientCounts) {
    console.log(`\n${n} client(s) per side — load average ${load()}`);
    await growTo(n);
    failures.length = 0;
    console.log(
      `  open file descriptors: this process ${openFds('self')}, runtime ${openFds(runtime.child.pid!)}, bare server ${openFds(bareServer.pid!)}`,
    );

    // Warm-up; the first one of the run also captures our SatOpLog for the bare server.
    for (let i = 0; i < warmup; i++) {
      await runOurs(n, `warm${n}`);
      if (!bareId) {
        const frame = ours.frame!;
        bareServer.send({ type: 'frame', base64: frame.toString('base64') });
        bareId = lastOursId;
        const reference = oursClients[0]!;
        idColumnOf = (relationId) => reference.idColumnOf(relationId);
        console.log(`  captured our SatOpLog for the row: ${frame.length} bytes (the bare server sends exactly these bytes)`);
      }
      await sleep(pauseMs);
      await runBare(n);
      await sleep(pauseMs);
    }

    const loadBefore = load();
    const runtimeCpu0 = procCpuMs(runtime.child.pid!);
    const bareCpu0 = procCpuMs(bareServer.pid!);
    const t = performance.now();
    const windowFrom = Number(hr() / 1000n);
    const oursSamples: OpSample[] = [];
    const bareSamples: OpSample[] = [];
    for (let i = 0; i < commits; i++) {
      if (i % 2 === 0) {
        oursSamples.push(await runOurs(n, `c${n}`));
        await sleep(pauseMs);
        bareSamples.push(await runBare(n));
      } else {
        bareSamples.push(await runBare(n));
        await sleep(pauseMs);
        oursSamples.push(await runOurs(n, `c${n}`));
      }
      await sleep(pauseMs);
      if (failures.length > 0) throw new Error(`client failures: ${failures.slice(0, 5).join('; ')}`);
    }
    const result: CountResult = {
      clients: n,
      ours: oursSamples,
      bare: bareSamples,
      runtimeCpuMsPerOp: (procCpuMs(runtime.child.pid!) - runtimeCpu0) / commits,
      bareServerCpuMsPerOp: (procCpuMs(bareServer.pid!) - bareCpu0) / commits,
      loadBefore,
      loadAfter: load(),
      seconds: (performance.now() - t) / 1000,
      minOursFromCommit: Math.min(...oursSamples.map((s) => s.extended)),
      windowUs: [windowFrom, Number(hr() / 1000n)],
    };
    results.push(result);
    printCount(result);
  }

  printSummary(results);
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end ${load()}`);
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, commits, warmup, pauseMs, results }, null, 2));
    console.log(`wrote ${args.json}`);
  }

  if (profDir) {
    for (const client of oursClients) client.close();
    for (const socket of bareClients) socket.terminate();
    bareServer.disconnect(); // the bare server exits (and writes its profile) when the IPC channel closes
    await Promise.race([Promise.all([runtime.stop(), bareExited]), sleep(10_000)]);
    const newest = (dir: string) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(dir, f))
        .sort()
        .pop();
    const profiles = [
      { name: 'the runtime', file: newest(profDir), cpu: (r: CountResult) => `runtime CPU from /proc: ${fmt(r.runtimeCpuMsPerOp)} ms per commit` },
      { name: 'the bare server', file: newest(path.join(profDir, 'bare')), cpu: (r: CountResult) => `bare server CPU from /proc: ${fmt(r.bareServerCpuMsPerOp)} ms per broadcast` },
    ];
    for (const { name, file, cpu } of profiles) {
      if (!file) {
        console.log(`\nno CPU profile of ${name} found`);
        continue;
      }
      console.log(`\nCPU profile of ${name}: ${file}`);
      for (const r of results) {
        console.log(`\n${r.clients} client(s): ${name} during the measured operations (${cpu(r)})`);
        const summary = summarizeWindow(file, r.windowUs[0], r.windowUs[1]);
        if (summary.sampledMs === 0) console.log('  no samples in this window (the profile clock is not the harness clock?)');
        else printWindowSummary(summary);
      }
    }
  }
}

function stats(samples: readonly OpSample[], key: keyof OpSample) {
  const sorted = sortNum(samples.map((s) => s[key]));
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

function printCount(r: CountResult): void {
  const row = (name: string, samples: OpSample[], keys: [keyof OpSample, string][]) =>
    `  ${name.padEnd(5)} ` + keys.map(([k, label]) => { const s = stats(samples, k); return `${label} ${fmt(s.p50)}/${fmt(s.p99)}`; }).join('  ');
  console.log(`  ${r.ours.length} operations per side in ${r.seconds.toFixed(1)} s, load ${r.loadBefore} → ${r.loadAfter} (ms, p50/p99)`);
  console.log(row('ours', r.ours, [['latency', 'from INSERT sent'], ['extended', 'from COMMIT returned'], ['first', 'first client'], ['spread', 'first→last'], ['extra', 'commit RTT'], ['cpuMs', 'client-side CPU']]));
  console.log(row('bare', r.bare, [['latency', 'from send call'], ['extended', 'incl. IPC trigger'], ['first', 'first client'], ['spread', 'first→last'], ['extra', 'send loop'], ['cpuMs', 'client-side CPU']]));
  console.log(`  server CPU per operation: runtime ${fmt(r.runtimeCpuMsPerOp)} ms, bare server ${fmt(r.bareServerCpuMsPerOp)} ms`);
  if (r.minOursFromCommit < 0) {
    const early = r.ours.filter((s) => s.extended < 0).length;
    console.log(`  note: in ${early} of ${r.ours.length} commits the last client had the row before this process handled the COMMIT reply (min ${fmt(r.minOursFromCommit)} ms)`);
  }
}

function printSummary(results: readonly CountResult[]): void {
  console.log('\nTime until every client has the row, ms (ours: from just before the autocommit INSERT is sent; bare: from the send call)\n');
  console.log('| clients | ours p50 | ours p99 | bare p50 | bare p99 | ratio p50 | ratio p99 | load (1 min) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    const o = stats(r.ours, 'latency');
    const b = stats(r.bare, 'latency');
    console.log(
      `| ${r.clients.toLocaleString('en-US')} | ${fmt(o.p50)} | ${fmt(o.p99)} | ${fmt(b.p50)} | ${fmt(b.p99)} | ${(o.p50 / b.p50).toFixed(1)}× | ${(o.p99 / b.p99).toFixed(1)}× | ${r.loadBefore.split(' / ')[0]} → ${r.loadAfter.split(' / ')[0]} |`,
    );
  }
  console.log('\nWhere the time goes, ms p50 (first client from the same origin as above; spread = first → last client)\n');
  console.log('| clients | ours first | ours spread | ours from COMMIT reply | commit RTT | bare first | bare spread | bare incl. IPC | runtime CPU/commit | bare server CPU/send |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const p = (samples: OpSample[], k: keyof OpSample) => fmt(stats(samples, k).p50);
    console.log(
      `| ${r.clients.toLocaleString('en-US')} | ${p(r.ours, 'first')} | ${p(r.ours, 'spread')} | ${p(r.ours, 'extended')} | ${p(r.ours, 'extra')} | ${p(r.bare, 'first')} | ${p(r.bare, 'spread')} | ${p(r.bare, 'extended')} | ${fmt(r.runtimeCpuMsPerOp)} | ${fmt(r.bareServerCpuMsPerOp)} |`,
    );
  }
}

try {
  await main();
} catch (error) {
  console.error('\nbenchmark failed:', error);
  const tail = runtimeOutput?.().trim().split('\n').slice(-15).join('\n');
  if (tail) console.error(`\n--- last lines of the runtime's output ---\n${tail}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
