#!/usr/bin/env bash
# Measures route-edit propagation: the time from writing a route file to Envoy serving the new route.
# Needs a running Gangway started by bin/quickstart.sh (demo backends echo-1/echo-2 on :8001/:8002).
#
# Usage: bench/route-propagation.sh [EDITS=50] [EXTRA_PATHS=0]
#   EXTRA_PATHS adds that many other routes to the edited file, to measure at a larger table size.
# Each edit flips host bench.local between the two backends (atomic rename, as editors do) and polls
# it with curl until the response comes from the new backend; curl's own cost (~3-5 ms per poll) is
# part of the figure, so it is an upper bound.
set -euo pipefail

EDITS=${1:-50}
EXTRA=${2:-0}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
HOME_DIR=$(find "$ROOT/build/quickstart" -mindepth 1 -maxdepth 1 -type d -name 'gangway-*' | head -n 1)
[ -n "$HOME_DIR" ] || { echo "run bin/quickstart.sh first" >&2; exit 2; }
ROUTES=$HOME_DIR/conf/routes
URL=http://127.0.0.1:8080/bench

write() { # backend-name
  local tmp=$ROUTES/.bench.yaml.tmp
  {
    cat <<YAML
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bench}
spec:
  rules:
    - host: bench.local
      http:
        paths:
          - {path: /bench, pathType: Prefix, backend: {service: {name: $1.static, port: {number: 80}}}}
YAML
    for i in $(seq 1 "$EXTRA"); do
      printf '          - {path: /filler/%d, pathType: Prefix, backend: {service: {name: echo.static, port: {number: 80}}}}\n' "$i"
    done
  } >"$tmp"
  mv "$tmp" "$ROUTES/bench.yaml"
}

# Two single-instance static registries to flip between, added to the example's McpBridge "default".
if ! grep -q 'name: bench-1' "$ROUTES/example.yaml"; then
  sed -i 's|^      port: 80$|      port: 80\n    - {type: static, name: bench-1, domain: "127.0.0.1:8001", port: 80}\n    - {type: static, name: bench-2, domain: "127.0.0.1:8002", port: 80}|' "$ROUTES/example.yaml"
fi
write bench-1
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: bench.local' "$URL")" = 200 ] && break
  sleep 0.1
done

samples=()
target=bench-2
for i in $(seq 1 "$EDITS"); do
  t0=$(date +%s%N)
  write "$target"
  want=echo-${target#bench-}
  while :; do
    got=$(curl -s -D - -o /dev/null -H 'Host: bench.local' "$URL" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-echo-backend"{print $2}')
    [ "$got" = "$want" ] && break
  done
  t1=$(date +%s%N)
  samples+=($(( (t1 - t0) / 1000000 )))
  target=$([ "$target" = bench-1 ] && echo bench-2 || echo bench-1)
  sleep 0.3 # let the debounce window close so each edit is measured on its own
done
rm -f "$ROUTES/bench.yaml"

printf '%s\n' "${samples[@]}" | sort -n | awk -v n="$EDITS" -v extra="$EXTRA" '
  { v[NR] = $1; sum += $1 }
  END {
    printf "route edit -> Envoy serving: %d edits, %d extra routes in the file\n", n, extra
    p99 = int(NR * 0.99 + 0.5); if (p99 > NR) p99 = NR
    printf "  min %d ms  p50 %d ms  p90 %d ms  p99 %d ms  max %d ms  mean %.0f ms\n",
      v[1], v[int(NR*0.5+0.5)], v[int(NR*0.9+0.5)], v[p99], v[NR], sum/NR
  }'
