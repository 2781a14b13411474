# Sourced by bench scripts that run one Gangway install against one nginx backend (after ROOT, OUT
# and BASE are set): ports from BASE, the cleanup trap, the backend, and small helpers.
#   BACKEND, GW_HTTP, GW_XDS, GW_ADMIN, GW_ENVOY_ADMIN, GW_STATS   ports (BASE+1, BASE+10..14)
#   start_backend        nginx on BACKEND answering 200 "ok" itself, one worker
#   now_ms               wall-clock milliseconds
#   envoy_stat NAME      one counter or gauge of Gangway's Envoy
BACKEND=$((BASE + 1))
GW_HTTP=$((BASE + 10)) GW_XDS=$((BASE + 11)) GW_ADMIN=$((BASE + 12)) GW_ENVOY_ADMIN=$((BASE + 13)) GW_STATS=$((BASE + 14))

H=
cleanup() {
  [ -n "$H" ] && GANGWAY_HOME=$H "$H/bin/shutdown.sh" --now >/dev/null 2>&1 || true
  [ -f "$OUT/backend/nginx.pid" ] && kill "$(cat "$OUT/backend/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# shellcheck source=nginx-backend.sh
. "$ROOT/bench/lib/nginx-backend.sh"
# shellcheck source=gangway-install.sh
. "$ROOT/bench/lib/gangway-install.sh"

start_backend() {
  mkdir -p "$OUT/backend"
  nginx_conf backend 1 "server { listen 127.0.0.1:$BACKEND reuseport; location / { return 200 \"ok\\n\"; } }"
  start_nginx backend
  await "http://127.0.0.1:$BACKEND/"
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

envoy_stat() { curl -s -m 1 "http://127.0.0.1:$GW_ENVOY_ADMIN/stats?filter=$1" | awk -F': ' -v k="$1" '$1 == k { print $2 }'; }
