#!/usr/bin/env bash
# Update apply time: a signed bundle (root image of SIZE MiB, 8 MiB kernel, 32 MiB initrd) uploaded to
# a supervisor on loopback with `curl --data-binary` until POST /api/v1/system/update answers (the
# signature checked, every payload hashed and written to the other slot's files and synced), against
# the floor for the same bytes in the same run: one pass that reads the bundle, hashes it (sha256sum)
# and writes a synced copy (tee + sync). Slots are files here (partitions on the appliance).
# Prints medians and the ratio. Usage: scripts/bench/update-apply.sh [SIZE_MIB=256] [ROUNDS=5]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
size=${1:-256}; rounds=${2:-5}
command -v grub-editenv >/dev/null || { echo "needs grub-editenv (Debian grub-common)" >&2; exit 2; }
"$root/powerverse" --version >/dev/null
work=$(mktemp -d); node=
cleanup() { [ -n "$node" ] && kill "$node" 2>/dev/null && wait "$node" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
pv() { POWERVERSE_NO_BUILD=1 "$root/powerverse" "$@"; }

head -c $((size << 20)) /dev/urandom > "$work/root.squashfs"
head -c $((8 << 20)) /dev/urandom > "$work/vmlinuz"
head -c $((32 << 20)) /dev/urandom > "$work/initrd.img"
pv bundle keygen --out "$work/signing.pem" > "$work/public.txt"
grep -Eo '[0-9a-f]{64}' "$work/public.txt" | head -1 > "$work/update-keys"
pv bundle create --key "$work/signing.pem" --version 9.0.0 -o "$work/node.pvbundle" \
  rootfs="$work/root.squashfs" kernel="$work/vmlinuz" initrd="$work/initrd.img" >/dev/null
bytes=$(stat -c %s "$work/node.pvbundle")

mkdir -p "$work/esp/A" "$work/esp/B"
echo "quiet pv.slot=A" > "$work/cmdline"
reset_env() {
  rm -f "$work/esp/grubenv"; grub-editenv "$work/esp/grubenv" create
  grub-editenv "$work/esp/grubenv" set ORDER="A B" A_OK=1 A_TRY=0 A_STATE=good B_OK=0 B_STATE=empty
}
reset_env
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/node.yaml" <<YAML
api: {port: $port, bindAddress: 127.0.0.1}
cdn: {enabled: false}
system:
  updateKeysFile: $work/update-keys
  bootEnv: $work/esp/grubenv
  slotA: {root: $work/root-a, bootDir: $work/esp/A}
  slotB: {root: $work/root-b, bootDir: $work/esp/B}
  kernelCmdline: $work/cmdline
  rebootCommand: ["true"]
YAML
pv run --data "$work/data" --config "$work/node.yaml" >"$work/node.log" 2>&1 & node=$!
until curl -skf "https://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
  kill -0 "$node" 2>/dev/null || { tail -20 "$work/node.log" >&2; exit 1; }; sleep 0.5; done
token=$(cat "$work/data/admin.token")

api_run() {
  reset_env
  local t0 t1 code
  t0=$(date +%s%N)
  code=$(curl -sk ${CURL_OPTS:-} -o "$work/answer.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H "Content-Type: application/octet-stream" --data-binary @"$work/node.pvbundle" \
    "https://127.0.0.1:$port/api/v1/system/update")
  t1=$(date +%s%N)
  [ "$code" = 200 ] || { echo "update answered $code: $(cat "$work/answer.json")" >&2; exit 1; }
  echo $(( (t1 - t0) / 1000000 ))
}
floor_run() {
  local t0 t1
  rm -f "$work/copy"
  t0=$(date +%s%N)
  tee "$work/copy" < "$work/node.pvbundle" | sha256sum >/dev/null
  sync "$work/copy"
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

api_run >/dev/null; floor_run >/dev/null   # warm: page cache, JIT
: > "$work/api"; : > "$work/floor"
for i in $(seq 1 "$rounds"); do api_run >> "$work/api"; floor_run >> "$work/floor"; done
api=$(median < "$work/api"); floor=$(median < "$work/floor")
cmp -s "$work/root.squashfs" "$work/root-b" || { echo "slot B does not hold the root image" >&2; exit 1; }
echo "bundle: $bytes bytes (root image $size MiB)"
echo "update via API (upload, verify, write, sync): median ${api} ms  (runs: $(tr '\n' ' ' < "$work/api"))"
echo "floor (read, sha256sum, write, sync):         median ${floor} ms  (runs: $(tr '\n' ' ' < "$work/floor"))"
awk -v a="$api" -v f="$floor" -v b="$bytes" 'BEGIN { printf "API %.0f MB/s, floor %.0f MB/s; ratio API/floor %.2f\n", b / a / 1000, b / f / 1000, a / f }'
