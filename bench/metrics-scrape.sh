#!/usr/bin/env bash
# Measures the cost of one scrape of the JVM's GET /metrics (issue 10): wall time per scrape (p50/p99),
# bytes per scrape, and the JVM's CPU time per scrape (utime+stime of /proc/<pid>/stat over the scrapes,
# minus the same JVM's CPU over an equally long idle spell), at several route and registry counts.
#
# Usage: bench/metrics-scrape.sh [SCRAPES=1000] [CASE...]   CASE = ROUTES[:REGISTRIES], default 10:10 10000:10 10000:100
# Needs curl and a built tar.gz (mvn -DskipTests package). Unpacks its own install into build/metrics-scrape/
# with ports of its own (loopback, BASE_PORT=18600+): Envoy admin :BASE, xDS :BASE+10, Gangway admin
# :BASE+20, HTTP :BASE+80, Envoy stats :BASE+90. Each case is a fresh start (bin/startup.sh: supervisor, JVM
# and Envoy, concurrency 1), waits for /readyz (config pushed and ACKed), warms up (below), then
# runs SCRAPES sequential scrapes on one keep-alive connection (as Prometheus does), once plain and once
# with Accept-Encoding: gzip (what Prometheus sends). ROUTES exact paths over min(ROUTES, 100) virtual
# hosts; REGISTRIES static registries of one service each (the per-registry and per-service series).
# WARMUP=300 scrapes first (JIT), then SETTLE=15 seconds of rest, so that start-up work is not counted.
set -euo pipefail

SCRAPES=${1:-1000}
shift || true
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(10:10 10000:10 10000:100)
BASE=${BASE_PORT:-18600}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
OUT=$ROOT/build/metrics-scrape
tarball=${TARBALL:-$(find "$ROOT/packaging/target" -maxdepth 1 -name 'gangway-*.tar.gz' 2>/dev/null | head -n 1)}
[ -n "$tarball" ] || { echo "metrics-scrape: no tar.gz; run mvn -DskipTests package first" >&2; exit 2; }
TICK=$(getconf CLK_TCK)

rm -rf "$OUT" && mkdir -p "$OUT"
tar -xzf "$tarball" -C "$OUT"
H=$(find "$OUT" -mindepth 1 -maxdepth 1 -type d -name 'gangway-*' | head -n 1)
HTTP=$((BASE + 80)) ADMIN_ENVOY=$BASE XDS=$((BASE + 10)) ADMIN_GW=$((BASE + 20)) STATS=$((BASE + 90))
y=$H/conf/gangway.yaml
sed -i "s/^      port: 8080$/      port: $HTTP/; s/^  port: 15010$/  port: $XDS/; s/^  port: 15020$/  port: $ADMIN_GW/; s/^    port: 15000$/    port: $ADMIN_ENVOY/; s/^    port: 15090$/    port: $STATS/" "$y"
sed -i 's/^    - address: 0.0.0.0$/    - address: 127.0.0.1/; s/^  concurrency: 0 /  concurrency: 1 /' "$y"
for p in $HTTP $XDS $ADMIN_GW $ADMIN_ENVOY $STATS; do
  grep -q "port: $p$" "$y" || { echo "metrics-scrape: could not set port $p in $y" >&2; exit 2; }
done
grep -q '^  concurrency: 1 ' "$y" || { echo "metrics-scrape: could not set envoy.concurrency in $y" >&2; exit 2; }
ROUTES=$H/conf/routes
ADMIN=http://127.0.0.1:$ADMIN_GW

stop() { GANGWAY_HOME=$H "$H/bin/shutdown.sh" --now >/dev/null 2>&1 || true; }
trap stop EXIT

write_routes() { # routes registries
  local n=$1 r=$2 hosts per
  hosts=$((n < 100 ? 1 : 100))
  per=$((n / hosts))
  rm -f "$ROUTES"/*.yaml
  {
    printf 'apiVersion: networking.higress.io/v1\nkind: McpBridge\nmetadata: {name: default, namespace: higress-system}\nspec:\n  registries:\n'
    for s in $(seq 0 $((r - 1))); do
      printf '    - {type: static, name: s%d, domain: "127.0.0.1:%d", port: 80}\n' "$s" "$((BASE + 1))"
    done
  } >"$ROUTES/bridge.yaml"
  awk -v hosts="$hosts" -v per="$per" -v r="$r" 'BEGIN {
    printf "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: many, namespace: default}\nspec:\n  rules:\n"
    for (h = 0; h < hosts; h++) {
      printf "    - host: h%d.test\n      http:\n        paths:\n", h
      for (p = 0; p < per; p++) {
        i = h * per + p
        printf "          - {path: /p%d, pathType: Exact, backend: {service: {name: s%d.static, port: {number: 80}}}}\n", i, i % r
      }
    }
  }' >"$ROUTES/ingress.yaml"
}

cpu() { # pid -> utime+stime in clock ticks
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# scrape N [curl options...] -> one "seconds bytes" line per scrape, sequential on one connection
scrape() {
  local n=$1 cfg
  shift
  cfg=$OUT/curl.cfg
  : >"$cfg"
  for _ in $(seq 1 "$n"); do printf 'url = "%s/metrics"\noutput = "/dev/null"\n' "$ADMIN" >>"$cfg"; done
  curl -s "$@" -w '%{time_total} %{size_download}\n' -K "$cfg"
}

summary() { # file -> "p50_ms p99_ms mean_bytes"
  sort -n "$1" | awk '{ t[NR] = $1; b += $2 } END {
    p99 = int(NR * 0.99 + 0.5); if (p99 > NR) p99 = NR
    printf "%.2f %.2f %.0f\n", t[int(NR * 0.5 + 0.5)] * 1000, t[p99] * 1000, b / NR }'
}

measure() { # label pid [curl options...] -> prints one line
  local label=$1 pid=$2 c0 c1 c2 t0 t1 ns p50 p99 bytes busy idle
  shift 2
  c0=$(cpu "$pid")
  t0=$(date +%s%N)
  scrape "$SCRAPES" "$@" >"$OUT/times.txt"
  t1=$(date +%s%N)
  c1=$(cpu "$pid")
  ns=$((t1 - t0))
  sleep "$(awk -v d="$ns" 'BEGIN { printf "%.3f", d / 1e9 }')"
  c2=$(cpu "$pid")
  read -r p50 p99 bytes < <(summary "$OUT/times.txt")
  busy=$((c1 - c0)) idle=$((c2 - c1))
  printf '  %-6s %5d scrapes in %6.2f s  wall p50 %6s ms  p99 %6s ms  %8s bytes  JVM CPU %5.2f ms/scrape (%d ticks busy, %d idle)\n' \
    "$label" "$SCRAPES" "$(awk -v d="$ns" 'BEGIN { print d / 1e9 }')" "$p50" "$p99" "$bytes" \
    "$(awk -v b="$busy" -v i="$idle" -v k="$SCRAPES" -v t="$TICK" 'BEGIN { print (b - i) * 1000 / t / k }')" "$busy" "$idle"
}

echo "metrics-scrape: $(nproc) CPUs, $(java -version 2>&1 | head -n 1), SCRAPES=$SCRAPES"
for c in "${cases[@]}"; do
  n=${c%%:*}
  r=${c#*:}
  [ "$r" = "$c" ] && r=10
  write_routes "$n" "$r"
  GANGWAY_HOME=$H "$H/bin/startup.sh" >/dev/null
  ok=0
  for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$ADMIN/readyz")" = 200 ]; then ok=1; break; fi
    sleep 0.2
  done
  [ "$ok" = 1 ] || { echo "metrics-scrape: not ready after 120 s; see $H/logs" >&2; exit 1; }
  pid=$(cat "$H/run/gangway.pid")
  count=$(curl -s "$ADMIN/routes" | grep -o -m 1 '"count" *: *[0-9]*' | grep -o '[0-9]*$' || true)
  [ "$count" = "$n" ] || { echo "metrics-scrape: the JVM serves $count routes, not $n" >&2; exit 1; }
  scrape "${WARMUP:-300}" >/dev/null # warm-up (JIT)
  sleep "${SETTLE:-15}" # let start-up work (JIT, GC, the first pushes) finish before counting CPU
  series=$(curl -s "$ADMIN/metrics" | grep -c -v -e '^#' -e '^$')
  echo "$n routes, $r registries ($r services): $series series"
  measure plain "$pid"
  measure gzip "$pid" --compressed
  stop
done
