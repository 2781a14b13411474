#!/usr/bin/env bash
# Live scale (issue 11 items 2 and 3): N routes through the tar.gz as shipped (default heap), real
# Envoy. For each N:
#   1. bulk     the N routes (N/100 Ingress documents of 100 paths, one file each, 100 hosts) moved into
#               conf/routes in one `mv`: time from the move to the first and to the last document's
#               route being served;
#   2. memory   JVM heap after a full GC, JVM RSS (now and peak), Envoy RSS and Envoy's heap, the
#               route table Envoy holds;
#   3. edits    EDITS edits of one small document (one route, its own host) among the N routes: time
#               from the write (atomic rename) to the edited route being served, p50/p99/max;
#   4. big edit EDITS edits of one of the 100-path documents: same figure;
# each edit also split into the JVM's apply (its log line) and Envoy's part (from the end of that
# apply to Envoy's route table reload, config_reload_time_ms);
# and whether the JVM was restarted (out of memory) or Envoy's listener was modified at any point.
#
# SERVICES=N spreads the routes over N services listed by a real ZooKeeper (curator-test, from the
# test classes: mvn -B -DskipTests install first), one endpoint each, instead of one static service:
# N clusters and N endpoint sets; route k goes to service k % N.
#
# Usage: bench/scale-live.sh [ROUTES="10000 100000"] [EDITS=30]
# Needs nginx, curl, a built tar.gz (mvn -DskipTests package) and Envoy (envoy-bootstrap/install-envoy.sh).
# Loopback only; ports from BASE_PORT (default 18900). Bounded: each wait gives up after 120 s.
set -euo pipefail

SIZES=${1:-"10000 100000"}
EDITS=${2:-30}
PER_DOC=100
HOSTS=100
SERVICES=${SERVICES:-0}
BASE=${BASE_PORT:-18900}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
OUT=$ROOT/build/scale-live
for tool in nginx curl; do
  command -v "$tool" >/dev/null || { echo "scale-live: $tool is missing" >&2; exit 2; }
done

# shellcheck source=lib/gangway-bench.sh
. "$ROOT/bench/lib/gangway-bench.sh"

# code HOST PATH: the HTTP status Gangway's Envoy answers.
code() { curl -s -o /dev/null -w '%{http_code}' -H "Host: $1" "http://127.0.0.1:$GW_HTTP$2"; }

# until_200 HOST PATH: polls until 200; fails after 120 s.
until_200() {
  local deadline=$(( $(now_ms) + 120000 ))
  until [ "$(code "$1" "$2")" = 200 ]; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "scale-live: $1$2 not served after 120 s" >&2; return 1; }
  done
}

# gen_doc FILE DOC: Ingress document number DOC with PER_DOC paths on host (DOC % HOSTS).
gen_doc() {
  awk -v d="$2" -v per="$PER_DOC" -v hosts="$HOSTS" -v tag="${3:-}" -v services="$SERVICES" 'BEGIN {
    printf "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing-%d, namespace: default}\nspec:\n  rules:\n    - host: host%d.example.com\n      http:\n        paths:\n", d, d % hosts
    for (i = 0; i < per; i++) {
      n = d * per + i
      svc = services > 0 ? sprintf("svc-%d.services.zookeeper", n % services) : "backend.static"
      printf "          - {path: /api/v%d/resource-%d%s, pathType: %s, backend: {service: {name: %s, port: {number: 80}}}}\n", n % 7, n, tag, (n % 2 ? "Exact" : "Prefix"), svc
    }
  }' >"$1"
}

# small_doc K: the one-route document the edits change, path /edit/K on host edit.local.
small_doc() {
  printf 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: small, namespace: default}\nspec:\n  rules:\n    - host: edit.local\n      http:\n        paths:\n          - {path: /edit/%d, pathType: Exact, backend: {service: {name: backend.static, port: {number: 80}}}}\n' "$1"
}

# path_of ROUTE [TAG]: the path of route number ROUTE.
path_of() { echo "/api/v$(($1 % 7))/resource-$1${2:-}"; }
host_of() { echo "host$(($1 / PER_DOC % HOSTS)).example.com"; }

stats() { # prints "min p50 p99 max" of the numbers on stdin
  sort -n | awk '{ v[NR] = $1 } END { p99 = int(NR * 0.99 + 0.5); if (p99 > NR) p99 = NR; if (p99 < 1) p99 = 1
    printf "%d %d %d %d", v[1], v[int(NR * 0.5 + 0.5)], v[p99], v[NR] }'
}


# shares: "JVM_MS ENVOY_MS" of the last route apply: the JVM's apply time (its log line) and the time
# from the end of that apply to Envoy's route table reload (Envoy's config_reload_time_ms).
shares() {
  local line at jvm reload
  line=$(grep 'applied routes change in' "$H/logs/gangway.log" | tail -n 1)
  at=$(date -d "${line%% *}" +%s%3N)
  jvm=$(printf '%s\n' "$line" | sed -E 's/.* change in ([0-9]+)(\.[0-9]+)? ms.*/\1/')
  reload=$(curl -s "http://127.0.0.1:$GW_ENVOY_ADMIN/stats?filter=rds\\..*config_reload_time_ms" | awk -F': ' '{ print $2; exit }')
  echo "$jvm $((reload - at))"
}

rss_kib() { awk '/^'"$2"':/ { print $2 }' "/proc/$1/status"; }

mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

rm -rf "$OUT" && mkdir -p "$OUT/backend"
start_backend
ZK=$((BASE + 30))
if [ "$SERVICES" -gt 0 ]; then
  # shellcheck source=lib/java-main.sh
  . "$ROOT/bench/lib/java-main.sh"
  mkdir -p "$OUT/zk"
  trap 'cleanup; [ -n "${JAVA_MAIN_PID:-}" ] && kill -9 "$JAVA_MAIN_PID" 2>/dev/null || true' EXIT
  start_java_main "$OUT/zk/server.log" io.gangway.server.e2e.ZooKeeperBenchServer "$ZK" "$OUT/zk/data" a "$BACKEND" "$SERVICES"
fi

rows=()
for n in $SIZES; do
  docs=$(( n / PER_DOC ))
  [ "$docs" -ge 1 ] || { echo "scale-live: ROUTES must be at least $PER_DOC" >&2; exit 2; }
  [ -n "$H" ] && { GANGWAY_HOME=$H "$H/bin/shutdown.sh" --now >/dev/null 2>&1 || true; }
  rm -rf "$OUT/gw" && mkdir -p "$OUT/gw"
  gangway_install "$OUT/gw" "$GW_HTTP" "$GW_XDS" "$GW_ADMIN" "$GW_ENVOY_ADMIN" "$GW_STATS" "$BACKEND"
  # No catch-all: a route that is not live yet answers 404.
  sed -i '/^---$/,$d' "$H/conf/routes/bench.yaml"
  [ "$SERVICES" -gt 0 ] && sed -i "s|^    - {type: static, name: backend, .*|&\n    - {type: zookeeper, name: zk, domain: 127.0.0.1, port: $ZK}|" "$H/conf/routes/bench.yaml"
  small_doc 0 >"$H/conf/routes/small.yaml"
  GANGWAY_HOME=$H "$H/bin/startup.sh" >"$OUT/startup.log" 2>&1 || { cat "$OUT/startup.log" >&2; exit 1; }
  until_200 edit.local /edit/0
  jvm=$(cat "$H/run/gangway.pid")

  stage=$H/stage && mkdir -p "$stage"
  for d in $(seq 0 $((docs - 1))); do gen_doc "$(printf '%s/ing-%05d.yaml' "$stage" "$d")" "$d"; done
  last=$(( n - 1 ))
  t0=$(now_ms)
  mv "$stage"/*.yaml "$H/conf/routes/"
  until_200 "$(host_of 0)" "$(path_of 0)"
  t_first=$(( $(now_ms) - t0 ))
  until_200 "$(host_of "$last")" "$(path_of "$last")"
  t_last=$(( $(now_ms) - t0 ))

  sleep 2
  jcmd "$jvm" GC.run >/dev/null
  heap_kib=$(jcmd "$jvm" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }')
  jvm_rss=$(rss_kib "$jvm" VmRSS) jvm_hwm=$(rss_kib "$jvm" VmHWM)
  envoy_pid=$(cat "$H/run/envoy.pid")
  envoy_rss=$(rss_kib "$envoy_pid" VmRSS)
  envoy_heap=$(curl -s "http://127.0.0.1:$GW_ENVOY_ADMIN/memory" | awk -F'"' '/"allocated"/ { print $4 }')
  clusters=$(curl -s "http://127.0.0.1:$GW_ENVOY_ADMIN/clusters" | awk -F'::' '{ print $1 }' | sort -u | wc -l)

  # Edits of the small document: the route's path changes on each edit.
  small=() small_jvm=() small_envoy=()
  for i in $(seq 1 "$EDITS"); do
    small_doc "$i" >"$H/conf/routes/.small.tmp"
    t0=$(now_ms)
    mv "$H/conf/routes/.small.tmp" "$H/conf/routes/small.yaml"
    until_200 edit.local "/edit/$i"
    small+=($(( $(now_ms) - t0 )))
    read -r j e <<<"$(shares)"
    small_jvm+=("$j") small_envoy+=("$e")
    sleep 0.3 # past the debounce window, so each edit is measured on its own
  done

  # Edits of one 100-path document (the middle one): every path gets a new suffix.
  mid=$(( docs / 2 ))
  midf=$(printf '%s/conf/routes/ing-%05d.yaml' "$H" "$mid")
  big=() big_jvm=() big_envoy=()
  for i in $(seq 1 "$EDITS"); do
    gen_doc "$H/conf/routes/.big.tmp" "$mid" "-e$i"
    t0=$(now_ms)
    mv "$H/conf/routes/.big.tmp" "$midf"
    r=$(( mid * PER_DOC + PER_DOC - 1 ))
    until_200 "$(host_of "$r")" "$(path_of "$r" "-e$i")"
    big+=($(( $(now_ms) - t0 )))
    read -r j e <<<"$(shares)"
    big_jvm+=("$j") big_envoy+=("$e")
    sleep 0.3
  done
  jvm_hwm=$(rss_kib "$jvm" VmHWM)
  restarted=no
  [ "$(cat "$H/run/gangway.pid")" = "$jvm" ] || restarted=yes
  grep -q 'ran out of memory' "$H"/logs/*.log 2>/dev/null && restarted="yes (out of memory)"
  modified=$(envoy_stat listener_manager.listener_modified)
  read -r smin sp50 sp99 smax <<<"$(printf '%s\n' "${small[@]}" | stats)"
  read -r bmin bp50 bp99 bmax <<<"$(printf '%s\n' "${big[@]}" | stats)"
  p50() { printf '%s\n' "$@" | stats | awk '{ print $2 }'; }
  shares_col="$(p50 "${small_jvm[@]}") / $(p50 "${small_envoy[@]}")"
  rows+=("| $n ($docs), $clusters clusters | $t_first / $t_last | $(mib "$heap_kib") | $(mib "$jvm_rss") / $(mib "$jvm_hwm") | $(mib "$envoy_rss") / $(awk -v b="$envoy_heap" 'BEGIN { printf "%.0f", b / 1048576 }') | $sp50 / $sp99 / $smax | $shares_col | $bp50 / $bp99 / $bmax | $restarted | $modified |")
  printf '%s\n' "${rows[-1]}"
done

echo
echo "Gangway $(basename "$H"), default heap (${GANGWAY_HEAP_OPTS:--Xms256m -Xmx512m}), $EDITS edits each, $(nproc) CPUs"
echo "| routes (documents), Envoy clusters | bulk add → first / last served, ms | JVM heap after GC, MiB | JVM RSS now / peak, MiB | Envoy RSS / heap, MiB | small-doc edit → served p50 / p99 / max, ms | of which JVM apply / Envoy reload, p50 ms | 100-path doc edit → served p50 / p99 / max, ms | JVM restarted | listener_modified |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
