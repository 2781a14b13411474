#!/usr/bin/env bash
# Route-churn benchmark (issue 8 item 4): route edits at a steady rate through the file source, under
# keep-alive HTTP load and with open WebSockets, counting what clients lose.
#
# Usage: bench/route-churn.sh [CHANGES=1000] [RATE=10] [WEBSOCKETS=200] [REST_SECONDS=20]
# Needs wrk (Debian: apt-get install wrk), python3, curl and a built tar.gz (mvn -DskipTests package).
# Unpacks its own install into build/route-churn/ with ports of its own (loopback, BASE_PORT=18000+):
#   HTTP :BASE+80, Envoy admin :BASE, xDS :BASE+10, Gangway admin :BASE+20, echo backends :BASE+1/+2.
# Route layout: 100 routes in conf/routes/churn.yaml; /r/0..49 go to echo.static (both backends) and
# never change; /r/50..99 go to churn-1.static or churn-2.static and every edit flips all of them to
# the other registry, so each edit adds one cluster and removes another (the make-before-break case).
# Load: one wrk (2 connections) on a stable route and one on a flipping route, plus WEBSOCKETS open
# WebSockets on a stable route that each ping once a second. First REST_SECONDS without edits (the
# baseline), then the churn. Prints a table; failed = non-2xx answers + socket errors.
# SOURCE=nacos takes Gangway's edits through the Nacos double instead (a protocol-faithful test
# server the real nacos-client talks to; the two documents are dataIds bridge.yaml and churn.yaml);
# it needs the test classes: mvn -B -DskipTests install first.
# Baseline in the same run (CONTENDERS="gangway nginx", the default): nginx (Debian) proxying the
# same routes to the same backends (upstream keep-alive, WebSocket upgrade), each edit rewriting its
# config and running `nginx -s reload`, under the same load; the contenders run one after the other.
set -euo pipefail

CHANGES=${1:-1000}
RATE=${2:-10}
WS=${3:-200}
REST=${4:-20}
BASE=${BASE_PORT:-18000}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
OUT=$ROOT/build/route-churn
command -v wrk >/dev/null || { echo "route-churn: wrk not found (apt-get install wrk)" >&2; exit 2; }
CONTENDERS=${CONTENDERS:-"gangway nginx"}
case " $CONTENDERS " in *" nginx "*) command -v nginx >/dev/null || { echo "route-churn: nginx not found (apt-get install nginx-light), or CONTENDERS=gangway" >&2; exit 2; } ;; esac
NGINX_PORT=$((BASE + 81))
# WRITE=inplace rewrites the file in place (truncate + write) instead of an atomic rename.
# TARBALL=path runs another build (e.g. one of an older commit, for a before/after comparison).
tarball=${TARBALL:-$(find "$ROOT/packaging/target" -maxdepth 1 -name 'gangway-*.tar.gz' 2>/dev/null | head -n 1)}
[ -n "$tarball" ] || { echo "route-churn: no tar.gz; run mvn -DskipTests package first" >&2; exit 2; }

rm -rf "$OUT" && mkdir -p "$OUT"
tar -xzf "$tarball" -C "$OUT"
H=$(find "$OUT" -mindepth 1 -maxdepth 1 -type d -name 'gangway-*' | head -n 1)
HTTP=$((BASE + 80)) ADMIN_ENVOY=$BASE XDS=$((BASE + 10)) ADMIN_GW=$((BASE + 20)) E1=$((BASE + 1)) E2=$((BASE + 2))
y=$H/conf/gangway.yaml
sed -i "s/^      port: 8080$/      port: $HTTP/; s/^  port: 15010$/  port: $XDS/; s/^  port: 15020$/  port: $ADMIN_GW/; s/^    port: 15000$/    port: $ADMIN_ENVOY/" "$y"
sed -i 's/^    - address: 0.0.0.0$/    - address: 127.0.0.1/' "$y"
grep -q "port: $HTTP" "$y" && grep -q "port: $XDS" "$y" && grep -q "port: $ADMIN_ENVOY" "$y" || { echo "route-churn: could not set the ports in $y" >&2; exit 2; }
# CHURN_DEBUG=1 logs each make-before-break rollout step of the publisher.
[ -n "${CHURN_DEBUG:-}" ] && sed -i 's|^  <root level="INFO">|  <logger name="io.gangway.server.ads" level="DEBUG"/>\n  <root level="INFO">|' "$H/conf/logback.xml"
ROUTES=$H/conf/routes
rm -f "$ROUTES"/*.yaml
SOURCE=${SOURCE:-file}
if [ "$SOURCE" = nacos ]; then
  # shellcheck source=lib/java-main.sh
  . "$ROOT/bench/lib/java-main.sh"
  mkdir -p "$OUT/nacos"
  NACOS_CP=$(gateway_test_classpath route-churn) || exit 2
  coproc NACOS { exec java -cp "$NACOS_CP" io.gangway.server.e2e.NacosChurnServer 2>"$OUT/nacos/server.log"; }
  read -r -t 60 tag NACOS_ADDR <&"${NACOS[0]}" || true
  [ "$tag" = ADDR ] || { echo "route-churn: the Nacos double did not start (see $OUT/nacos/server.log)" >&2; exit 1; }
  sed -i "s|^  source: file .*|  source: nacos|; s|^  # nacos:.*|  nacos:|; s|^  #   serverAddr: .*|    serverAddr: $NACOS_ADDR|; s|^  #   namespace: .*|    namespace: public|; s|^  #   group: .*|    group: DEFAULT_GROUP|; s|^  #   dataIds: .*|    dataIds: [bridge.yaml, churn.yaml]|" "$y"
  grep -q "serverAddr: $NACOS_ADDR" "$y" || { echo "route-churn: could not configure Nacos in $y" >&2; exit 2; }
fi
# publish FILE: hands a written route document to the source.
nacos_edits=0
publish() {
  if [ "$SOURCE" = nacos ]; then
    nacos_edits=$((nacos_edits + 1))
    local f=$OUT/nacos/$(basename "$1" .yaml)-$nacos_edits.yaml
    cp "$1" "$f"
    echo "publish $(basename "$1") $f" >&"${NACOS[1]}"
  fi
}
cat >"$ROUTES/bridge.yaml" <<YAML
apiVersion: networking.higress.io/v1
kind: McpBridge
metadata: {name: default, namespace: higress-system}
spec:
  registries:
    - {type: static, name: echo, domain: "127.0.0.1:$E1,127.0.0.1:$E2", port: 80}
    - {type: static, name: churn-1, domain: "127.0.0.1:$E1", port: 80}
    - {type: static, name: churn-2, domain: "127.0.0.1:$E2", port: 80}
YAML
publish "$ROUTES/bridge.yaml"
write_routes() { # flipping backend
  local tmp=$ROUTES/.churn.yaml.tmp
  {
    printf 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: churn}\nspec:\n  rules:\n'
    printf '    - host: churn.local\n      http:\n        paths:\n'
    for i in $(seq 0 99); do
      b=echo; [ "$i" -ge 50 ] && b=$1
      printf '          - {path: /r/%d, pathType: Prefix, backend: {service: {name: %s.static, port: {number: 80}}}}\n' "$i" "$b"
    done
  } >"$tmp"
  if [ "${WRITE:-rename}" = inplace ]; then
    cat "$tmp" >"$ROUTES/churn.yaml" # truncate + write, as `cat >` or a naive editor does
  else
    mv "$tmp" "$ROUTES/churn.yaml"
  fi
  publish "$ROUTES/churn.yaml"
}
write_routes churn-1

pids=()
cleanup() {
  [ -f "$OUT/nginx/nginx.pid" ] && kill -QUIT "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  GANGWAY_HOME=$H "$H/bin/shutdown.sh" >/dev/null 2>&1 || true
}
trap cleanup EXIT
mkdir -p "$H/logs" "$H/run"
for i in 1 2; do
  port=$((BASE + i))
  "$H/bin/gangway" echo --listen "127.0.0.1:$port" --name "echo-$i" >"$H/logs/echo-$i.log" 2>&1 &
  pids+=($!)
done
"$H/bin/startup.sh" >/dev/null
URL=http://127.0.0.1:$HTTP
for _ in $(seq 1 150); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: churn.local' "$URL/r/50")" = 200 ] && break
  sleep 0.2
done
stat() { curl -s "http://127.0.0.1:$ADMIN_ENVOY/stats?filter=^listener_manager.listener_modified$" | awk '{print $2}'; }

# wrk: keep-alive load on one URL; prints "failed p50 p99 max requests" (latencies in ms).
LUA=$OUT/report.lua
cat >"$LUA" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  local failed = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format("RESULT %d %.2f %.2f %.2f %d\n", failed, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests))
end
LUA
load() { # seconds port path -> RESULT line
  wrk -t1 -c2 -d"${1}s" --timeout 5s -H 'Host: churn.local' -s "$LUA" "http://127.0.0.1:$2$3" 2>&1 | awk '/^RESULT/ {$1=""; print}'
}

# nginx: the same 100 routes, the same backends; every edit rewrites the config and reloads.
nginx_write() { # flipping upstream
  local d=$OUT/nginx i b
  {
    printf 'worker_processes auto;\npid %s/nginx.pid;\nerror_log %s/error.log warn;\nevents { worker_connections 4096; }\n' "$d" "$d"
    printf 'http {\n  access_log off;\n  client_body_temp_path %s/body; proxy_temp_path %s/proxy; fastcgi_temp_path %s/fcgi; uwsgi_temp_path %s/uwsgi; scgi_temp_path %s/scgi;\n' "$d" "$d" "$d" "$d" "$d"
    printf '  map $http_upgrade $connection_upgrade { default upgrade; "" ""; }\n'
    printf '  upstream echo { server 127.0.0.1:%d; server 127.0.0.1:%d; keepalive 32; }\n' "$E1" "$E2"
    printf '  upstream churn-1 { server 127.0.0.1:%d; keepalive 32; }\n  upstream churn-2 { server 127.0.0.1:%d; keepalive 32; }\n' "$E1" "$E2"
    printf '  server {\n    listen 127.0.0.1:%d;\n    server_name churn.local;\n' "$NGINX_PORT"
    printf '    proxy_http_version 1.1;\n    proxy_set_header Host $host;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $connection_upgrade;\n    proxy_read_timeout 3600s;\n'
    for i in $(seq 0 99); do
      b=echo; [ "$i" -ge 50 ] && b=$1
      printf '    location /r/%d { proxy_pass http://%s; }\n' "$i" "$b"
    done
    printf '  }\n}\n'
  } >"$d/nginx.conf.tmp"
  mv "$d/nginx.conf.tmp" "$d/nginx.conf"
}
nginx_change() { # flipping upstream
  nginx_write "$1"
  nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -e "$OUT/nginx/error.log" -s reload
}
gangway_change() { write_routes "$1"; }

# measure CONTENDER PORT: at rest, then CHANGES edits at RATE/s under load; results in $OUT/CONTENDER-*.
measure() {
  local c=$1 port=$2 wsr l1 l2 wsc churn_seconds start k next now
  python3 "$ROOT/bench/lib/ws_hold.py" 127.0.0.1 "$port" churn.local /r/1 "$WS" "$REST" >"$OUT/$c-ws-rest.txt" 2>"$OUT/$c-ws-rest.err" &
  wsr=$!
  load "$REST" "$port" /r/1 >"$OUT/$c-rest-stable.txt" &
  l1=$!
  load "$REST" "$port" /r/50 >"$OUT/$c-rest-flip.txt"
  wait "$l1" "$wsr"

  churn_seconds=$(( (CHANGES + RATE - 1) / RATE + 2 ))
  python3 "$ROOT/bench/lib/ws_hold.py" 127.0.0.1 "$port" churn.local /r/1 "$WS" "$churn_seconds" >"$OUT/$c-ws-churn.txt" 2>"$OUT/$c-ws-churn.err" &
  wsc=$!
  sleep 1
  load "$churn_seconds" "$port" /r/1 >"$OUT/$c-churn-stable.txt" &
  l1=$!
  load "$churn_seconds" "$port" /r/50 >"$OUT/$c-churn-flip.txt" &
  l2=$!
  start=$(date +%s%N)
  for k in $(seq 1 "$CHANGES"); do
    "${c}_change" "churn-$(( k % 2 + 1 ))"
    next=$(( start + k * 1000000000 / RATE ))
    now=$(date +%s%N)
    [ "$now" -lt "$next" ] && sleep "$(awk -v d=$((next - now)) 'BEGIN { printf "%.4f", d / 1e9 }')"
  done
  awk -v d=$(( $(date +%s%N) - start )) 'BEGIN { printf "%.1f", d / 1e9 }' >"$OUT/$c-edit-seconds.txt"
  wait "$l1" "$l2" "$wsc"
}

lm0=$(stat)
lm1=$lm0 lm2=$lm0
for c in $CONTENDERS; do
  case $c in
    gangway)
      lm1=$(stat)
      measure gangway "$HTTP"
      lm2=$(stat)
      ;;
    nginx)
      mkdir -p "$OUT/nginx"
      nginx_write churn-1
      nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -e "$OUT/nginx/error.log"
      for _ in $(seq 1 50); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: churn.local' "http://127.0.0.1:$NGINX_PORT/r/50")" = 200 ] && break
        sleep 0.1
      done
      measure nginx "$NGINX_PORT"
      sleep 2
      nginx_lingering=$(pgrep -fc 'nginx: worker process is shutting down' || true)
      ;;
    *) echo "route-churn: unknown contender $c" >&2; exit 2 ;;
  esac
done
pushes=$(grep -c 'applied routes change' "$H/logs/gangway.log" 2>/dev/null || echo "?")
timeouts=$(grep -c 'did not ACK' "$H/logs/gangway.log" 2>/dev/null || true)

row() { # label file
  read -r f p50 p99 max n <"$2" || { printf '%-24s %s\n' "$1" "(no result)"; return; }
  printf '%-24s %8s %10s %8s %8s %8s\n' "$1" "$f" "$n" "$p50" "$p99" "$max"
}
ws() { awk '{for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }} END {
  printf "opened %s, dropped %s, handshake failures %s, echo failures %s", v["opened"], v["dropped"], v["handshake_failures"], v["echo_failures"] }' "$1"; }
echo
echo "route churn: $CHANGES edits at $RATE/s (Gangway through the $SOURCE source), 100 routes, $WS WebSockets, Envoy $("$H/envoy-bootstrap/bin/envoy" --version 2>/dev/null | grep -o '[0-9a-f]\{40\}/[0-9.]*' | head -1 || true), $(nginx -v 2>&1 | sed 's/.*: //')"
for c in $CONTENDERS; do
  echo
  echo "== $c (edits took $(cat "$OUT/$c-edit-seconds.txt" 2>/dev/null || echo '?') s)"
  printf '%-24s %8s %10s %8s %8s %8s\n' "wrk -c2 keep-alive" failed requests "p50 ms" "p99 ms" "max ms"
  row "at rest, stable route" "$OUT/$c-rest-stable.txt"
  row "at rest, flipping route" "$OUT/$c-rest-flip.txt"
  row "churn, stable route" "$OUT/$c-churn-stable.txt"
  row "churn, flipping route" "$OUT/$c-churn-flip.txt"
  echo "WebSockets at rest:  $(ws "$OUT/$c-ws-rest.txt")"
  echo "WebSockets in churn: $(ws "$OUT/$c-ws-churn.txt")"
  if [ "$c" = gangway ]; then
    echo "route pushes logged: $pushes; rollout steps passed on timeout: ${timeouts:-0}"
    echo "listener_modified: $lm0 at start, $lm1 before churn, $lm2 after"
  else
    echo "nginx workers still shutting down 2 s after the last reload: ${nginx_lingering:-?}"
  fi
done
