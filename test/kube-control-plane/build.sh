#!/usr/bin/env bash
# Builds the multi-call `kube-control-plane` binary (etcd, kube-apiserver,
# kube-controller-manager) from this Go module, once.
#
# The binary is cached at
#   <repo>/.cache/kube-control-plane/<hash>/kube-control-plane
# where <hash> covers go.mod, go.sum, the *.go files, this script and the Go
# toolchain version. When that file exists the build is skipped. A cold build
# takes 10-15 minutes on a 2-core machine (and adds 2.8 GB to GOCACHE);
# progress goes to stderr, and the binary's path is printed alone on the last
# line of stdout. Binaries of older inputs are removed after a build.
#
# Usage: test/kube-control-plane/build.sh [--force]
# GOMODCACHE and GOCACHE are left at Go's defaults so they persist.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[kube-control-plane build] %s\n' "$*" >&2; }

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
gover="$(go env GOVERSION)"
hash="$( { cat "$here/go.mod" "$here/go.sum" "$here"/*.go "$here/build.sh"; echo "$gover"; } | sha256sum | cut -c1-16)"
outdir="$repo/.cache/kube-control-plane/$hash"
bin="$outdir/kube-control-plane"

if [[ $force -eq 0 && -x "$bin" ]]; then
  log "cached: $bin"
  echo "$bin"
  exit 0
fi

mkdir -p "$outdir"
# Two test runs starting at once must not build twice or see a half-written binary.
exec 9>"$outdir/.lock"
if command -v flock >/dev/null; then
  if ! flock -n 9; then
    log "another build holds $outdir/.lock; waiting for it"
    flock 9
  fi
fi
if [[ $force -eq 0 && -x "$bin" ]]; then
  log "cached (built by a concurrent run): $bin"
  echo "$bin"
  exit 0
fi

buildlog="$outdir/build.log"
tmpbin="$outdir/kube-control-plane.tmp.$$"
cd "$here"

log "go $gover; counting packages (downloads modules on first use)..."
start=$(date +%s)
total="$(CGO_ENABLED=0 go list -mod=readonly -deps . | wc -l)"
log "building $total packages -> $bin (cold: 10-15 min on 2 cores; log: $buildlog)"

# Stamp the Kubernetes version as the upstream build does (hack/lib/version.sh
# sets these with -X); otherwise /version reports v0.0.0-master+$Format:%H$,
# which kubectl and other clients cannot parse.
kver="$(go list -mod=readonly -m -f '{{.Version}}' k8s.io/kubernetes)"   # e.g. v1.36.3
kmajor="${kver#v}"; kmajor="${kmajor%%.*}"
kminor="${kver#v*.}"; kminor="${kminor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$kver -X $pkg.gitMajor=$kmajor -X $pkg.gitMinor=$kminor -X $pkg.gitTreeState=clean"
done
log "Kubernetes $kver (major $kmajor, minor $kminor)"

# -trimpath and -s -w keep the binary smaller and linking faster. CGO is not
# needed by any of the three components; disabling it avoids cgo compiles.
# -mod=readonly: build exactly what go.mod/go.sum say, whatever GOFLAGS holds.
CGO_ENABLED=0 go build -mod=readonly -v -trimpath -ldflags="$ldflags" -o "$tmpbin" . >"$buildlog" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$tmpbin"' INT TERM
ticks=0
while kill -0 "$pid" 2>/dev/null; do
  sleep 1
  ticks=$((ticks + 1))
  (( ticks % 15 == 0 )) || continue
  done_n="$(grep -cv '^#\|^go: ' "$buildlog" 2>/dev/null || true)"
  elapsed=$(( $(date +%s) - start ))
  if [[ "${done_n:-0}" -eq 0 ]]; then
    log "${elapsed}s: compiling/linking (dependencies cached)..."
  elif [[ "$done_n" -ge "$total" ]]; then
    log "${elapsed}s: compiled $done_n/$total packages, linking..."
  else
    log "${elapsed}s: compiled $done_n/$total packages ($(tail -n1 "$buildlog" 2>/dev/null))"
  fi
done
set +e
wait "$pid"
rc=$?
set -e
trap - INT TERM
if [[ $rc -ne 0 ]]; then
  log "go build failed (exit $rc); last lines of $buildlog:"
  tail -n 40 "$buildlog" >&2
  rm -f "$tmpbin"
  exit $rc
fi
mv -f "$tmpbin" "$bin"
# Drop binaries of older inputs (about 120 MB each); running copies keep working.
for old in "$repo/.cache/kube-control-plane"/*/; do
  [[ "${old%/}" == "$outdir" ]] || rm -rf "${old%/}"
done
end=$(date +%s)
log "built in $((end - start))s, size $(du -h "$bin" | cut -f1): $bin"
echo "$bin"
