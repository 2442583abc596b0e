#!/usr/bin/env bash
# Machine setup for the VM lifecycle tests (hypervisor-mgr, issue 4):  scripts/setup/libvirt.sh [start|stop]
#   start (default)  as root: installs libvirt + QEMU + guest-building tools when missing (apt), fixes
#                    /dev/kvm permissions, starts virtlogd, virtlockd and libvirtd when none runs.
#                    Idempotent and quiet on success; not root: only says what is missing.
#   stop             stops the daemons THIS script started (pids recorded in $state_dir), nothing else.
# libxml2-utils: virt-xml-validate calls xmllint.
# Why by hand: PID 1 is not systemd here, so apt starts no daemons (docs: /work/shared/notes/virtualization.md).
set -euo pipefail
# Pids are recorded per caller ($PPID: scripts/test runs start and stop from its own shell), so a
# stop ends only what the same caller's start began, never daemons another run on this machine
# started and still uses (two test runs at once on a shared machine: one's stop killed the other's libvirtd).
state_dir=${POWERVERSE_LIBVIRT_STATE:-/run/powerverse-libvirt-setup/$PPID}
action=${1:-start}

packages=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils ovmf busybox-static cpio
          dnsmasq-base iptables kmod xorriso libxml2-utils)

stop_started() {
  [ -d "$state_dir" ] || return 0
  for pidfile in "$state_dir"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    # Only signal the pid if it is still the daemon we started (pid reuse).
    if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$(basename "$pidfile" .pid)" ]; then
      kill "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  rmdir "$state_dir" 2>/dev/null || true
}

if [ "$action" = stop ]; then stop_started; exit 0; fi
[ "$action" = start ] || { echo "usage: $0 [start|stop]" >&2; exit 2; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "$(id -u)" != 0 ]; then
  [ ${#missing[@]} -eq 0 ] || echo "setup/libvirt: not root; missing ${missing[*]}: VM integration tests will skip" >&2
  exit 0
fi
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# The test guest (hypervisor-mgr/src/test/guest/build-guest.sh) downloads the kernel package named
# by linux-image-amd64: that needs apt lists, which fresh containers often lack.
apt-cache show linux-image-amd64 >/dev/null 2>&1 || apt-get update -q >/dev/null

# Without udev /dev/kvm is root 0600 and libvirtd re-probes QEMU on every call (~4 s each).
if [ -e /dev/kvm ] && getent group kvm >/dev/null; then
  chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
fi

mkdir -p "$state_dir"
start_daemon() { # name: starts it daemonised unless one already runs, records the pid we started
  local name=$1
  pgrep -x -r R,S,D "$name" >/dev/null && return 0
  "/usr/sbin/$name" -d >/dev/null 2>&1 || { echo "setup/libvirt: $name did not start" >&2; return 1; }
  for _ in $(seq 50); do
    pid=$(pgrep -nx -r R,S,D "$name" || true)
    [ -n "$pid" ] && { echo "$pid" >"$state_dir/$name.pid"; return 0; }
    sleep 0.1
  done
  echo "setup/libvirt: $name exited after start" >&2; return 1
}
# Domains cannot start without virtlogd; libvirtd last.
start_daemon virtlogd
start_daemon virtlockd
start_daemon libvirtd
# libvirtd answers once its socket is up; the first call also probes QEMU (~12 s), do it here, not in a test.
for _ in $(seq 100); do
  virsh -c qemu:///system version >/dev/null 2>&1 && exit 0
  sleep 0.3
done
echo "setup/libvirt: libvirtd does not answer on qemu:///system" >&2
exit 1
