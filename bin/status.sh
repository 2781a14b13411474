#!/usr/bin/env bash
# Shows whether the supervisor, the Gangway JVM and Envoy run, and the JVM's GET /status.
#
# Usage: status.sh [--quiet]   (--quiet: no /status body, only the process lines)
# Exit status: 0 when all three processes run, the JVM's admin answers and an Envoy is connected to its
# xDS server, 1 otherwise.
set -u

GW_BIN=$(cd "$(dirname "$(readlink -f "$0" 2>/dev/null || printf '%s' "$0")")" && pwd -P)
# shellcheck source=common.sh
. "$GW_BIN/common.sh"

quiet=0
for arg in "$@"; do
  case $arg in
    -q | --quiet) quiet=1 ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) printf 'gangway: error: unknown option %s. Fix: see status.sh --help.\n' "$arg" >&2; exit 2 ;;
  esac
done

RUN=$GANGWAY_RUN_DIR
up=0
ENVOY_ADMIN_ADDRESS="" ENVOY_ADMIN_PORT="" GANGWAY_ADMIN_ADDRESS="" GANGWAY_ADMIN_PORT="" GANGWAY_HTTP_PORT=""
gw_read_envoy_env "$RUN/envoy.env" 2>/dev/null || true

state=""
[ -r "$RUN/supervisor.state" ] && IFS= read -r state <"$RUN/supervisor.state"

line() { printf '%-12s %s\n' "$1" "$2"; }

if pid=$(gw_pidfile_alive supervisor "$(gw_pattern supervisor)"); then
  line supervisor "running (pid $pid, state ${state:-unknown})"
  up=$((up + 1))
else
  line supervisor stopped
fi

jvm_up=0
if pid=$(gw_pidfile_alive gangway "$(gw_pattern gangway)"); then
  ready="not ready"
  [ -e "$RUN/gangway.ready" ] && ready=ready
  # A live pid is not an answering JVM (SIGSTOP, GC death spiral): ask its admin /healthz, bounded in time.
  answers=1
  if [ -n "$GANGWAY_ADMIN_PORT" ]; then
    GW_HTTP_TIMEOUT=${GANGWAY_STATUS_TIMEOUT:-3} gw_http GET "${GANGWAY_ADMIN_ADDRESS:-127.0.0.1}" "$GANGWAY_ADMIN_PORT" /healthz \
      && [ "$GW_HTTP_STATUS" = 200 ] || answers=0
  fi
  if [ "$answers" = 1 ]; then
    line gangway "running (pid $pid, $ready${GANGWAY_ADMIN_PORT:+, admin ${GANGWAY_ADMIN_ADDRESS:-127.0.0.1}:$GANGWAY_ADMIN_PORT})"
    up=$((up + 1))
    jvm_up=1
  else
    line gangway "NOT RESPONDING (pid $pid: admin ${GANGWAY_ADMIN_ADDRESS:-127.0.0.1}:$GANGWAY_ADMIN_PORT/healthz gave no answer within ${GANGWAY_STATUS_TIMEOUT:-3} s; stopped or hung? see logs/gangway.log)"
  fi
else
  line gangway stopped
fi

if pid=$(gw_pidfile_alive envoy "$(gw_pattern envoy)"); then
  live=""
  if [ -n "$ENVOY_ADMIN_PORT" ] && gw_http GET "${ENVOY_ADMIN_ADDRESS:-127.0.0.1}" "$ENVOY_ADMIN_PORT" /ready; then
    live=", /ready: $GW_HTTP_STATUS ${GW_HTTP_BODY%%[[:space:]]*}"
  fi
  line envoy "running (pid $pid${GANGWAY_HTTP_PORT:+, HTTP on :$GANGWAY_HTTP_PORT}$live)"
  up=$((up + 1))
else
  line envoy stopped
fi

if [ "$jvm_up" = 1 ] && [ "$quiet" = 0 ] && [ -n "$GANGWAY_ADMIN_PORT" ]; then
  host=$(gw_connect_host "${GANGWAY_ADMIN_ADDRESS:-127.0.0.1}")
  case $host in *:*) urlhost="[$host]" ;; *) urlhost=$host ;; esac
  printf '\nGET http://%s:%s/status\n' "$urlhost" "$GANGWAY_ADMIN_PORT"
  if command -v curl >/dev/null 2>&1; then
    curl -sS --max-time 5 "http://$urlhost:$GANGWAY_ADMIN_PORT/status" || printf '(no answer)'
    printf '\n'
  elif gw_http GET "$host" "$GANGWAY_ADMIN_PORT" /status; then
    printf '%s\n' "$GW_HTTP_BODY"
  else
    printf '(no answer)\n'
  fi
fi

# The JVM may run and answer while no Envoy fetches its config (e.g. Envoy still dials an old xds.port).
if [ "$jvm_up" = 1 ] && [ -n "$GANGWAY_ADMIN_PORT" ] &&
  GW_HTTP_TIMEOUT=${GANGWAY_STATUS_TIMEOUT:-3} gw_http GET "${GANGWAY_ADMIN_ADDRESS:-127.0.0.1}" "$GANGWAY_ADMIN_PORT" /status &&
  printf '%s' "$GW_HTTP_BODY" | grep -q '"problem" *: *"no Envoy connected'; then
  printf 'gangway: NO ENVOY CONNECTED to xDS: edits do not reach Envoy (see "envoy" in /status and logs/gangway.log)\n'
  exit 1
fi

[ "$up" = 3 ]
