#!/usr/bin/env bash
# Data-plane throughput and latency, contenders side by side in one run (issue 11 item 4):
#   direct   the load generator straight to the backend
#   envoy    a bare Envoy, minimal hand-written config (HCM + router, one static cluster): the limit
#            for Gangway's data plane
#   gangway  Gangway's Envoy as the tar.gz ships it (its filters, access log, stats), one route
#   nginx    nginx (Debian) as a reverse proxy with upstream keep-alive
# The backend is nginx answering 200 "ok" itself (one worker). For each worker count, every round
# runs every contender once, in turn (alternating rounds), and the table gives the median of the
# rounds and the ratio to the bare Envoy. HTTP/1.1: wrk, keep-alive. HTTP/2: h2load over cleartext
# (prior knowledge) from the client; upstream is HTTP/1.1 for every proxy.
# gRPC (protocol "grpc"): unary calls of a real grpc-java server (GrpcEcho from the test classes,
# one method gangway.Echo/Say, a 2-byte message) sent by h2load as gRPC requests (POST, length-
# prefixed message, content-type application/grpc, te: trailers); every proxy speaks HTTP/2 to it
# (Gangway: higress.io/backend-protocol: GRPC; nginx: grpc_pass). One call is checked for
# grpc-status 0 through each contender before the load. Needs the test classes: mvn -DskipTests install.
#
# Usage: bench/data-plane.sh [SECONDS=10] [ROUNDS=3] [WORKERS="1 2"] [PROTOCOLS="h1 h2 grpc"]
# Needs wrk, h2load (nghttp2-client), nginx, Envoy (envoy-bootstrap/install-envoy.sh) and a built
# tar.gz (mvn -DskipTests package). Loopback only; ports from BASE_PORT (default 18700).
# The load generator, the proxy and the backend share this machine's CPUs: on a small machine the
# figures are a comparison between contenders, not a capacity figure.
set -euo pipefail

SECS=${1:-10}
ROUNDS=${2:-3}
WORKERS=${3:-"1 2"}
PROTOCOLS=${4:-"h1 h2 grpc"}
CONNS=${CONNS:-32}
BASE=${BASE_PORT:-18700}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
OUT=$ROOT/build/data-plane
ENVOY=${ENVOY:-$ROOT/envoy-bootstrap/bin/envoy}
for tool in wrk h2load nginx curl; do
  command -v "$tool" >/dev/null || { echo "data-plane: $tool is missing (apt-get install wrk nghttp2-client nginx-light curl)" >&2; exit 2; }
done
[ -x "$ENVOY" ] || { echo "data-plane: no Envoy at $ENVOY; run envoy-bootstrap/install-envoy.sh" >&2; exit 2; }

BACKEND=$((BASE + 1))
ENVOY_HTTP=$((BASE + 10)) ENVOY_ADMIN=$((BASE + 11))
NGINX_H1=$((BASE + 20)) NGINX_H2=$((BASE + 21)) NGINX_GRPC=$((BASE + 22))
GRPC_BACKEND=$((BASE + 2)) ENVOY_GRPC=$((BASE + 12))
GW_ENVOY_ADMIN=$((BASE + 30)) GW_XDS=$((BASE + 40)) GW_ADMIN=$((BASE + 50)) GW_HTTP=$((BASE + 80)) GW_STATS=$((BASE + 90))

rm -rf "$OUT" && mkdir -p "$OUT"/{backend,proxy,envoy}

pids=()
H=
cleanup() {
  [ -n "$H" ] && { GANGWAY_HOME=$H "$H/bin/shutdown.sh" --now >/dev/null 2>&1 || true; }
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for d in backend proxy; do
    [ -f "$OUT/$d/nginx.pid" ] && kill "$(cat "$OUT/$d/nginx.pid")" 2>/dev/null || true
  done
}
trap cleanup EXIT

# shellcheck source=lib/nginx-backend.sh
. "$ROOT/bench/lib/nginx-backend.sh"

# The backend: nginx answering by itself, one worker.
nginx_conf backend 1 "server { listen 127.0.0.1:$BACKEND reuseport; location / { return 200 \"ok\\n\"; } }"
start_nginx backend
await "http://127.0.0.1:$BACKEND/"

# The gRPC backend, when measured.
case " $PROTOCOLS " in *" grpc "*) grpc=1 ;; *) grpc=0 ;; esac
if [ "$grpc" = 1 ]; then
  # shellcheck source=lib/java-main.sh
  . "$ROOT/bench/lib/java-main.sh"
  start_java_main "$OUT/backend/grpc.log" io.gangway.server.e2e.GrpcEcho "$GRPC_BACKEND"
  pids+=("$JAVA_MAIN_PID")
  # One unary request: the 5-byte gRPC prefix (uncompressed, length 2) and the message "hi".
  printf '\x00\x00\x00\x00\x02hi' >"$OUT/grpc-request.bin"
fi

# Gangway: its own install, one catch-all route to a static registry naming the backend.
# shellcheck source=lib/gangway-install.sh
. "$ROOT/bench/lib/gangway-install.sh"
gangway_install "$OUT" "$GW_HTTP" "$GW_XDS" "$GW_ADMIN" "$GW_ENVOY_ADMIN" "$GW_STATS" "$BACKEND"
# gRPC: a second registry in the one McpBridge (Gangway reads only \`default\`, as Higress) and an Ingress.
if [ "$grpc" = 1 ]; then
  sed -i "s|^    - {type: static, name: backend, .*|&\n    - {type: static, name: grpc-backend, domain: \"127.0.0.1:$GRPC_BACKEND\", port: 80}|" "$H/conf/routes/bench.yaml"
  grep -q "name: grpc-backend" "$H/conf/routes/bench.yaml" || { echo "data-plane: could not add the gRPC registry" >&2; exit 2; }
  cat >>"$H/conf/routes/bench.yaml" <<YAML
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bench-grpc
  namespace: default
  annotations: {higress.io/backend-protocol: GRPC}
spec:
  rules:
    - http:
        paths:
          - {path: /gangway.Echo/, pathType: Prefix, backend: {service: {name: grpc-backend.static, port: {number: 80}}}}
YAML
fi

# The bare Envoy: the smallest config that proxies the same way (a listener: HCM + router, one route).
bare_listener() { # name port cluster
  cat <<YAML
    - name: $1
      address: {socket_address: {address: 127.0.0.1, port_value: $2}}
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: $1
                route_config:
                  virtual_hosts:
                    - {name: any, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: $3}}]}
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
YAML
}
cat >"$OUT/envoy/envoy.yaml" <<YAML
admin: {address: {socket_address: {address: 127.0.0.1, port_value: $ENVOY_ADMIN}}}
static_resources:
  listeners:
$(bare_listener http "$ENVOY_HTTP" backend)
$(bare_listener grpc "$ENVOY_GRPC" grpc_backend)
  clusters:
    - name: grpc_backend
      type: STATIC
      typed_extension_protocol_options:
        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
          explicit_http_config: {http2_protocol_options: {}}
      load_assignment:
        cluster_name: grpc_backend
        endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: $GRPC_BACKEND}}}}]}]
    - name: backend
      type: STATIC
      load_assignment:
        cluster_name: backend
        endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: $BACKEND}}}}]}]
YAML

load() { # protocol url -> "rps p50_ms p99_ms errors"
  local f=$OUT/load.txt
  if [ "$1" = h1 ]; then
    wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$2" >"$f" 2>&1 || true
    awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /Requests\/sec:/ { rps = $2 }
      /^ +50%/ { p50 = ms($2) }
      /^ +99%/ { p99 = ms($2) }
      /Non-2xx or 3xx responses:/ { err += $5 }
      /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
      END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, err }' "$f"
  else
    local grpc_args=()
    [ "$1" = grpc ] && grpc_args=(-d "$OUT/grpc-request.bin" -H 'content-type: application/grpc' -H 'te: trailers')
    h2load -t1 -c8 -m"$((CONNS / 8 > 0 ? CONNS / 8 : 1))" -D "$SECS" "${grpc_args[@]}" "$2" >"$f" 2>&1 || true
    awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /^finished in/ { rps = $4 }
      /^requests:/ { err = $10 + $12 + $14 }
      /^time for request:/ { mean = ms($6) }
      /^status codes:/ { bad = $7 + $9 }
      END { printf "%.0f %.2f - %d\n", rps, mean, err + bad }' "$f"
  fi
}

url() { # contender protocol
  if [ "$2" = grpc ]; then
    case $1 in
      direct) echo "http://127.0.0.1:$GRPC_BACKEND/gangway.Echo/Say" ;;
      envoy) echo "http://127.0.0.1:$ENVOY_GRPC/gangway.Echo/Say" ;;
      gangway) echo "http://127.0.0.1:$GW_HTTP/gangway.Echo/Say" ;;
      nginx) echo "http://127.0.0.1:$NGINX_GRPC/gangway.Echo/Say" ;;
    esac
    return
  fi
  case $1 in
    direct) echo "http://127.0.0.1:$BACKEND/" ;;
    envoy) echo "http://127.0.0.1:$ENVOY_HTTP/" ;;
    gangway) echo "http://127.0.0.1:$GW_HTTP/" ;;
    nginx) if [ "$2" = h2 ]; then echo "http://127.0.0.1:$NGINX_H2/"; else echo "http://127.0.0.1:$NGINX_H1/"; fi ;;
  esac
}

# grpc_check URL: one unary call must come back with grpc-status 0 and the echoed message.
grpc_check() {
  local out
  out=$(curl -s -m 5 --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$OUT/grpc-request.bin" -D - -o "$OUT/grpc-response.bin" "$1" | tr -d '\r')
  grep -qi '^grpc-status: 0$' <<<"$out" && grep -q 'grpc-echo:hi' "$OUT/grpc-response.bin" ||
    { printf 'data-plane: no gRPC answer through %s:\n%s\n' "$1" "$out" >&2; exit 1; }
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "data-plane: $(nproc) CPUs, $("$ENVOY" --version | grep -o 'version: [^ ]*' | head -n 1), $(nginx -v 2>&1), ${SECS} s per run, $ROUNDS rounds, $CONNS connections"
contenders=(direct envoy gangway nginx)
results=$OUT/results.txt
: >"$results"
for w in $WORKERS; do
  # Start every contender with w workers.
  gangway_workers "$w"
  GANGWAY_HOME=$H "$H/bin/startup.sh" >/dev/null
  "$ENVOY" -c "$OUT/envoy/envoy.yaml" --concurrency "$w" -l warning --base-id $((BASE + w)) >"$OUT/envoy/envoy-$w.log" 2>&1 &
  envoy_pid=$!
  pids+=("$envoy_pid")
  nginx_conf proxy "$w" "upstream backend { server 127.0.0.1:$BACKEND; keepalive 64; }
  server { listen 127.0.0.1:$NGINX_H1 reuseport; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }
  server { listen 127.0.0.1:$NGINX_H2 http2 reuseport; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }
  upstream grpc_backend { server 127.0.0.1:$GRPC_BACKEND; keepalive 64; }
  server { listen 127.0.0.1:$NGINX_GRPC http2 reuseport; location / { grpc_pass grpc://grpc_backend; } }"
  start_nginx proxy
  for c in "${contenders[@]}"; do await "$(url "$c" h1)"; done
  if [ "$grpc" = 1 ]; then
    for c in "${contenders[@]}"; do
      for _ in $(seq 1 50); do curl -s -o /dev/null -m 1 --http2-prior-knowledge "$(url "$c" grpc)" && break; sleep 0.2; done
      grpc_check "$(url "$c" grpc)"
    done
  fi
  for proto in $PROTOCOLS; do
    for c in "${contenders[@]}"; do
      [ "$proto" = h2 ] && [ "$c" = direct ] && continue # the backend speaks HTTP/1.1 only
      load "$proto" "$(url "$c" "$proto")" >/dev/null # warm-up, 1 run each
    done
    for r in $(seq 1 "$ROUNDS"); do
      for c in "${contenders[@]}"; do
        [ "$proto" = h2 ] && [ "$c" = direct ] && continue
        printf '%s %s %s %s %s\n' "$w" "$proto" "$c" "$r" "$(load "$proto" "$(url "$c" "$proto")")" >>"$results"
      done
    done
  done
  GANGWAY_HOME=$H "$H/bin/shutdown.sh" --now >/dev/null 2>&1 || true
  kill "$envoy_pid" 2>/dev/null || true
  wait "$envoy_pid" 2>/dev/null || true
  stop_nginx proxy
done

printf '\n| workers | protocol | contender | req/s (median of %d) | ratio to bare Envoy | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|---|---|\n' "$ROUNDS"
for w in $WORKERS; do
  for proto in $PROTOCOLS; do
    base=$(awk -v w="$w" -v p="$proto" '$1 == w && $2 == p && $3 == "envoy" { print $5 }' "$results" | median)
    for c in "${contenders[@]}"; do
      [ "$proto" = h2 ] && [ "$c" = direct ] && continue
      rps=$(awk -v w="$w" -v p="$proto" -v c="$c" '$1 == w && $2 == p && $3 == c { print $5 }' "$results" | median)
      p50=$(awk -v w="$w" -v p="$proto" -v c="$c" '$1 == w && $2 == p && $3 == c { print $6 }' "$results" | median)
      p99=$(awk -v w="$w" -v p="$proto" -v c="$c" '$1 == w && $2 == p && $3 == c && $7 != "-" { print $7 }' "$results" | median)
      errs=$(awk -v w="$w" -v p="$proto" -v c="$c" '$1 == w && $2 == p && $3 == c { s += $8 } END { print s + 0 }' "$results")
      [ "$proto" = h1 ] || p99="-"
      printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$w" "$proto" "$c" "$rps" \
        "$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" "$p50" "$p99" "$errs"
    done
  done
done
echo
echo "every run: $results (workers protocol contender round req/s p50 p99 errors; h2 and grpc 'p50' is h2load's mean)"
