#!/usr/bin/env bash
# Builds the base image Jib layers the supervisor onto, without any container registry:
# a Java runtime made with jlink from the JDK that builds us, plus glibc from Debian's libc6
# package, written as a `docker save` tarball that the appliance's Jib config reads with tar://.
#   scripts/container-base.sh OUT_DIR     (writes OUT_DIR/powerverse-base.tar)
# Needs: a JDK >= 21 whose runtime is linkable (JEP 493, e.g. Temurin 25) or that has jmods/,
# apt-get (downloads libc6 from the Debian mirror into a temporary directory; no root needed),
# dpkg-deb, python3. Reproducible: file times are SOURCE_DATE_EPOCH (default: last commit time).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: scripts/container-base.sh OUT_DIR}
. "$root/scripts/lib/java.sh"
JAVA=$(find_java) || { echo "container-base: no JDK 21 or newer (set JAVA_HOME)" >&2; exit 1; }
jdk=$(dirname "$(dirname "$(readlink -f "$JAVA")")")
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}

mkdir -p "$out"
tar_out="$out/powerverse-base.tar"
stamp="$out/.inputs"
# The modules `jdeps --print-module-deps` reports for the distribution (see docs/container.md),
# plus java.logging/java.management, which those need, and jdk.crypto.ec for TLS.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported
inputs="$("$JAVA" -version 2>&1 | head -n1) $modules $(dpkg-query -W -f='${Version}' libc6 2>/dev/null || true)"
if [ -f "$tar_out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
  exit 0   # up to date
fi

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"; mkdir -p "$rootfs"

echo "container-base: jlink runtime ($modules)" >&2
jlink_args=(--add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress zip-6
  --output "$rootfs/opt/java")
[ -d "$jdk/jmods" ] && jlink_args=(--module-path "$jdk/jmods" "${jlink_args[@]}")
"$jdk/bin/jlink" "${jlink_args[@]}"

echo "container-base: glibc from Debian's libc6" >&2
(cd "$work" && apt-get download -q libc6 >/dev/null 2>&1) \
  || { echo "container-base: apt-get download libc6 failed (is the Debian mirror reachable?)" >&2; exit 1; }
dpkg-deb -x "$work"/libc6_*.deb "$work/libc6"
# Only the shared libraries and the loader: no locales, no gconv modules, no docs.
(cd "$work/libc6" && find . \( -name '*.so*' -o -name 'ld-linux*' \) \( -type f -o -type l \) \
  -not -path '*/gconv/*' -print0 | tar --null -T - -cf -) | tar -C "$rootfs" -xf -
# usrmerge: /lib and /lib64 are links into /usr, as on Debian.
if [ -d "$rootfs/usr/lib/x86_64-linux-gnu" ] && [ ! -e "$rootfs/lib" ]; then ln -s usr/lib "$rootfs/lib"; fi
if [ -d "$rootfs/usr/lib64" ] && [ ! -e "$rootfs/lib64" ]; then ln -s usr/lib64 "$rootfs/lib64"; fi
if [ ! -e "$rootfs/lib64/ld-linux-x86-64.so.2" ]; then
  mkdir -p "$rootfs/usr/lib64"; [ -e "$rootfs/lib64" ] || ln -s usr/lib64 "$rootfs/lib64"
  ln -sf ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$rootfs/usr/lib64/ld-linux-x86-64.so.2"
fi

# The supervisor runs as an unprivileged user (uid 10001) that owns its data directory; /tmp is
# where JNA and jffi unpack their native stubs.
mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/var/lib/powerverse"
chmod 1777 "$rootfs/tmp"; chmod 0700 "$rootfs/var/lib/powerverse"
printf 'root:x:0:0:root:/root:/sbin/nologin\npowerverse:x:10001:10001:PowerVerse node:/var/lib/powerverse:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\npowerverse:x:10001:\n' > "$rootfs/etc/group"
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"

echo "container-base: writing $tar_out" >&2
python3 - "$rootfs" "$tar_out" "$SOURCE_DATE_EPOCH" <<'EOF'
import hashlib, io, json, os, sys, tarfile
rootfs, out, epoch = sys.argv[1], sys.argv[2], int(sys.argv[3])
owned = {"var/lib/powerverse": 10001}

def layer_bytes():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames) + sorted(filenames):
                path = os.path.join(dirpath, name)
                arc = os.path.relpath(path, rootfs)
                info = tar.gettarinfo(path, arc)
                info.mtime = epoch
                info.uid = info.gid = owned.get(arc, 0)
                info.uname = info.gname = ""
                if info.isreg():
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    return buf.getvalue()

layer = layer_bytes()
diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
created = __import__("datetime").datetime.fromtimestamp(epoch, __import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
config = {
    "architecture": "amd64", "os": "linux", "created": created,
    "config": {"Env": ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java", "LANG=C.UTF-8"]},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created": created, "created_by": "scripts/container-base.sh (jlink runtime + Debian libc6)"}],
}
config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
manifest = [{"Config": config_name, "RepoTags": ["powerverse-base:local"], "Layers": ["layer.tar"]}]
with tarfile.open(out + ".part", mode="w", format=tarfile.PAX_FORMAT) as tar:
    for name, data in ((config_name, config_bytes), ("layer.tar", layer),
                       ("manifest.json", json.dumps(manifest).encode())):
        info = tarfile.TarInfo(name); info.size = len(data); info.mtime = epoch; info.mode = 0o644
        tar.addfile(info, io.BytesIO(data))
os.replace(out + ".part", out)
EOF
echo "$inputs" > "$stamp"
