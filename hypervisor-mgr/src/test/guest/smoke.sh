#!/usr/bin/env bash
# Boots the test guest through plain virsh (no PowerVerse code): validates the XML, defines, starts,
# waits for POWERVERSE-GUEST-UP on the serial log, then destroys and undefines. Proves the machine
# (scripts/setup/libvirt.sh) and the guest (build-guest.sh) before our lifecycle code is involved.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$("$here/build-guest.sh" "${1:-/var/tmp/powerverse-guest}" 2>/dev/null)
chmod 755 "$dir"; rm -f "$dir/serial.log"
sed "s|GUEST_DIR|$dir|g" "$here/smoke-domain.xml" > "$dir/domain.xml"
virsh=(virsh -q -c qemu:///system)
virt-xml-validate "$dir/domain.xml" domain >/dev/null 2>&1 || virt-xml-validate "$dir/domain.xml" domain
"${virsh[@]}" define "$dir/domain.xml" >/dev/null
trap '"${virsh[@]}" destroy powerverse-guest-smoke >/dev/null 2>&1; "${virsh[@]}" undefine powerverse-guest-smoke >/dev/null 2>&1' EXIT
"${virsh[@]}" start powerverse-guest-smoke >/dev/null
for i in $(seq 120); do
  grep -q POWERVERSE-GUEST-UP "$dir/serial.log" 2>/dev/null && { echo "guest up after ~$((i / 2)) s"; exit 0; }
  sleep 0.5
done
echo "smoke: no POWERVERSE-GUEST-UP in $dir/serial.log after 60 s" >&2; exit 1
