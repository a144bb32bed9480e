// Finds the PostgreSQL server binaries (initdb, postgres) of a local installation.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface PostgresBinaries {
  readonly binDir: string;
  readonly initdb: string;
  readonly postgres: string;
  readonly majorVersion: number;
}

const minimumMajorVersion = 14;

/**
 * Looks, in order, at `PG_BINDIR`, `pg_config --bindir`, the `postgres` on PATH, and the newest
 * `/usr/lib/postgresql/<major>/bin` (Debian's layout, which does not put the server binaries on PATH).
 */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env): PostgresBinaries {
  const candidates = [env.PG_BINDIR, pgConfigBinDir(), binDirOfPathCommand('postgres', env), ...debianBinDirs()];
  const tried: string[] = [];
  for (const binDir of candidates) {
    if (!binDir || tried.includes(binDir)) continue;
    tried.push(binDir);
    const initdb = path.join(binDir, 'initdb');
    const postgres = path.join(binDir, 'postgres');
    if (!existsSync(initdb) || !existsSync(postgres)) continue;
    const majorVersion = readMajorVersion(postgres);
    if (majorVersion >= minimumMajorVersion) return { binDir, initdb, postgres, majorVersion };
  }
  throw new Error(
    `no PostgreSQL ${minimumMajorVersion}+ server binaries found (looked in: ${tried.join(', ') || 'nowhere'}). ` +
      'Install the server package (e.g. `apt-get install postgresql-15`) or set PG_BINDIR to the folder holding initdb and postgres.',
  );
}

function pgConfigBinDir(): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function binDirOfPathCommand(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, command))) return dir;
  }
  return undefined;
}

function debianBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => path.join(root, major, 'bin'));
}

function readMajorVersion(postgresBinary: string): number {
  // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
  const output = execFileSync(postgresBinary, ['--version'], { encoding: 'utf8' });
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(output);
  return match ? Number(match[1]) : 0;
}
