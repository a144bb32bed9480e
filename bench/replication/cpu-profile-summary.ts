// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per file, biggest first.
// Used by decode-throughput.bench.ts --cpu-prof; also runnable on its own:
//
//   node bench/replication/cpu-profile-summary.ts <file.cpuprofile> [top=25]
import { readCpuProfile } from '../support/cpu-profile.ts';
import path from 'node:path';

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: readonly { readonly name: string; readonly selfMs: number; readonly share: number }[];
  readonly byFile: readonly { readonly name: string; readonly selfMs: number; readonly share: number }[];
  /** Inclusive ("total") time of selected functions, matched by name. */
  readonly inclusive: readonly { readonly name: string; readonly totalMs: number; readonly share: number }[];
}

function shortUrl(url: string): string {
  if (!url) return '(native/vm)';
  const clean = url.replace(/^file:\/\//, '');
  const at = clean.indexOf('/work/main/');
  if (at >= 0) return clean.slice(at + '/work/main/'.length);
  const nm = clean.indexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm);
  return clean.startsWith('node:') ? clean : path.basename(clean);
}

export function summarizeCpuProfile(file: string, inclusiveNames: readonly string[] = []): ProfileSummary {
  const profile = readCpuProfile(file);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let totalUs = 0;
  for (const us of selfUs.values()) totalUs += us;

  const fn = new Map<string, number>();
  const fileMap = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = shortUrl(url);
    const key = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    fileMap.set(where, (fileMap.get(where) ?? 0) + us);
  }

  // Inclusive time: sum of self time of every node under a node whose function matches, counting each subtree once.
  const inclusive = inclusiveNames.map((name) => {
    let us = 0;
    const visit = (id: number, inside: boolean) => {
      const node = byId.get(id);
      if (!node) return;
      const matches = node.callFrame.functionName === name;
      const counted = inside || matches;
      if (counted) us += selfUs.get(id) ?? 0;
      for (const child of node.children ?? []) visit(child, counted);
    };
    visit(profile.nodes[0]!.id, false);
    return { name, totalMs: us / 1000, share: totalUs ? us / totalUs : 0 };
  });

  const rank = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: totalUs ? us / totalUs : 0 }));
  return { totalMs: totalUs / 1000, byFunction: rank(fn), byFile: rank(fileMap), inclusive };
}

export function printProfileSummary(summary: ProfileSummary, top = 25): void {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  console.log(`  sampled ${summary.totalMs.toFixed(0)} ms`);
  console.log('  self time by function:');
  for (const row of summary.byFunction.slice(0, top)) {
    console.log(`    ${pct(row.share)} ${row.selfMs.toFixed(0).padStart(7)} ms  ${row.name}`);
  }
  console.log('  self time by file:');
  for (const row of summary.byFile.slice(0, 12)) {
    console.log(`    ${pct(row.share)} ${row.selfMs.toFixed(0).padStart(7)} ms  ${row.name}`);
  }
  if (summary.inclusive.length > 0) {
    console.log('  inclusive time of selected functions:');
    for (const row of summary.inclusive) {
      console.log(`    ${pct(row.share)} ${row.totalMs.toFixed(0).padStart(7)} ms  ${row.name}`);
    }
  }
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: cpu-profile-summary.ts <file.cpuprofile> [top=25]');
    process.exit(2);
  }
  printProfileSummary(
    summarizeCpuProfile(file, ['onCopyData', 'parseReplicationMessage', 'decode', 'push', 'buildRow', 'handleCopyData', 'parse']),
    Number(process.argv[3] ?? 25),
  );
}
