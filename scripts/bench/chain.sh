#!/usr/bin/env bash
# chain-lite JMH benchmarks: VRF prove/verify, sortition, sender recovery (BC vs libsecp256k1).
# Usage: scripts/bench/chain.sh [JMH options, e.g. a benchmark regex or -f 1 -wi 2 -i 3]
# Needs JAVA_HOME (a JDK 21+) and, for the libsecp256k1 rows, Debian's libsecp256k1-1 (bookworm)
# or libsecp256k1-2 (trixie). Results go to chain-lite/target/jmh-result.json as well.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -pl chain-lite -am -Pjmh -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test
cp="chain-lite/target/test-classes:chain-lite/target/classes:$(cat chain-lite/target/jmh.classpath)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main \
  -rf json -rff chain-lite/target/jmh-result.json "$@" 'org.powerverse.chain.bench'
