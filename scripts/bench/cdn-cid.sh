#!/usr/bin/env bash
# `cid` of a large file (default 1 GiB of random bytes) against `sha256sum` of the same file, in
# the same run, rounds alternating so noise hits both; the file is read once first so both find
# it in the page cache. Reports the medians as MB/s (10^6 bytes/s): `cid` as a user runs it (a
# fresh JVM per run) and inside the JVM (the import alone), and the ratios to sha256sum.
# Usage: scripts/bench/cdn-cid.sh [SIZE_MIB=1024] [ROUNDS=5] [PROFILE=unixfs-v1-2025]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
size_mib=${1:-1024}; rounds=${2:-5}; profile=${3:-unixfs-v1-2025}
. "$root/scripts/bench/cdn-lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
build_cdn "$work/cp"; CP=$(cat "$work/cp")
"$JDK/bin/javac" -nowarn -cp "$CP" -d "$work/classes" "$root/scripts/bench/CdnCli.java"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/file.bin"
cat "$work/file.bin" > /dev/null
bytes=$((size_mib * 1024 * 1024))

now() { date +%s.%N; }
for r in $(seq "$rounds"); do
  t0=$(now); sha256sum "$work/file.bin" > /dev/null; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$work/sha.s"
  t0=$(now)
  CDN_BENCH_TIMING=1 "$JAVA" "${JVM_OPTS[@]}" -cp "$work/classes:$CP" CdnCli cid --profile "$profile" "$work/file.bin" \
    > "$work/cid.out" 2> "$work/cid.err"
  t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$work/cid.s"
  awk '/in-process/{print $2}' "$work/cid.err" >> "$work/cid-in.s"
done
sha=$(median < "$work/sha.s"); cid=$(median < "$work/cid.s"); inproc=$(median < "$work/cid-in.s")
mbs() { echo "scale=1; $bytes / $1 / 1000000" | bc -l; }
echo "file: $size_mib MiB, profile $profile, rounds $rounds, root $(cat "$work/cid.out")"
echo "sha256sum:          median $(printf %.3f "$sha") s  $(mbs "$sha") MB/s"
echo "cid (fresh JVM):    median $(printf %.3f "$cid") s  $(mbs "$cid") MB/s  ratio $(echo "scale=2; $sha / $cid" | bc -l)"
echo "cid (in-process):   median $(printf %.3f "$inproc") s  $(mbs "$inproc") MB/s  ratio $(echo "scale=2; $sha / $inproc" | bc -l)"
