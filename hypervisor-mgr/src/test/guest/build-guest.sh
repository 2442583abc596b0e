#!/usr/bin/env bash
# Builds the VM tests' guest offline from Debian packages: the kernel of linux-image-amd64 and a
# busybox initramfs, for direct kernel boot (<os><kernel>/<initrd>). The guest prints
# POWERVERSE-GUEST-UP on its serial console (ttyS0), runs udhcpc on eth0, prints the lease, and idles.
#   build-guest.sh [cache-dir]   (default ~/.cache/powerverse/guest); prints the cache dir; no-op when built.
# Needs: apt-get (download only, no install), dpkg-deb, cpio, gzip, busybox-static (scripts/setup/libvirt.sh).
set -euo pipefail
out=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/powerverse/guest}
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.gz" ]; then echo "$out"; exit 0; fi
mkdir -p "$out"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
# The metapackage names the current kernel package; download that one (no root needed).
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$kpkg" ] || { echo "build-guest: apt-cache knows no linux-image-amd64 (apt-get update?)" >&2; exit 1; }
apt-get download -q "$kpkg" >/dev/null
dpkg-deb -x ./"$kpkg"_*.deb kernel
cp kernel/boot/vmlinuz-* "$out/vmlinuz.tmp"
busybox=$(command -v busybox || echo /bin/busybox)
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || busybox=/bin/busybox
mkdir -p root/bin root/proc root/sys root/dev root/etc root/usr/share/udhcpc
cp "$busybox" root/bin/busybox
for applet in sh mount ip udhcpc echo cat sleep poweroff ifconfig route; do ln -s busybox root/bin/$applet; done
cat > root/usr/share/udhcpc/default.script <<'S'
#!/bin/sh
[ "$1" = bound ] && { ifconfig "$interface" "$ip" ${subnet:+netmask $subnet}; echo "POWERVERSE-GUEST-LEASE $ip"; }
exit 0
S
cat > root/init <<'S'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
echo POWERVERSE-GUEST-UP > /dev/ttyS0
ip link set eth0 up 2>/dev/null && udhcpc -i eth0 -n -q -t 5 -s /usr/share/udhcpc/default.script > /dev/ttyS0 2>&1
while :; do sleep 3600; done
S
chmod +x root/init root/usr/share/udhcpc/default.script
(cd root && find . | cpio -o -H newc --quiet | gzip -9) > "$out/initrd.gz.tmp"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"; mv "$out/initrd.gz.tmp" "$out/initrd.gz"
chmod a+r "$out/vmlinuz" "$out/initrd.gz"   # QEMU runs as libvirt-qemu and must read them
echo "$out"
