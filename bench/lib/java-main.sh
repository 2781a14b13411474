# Sourced by bench scripts that run a test-class main of server/gateway (the Nacos double, GrpcEcho,
# ZooKeeperBenchServer) next to the install, after ROOT is set.
#   gateway_test_classpath WHO        prints test-classes:classes:dependencies, or exits 2 naming WHO
#   start_java_main LOG CLASS ARGS…   starts CLASS in the background on that classpath (cached in
#                                     GATEWAY_TEST_CP), sets JAVA_MAIN_PID, waits up to 60 s for READY
#                                     in LOG; exits 1 if it does not come
gateway_test_classpath() {
  local cpfile
  cpfile=$(mktemp)
  (cd "$ROOT/server/gateway" && mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null 2>&1) ||
    { rm -f "$cpfile"; echo "$1: could not resolve the test classpath offline (mvn -B -DskipTests install first)" >&2; exit 2; }
  echo "$ROOT/server/gateway/target/test-classes:$ROOT/server/gateway/target/classes:$(cat "$cpfile")"
  rm -f "$cpfile"
}

start_java_main() {
  local log=$1 class=$2
  shift 2
  if [ -z "${GATEWAY_TEST_CP:-}" ]; then
    GATEWAY_TEST_CP=$(gateway_test_classpath "$(basename "$0" .sh)") || exit 2
  fi
  : >"$log"
  java -Xmx256m -cp "$GATEWAY_TEST_CP" "$class" "$@" >>"$log" 2>&1 &
  JAVA_MAIN_PID=$!
  for _ in $(seq 1 300); do grep -q READY "$log" && return 0; sleep 0.2; done
  echo "$(basename "$0" .sh): $class did not start (see $log)" >&2
  exit 1
}
