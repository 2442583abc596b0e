#!/usr/bin/env bash
# Create+start latency of a VM up to its first serial marker: through our API (POST /api/v1/vms on a
# real supervisor: admission, LMDB, qcow2 volume, seed ISO, define, start) next to `virsh define` +
# `virsh start` of the SAME domain XML (dumped from the API's VM; its volume and seed ISO prepared
# untimed), in one run, round after round. Both wait for POWERVERSE-GUEST-UP of the offline test
# guest (hypervisor-mgr/src/test/guest) on the serial log. Needs root, libvirtd at qemu:///system
# (scripts/setup/libvirt.sh), curl, python3, qemu-img. Prints medians and the ratio (goal: <= 1.2).
# Usage: scripts/bench/vm-create.sh [ROUNDS=5]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-5}
uri=qemu:///system
virsh=(virsh -q -c "$uri")
guest=$("$root/hypervisor-mgr/src/test/guest/build-guest.sh" 2>/dev/null)
"$root/powerverse" --version >/dev/null
work=$(mktemp -d); chmod 711 "$work"   # QEMU (libvirt-qemu) must traverse it
printf 'api: {bindAddress: 127.0.0.1}\ncdn: {gatewayHost: 127.0.0.1, gatewayPort: 0}\n' > "$work/bench.yaml"
pids=(); baseline=""
cleanup() {
  [ -n "$baseline" ] && { "${virsh[@]}" destroy "$baseline" >/dev/null 2>&1 || true; "${virsh[@]}" undefine "$baseline" >/dev/null 2>&1 || true; }
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1; rm -rf "$work"
}
trap cleanup EXIT

POWERVERSE_NO_BUILD=1 "$root/powerverse" run --data "$work/node" --config "$work/bench.yaml" --api-port 0 --libvirt-uri "$uri" \
  >"$work/node.out" 2>&1 & pids+=($!)
until port=$(grep '"api listening"' "$work/node.out" 2>/dev/null | grep -oP '"port":\K[0-9]+' | head -n1) && [ -n "$port" ]; do sleep 0.05; done
token=$(cat "$work/node/admin.token")
api() { curl -sk -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
images="$work/node/hypervisor/images"
until [ -d "$images" ]; do sleep 0.05; done
cp "$guest/vmlinuz" "$images/guest-kernel"; cp "$guest/initrd.gz" "$images/guest-initrd"
logs="$work/node/hypervisor/vms/logs"
now() { date +%s.%N; }
await_marker() { # $1 = serial log
  for _ in $(seq 1800); do grep -q POWERVERSE-GUEST-UP "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "no marker in $1" >&2; return 1
}
await_job() { # $1 = job id; prints the job's own duration (finishedAt - createdAt, server side)
  for _ in $(seq 2400); do
    state=$(api "https://127.0.0.1:$port/api/v1/jobs/$1" | python3 -c 'import json,sys
from datetime import datetime
j = json.load(sys.stdin)
def d(s):  # RFC 3339 with up to nanoseconds; datetime takes microseconds
    base, _, frac = s.rstrip("Z").partition(".")
    return datetime.fromisoformat(base + "." + (frac + "000000")[:6])
print(j["state"], (d(j["finishedAt"]) - d(j["createdAt"])).total_seconds() if j.get("finishedAt") else "")')
    case $state in succeeded*) echo "${state#succeeded }"; return 0 ;; failed*|cancelled*) echo "job $1 $state" >&2; return 1 ;; esac
    sleep 0.05
  done
  return 1
}
: > "$work/api.s"; : > "$work/virsh.s"; : > "$work/api-job.s"; : > "$work/virsh-cmd.s"
mkdir -p "$work/base"; chmod 711 "$work/base"
for i in $(seq 1 "$rounds"); do
  vm="bench-api-$i"
  spec=$(sed "s/VM_NAME/$vm/g" "$root/appliance/src/test/resources/vms/guest-vm.json")
  t0=$(now)
  job=$(api -X POST -d "$spec" "https://127.0.0.1:$port/api/v1/vms" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  await_marker "$logs/$vm.serial.log"
  t1=$(now); awk "BEGIN{print $t1 - $t0}" >> "$work/api.s"
  await_job "$job" >> "$work/api-job.s"
  # The same XML for the baseline: its own name, no uuid, none of our metadata (so our reconciler
  # leaves it alone), copies of the volume and seed ISO (made untimed), its own serial log.
  "${virsh[@]}" dumpxml --inactive "$vm" > "$work/api.xml"
  baseline="bench-virsh-$i"
  pool=$(dirname "$(grep -oP "source file='\K[^']*disk0.qcow2" "$work/api.xml")")
  qemu-img create -q -f qcow2 "$work/base/disk0.qcow2" 1G
  cp "$pool/$vm-seed.iso" "$work/base/seed.iso"
  sed -e "s|<name>$vm</name>|<name>$baseline</name>|" -e '/<uuid>/d' -e '/<metadata>/,/<\/metadata>/d' \
      -e "s|$pool/$vm-disk0.qcow2|$work/base/disk0.qcow2|" -e "s|$pool/$vm-seed.iso|$work/base/seed.iso|" \
      -e "s|$logs/$vm.serial.log|$work/base/serial.log|" "$work/api.xml" > "$work/base.xml"
  job=$(api -X POST "https://127.0.0.1:$port/api/v1/vms/$vm/delete" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  await_job "$job" >/dev/null
  rm -f "$work/base/serial.log"
  t0=$(now)
  "${virsh[@]}" define "$work/base.xml" >/dev/null
  "${virsh[@]}" start "$baseline" >/dev/null
  tc=$(now); awk "BEGIN{print $tc - $t0}" >> "$work/virsh-cmd.s"
  await_marker "$work/base/serial.log"
  t1=$(now); awk "BEGIN{print $t1 - $t0}" >> "$work/virsh.s"
  "${virsh[@]}" destroy "$baseline" >/dev/null; "${virsh[@]}" undefine "$baseline" >/dev/null; baseline=""
  rm -f "$work/base/disk0.qcow2" "$work/base/seed.iso"
  echo "round $i: api $(tail -1 "$work/api.s") s, virsh $(tail -1 "$work/virsh.s") s"
done
python3 - "$work/api.s" "$work/virsh.s" "$work/api-job.s" "$work/virsh-cmd.s" <<'PY'
import statistics, sys
api = [float(x) for x in open(sys.argv[1])]
virsh = [float(x) for x in open(sys.argv[2])]
job = [float(x) for x in open(sys.argv[3])]
cmd = [float(x) for x in open(sys.argv[4])]
print(f"control plane only (no boot), median: api create job {statistics.median(job):.2f} s, "
      f"virsh define+start commands {statistics.median(cmd):.2f} s")
a, v = statistics.median(api), statistics.median(virsh)
print(f"create+start to marker, median of {len(api)}: api {a:.2f} s, virsh define+start {v:.2f} s, ratio {a / v:.2f}")
print("api   :", " ".join(f"{x:.2f}" for x in api))
print("virsh :", " ".join(f"{x:.2f}" for x in virsh))
PY
