// Runs the test suite with Node's built-in runner, one tier or all of them.
//
// Tiers are chosen by file suffix (see README "Tests"): `x.test.ts` is pure, `x.pg.test.ts` starts its own PostgreSQL,
// `x.k8s.test.ts` starts its own Kubernetes control plane. We list the files ourselves because Node's default
// discovery only looks for `.ts` tests inside `test/` folders, and `*.test.ts` would also match the slower tiers.
import { globSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

const tiers = {
  unit: (file: string) => !file.endsWith('.pg.test.ts') && !file.endsWith('.k8s.test.ts'),
  pg: (file: string) => file.endsWith('.pg.test.ts'),
  k8s: (file: string) => file.endsWith('.k8s.test.ts'),
} as const;
type Tier = keyof typeof tiers;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tier: { type: 'string', multiple: true },
    concurrency: { type: 'string' },
  },
});

const chosen = (values.tier ?? Object.keys(tiers)) as string[];
for (const tier of chosen) {
  if (!(tier in tiers)) {
    console.error(`unknown tier "${tier}": use one of ${Object.keys(tiers).join(', ')}`);
    process.exit(2);
  }
}

const roots = ['cli', 'local-postgres', 'runtime', 'operator', 'test', 'bench'];
const all = roots
  .flatMap((root) => globSync(`${root}/**/*.test.ts`, { exclude: (name) => name === 'node_modules' }))
  .sort();
const files =
  positionals.length > 0 ? positionals : all.filter((file) => chosen.some((tier) => tiers[tier as Tier](file)));

if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// Tests that need PostgreSQL spend most of their time waiting on it, so run more files at once than we have cores.
// Each test starts its own servers on free ports, so files never share state. A Kubernetes control plane takes about
// half a gigabyte and a core to start, so those files run in a second batch, two at a time.
const defaultConcurrency = Math.max(2, availableParallelism() * 2);
const batches = [
  { files: files.filter((file) => !tiers.k8s(file)), concurrency: values.concurrency ?? String(defaultConcurrency) },
  { files: files.filter((file) => tiers.k8s(file)), concurrency: values.concurrency ?? '2' },
].filter((batch) => batch.files.length > 0);

let current: ReturnType<typeof spawn> | undefined;
const forward = (signal: NodeJS.Signals) => current?.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);

let failed = false;
for (const batch of batches) {
  const code = await new Promise<number>((resolve) => {
    current = spawn(process.execPath, ['--test', `--test-concurrency=${batch.concurrency}`, ...batch.files], { stdio: 'inherit' });
    current.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  if (code !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
