#!/usr/bin/env bash
# Installs the pinned npm oracles (package.json + package-lock.json beside this script) into
# the directory given (the tests pass chain-lite/target/oracle), once: npm ci, offline-safe
# afterwards. Needs node >= 20 and npm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:?usage: install.sh DEST_DIR}"
mkdir -p "$dest"
cp "$here/package.json" "$here/package-lock.json" "$here/ethereumjs-oracle.mjs" "$dest/"
if [ ! -f "$dest/node_modules/@ethereumjs/tx/package.json" ] \
   || ! cmp -s "$here/package-lock.json" "$dest/node_modules/.package-lock-source.json"; then
  (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$dest/node_modules/.package-lock-source.json"
fi
