# Shared by the cdn benchmarks: a JDK >= 21, the module built, and its class path in $CP.
# Sourced with $root set to the repository root.
find_jdk() {
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ]; then
      major=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
      if [ "${major%%.*}" -ge 21 ] 2>/dev/null; then echo "$candidate"; return 0; fi
    fi
  done
  return 1
}
JDK=$(find_jdk) || { echo "needs a JDK >= 21 (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME=$JDK
JAVA="$JDK/bin/java"
# lmdbjava reads direct buffers' addresses; the JDK warns about Unsafe otherwise.
JVM_OPTS=(--enable-native-access=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -XX:+UseG1GC -Dlogback.configurationFile="$root/scripts/bench/cdn-logback.xml")
[ "$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')" -ge 23 ] \
  && JVM_OPTS+=(--sun-misc-unsafe-memory-access=allow)
build_cdn() { # compiles cdn-node (and platform, from the reactor) and writes its class path to $1
  (cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ./mvnw -q -pl cdn-node -am \
    compile dependency:build-classpath -Dmdep.outputFile="$1.deps" >&2)
  echo "$root/cdn-node/target/classes:$(cat "$1.deps")" > "$1"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
