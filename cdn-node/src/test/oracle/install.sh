#!/usr/bin/env bash
# Installs the pinned npm reference implementations (package-lock.json) for cdn-node's interop
# tests into the directory given (default: cdn-node/target/oracle). Idempotent: does nothing when
# that directory already holds this lock file's install. Needs node >= 20 and npm.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest=${1:-$here/../../../target/oracle}
mkdir -p "$dest"
cp "$here/oracle.mjs" "$dest/"
if [ -f "$dest/node_modules/.package-lock.json" ] && cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
  exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dest/"
cd "$dest"
npm ci --no-audit --no-fund --loglevel=error >&2
