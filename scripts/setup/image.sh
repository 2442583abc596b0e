#!/usr/bin/env bash
# Machine setup for the appliance image and its boot test (issue 5):  scripts/setup/image.sh [start|stop]
#   start (default)  as root: installs what image-build/build and tests/.../ImageBootTest use when
#                    missing (apt). Idempotent and quiet on success; not root: only says what is missing.
#   stop             a no-op: start begins no daemon.
set -euo pipefail
action=${1:-start}
[ "$action" = stop ] && exit 0
[ "$action" = start ] || { echo "usage: $0 [start|stop]" >&2; exit 2; }

# image-build/build's tools (it installs them itself too) and the boot test's QEMU, OVMF and mtools.
packages=(mmdebstrap genimage squashfs-tools dosfstools mtools e2fsprogs fdisk systemd-boot-efi grub-pc-bin
          zstd bmap-tools debian-archive-keyring arch-test qemu-system-x86 ovmf)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "setup/image: not root; missing ${missing[*]}: the image boot test will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
