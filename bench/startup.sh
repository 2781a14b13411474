#!/usr/bin/env bash
# Measures cold start: bin/startup.sh invoked → first HTTP 200 through Envoy, on the quickstart install.
# Needs bin/quickstart.sh to have run once (it builds and unpacks the tar.gz, and starts the backends).
#
# Usage: bench/startup.sh [RUNS=5]
set -euo pipefail

RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
H=$(find "$ROOT/build/quickstart" -mindepth 1 -maxdepth 1 -type d -name 'gangway-*' | head -n 1)
[ -n "$H" ] || { echo "run bin/quickstart.sh first" >&2; exit 2; }

samples=()
for _ in $(seq 1 "$RUNS"); do
  "$H/bin/shutdown.sh" --now >/dev/null
  t0=$(date +%s%N)
  "$H/bin/startup.sh" >/dev/null
  until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/hello)" = 200 ]; do sleep 0.02; done
  t1=$(date +%s%N)
  samples+=($(( (t1 - t0) / 1000000 )))
done
printf '%s\n' "${samples[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  printf "bin/startup.sh -> first 200: %d runs  min %d ms  median %d ms  max %d ms\n", NR, v[1], v[int((NR+1)/2)], v[NR] }'
