#!/usr/bin/env bash
# Starts Gangway (the supervisor bin/supervise.sh, which runs the JVM and Envoy).
#
# Usage: startup.sh               run the supervisor in the background (nohup), wait until it is running
#        startup.sh --foreground  exec the supervisor in the foreground (for systemd and containers)
# Exit status: 0 started (or already running); otherwise the supervisor's failure status.
set -u

GW_BIN=$(cd "$(dirname "$(readlink -f "$0" 2>/dev/null || printf '%s' "$0")")" && pwd -P)
# shellcheck source=common.sh
. "$GW_BIN/common.sh"

foreground=0
for arg in "$@"; do
  case $arg in
    -f | --foreground | start-foreground) foreground=1 ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) printf 'gangway: error: unknown option %s. Fix: see startup.sh --help.\n' "$arg" >&2; exit 2 ;;
  esac
done

if [ "$foreground" = 1 ]; then
  exec "$GW_BIN/supervise.sh"
fi

RUN=$GANGWAY_RUN_DIR
LOGD=$GANGWAY_LOG_DIR
if pid=$(gw_pidfile_alive supervisor "$(gw_pattern supervisor)"); then
  printf 'Gangway is already running (supervisor pid %s). Use bin/status.sh, or bin/shutdown.sh to stop it.\n' "$pid"
  exit 0
fi
if ! mkdir -p "$LOGD" "$RUN" 2>/dev/null; then
  printf 'gangway: error: cannot create %s or %s. Fix: run as the user that owns %s.\n' "$LOGD" "$RUN" "$GANGWAY_HOME" >&2
  exit 2
fi
rm -f "$RUN/supervisor.state" # stale from a killed supervisor: it must not read as "running"

out=$LOGD/supervisor.out
offset=$(gw_file_size "$out")
detach=()
command -v setsid >/dev/null 2>&1 && detach=(setsid)
GANGWAY_SUPERVISOR_QUIET=1 nohup "${detach[@]}" "$GW_BIN/supervise.sh" </dev/null >>"$out" 2>&1 &
spid=$!

timeout=${GANGWAY_START_TIMEOUT:-90}
case $timeout in '' | *[!0-9]*) timeout=90 ;; esac
waited=0 # tenths of a second
state=""
while :; do
  state=""
  [ -r "$RUN/supervisor.state" ] && IFS= read -r state <"$RUN/supervisor.state"
  if [ "$state" = running ]; then
    GANGWAY_HTTP_PORT=""
    gw_read_envoy_env "$RUN/envoy.env" || true
    printf 'Gangway started: pid %s, HTTP on :%s (logs in %s/)\n' "$spid" "${GANGWAY_HTTP_PORT:-?}" "$(gw_rel "$LOGD")"
    # Route documents the JVM rejected at start are served from their last good version (or not at all):
    # say so here rather than only in the log.
    if [ -n "${GANGWAY_ADMIN_PORT:-}" ] &&
      GW_HTTP_BEARER=${GANGWAY_ADMIN_TOKEN:-} GW_HTTP_TIMEOUT=3 gw_http GET "${GANGWAY_ADMIN_ADDRESS:-127.0.0.1}" "$GANGWAY_ADMIN_PORT" /status; then
      applied=$(printf '%s\n' "$GW_HTTP_BODY" | grep -c '"state" *: *"applied"')
      rejected=$(printf '%s\n' "$GW_HTTP_BODY" | grep -c '"state" *: *"rejected')
      printf 'Route documents: %s applied, %s rejected' "$applied" "$rejected"
      if [ "$rejected" -gt 0 ]; then
        printf ' (see "diagnostics" in bin/status.sh or %s/gangway.log; a rejected document keeps its last good version)' "$(gw_rel "$LOGD")"
      fi
      printf '\n'
    fi
    exit 0
  fi
  if ! kill -0 "$spid" 2>/dev/null; then
    wait "$spid"
    st=$?
    msg=$(gw_since "$out" "$offset" | grep 'gangway: error:')
    [ -n "$msg" ] || msg=$(gw_since "$out" "$offset" | tail -n 5)
    [ -n "$msg" ] || msg="gangway: error: the supervisor exited with status $st. Fix: see $(gw_rel "$LOGD")/supervisor.log."
    printf '%s\n' "$msg" >&2
    [ "$st" = 0 ] && st=1
    exit "$st"
  fi
  if [ "$waited" -ge $((timeout * 10)) ]; then
    printf 'gangway: error: Gangway did not report running within %s s (state: %s); the supervisor (pid %s) is still trying. Fix: see %s/supervisor.log, or stop it with bin/shutdown.sh.\n' \
      "$timeout" "${state:-none}" "$spid" "$(gw_rel "$LOGD")" >&2
    exit 1
  fi
  sleep 0.2
  waited=$((waited + 2))
done
