#!/usr/bin/env bash
# Resilience runs (issue 11 items 5 and 6) on the tar.gz as shipped, each under keep-alive wrk load on
# one route, reporting failed requests, the time to recover and whether the live config regressed:
#   jvm-kill    the Gangway JVM killed with SIGKILL: the supervisor restarts it; time until the new JVM
#               is ready and Envoy's xDS stream is connected to it, and whether Envoy changed any route table, listener or cluster when
#               it reconnected (it must not: versions are content hashes)
#   envoy-kill  Envoy killed with SIGKILL: the supervisor starts a new one; time until a request is
#               answered 200 again (Envoy cannot hand over connections after SIGKILL, so requests in
#               that gap fail: the figure is the gap)
#   invalid     INVALID publishes of a broken route file in a row (YAML syntax errors and schema
#               errors, alternating, at RATE/s): the last good version must stay live, no route push
#               may happen, no request may fail
#   registry    a real ZooKeeper (curator-test, from the test classes) that lists the route's backend
#               killed with SIGKILL under load on route /zk; SECONDS later the JVM is killed too and
#               restarts while ZooKeeper is still down (it must serve the persisted endpoints); then
#               ZooKeeper starts again on the same data directory. No request may fail, and /status
#               must say the endpoints are persisted while ZooKeeper is down. Skipped with REGISTRY=0
#               (it needs the test classes: mvn -B -DskipTests install).
#
# Usage: bench/resilience.sh [SECONDS=10] [INVALID=1000] [RATE=50]
# Needs wrk, nginx (the backend), curl, a built tar.gz and Envoy. Loopback only; ports from
# BASE_PORT (default 19100).
set -euo pipefail

SECS=${1:-10}
INVALID=${2:-1000}
RATE=${3:-50}
BASE=${BASE_PORT:-19100}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
OUT=$ROOT/build/resilience
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "resilience: $tool is missing" >&2; exit 2; }
done
# shellcheck source=lib/gangway-bench.sh
. "$ROOT/bench/lib/gangway-bench.sh"
# The counters that move when Envoy applies a new listener, route table or cluster set.
config_changes() {
  curl -s -m 1 "http://127.0.0.1:$GW_ENVOY_ADMIN/stats" |
    awk -F': ' '$1 ~ /^listener_manager\.listener_(added|modified|removed)$/ || $1 ~ /rds\..*\.config_reload$/ || $1 ~ /^cluster_manager\.cluster_(added|modified|removed)$/ { s += $2 } END { print s + 0 }'
}

# What Envoy runs: the version of every resource it holds (content hashes, so equal config means
# equal versions across JVM and Envoy restarts).
fingerprint() {
  curl -s -m 2 "http://127.0.0.1:$GW_ENVOY_ADMIN/config_dump" | grep -o '"version_info": "[^"]*"' | sort | md5sum | cut -c1-12
}
verdict() { # before after -> "no" or "YES"
  if [ "$1" = "$2" ]; then echo "no (Envoy's resource versions unchanged)"; else echo "YES (Envoy's resource versions changed)"; fi
}

LUA=$OUT/report.lua
# wrk SECONDS [PATH] -> "failed requests" (non-2xx answers and socket errors)
load() {
  wrk -t1 -c4 -d"${1}s" --timeout 2s -s "$LUA" "http://127.0.0.1:$GW_HTTP${2:-/}" 2>&1 | awk '/^RESULT/ { print $2, $3 }'
}

rm -rf "$OUT" && mkdir -p "$OUT/backend" "$OUT/gw" "$OUT/zk"
REGISTRY=${REGISTRY:-1}
ZK=$((BASE + 20))
zk_pid=
# zk_start: the ZooKeeper of the registry run, on port ZK and data directory $OUT/zk.
zk_start() {
  start_java_main "$OUT/zk/server.log" io.gangway.server.e2e.ZooKeeperBenchServer "$ZK" "$OUT/zk/data" a "$BACKEND"
  zk_pid=$JAVA_MAIN_PID
}
if [ "$REGISTRY" = 1 ]; then
  # shellcheck source=lib/java-main.sh
  . "$ROOT/bench/lib/java-main.sh"
  trap 'cleanup; [ -n "$zk_pid" ] && kill -9 "$zk_pid" 2>/dev/null || true' EXIT
  zk_start
fi
cat >"$LUA" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d\n", e.connect + e.read + e.write + e.timeout + e.status, summary.requests))
end
LUA
start_backend
gangway_install "$OUT/gw" "$GW_HTTP" "$GW_XDS" "$GW_ADMIN" "$GW_ENVOY_ADMIN" "$GW_STATS" "$BACKEND"
if [ "$REGISTRY" = 1 ]; then
  # The ZooKeeper registry in the one McpBridge, and /zk routed to the service it lists.
  sed -i "s|^    - {type: static, name: backend, .*|&\n    - {type: zookeeper, name: zk, domain: 127.0.0.1, port: $ZK}|" "$H/conf/routes/bench.yaml"
  sed -i "s|^          - {path: /, pathType: Prefix, .*|          - {path: /zk, pathType: Prefix, backend: {service: {name: echo.services.zookeeper, port: {number: 80}}}}\n&|" "$H/conf/routes/bench.yaml"
  grep -q "type: zookeeper" "$H/conf/routes/bench.yaml" && grep -q "path: /zk" "$H/conf/routes/bench.yaml" ||
    { echo "resilience: could not add the ZooKeeper route" >&2; exit 2; }
fi
GANGWAY_HOME=$H "$H/bin/startup.sh" >"$OUT/startup.log" 2>&1 || { cat "$OUT/startup.log" >&2; exit 1; }
await "http://127.0.0.1:$GW_HTTP/"

rows=()

# --- jvm-kill
before=$(config_changes)
fp0=$(fingerprint)
load "$SECS" >"$OUT/jvm-kill.txt" &
lp=$!
sleep 2
old=$(cat "$H/run/gangway.pid")
t0=$(now_ms)
kill -9 "$old"
until [ "$(envoy_stat control_plane.connected_state)" = 0 ]; do
  [ $(( $(now_ms) - t0 )) -lt 5000 ] || break
  sleep 0.005
done
# Back: a new JVM (the pid file is rewritten by the supervisor) and Envoy's stream connected to it.
until pid=$(cat "$H/run/gangway.pid" 2>/dev/null) && [ -n "$pid" ] && [ "$pid" != "$old" ] && [ -f "$H/run/gangway.ready" ] &&
  [ "$(envoy_stat control_plane.connected_state)" = 1 ]; do
  [ $(( $(now_ms) - t0 )) -lt 60000 ] || { echo "resilience: Envoy's xDS stream did not come back in 60 s" >&2; exit 1; }
  sleep 0.01
done
back=$(( $(now_ms) - t0 ))
wait "$lp"
sleep 1
after=$(config_changes)
read -r failed requests <"$OUT/jvm-kill.txt"
rows+=("| JVM \`kill -9\` | $failed / $requests | Envoy's xDS stream back after $back ms | $(verdict "$fp0" "$(fingerprint)"); $((after - before)) listener/route/cluster changes applied |")

# --- envoy-kill
fp0=$(fingerprint)
load "$SECS" >"$OUT/envoy-kill.txt" &
lp=$!
sleep 2
envoy=$(cat "$H/run/envoy.pid")
t0=$(now_ms)
kill -9 "$envoy"
sleep 0.01
until [ "$(curl -s -m 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW_HTTP/")" = 200 ]; do
  [ $(( $(now_ms) - t0 )) -lt 60000 ] || { echo "resilience: no new Envoy serving after 60 s" >&2; exit 1; }
  sleep 0.005
done
gap=$(( $(now_ms) - t0 ))
wait "$lp"
read -r failed requests <"$OUT/envoy-kill.txt"
sleep 1
rows+=("| Envoy \`kill -9\` | $failed / $requests | a new Envoy answers 200 after $gap ms | $(verdict "$fp0" "$(fingerprint)") |")

# --- invalid publishes
sleep 1
pushes0=$(grep -c 'applied routes change' "$H/logs/gangway.log" || true)
before=$(config_changes)
fp0=$(fingerprint)
good=$H/conf/routes/bench.yaml
cp "$good" "$OUT/good.yaml"
seconds=$(( INVALID / RATE + 3 ))
load "$seconds" >"$OUT/invalid.txt" &
lp=$!
sleep 1
start=$(date +%s%N)
for k in $(seq 1 "$INVALID"); do
  tmp=$H/conf/routes/.bench.yaml.tmp
  if [ $((k % 2)) = 0 ]; then
    { cat "$OUT/good.yaml"; printf '          - {path: /broken-%d, pathType: Prefix, backend: {service: {name: [unclosed\n' "$k"; } >"$tmp"
  else
    { cat "$OUT/good.yaml"; printf '          - {path: /broken-%d, pathType: Sometimes, backend: {service: {name: backend.static, port: {number: 80}}}}\n' "$k"; } >"$tmp"
  fi
  mv "$tmp" "$good"
  next=$(( start + k * 1000000000 / RATE ))
  now=$(date +%s%N)
  [ "$now" -lt "$next" ] && sleep "$(awk -v d=$((next - now)) 'BEGIN { printf "%.4f", d / 1e9 }')"
done
wait "$lp"
sleep 1
state=$(curl -s -m 2 "http://127.0.0.1:$GW_ADMIN/status" | tr -d '\n ' | grep -o '"source":"[^"]*bench.yaml"[^}]*' | head -n 1 || true)
pushes1=$(grep -c 'applied routes change' "$H/logs/gangway.log" || true)
after=$(config_changes)
rejections=$(grep -c 'bench.yaml.*rejected' "$H/logs/gangway.log" || true)
served=$(curl -s -m 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW_HTTP/")
read -r failed requests <"$OUT/invalid.txt"
regressed="$(verdict "$fp0" "$(fingerprint)"); $((pushes1 - pushes0)) route pushes, $((after - before)) listener/route/cluster changes; the route answers $served"
rows+=("| $INVALID invalid publishes at $RATE/s | $failed / $requests | last good version live throughout ($rejections rejections logged) | $regressed |")
cp "$OUT/good.yaml" "$good"

# --- registry killed, then the JVM restarted while it is down, then the registry back
if [ "$REGISTRY" = 1 ]; then
  zk_status() { curl -s -m 2 "http://127.0.0.1:$GW_ADMIN/status" | tr -d '\n' | grep -o '"zookeeper/zk" : {[^}]*}' | head -n 1; }
  sleep 2
  until [ "$(curl -s -m 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW_HTTP/zk")" = 200 ]; do
    [ -n "${zk_wait:-}" ] && [ "$zk_wait" -gt 300 ] && { echo "resilience: /zk never answered 200" >&2; exit 1; }
    zk_wait=$(( ${zk_wait:-0} + 1 )); sleep 0.1
  done
  fp0=$(fingerprint)
  load $(( 3 * SECS + 20 )) /zk >"$OUT/registry.txt" &
  lp=$!
  sleep 2
  kill -9 "$zk_pid"; wait "$zk_pid" 2>/dev/null || true
  zk_down=$(now_ms)
  sleep "$SECS"
  down_status=$(zk_status)
  old=$(cat "$H/run/gangway.pid")
  kill -9 "$old"
  until pid=$(cat "$H/run/gangway.pid" 2>/dev/null) && [ -n "$pid" ] && [ "$pid" != "$old" ] && [ -f "$H/run/gangway.ready" ] &&
    [ "$(envoy_stat control_plane.connected_state)" = 1 ]; do
    [ $(( $(now_ms) - zk_down )) -lt 90000 ] || { echo "resilience: the JVM did not come back in 90 s" >&2; exit 1; }
    sleep 0.05
  done
  sleep "$SECS"
  restart_status=$(zk_status)
  zk_start
  t0=$(now_ms)
  until zk_status | grep -q '"endpointsFrom" : "registry"'; do
    [ $(( $(now_ms) - t0 )) -lt 60000 ] || { echo "resilience: /status never said the endpoints come from ZooKeeper again" >&2; break; }
    sleep 0.1
  done
  relisted=$(( $(now_ms) - t0 ))
  wait "$lp"
  read -r failed requests <"$OUT/registry.txt"
  persisted=no
  grep -q 'persisted' <<<"$restart_status" && persisted=yes
  rows+=("| ZooKeeper \`kill -9\`, JVM \`kill -9\` while it is down, ZooKeeper back | $failed / $requests | restarted JVM served the persisted endpoints: $persisted; listed from ZooKeeper again $relisted ms after its start | $(verdict "$fp0" "$(fingerprint)") |")
  echo "registry status, ZooKeeper down: ${down_status:-?}"
  echo "registry status, JVM restarted while ZooKeeper down: ${restart_status:-?}"
fi

echo
echo "Gangway $(basename "$H"), $(nproc) CPUs, wrk -c4 keep-alive on one route, $SECS s per kill run"
echo "| run | failed / requests | recovery | live config regressed? |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "status of the broken document at the end: ${state:-?}"
