// Where the runtime's time goes during one measured window of the fan-out benchmark: reads a V8 .cpuprofile of the
// runtime process (NODE_OPTIONS=--cpu-prof) and keeps only the samples taken between two instants of the monotonic
// clock (process.hrtime in the harness and V8's TimeTicks are both CLOCK_MONOTONIC on Linux, in µs here).
//
// Caveat: V8 samples on a wall-clock timer. On a loaded machine, time the process spends waiting for a CPU is charged
// to whatever was on the stack (often a syscall such as writev). Shares are therefore shares of wall time inside the
// window while busy; multiply by the process's measured CPU time (/proc) for CPU estimates.
//
// Also runnable on its own: node bench/fanout/profile-window.ts <file.cpuprofile> [fromUs toUs]
import { readCpuProfile } from '../support/cpu-profile.ts';

/** A group of self time, matched on the function's file (url) and name. First match wins. */
const categories: readonly { readonly name: string; readonly match: (fn: string, url: string) => boolean }[] = [
  { name: 'idle (waiting in epoll)', match: (fn) => fn === '(idle)' },
  { name: 'garbage collector', match: (fn) => fn === '(garbage collector)' },
  { name: 'socket writes (writev/writeBuffer, native)', match: (fn, url) => !url && /^write/.test(fn) },
  { name: 'other native / VM', match: (_fn, url) => !url },
  { name: 'protobuf encode/decode (@bufbuild)', match: (_fn, url) => url.includes('@bufbuild/protobuf') },
  { name: 'ws library (frames, receiver, sender)', match: (_fn, url) => url.includes('node_modules/ws/') },
  { name: 'node:net / streams / events', match: (_fn, url) => url.startsWith('node:') },
  { name: 'session: changesFor, subscriptions, acks (runtime/src/ws, sync)', match: (_fn, url) => /runtime\/src\/(ws|sync)\//.test(url) },
  { name: 'codec (runtime/src/client-protocol)', match: (_fn, url) => url.includes('runtime/src/client-protocol/') },
  { name: 'replication in (runtime/src/upstream, pgwire)', match: (_fn, url) => /runtime\/src\/(upstream|pgwire)\//.test(url) },
  { name: 'pg driver', match: (_fn, url) => /node_modules\/(pg|pg-protocol)\//.test(url) },
  { name: 'everything else', match: () => true },
];

/** Inclusive time of these functions (name + file), each subtree counted once. */
const inclusiveOf: readonly { readonly label: string; readonly fn: string; readonly file: string }[] = [
  { label: 'pump (session: send pending transactions)', fn: 'pump', file: 'satellite-session.ts' },
  { label: '  sendTransaction', fn: 'sendTransaction', file: 'satellite-session.ts' },
  { label: '    changesFor (filter the transaction for the client)', fn: 'changesFor', file: 'satellite-session.ts' },
  { label: '    buildTransaction (SatOpLog message)', fn: 'buildTransaction', file: 'satellite-messages.ts' },
  { label: '    encodeFrame (protobuf toBinary)', fn: 'encodeFrame', file: 'frames.ts' },
  { label: '    WebSocket.send (ws framing + socket write)', fn: 'send', file: 'ws/lib/websocket.js' },
  { label: 'acknowledge (SatOpLogAck handling)', fn: 'acknowledge', file: 'satellite-session.ts' },
  { label: 'ws receiver (incoming frames, i.e. acks)', fn: 'receiverOnMessage', file: 'ws/lib/websocket.js' },
  { label: 'transaction log append (all listeners)', fn: 'append', file: 'transaction-log.ts' },
];

export interface WindowSummary {
  readonly sampledMs: number;
  readonly busyMs: number;
  readonly categories: readonly { readonly name: string; readonly ms: number; readonly share: number }[];
  readonly topFunctions: readonly { readonly name: string; readonly ms: number; readonly share: number }[];
  readonly inclusive: readonly { readonly label: string; readonly ms: number; readonly share: number }[];
}

export function summarizeWindow(file: string, fromUs?: number, toUs?: number): WindowSummary {
  const profile = readCpuProfile(file);
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if ((fromUs !== undefined && t < fromUs) || (toUs !== undefined && t > toUs)) continue;
    // Charge the sample with the interval up to the next one (the usual convention: self time ≈ sample interval).
    const next = profile.timeDeltas[i + 1] ?? delta;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + next);
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    total += us;
    if (byId.get(id)?.callFrame.functionName === '(idle)') idle += us;
  }
  const busy = total - idle;

  const cat = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const category = categories.find((c) => c.match(functionName, url))!.name;
    cat.set(category, (cat.get(category) ?? 0) + us);
    if (functionName === '(idle)') continue;
    const where = url ? `${short(url)}:${lineNumber + 1}` : '(native)';
    const key = `${functionName || '(anonymous)'}  ${where}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }

  const inclusive = inclusiveOf.map(({ label, fn, file: inFile }) => {
    let us = 0;
    const visit = (id: number, inside: boolean) => {
      const node = byId.get(id);
      if (!node) return;
      const counted = inside || (node.callFrame.functionName === fn && node.callFrame.url.includes(inFile));
      if (counted) us += selfUs.get(id) ?? 0;
      for (const child of node.children ?? []) visit(child, counted);
    };
    visit(profile.nodes[0]!.id, false);
    return { label, ms: us / 1000, share: busy ? us / busy : 0 };
  });

  const rank = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: busy ? us / busy : 0 }));
  return {
    sampledMs: total / 1000,
    busyMs: busy / 1000,
    categories: rank(cat).map((c) => (c.name.startsWith('idle') ? { ...c, share: total ? (c.ms * 1000) / total : 0 } : c)),
    topFunctions: rank(fns).slice(0, 20),
    inclusive,
  };
}

function short(url: string): string {
  const clean = url.replace(/^file:\/\//, '');
  for (const marker of ['/work/main/', 'node_modules/']) {
    const at = clean.indexOf(marker);
    if (at >= 0) return marker === 'node_modules/' ? clean.slice(at) : clean.slice(at + marker.length);
  }
  return clean;
}

export function printWindowSummary(summary: WindowSummary, indent = '  '): void {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  const ms = (x: number) => x.toFixed(0).padStart(6);
  console.log(`${indent}sampled ${summary.sampledMs.toFixed(0)} ms, not idle ${summary.busyMs.toFixed(0)} ms (shares below are of the not-idle time; idle is of all)`);
  console.log(`${indent}self time by category:`);
  for (const c of summary.categories) console.log(`${indent}  ${pct(c.share)} ${ms(c.ms)} ms  ${c.name}`);
  console.log(`${indent}inclusive time:`);
  for (const c of summary.inclusive.filter((row) => row.ms > 0)) console.log(`${indent}  ${pct(c.share)} ${ms(c.ms)} ms  ${c.label}`);
  console.log(`${indent}top functions (self):`);
  for (const f of summary.topFunctions.slice(0, 15)) console.log(`${indent}  ${pct(f.share)} ${ms(f.ms)} ms  ${f.name}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, from, to] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/fanout/profile-window.ts <file.cpuprofile> [fromUs toUs]');
    process.exit(2);
  }
  printWindowSummary(summarizeWindow(file, from ? Number(from) : undefined, to ? Number(to) : undefined));
}
