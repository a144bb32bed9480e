#!/usr/bin/env node
// Entry shim for the `electric-sync` executable. Plain JavaScript on purpose: it must run on any Node to print a
// useful message when the Node is too old, before the TypeScript sources (loaded through Node's type stripping) fail
// with a cryptic syntax error.
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `electric-sync needs Node.js 22.18 or newer (found ${process.versions.node}).\n` +
      'Inside this repository run it through npm (`npm run dev`, `npm start`), which uses the Node 22 that `npm ci` ' +
      'installs from the npm registry, or install Node.js 22 LTS.',
  );
  process.exit(1);
}

// A checkout runs the TypeScript sources directly (so a stale dist/ never shadows them); a published package, which
// ships only dist/, runs the compiled JavaScript.
const source = new URL('../cli/main.ts', import.meta.url);
const { main } = await import(existsSync(source) ? source.href : new URL('../dist/cli/main.js', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
