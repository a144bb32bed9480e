// Writes the generated files: `node operator/src/api/v1alpha1/generate-crd.ts` (from the repository root): the CRD in
// crds/ and in the Helm chart, and the chart's RBAC rules (from operator/src/rbac.ts).
// With --check, writes nothing and exits 1 if a committed file differs from what the sources generate.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRbacRulesTemplate } from '../../rbac.ts';
import { crdOutputs } from './crd.ts';

export const generatedOutputs = [
  ...crdOutputs,
  { path: 'helm/electric-sync/templates/_rbac-rules.tpl', render: renderRbacRulesTemplate },
] as const;

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export function staleCrdFiles(root = repoRoot): string[] {
  return generatedOutputs
    .filter(({ path, render }) => {
      try {
        return readFileSync(resolve(root, path), 'utf8') !== render();
      } catch {
        return true;
      }
    })
    .map(({ path }) => path);
}

export function writeCrdFiles(root = repoRoot): string[] {
  return generatedOutputs.map(({ path, render }) => {
    const target = resolve(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, render());
    return path;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = staleCrdFiles();
    for (const path of stale) process.stderr.write(`stale: ${path}\n`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  for (const path of writeCrdFiles()) process.stdout.write(`wrote ${path}\n`);
}
