#!/usr/bin/env bash
# The cdn gateway (cache hits: the files are added and pinned first) against nginx serving the same
# files from disk, both on loopback, with wrk at the same threads and connections, in one run;
# rounds alternate between the two so machine noise hits both. Files of 1 KB, 100 KB, 1 MB and
# 10 MB (random bytes). Prints per size the medians of requests/s and of wrk's p99 latency, and
# the gateway/nginx ratio. Needs nginx and wrk; as root it installs them with apt when missing.
# Usage: scripts/bench/cdn-gateway.sh [ROUNDS=3] [SECONDS=10] [CONNECTIONS=32] [THREADS=2]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}; seconds=${2:-10}; connections=${3:-32}; threads=${4:-2}
have() { command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ]; }
if ! have nginx || ! have wrk; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends nginx-light wrk >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends nginx-light wrk >/dev/null; } \
      || apt-get install -y -q --no-install-recommends nginx wrk >/dev/null
  fi
  for tool in nginx wrk; do have "$tool" || { echo "needs $tool (as root: apt-get install nginx-light wrk)" >&2; exit 1; }; done
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
. "$root/scripts/bench/cdn-lib.sh"
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.2; rm -rf "$work"; }
trap cleanup EXIT
build_cdn "$work/cp"; CP=$(cat "$work/cp")
"$JDK/bin/javac" -nowarn -cp "$CP" -d "$work/classes" "$root/scripts/bench/CdnGatewayBench.java"

# nginx's workers run as an unprivileged user: the tree they serve must be readable by all.
chmod 755 "$work"; mkdir -p "$work/www"; chmod 755 "$work/www"
declare -A sizes=([1KB]=1000 [100KB]=100000 [1MB]=1000000 [10MB]=10000000)
names=(1KB 100KB 1MB 10MB)
for name in "${names[@]}"; do head -c "${sizes[$name]}" /dev/urandom > "$work/www/$name.bin"; chmod 644 "$work/www/$name.bin"; done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
nginx_port=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
  }
}
CONF
"$NGINX" -p "$work" -c "$work/nginx.conf" & pids+=($!)

gateway_port=$(free_port)
"$JAVA" "${JVM_OPTS[@]}" -cp "$work/classes:$CP" CdnGatewayBench "$work/cdn" "$gateway_port" "$work"/www/*.bin \
  > "$work/gateway.out" 2> "$work/gateway.err" & pids+=($!)
for i in $(seq 600); do # at most a minute for start-up and the adds
  grep -q '^listening' "$work/gateway.out" 2>/dev/null && break
  kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/gateway.err" >&2; exit 1; }
  sleep 0.1
done
grep -q '^listening' "$work/gateway.out" || { echo "the gateway did not start in a minute" >&2; tail "$work/gateway.err" >&2; exit 1; }
for i in $(seq 100); do curl -sf "http://127.0.0.1:$nginx_port/1KB.bin" -o /dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$nginx_port/1KB.bin" -o /dev/null || { echo "nginx does not serve the files" >&2; cat "$work/nginx-error.log" >&2; exit 1; }
gateway_pid=${pids[-1]}
rss_mib() { echo $(( $(awk '/^VmRSS/{print $2}' "/proc/$1/status") / 1024 )); }
rss_idle=$(rss_mib "$gateway_pid")
declare -A cids
while read -r _ file cid; do cids[${file%.bin}]=$cid; done < <(grep '^cid ' "$work/gateway.out")

run() { # url -> "requests/s p99-ms"
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } p99 = v }
    END { print rps, p99 }'
}
for name in "${names[@]}"; do
  gw="http://127.0.0.1:$gateway_port/ipfs/${cids[$name]}"; ng="http://127.0.0.1:$nginx_port/$name.bin"
  cmp -s <(curl -s "$gw") "$work/www/$name.bin" || { echo "the gateway served other bytes for $name" >&2; exit 1; }
  wrk -t"$threads" -c"$connections" -d3s "$gw" > /dev/null; wrk -t"$threads" -c"$connections" -d3s "$ng" > /dev/null # warm-up (JIT)
  for r in $(seq "$rounds"); do
    run "$ng" >> "$work/$name.nginx"
    run "$gw" >> "$work/$name.gateway"
  done
done
printf '%-6s %14s %14s %7s %12s %12s\n' size nginx_rps gateway_rps ratio nginx_p99ms gateway_p99ms
for name in "${names[@]}"; do
  nr=$(cut -d' ' -f1 "$work/$name.nginx" | median); gr=$(cut -d' ' -f1 "$work/$name.gateway" | median)
  np=$(cut -d' ' -f2 "$work/$name.nginx" | median); gp=$(cut -d' ' -f2 "$work/$name.gateway" | median)
  printf '%-6s %14.0f %14.0f %7.2f %12.2f %12.2f\n' "$name" "$nr" "$gr" "$(echo "$gr / $nr" | bc -l)" "$np" "$gp"
done
nginx_rss=0; for p in $(cat "$work/nginx.pid") $(pgrep -P "$(cat "$work/nginx.pid")"); do nginx_rss=$((nginx_rss + $(rss_mib "$p"))); done
echo "memory (RSS): gateway JVM with cdn.maxBytes 10 GiB: $rss_idle MiB after start-up and adds, $(rss_mib "$gateway_pid") MiB after the run (mapped LMDB pages included); nginx master+workers $nginx_rss MiB"
echo "($rounds rounds of ${seconds}s, wrk -t$threads -c$connections, $(nproc) cores shared with wrk and both servers)"
