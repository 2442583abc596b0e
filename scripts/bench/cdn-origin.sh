#!/usr/bin/env bash
# Origin-fetch overhead: a client fetching a file through an edge gateway whose cache misses (the
# edge fetches the CAR from its upstream, verifies each block, stores it, serves it) against the
# same client fetching it from that upstream directly; and the edge's cache hit. Both gateways are
# cdn subsystems in one JVM on loopback (scripts/bench/CdnOriginBench.java). Files of random bytes.
# Usage: scripts/bench/cdn-origin.sh [ROUNDS=15]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-15}
. "$root/scripts/bench/cdn-lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
build_cdn "$work/cp"; CP=$(cat "$work/cp")
"$JDK/bin/javac" -nowarn -cp "$CP" -d "$work/classes" "$root/scripts/bench/CdnOriginBench.java"
for spec in 100KB:100000 1MB:1000000 10MB:10000000 100MB:100000000; do
  head -c "${spec#*:}" /dev/urandom > "$work/${spec%%:*}.bin"
done
timeout 900 "$JAVA" "${JVM_OPTS[@]}" -cp "$work/classes:$CP" CdnOriginBench "$work/cdn" "$rounds" \
  "$work/100KB.bin" "$work/1MB.bin" "$work/10MB.bin" "$work/100MB.bin" 2> "$work/err" > "$work/out" \
  || { tail -20 "$work/err" >&2; exit 1; }
printf '%-6s %10s %10s %10s %10s %8s\n' size bytes direct_ms miss_ms hit_ms miss/direct
grep -v '^#' "$work/out" | while read -r name bytes direct miss hit; do
  printf '%-6s %10d %10.2f %10.2f %10.2f %8.2f\n' "${name%.bin}" "$bytes" "$direct" "$miss" "$hit" "$(echo "$miss / $direct" | bc -l)"
done
echo "(medians of $rounds rounds; one client, sequential requests, $(nproc) cores shared)"
