#!/usr/bin/env bash
# GET /api/v1/node requests/s with wrk on loopback, next to a plain Vert.x HTTPS hello-world
# (scripts/bench/HelloBaseline.java: same JVM options, TLS key and certificate, body of the same
# size) in the same run; rounds alternate so machine noise hits both alike. Prints medians and the
# ratio. Usage: scripts/bench/api-throughput.sh [ROUNDS=5] [SECONDS=10] [CONNECTIONS=32]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-5}; seconds=${2:-10}; connections=${3:-32}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
"$root/powerverse" --version >/dev/null
. "$root/scripts/lib/java.sh"
JAVA=$(find_java); major=$(java_major "$JAVA")
work=$(mktemp -d)
# Loopback only, the gateway on a free port: nothing collides with a node already running here.
printf 'api: {bindAddress: 127.0.0.1}\ncdn: {gatewayHost: 127.0.0.1, gatewayPort: 0}\n' > "$work/bench.yaml"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

POWERVERSE_NO_BUILD=1 "$root/powerverse" run --data "$work/node" --config "$work/bench.yaml" --api-port 0 --libvirt-uri test:///default \
  >"$work/node.out" 2>/dev/null & pids+=($!)
until port=$(grep -oP '127\.0\.0\.1:\K[0-9]+' "$work/node.out" 2>/dev/null | head -n1) && [ -n "$port" ]; do sleep 0.05; done
token=$(cat "$work/node/admin.token")
curl -sk -H "Authorization: Bearer $token" "https://127.0.0.1:$port/api/v1/node" > "$work/body.json"

base_port=$(( port + 1 ))
# shellcheck disable=SC2046
"$JAVA" $(supervisor_jvm_opts "$major") -XX:+UseSerialGC -Xss512k -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -cp "$root/appliance/target/dist/lib/*" \
  "$root/scripts/bench/HelloBaseline.java" "$work/node/keys/tls.key.pem" "$work/node/keys/tls.crt.pem" \
  "$base_port" "$work/body.json" >"$work/base.out" 2>/dev/null & pids+=($!)
until grep -q listening "$work/base.out" 2>/dev/null; do sleep 0.05; done

run_wrk() { # $1 = url ; prints requests/s
  wrk -t2 -c"$connections" -d"${seconds}s" -H "Authorization: Bearer $token" "$1" | awk '/Requests\/sec/{print $2}'
}
# Warm both up (JIT) before measuring.
wrk -t2 -c"$connections" -d5s -H "Authorization: Bearer $token" "https://127.0.0.1:$port/api/v1/node" >/dev/null
wrk -t2 -c"$connections" -d5s "https://127.0.0.1:$base_port/" >/dev/null
: > "$work/node.rps"; : > "$work/base.rps"
for i in $(seq 1 "$rounds"); do
  run_wrk "https://127.0.0.1:$port/api/v1/node" >> "$work/node.rps"
  run_wrk "https://127.0.0.1:$base_port/" >> "$work/base.rps"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
node=$(median < "$work/node.rps"); base=$(median < "$work/base.rps")
echo "GET /api/v1/node: median $node req/s; Vert.x hello-world baseline: median $base req/s;" \
  "ratio $(awk -v a="$node" -v b="$base" 'BEGIN{printf "%.2f", a/b}') ($rounds rounds x ${seconds}s, $connections connections, wrk -t2)"
echo "node rounds: $(tr '\n' ' ' < "$work/node.rps")"; echo "base rounds: $(tr '\n' ' ' < "$work/base.rps")"
