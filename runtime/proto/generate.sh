#!/bin/sh
# Regenerates runtime/src/client-protocol/gen/ from satellite.proto with the pinned buf and protoc-gen-es.
# Works offline. Usage: runtime/proto/generate.sh (from anywhere), or `npm run proto:generate`.
set -eu
cd "$(dirname "$0")"
../../node_modules/.bin/buf generate
