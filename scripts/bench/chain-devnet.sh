#!/usr/bin/env bash
# Finality latency and finalized transfers/s of chain-lite validator PROCESSES on loopback (chain devnet, P2P).
# Usage: scripts/bench/chain-devnet.sh [validators=4] [seconds=15] [rate=100] [blockTimeMs=150] [basePort=31400]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -pl chain-lite -am -Pjmh -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test
cp="chain-lite/target/test-classes:chain-lite/target/classes:$(cat chain-lite/target/jmh.classpath)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp "$cp" org.powerverse.chain.bench.DevnetBench "$@"
