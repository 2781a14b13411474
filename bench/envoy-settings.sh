#!/usr/bin/env bash
# What each part of Gangway's Envoy config costs per request (issue 11 item 4).
#
# Starts Gangway from the tar.gz with one catch-all route, takes its Envoy's /config_dump, and turns
# it into static Envoy configs (bench/lib/envoy_variants.py): Gangway's own listener, route table and
# cluster ("gangway"), the same with one part taken away ("no_<part>"), with everything taken away
# ("none_of_them"), and a bare Envoy (HCM + router only). Every variant runs as its own Envoy with one
# worker; every round loads each in turn (wrk, HTTP/1.1 keep-alive), and the table gives the median
# req/s and the median Envoy CPU time per request (user + system, from /proc), with the difference to
# "gangway". CPU per request is the steadier figure: req/s also moves with the load generator and the
# backend, which share this machine.
#
# Usage: bench/envoy-settings.sh [SECONDS=5] [ROUNDS=5]
# Needs wrk, nginx, curl, python3, Envoy (envoy-bootstrap/install-envoy.sh) and a built tar.gz.
# Loopback only; ports from BASE_PORT (default 18900).
set -euo pipefail

SECS=${1:-5}
ROUNDS=${2:-5}
CONNS=${CONNS:-32}
BASE=${BASE_PORT:-18900}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
OUT=$ROOT/build/envoy-settings
ENVOY=${ENVOY:-$ROOT/envoy-bootstrap/bin/envoy}
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "envoy-settings: $tool is missing" >&2; exit 2; }
done
[ -x "$ENVOY" ] || { echo "envoy-settings: no Envoy at $ENVOY; run envoy-bootstrap/install-envoy.sh" >&2; exit 2; }

BACKEND=$((BASE + 1))
GW_ENVOY_ADMIN=$((BASE + 2)) GW_XDS=$((BASE + 3)) GW_ADMIN=$((BASE + 4)) GW_HTTP=$((BASE + 5)) GW_STATS=$((BASE + 6))
FIRST_VARIANT=$((BASE + 20))
TICK_US=$((1000000 / $(getconf CLK_TCK)))

rm -rf "$OUT" && mkdir -p "$OUT"/{backend,variants}
H=
pids=()
cleanup() {
  [ -n "$H" ] && GANGWAY_HOME=$H "$H/bin/shutdown.sh" --now >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$OUT/backend/nginx.pid" ] && kill "$(cat "$OUT/backend/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# shellcheck source=lib/nginx-backend.sh
. "$ROOT/bench/lib/nginx-backend.sh"

# The backend: nginx answering 200 by itself, one worker.
nginx_conf backend 1 "server { listen 127.0.0.1:$BACKEND; location / { return 200 \"ok\\n\"; } }"
start_nginx backend
await "http://127.0.0.1:$BACKEND/"

# Gangway as shipped, only to take its Envoy's config; stopped before the measuring starts.
# shellcheck source=lib/gangway-install.sh
. "$ROOT/bench/lib/gangway-install.sh"
gangway_install "$OUT" "$GW_HTTP" "$GW_XDS" "$GW_ADMIN" "$GW_ENVOY_ADMIN" "$GW_STATS" "$BACKEND"
GANGWAY_HOME=$H "$H/bin/startup.sh" >/dev/null
await "http://127.0.0.1:$GW_HTTP/"
curl -s "http://127.0.0.1:$GW_ENVOY_ADMIN/config_dump" >"$OUT/config_dump.json"
GANGWAY_HOME=$H "$H/bin/shutdown.sh" --now >/dev/null 2>&1 || true

python3 "$ROOT/bench/lib/envoy_variants.py" "$OUT/config_dump.json" "$OUT/variants" "$BACKEND" "$FIRST_VARIANT" \
  >"$OUT/variants.txt"
# The bare Envoy: HCM and router, the same static cluster with nothing else on it.
bare_port=$((FIRST_VARIANT + 2 * $(wc -l <"$OUT/variants.txt")))
cat >"$OUT/variants/bare.json" <<JSON
{"admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": $((bare_port + 1))}}},
 "static_resources": {
  "listeners": [{"name": "http", "address": {"socket_address": {"address": "127.0.0.1", "port_value": $bare_port}},
   "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager", "typed_config": {
    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
    "stat_prefix": "http",
    "route_config": {"virtual_hosts": [{"name": "any", "domains": ["*"],
     "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "backend"}}]}]},
    "http_filters": [{"name": "envoy.filters.http.router",
     "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}],
  "clusters": [{"name": "backend", "type": "STATIC", "load_assignment": {"cluster_name": "backend",
   "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {"socket_address": {"address": "127.0.0.1",
    "port_value": $BACKEND}}}}]}]}}]}}
JSON
echo "bare $bare_port $((bare_port + 1))" >>"$OUT/variants.txt"

declare -A pid port
i=0
while read -r name p _; do
  "$ENVOY" -c "$OUT/variants/$name.json" --concurrency 1 -l warning --base-id $((BASE + i)) \
    >"$OUT/variants/$name.log" 2>&1 &
  pid[$name]=$! port[$name]=$p
  pids+=("$!")
  i=$((i + 1))
done <"$OUT/variants.txt"
names=$(awk '{ print $1 }' "$OUT/variants.txt")
for n in $names; do await "http://127.0.0.1:${port[$n]}/"; done

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
echo "envoy-settings: $(nproc) CPUs, $("$ENVOY" --version | grep -o 'version: [^ ]*' | head -n 1), 1 worker, ${SECS} s per run, $ROUNDS rounds, $CONNS connections"
results=$OUT/results.txt
: >"$results"
for r in $(seq 0 "$ROUNDS"); do # round 0 warms every variant up and is not counted
  for n in $names; do
    t0=$(ticks "${pid[$n]}")
    out=$(wrk -t1 -c"$CONNS" -d"${SECS}s" "http://127.0.0.1:${port[$n]}/" 2>&1 || true)
    t1=$(ticks "${pid[$n]}")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    rps=$(awk '/Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
    bad=$(awk '/Non-2xx or 3xx responses:/ { n += $5 } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
    [ "$r" -gt 0 ] && echo "$n $r $rps $(((t1 - t0) * TICK_US * 10 / requests)) $bad" >>"$results"
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
col() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$results" | median; }
gw_cpu=$(col gangway 4)
printf '\n| variant | req/s (median of %d) | Envoy CPU µs/request | vs gangway | errors |\n|---|---|---|---|---|\n' "$ROUNDS"
for n in $names; do
  cpu=$(col "$n" 4)
  errors=$(awk -v n="$n" '$1 == n { e += $5 } END { print e + 0 }' "$results")
  awk -v n="$n" -v rps="$(col "$n" 3)" -v cpu="$cpu" -v g="$gw_cpu" -v e="$errors" \
    'BEGIN { printf "| %s | %.0f | %.1f | %+.1f | %d |\n", n, rps, cpu / 10, (cpu - g) / 10, e }'
done
echo
echo "every run: $results (variant round req/s cpu-tenths-of-µs/request errors); configs: $OUT/variants"
