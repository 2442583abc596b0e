#!/usr/bin/env bash
# `./powerverse fleet status` over N supervisors on loopback (default 50; hosted in one JVM by
# scripts/bench/FleetNodes.java), against the same command over one node, in the same run. Each
# timing is the whole command as an operator runs it (JVM start included). Rounds alternate the
# modes so machine noise hits all alike. Prints medians and the ratio of the fleet run to
# N x one node. Usage: scripts/bench/fleet-status.sh [NODES=50] [ROUNDS=5]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
nodes=${1:-50}; rounds=${2:-5}
"$root/powerverse" --version >/dev/null
. "$root/scripts/lib/java.sh"
JAVA=$(find_java); major=$(java_major "$JAVA")
work=$(mktemp -d); host=
cleanup() { [ -n "$host" ] && kill "$host" 2>/dev/null && wait "$host" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# shellcheck disable=SC2046
"$JAVA" $(supervisor_jvm_opts "$major") -XX:+UseSerialGC -Xmx6g -cp "$root/appliance/target/dist/lib/*" \
  "$root/scripts/bench/FleetNodes.java" "$nodes" "$work" >"$work/host.out" 2>"$work/host.err" & host=$!
echo "starting $nodes supervisors ..." >&2
until grep -q ready "$work/host.out" 2>/dev/null; do
  kill -0 "$host" 2>/dev/null || { echo "the node host died:" >&2; tail -20 "$work/host.err" >&2; exit 1; }; sleep 0.5; done

one_run() { # $1 = inventory, $2 = parallel ; prints milliseconds, fails if the command failed
  local t0 t1
  t0=$(date +%s%N)
  POWERVERSE_NO_BUILD=1 "$root/powerverse" fleet --inventory "$1" --known-nodes "$work/known_nodes" \
    --parallel "$2" status >"$work/last.out" 2>&1 || { cat "$work/last.out" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

one_run "$work/fleet.yaml" 16 >/dev/null; one_run "$work/one.yaml" 1 >/dev/null   # warm the page cache
: > "$work/p16"; : > "$work/p1"; : > "$work/one"
for i in $(seq 1 "$rounds"); do
  one_run "$work/fleet.yaml" 16 >> "$work/p16"
  one_run "$work/fleet.yaml" 1 >> "$work/p1"
  one_run "$work/one.yaml" 1 >> "$work/one"
done
p16=$(median < "$work/p16"); p1=$(median < "$work/p1"); one=$(median < "$work/one")
echo "fleet status, $nodes nodes, --parallel 16: median ${p16} ms   (runs: $(tr '\n' ' ' < "$work/p16"))"
echo "fleet status, $nodes nodes, --parallel 1:  median ${p1} ms   (runs: $(tr '\n' ' ' < "$work/p1"))"
echo "fleet status, 1 node:                      median ${one} ms   (runs: $(tr '\n' ' ' < "$work/one"))"
awk -v a="$p16" -v b="$one" -v n="$nodes" 'BEGIN { printf "ratio: %d nodes at --parallel 16 take %.3f of %d x one node (%d ms)\n", n, a / (b * n), n, b * n }'
