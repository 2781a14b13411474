#!/usr/bin/env bash
# Measures Nacos publish -> Envoy serving the change, over many publishes, through the real JVM, the
# real nacos-client, the Nacos double (a protocol-faithful test server) and a real Envoy.
#
# Usage: bench/nacos-publish.sh [PUBLISHES=50] [ROUTES=10]      (after: mvn -B -DskipITs install)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT/server/gateway"
cpfile=$(mktemp)
if ! out=$(mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" 2>&1); then
  printf '%s\n' "$out" >&2
  echo "bench: could not resolve the classpath offline; run once online: mvn -B dependency:build-classpath -pl server/gateway" >&2
  exit 2
fi
java -cp "target/test-classes:target/classes:$(cat "$cpfile")" io.gangway.server.e2e.NacosPublishBench "${1:-50}" "${2:-10}"
rm -f "$cpfile"
