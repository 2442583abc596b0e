#!/usr/bin/env bash
# Cold start of the supervisor to /readyz 200, and its idle RSS: N runs each with and without the
# startup cache (JDK 25: AOT cache; 21-24: CDS archive), in one run so the two compare fairly.
# Usage: scripts/bench/startup.sh [RUNS]   (default 10). Prints medians; needs ./powerverse built.
# libvirt is pointed at its built-in test driver so /readyz can reach 200 without a libvirtd.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-10}
"$root/powerverse" --version >/dev/null   # builds and trains if needed
work=$(mktemp -d)
# Loopback only, the gateway on a free port: nothing collides with a node already running here.
printf 'api: {bindAddress: 127.0.0.1}\ncdn: {gatewayHost: 127.0.0.1, gatewayPort: 0}\n' > "$work/bench.yaml"; trap 'rm -rf "$work"' EXIT

one_run() { # $1 = "cache" | "nocache", $2 = data dir ; prints "ms rss_kib cpu_ms"
  local data="$2" out="$work/out" cache=on
  [ "$1" = nocache ] && cache=off
  local t0 t1 port pid
  t0=$(date +%s%N)
  POWERVERSE_NO_BUILD=1 POWERVERSE_STARTUP_CACHE=$cache "$root/powerverse" run --data "$data" --config "$work/bench.yaml" --api-port 0 \
    --libvirt-uri test:///default >"$out" 2>/dev/null &
  pid=$!
  until port=$(grep -oP '127\.0\.0\.1:\K[0-9]+' "$out" 2>/dev/null | head -n1) && [ -n "$port" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "supervisor died" >&2; exit 1; }; sleep 0.01; done
  until [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/readyz")" = 200 ]; do sleep 0.01; done
  t1=$(date +%s%N)
  # CPU the JVM spent to get there (all threads, user + system): steadier than wall time when the
  # machine is busy with other work, which only delays the wall clock.
  local jpid ticks; jpid=$(pgrep -P "$pid" java || echo "$pid")
  ticks=$(awk '{print $14 + $15}' "/proc/$jpid/stat")
  sleep 5   # let it settle: idle RSS, not start-up peaks
  local rss; rss=$(awk '/VmRSS/{print $2}' "/proc/$(pgrep -P "$pid" java || echo "$pid")/status" 2>/dev/null || awk '/VmRSS/{print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  echo "$(( (t1 - t0) / 1000000 )) $rss $(( ticks * 1000 / $(getconf CLK_TCK) ))"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# "first": first boot, keys created; "restart": keys and data exist (the usual cold start).
for mode in cache nocache; do : > "$work/$mode.first"; : > "$work/$mode.restart"; done
for i in $(seq 1 "$runs"); do
  for mode in cache nocache; do   # interleaved, so machine noise hits both alike
    dir="$work/data-$mode-$i"
    one_run "$mode" "$dir" >> "$work/$mode.first"
    one_run "$mode" "$dir" >> "$work/$mode.restart"
  done
done
for mode in cache nocache; do
  for kind in first restart; do
    echo "$mode $kind: start-to-ready median $(cut -d' ' -f1 "$work/$mode.$kind" | median) ms," \
      "CPU to ready median $(cut -d' ' -f3 "$work/$mode.$kind" | median) ms," \
      "idle RSS median $(cut -d' ' -f2 "$work/$mode.$kind" | median) KiB ($runs runs)"
  done
done
