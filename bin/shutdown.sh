#!/usr/bin/env bash
# Stops Gangway: SIGTERM to the supervisor (it drains Envoy, stops Envoy, then the JVM), waits for it
# (Envoy drain time + 30 s, then SIGKILL), then makes sure no process named in run/*.pid is left.
#
# Usage: shutdown.sh          graceful stop (drain)
#        shutdown.sh --now    skip the drain (sends the supervisor a second SIGTERM)
# Exit status: 0 stopped, or nothing was running; 1 a process could not be stopped.
set -u

GW_BIN=$(cd "$(dirname "$(readlink -f "$0" 2>/dev/null || printf '%s' "$0")")" && pwd -P)
# shellcheck source=common.sh
. "$GW_BIN/common.sh"

now=0
for arg in "$@"; do
  case $arg in
    --now | --no-drain) now=1 ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) printf 'gangway: error: unknown option %s. Fix: see shutdown.sh --help.\n' "$arg" >&2; exit 2 ;;
  esac
done

RUN=$GANGWAY_RUN_DIR
did=0
rc=0

# wait_gone PID SECONDS: true once PID is gone
wait_gone() {
  local i=0
  while gw_alive "$1" "$3"; do
    [ "$i" -ge $(($2 * 10)) ] && return 1
    sleep 0.1
    i=$((i + 1))
  done
  return 0
}

ENVOY_DRAIN_SECONDS=""
gw_read_envoy_env "$RUN/envoy.env" 2>/dev/null || true
case $ENVOY_DRAIN_SECONDS in '' | *[!0-9]*) ENVOY_DRAIN_SECONDS=30 ;; esac
limit=$((ENVOY_DRAIN_SECONDS + 30))

spat=$(gw_pattern supervisor)
if spid=$(gw_pidfile_alive supervisor "$spat"); then
  did=1
  if [ "$now" = 1 ]; then
    printf 'Stopping Gangway (supervisor pid %s) without drain ...\n' "$spid"
    kill -TERM "$spid" 2>/dev/null
    sleep 0.3
    kill -TERM "$spid" 2>/dev/null
  else
    printf 'Stopping Gangway (supervisor pid %s; Envoy drains for up to %s s) ...\n' "$spid" "$ENVOY_DRAIN_SECONDS"
    kill -TERM "$spid" 2>/dev/null
  fi
  if wait_gone "$spid" "$limit" "$spat"; then
    printf 'Supervisor (pid %s) stopped.\n' "$spid"
  else
    printf 'Supervisor (pid %s) did not exit within %s s; sending SIGKILL.\n' "$spid" "$limit"
    kill -KILL "$spid" 2>/dev/null
    wait_gone "$spid" 5 "$spat" || { printf 'gangway: error: supervisor pid %s survives SIGKILL.\n' "$spid" >&2; rc=1; }
  fi
fi

# Leftovers: a JVM or Envoy whose supervisor died (kill -9, OOM killer) or did not finish.
for kind in envoy gangway supervisor; do
  pat=$(gw_pattern "$kind")
  pid=$(gw_pidfile_alive "$kind" "$pat") || continue
  case $kind in envoy) name=Envoy ;; gangway) name="Gangway JVM" ;; *) name=Supervisor ;; esac
  did=1
  printf 'Stopping leftover %s (pid %s) ...\n' "$name" "$pid"
  kill -TERM "$pid" 2>/dev/null
  if ! wait_gone "$pid" "${GANGWAY_STOP_TIMEOUT:-10}" "$pat"; then
    printf '%s (pid %s) ignored SIGTERM; sending SIGKILL.\n' "$name" "$pid"
    kill -KILL "$pid" 2>/dev/null
    wait_gone "$pid" 5 "$pat" || { printf 'gangway: error: %s pid %s survives SIGKILL.\n' "$name" "$pid" >&2; rc=1; }
  fi
  printf 'Stopped leftover %s (pid %s).\n' "$name" "$pid"
done

if [ "$rc" = 0 ]; then
  stale=""
  for f in supervisor.pid gangway.pid envoy.pid gangway.ready supervisor.state; do
    [ -e "$RUN/$f" ] && stale="$stale $f" && rm -f "$RUN/$f"
  done
  [ -n "$stale" ] && [ "$did" = 0 ] && printf 'Removed stale files from %s:%s\n' "$(gw_rel "$RUN")" "$stale"
fi

if [ "$did" = 0 ]; then
  printf 'Gangway is not running; nothing to stop.\n'
elif [ "$rc" = 0 ]; then
  printf 'Gangway stopped.\n'
fi
exit "$rc"
