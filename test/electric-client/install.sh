#!/usr/bin/env bash
# Installs the published electric-sql client (exact version, see package.json / package-lock.json) into
# test/electric-client/node_modules for the acceptance tests.
#
# - `npm ci --ignore-scripts`: the package depends on prisma@4.8.1 and better-sqlite3, whose install scripts download
#   engines / build a native addon. The tests need neither (they drive the client over node:sqlite), and this machine
#   reaches only the npm registry, so their scripts are never run.
# - Idempotent and fast: a stamp (sha256 of package-lock.json) is kept in node_modules; when it matches, nothing runs.
# - Safe to run from several test processes at once: the install runs under a lock.
set -euo pipefail
cd "$(dirname "$0")"

stamp_file=node_modules/.electric-client-install-stamp
if command -v sha256sum >/dev/null 2>&1; then
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
else
  want="$(shasum -a 256 package-lock.json | cut -d' ' -f1)"
fi

current() { [ -f "$stamp_file" ] && [ -f node_modules/electric-sql/package.json ] && [ "$(cat "$stamp_file")" = "$want" ]; }

if current; then
  exit 0
fi

install() {
  if current; then return 0; fi # another process finished the install while we waited for the lock
  echo "electric-client: npm ci --ignore-scripts in $(pwd)" >&2
  rm -f "$stamp_file"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  printf '%s' "$want" >"$stamp_file"
}

if command -v flock >/dev/null 2>&1; then
  exec 9>.install.lock
  flock 9
  install
else
  # No flock (e.g. macOS): a mkdir lock, waiting up to 5 minutes.
  for _ in $(seq 1 3000); do
    if mkdir .install.lock.d 2>/dev/null; then
      trap 'rmdir .install.lock.d' EXIT
      install
      exit 0
    fi
    sleep 0.1
  done
  echo "electric-client: timed out waiting for .install.lock.d" >&2
  exit 1
fi
