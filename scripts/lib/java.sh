# Sourced by ./powerverse and scripts/test: finds a JDK >= 21.
# find_java prints the path of a java binary (JAVA_HOME first, then /usr/lib/jvm/*, then PATH);
# java_major prints a java binary's feature version.

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

find_java() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  for c in $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV); do candidates+=("$c"); done
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major=$(java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}

# The JVM options the supervisor needs, for java of feature version $1.
supervisor_jvm_opts() {
  echo "--enable-native-access=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
  [ "$1" -ge 23 ] && echo "--sun-misc-unsafe-memory-access=allow"
  return 0
}
