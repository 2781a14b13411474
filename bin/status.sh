#!/usr/bin/env bash
# Shows whether the supervisor, the Gangway JVM and Envoy run, then `bin/gangway status` against the
# JVM's admin API: readiness, each connected Envoy with its ACK/NACK per xDS type, documents, registries.
# Without a runnable java (bin/gangway fails to start) it prints the JVM's raw GET /status JSON instead.
#
# Usage: status.sh [--quiet]   (--quiet: only the process lines on stdout)
# Exit status: 0 when all three processes run, the JVM's admin answers, and the gateway is ready: an
# Envoy is connected to its xDS server and every connected Envoy ACKed what it was sent (no NACK in
# force, no push unanswered); 1 otherwise (with one "gangway: ..." line on stderr saying why when the
# processes run); 2 usage error.
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

# Is the gateway ready: an Envoy connected, everything ACKed? `bin/gangway status` says so (and shows
# each Envoy); --quiet, or a bin/gangway that cannot run (no java, java < 17), asks /readyz directly.
verdict="" why=""
if [ "$jvm_up" = 1 ] && [ -n "$GANGWAY_ADMIN_PORT" ]; then
  host=$(gw_connect_host "${GANGWAY_ADMIN_ADDRESS:-127.0.0.1}")
  case $host in *:*) urlhost="[$host]" ;; *) urlhost=$host ;; esac
  url="http://$urlhost:$GANGWAY_ADMIN_PORT"
  if [ "$quiet" = 0 ]; then
    cli=$("$GW_BIN/gangway" status --admin "$url" 2>&1 </dev/null)
    rc=$?
    # 0, 1 and 3 are answers of the command (its table, or its one error line); anything else (2: no
    # java or no lib/, 126/127, a JVM too old to load the classes) means the CLI itself did not run.
    case $rc in
      0 | 1 | 3)
        case $cli in
          *'FIELD '* | *'gangway: error:'*)
            verdict=$rc
            why=$cli
            printf '\n$ bin/gangway status --admin %s\n%s\n' "$url" "$cli" ;;
        esac ;;
    esac
    if [ -z "$verdict" ]; then
      printf '\n(bin/gangway status did not run: %s)\nGET %s/status\n' \
        "$(printf '%s\n' "$cli" | sed '/^[[:space:]]*$/d' | head -n 1 | cut -c1-200)" "$url"
      if command -v curl >/dev/null 2>&1; then
        # The token (if any) goes in through curl's config on stdin, not on its command line.
        if [ -n "${GANGWAY_ADMIN_TOKEN:-}" ]; then
          printf 'header = "Authorization: Bearer %s"\n' "$GANGWAY_ADMIN_TOKEN" |
            curl -sS --max-time 5 -K - "$url/status" || printf '(no answer)'
        else
          curl -sS --max-time 5 "$url/status" || printf '(no answer)'
        fi
        printf '\n'
      elif GW_HTTP_BEARER=${GANGWAY_ADMIN_TOKEN:-} gw_http GET "$host" "$GANGWAY_ADMIN_PORT" /status; then
        printf '%s\n' "$GW_HTTP_BODY"
      else
        printf '(no answer)\n'
      fi
    fi
  fi
  if [ -z "$verdict" ]; then
    if GW_HTTP_BEARER=${GANGWAY_ADMIN_TOKEN:-} GW_HTTP_TIMEOUT=${GANGWAY_STATUS_TIMEOUT:-3} \
      gw_http GET "$host" "$GANGWAY_ADMIN_PORT" /readyz; then
      case $GW_HTTP_STATUS in
        200) verdict=0 ;;
        401) verdict=3 why="the admin API refused the request (401): set GANGWAY_ADMIN_TOKEN" ;;
        *) verdict=1 why=$GW_HTTP_BODY ;;
      esac
    else
      verdict=3 why="no answer from $url/readyz within ${GANGWAY_STATUS_TIMEOUT:-3} s"
    fi
  fi
fi

# One line on stderr for why: the JVM may run and answer while no Envoy fetches its config (e.g. Envoy
# still dials an old xds.port), or while Envoy rejects what it was sent.
case ${verdict:-0} in
  0) ;;
  *)
    case $why in
      *'no Envoy is connected'* | *'no Envoy connected'*)
        printf 'gangway: NO ENVOY CONNECTED to xDS: edits do not reach Envoy (see "envoys" in /status and logs/gangway.log)\n' >&2 ;;
      *'(NACK)'* | *'NACK:'*)
        printf 'gangway: ENVOY REJECTED A PUSH (NACK): the previously accepted config stays in force (see the NACK line of bin/gangway status, "envoys" in /status, logs/gangway.log)\n' >&2 ;;
      *)
        reason=$(printf '%s\n' "$why" | sed -n 's/^not ready: //p; s/^.*gangway: error: //p' | head -n 1)
        [ -n "$reason" ] || reason=$(printf '%s\n' "$why" | grep -o '"[^"]*"' | sed -n '3p' | tr -d '"')
        printf 'gangway: NOT READY: %s\n' "${reason:-see bin/gangway status and logs/gangway.log}" >&2 ;;
    esac
    exit 1 ;;
esac

[ "$up" = 3 ]
