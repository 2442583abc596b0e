#!/usr/bin/env bash
# Zero-copy check: Java heap bytes the gateway's event loops allocate per request while serving
# cache hits, read from JFR's jdk.ThreadAllocationStatistics (exact per-thread counters) over a wrk
# run. If the body were copied through the heap, a 10 MB response would allocate at least 10 MB.
# Off-heap copies do not show here; the code path is described in docs/cdn.md ("Zero copy").
# Usage: scripts/bench/cdn-alloc.sh [SECONDS=10] [CONNECTIONS=8]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-10}; connections=${2:-8}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
. "$root/scripts/bench/cdn-lib.sh"
work=$(mktemp -d); gateway=
cleanup() { [ -n "$gateway" ] && kill "$gateway" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
build_cdn "$work/cp"; CP=$(cat "$work/cp")
"$JDK/bin/javac" -nowarn -cp "$CP" -d "$work/classes" "$root/scripts/bench/CdnGatewayBench.java"
head -c 1000 /dev/urandom > "$work/1KB.bin"; head -c 10000000 /dev/urandom > "$work/10MB.bin"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$JAVA" "${JVM_OPTS[@]}" -cp "$work/classes:$CP" CdnGatewayBench "$work/cdn" "$port" "$work/1KB.bin" "$work/10MB.bin" \
  > "$work/gateway.out" 2> "$work/gateway.err" & gateway=$!
for i in $(seq 600); do grep -q '^listening' "$work/gateway.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening' "$work/gateway.out" || { echo "the gateway did not start" >&2; tail "$work/gateway.err" >&2; exit 1; }
printf '%-6s %12s %14s %16s\n' size requests heap_bytes bytes_per_request
for name in 1KB 10MB; do
  url="http://127.0.0.1:$port/ipfs/$(awk -v f="$name.bin" '$1 == "cid" && $2 == f {print $3}' "$work/gateway.out")"
  wrk -t1 -c"$connections" -d3s "$url" > /dev/null # warm-up (JIT)
  "$JDK/bin/jcmd" "$gateway" JFR.start name=alloc settings=default > /dev/null
  requests=$(wrk -t1 -c"$connections" -d"${seconds}s" "$url" | awk '/requests in/ {print $1}')
  sleep 1.5 # one more periodic sample (every second) after the last request
  "$JDK/bin/jcmd" "$gateway" JFR.stop name=alloc filename="$work/$name.jfr" > /dev/null
  bytes=$("$JDK/bin/jfr" print --json --events jdk.ThreadAllocationStatistics "$work/$name.jfr" | python3 -c '
import json, sys
low, high = {}, {}
for event in json.load(sys.stdin)["recording"]["events"]:
    thread = (event["values"].get("thread") or {}).get("javaName") or ""
    if thread.startswith("vert.x-eventloop-thread"):
        allocated = event["values"]["allocated"]
        low[thread] = min(low.get(thread, allocated), allocated)
        high[thread] = max(high.get(thread, allocated), allocated)
print(sum(high[t] - low[t] for t in high))')
  printf '%-6s %12d %14d %16.0f\n' "$name" "$requests" "$bytes" "$(echo "$bytes / $requests" | bc -l)"
done
echo "(heap bytes allocated by the event-loop threads during the run / requests; wrk -t1 -c$connections -d${seconds}s)"
