#!/usr/bin/env bash
# Power-on -> GET /readyz 200 of the appliance image in QEMU:  scripts/bench/image-boot.sh [runs] [uefi|bios]
# Boots a copy of image-build/out/powerverse-node-amd64.img (build it first: sudo image-build/build)
# with OVMF (uefi, default) or SeaBIOS (bios), TCG unless KVM is usable, user networking with
# restrict=on and the API forwarded to a loopback port; prints the seconds from QEMU's start to the
# first 200 from /readyz for each boot (the first boot also grows the data partition and creates the
# node's keys), then the median. Serial logs stay in /tmp/pv-image-boot.*/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=${1:-1}
mode=${2:-uefi}
image=$root/image-build/out/powerverse-node-amd64.img
[ -f "$image" ] || { echo "no $image: run sudo image-build/build" >&2; exit 1; }
dir=$(mktemp -d /tmp/pv-image-boot.XXXXXX)
accel=(-accel tcg,thread=multi -cpu max); name=tcg
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
  if timeout 5 qemu-system-x86_64 -machine q35 -accel kvm -cpu host -m 128 -nodefaults -display none >/dev/null 2>&1; [ $? = 124 ]; then
    accel=(-accel kvm -cpu host); name=kvm
  fi
fi
port=$(shuf -i 20000-40000 -n 1); monitor_port=$(( port + 1 ))
cp --sparse=always "$image" "$dir/disk.img"
firmware=()
if [ "$mode" = uefi ]; then
  cp /usr/share/OVMF/OVMF_VARS_4M.fd "$dir/vars.fd"
  firmware=(-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive "if=pflash,format=raw,file=$dir/vars.fd")
fi
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  qemu-system-x86_64 -machine q35 -m 2048 -smp 2 -nodefaults -display none -no-user-config "${firmware[@]}" \
    -drive "if=virtio,format=raw,cache=unsafe,file=$dir/disk.img" \
    -netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$port-:8443" -device virtio-net-pci,netdev=n0 \
    -serial "file:$dir/serial-$i.log" -monitor "tcp:127.0.0.1:$monitor_port,server=on,wait=off" "${accel[@]}" \
    >"$dir/qemu-$i.log" 2>&1 &
  qemu=$!
  until [ "$(curl -sk -m 5 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/readyz" || true)" = 200 ]; do
    kill -0 "$qemu" 2>/dev/null || { echo "QEMU exited; see $dir" >&2; exit 1; }
    [ "$(echo "$(date +%s) - ${start%.*} > 900" | bc)" = 1 ] && { kill "$qemu"; echo "no /readyz 200 within 900 s; see $dir" >&2; exit 1; }
    sleep 1
  done
  t=$(echo "$(date +%s.%N) - $start" | bc)
  times+=("$t")
  printf 'boot %d (%s, %s): /readyz 200 after %.1f s\n' "$i" "$mode" "$name" "$t"
  { echo system_powerdown > "/dev/tcp/127.0.0.1/$monitor_port"; } 2>/dev/null || true
  for _ in $(seq 1 180); do kill -0 "$qemu" 2>/dev/null || break; sleep 1; done
  kill "$qemu" 2>/dev/null || true; wait "$qemu" 2>/dev/null || true
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median of %d: %.1f s\n", NR, (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
rm -f "$dir/disk.img"
