# shellcheck shell=bash
# shellcheck disable=SC2034 # variables set here are used by the scripts that source this file
# Shared functions for bin/*.sh. Sourced, never run. The caller sets GW_BIN (its own directory) first.
#
# Sets: GANGWAY_HOME GANGWAY_CONF_DIR GANGWAY_LOG_DIR GANGWAY_RUN_DIR GANGWAY_DATA_DIR (absolute paths)
# after sourcing $GANGWAY_CONF_DIR/gangway.env (what that file sets wins over the environment).

# Resolve GANGWAY_HOME: the environment, else the parent of bin/.
if [ -z "${GANGWAY_HOME:-}" ]; then
  GANGWAY_HOME=$(cd "$GW_BIN/.." && pwd -P)
fi
GANGWAY_HOME=$(cd "$GANGWAY_HOME" 2>/dev/null && pwd -P) || {
  printf 'gangway: error: GANGWAY_HOME=%s is not a directory. Fix: unset GANGWAY_HOME or point it at the install.\n' "${GANGWAY_HOME}" >&2
  exit 2
}

# gw_abs PATH: PATH made absolute relative to GANGWAY_HOME.
gw_abs() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$GANGWAY_HOME/$1" ;;
  esac
}

GANGWAY_CONF_DIR=$(gw_abs "${GANGWAY_CONF_DIR:-conf}")
if [ -r "$GANGWAY_CONF_DIR/gangway.env" ]; then
  # Exported (set -a): variables such as NACOS_PASSWORD set there must reach the JVM the scripts start.
  set -a
  # shellcheck source=/dev/null
  . "$GANGWAY_CONF_DIR/gangway.env"
  set +a
  GANGWAY_CONF_DIR=$(gw_abs "${GANGWAY_CONF_DIR:-conf}")
fi
GANGWAY_LOG_DIR=$(gw_abs "${GANGWAY_LOG_DIR:-logs}")
GANGWAY_RUN_DIR=$(gw_abs "${GANGWAY_RUN_DIR:-run}")
GANGWAY_DATA_DIR=$(gw_abs "${GANGWAY_DATA_DIR:-data}")
export GANGWAY_HOME GANGWAY_CONF_DIR GANGWAY_LOG_DIR GANGWAY_RUN_DIR GANGWAY_DATA_DIR

GW_MAIN_CLASS=io.gangway.server.Main

# gw_read_pid FILE: prints the pid stored in FILE (digits only), or nothing.
gw_read_pid() {
  local pid=""
  [ -r "$1" ] && IFS= read -r pid <"$1" 2>/dev/null
  case $pid in '' | *[!0-9]*) return 1 ;; esac
  printf '%s\n' "$pid"
}

# gw_alive PID [PATTERN]: true when PID is a live (non-zombie) process whose command line contains PATTERN.
# The pattern guards against pid reuse and against another instance's processes.
gw_alive() {
  local pid=$1 pat=${2:-} cmd
  case $pid in '' | *[!0-9]*) return 1 ;; esac
  if [ -d /proc/1 ]; then
    [ -r "/proc/$pid/cmdline" ] || return 1
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
    [ -n "$cmd" ] || return 1 # zombie
    case $cmd in *"$pat"*) return 0 ;; *) return 1 ;; esac
  fi
  kill -0 "$pid" 2>/dev/null
}

# gw_pidfile_alive NAME PATTERN: prints the pid from run/NAME.pid if that process is alive.
gw_pidfile_alive() {
  local pid
  pid=$(gw_read_pid "$GANGWAY_RUN_DIR/$1.pid") || return 1
  gw_alive "$pid" "$2" || return 1
  printf '%s\n' "$pid"
}

# Identity patterns of this instance's processes (their command lines, args joined by spaces, contain these).
gw_pattern() {
  case $1 in
    supervisor) printf '%s\n' "supervise.sh" ;;
    gangway) printf '%s\n' "--run-dir $GANGWAY_RUN_DIR " ;;
    envoy) printf '%s\n' "-c $GANGWAY_RUN_DIR/envoy-bootstrap.json " ;;
  esac
}

# gw_read_envoy_env [FILE]: reads run/envoy.env (KEY=value lines written by the JVM) into shell variables.
# Only the keys of the process contract are accepted; quotes around values are removed.
gw_read_envoy_env() {
  local file=${1:-$GANGWAY_RUN_DIR/envoy.env} line key val
  [ -r "$file" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    line=${line#export }
    case $line in '' | '#'*) continue ;; *=*) ;; *) continue ;; esac
    key=${line%%=*}
    val=${line#*=}
    case $val in
      \"*\") val=${val#\"}; val=${val%\"} ;;
      \'*\') val=${val#\'}; val=${val%\'} ;;
    esac
    case $key in
      ENVOY_ADMIN_ADDRESS | ENVOY_ADMIN_PORT | ENVOY_BASE_ID | ENVOY_CONCURRENCY | ENVOY_DRAIN_SECONDS | \
        ENVOY_LOG_LEVEL | GANGWAY_ADMIN_ADDRESS | GANGWAY_ADMIN_PORT | GANGWAY_HTTP_PORT)
        printf -v "$key" '%s' "$val" ;;
    esac
  done <"$file"
}

# gw_connect_host ADDRESS: a connectable host for a listen address (0.0.0.0 -> 127.0.0.1, :: -> ::1).
gw_connect_host() {
  local h=${1#[}
  h=${h%]}
  case $h in '' | 0.0.0.0) h=127.0.0.1 ;; '::') h=::1 ;; esac
  printf '%s\n' "$h"
}

# gw_http METHOD HOST PORT PATH: a small HTTP/1.1 client on bash's /dev/tcp (curl not required), for
# the loopback admin APIs (Envoy rejects HTTP/1.0; its admin answers chunked, which is decoded here).
# Sets GW_HTTP_STATUS (e.g. 200, or 000 when there is no answer) and GW_HTTP_BODY. Returns 1 when no answer.
# GW_HTTP_BEARER=TOKEN (set for one call, e.g. to GANGWAY_ADMIN_TOKEN for the JVM's admin API) adds
# "Authorization: Bearer TOKEN"; the token goes over the socket only, never on a command line.
gw_http() {
  local LC_ALL=C raw line len state=status chunked=0 remaining=0 body=""
  GW_HTTP_STATUS=000
  GW_HTTP_BODY=""
  raw=$(_gw_http_raw "$1" "$(gw_connect_host "$2")" "$3" "$4") || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    case $state in
      status)
        line=${line%$'\r'}
        line=${line#* }
        GW_HTTP_STATUS=${line%% *}
        state=headers ;;
      headers)
        line=${line%$'\r'}
        if [ -z "$line" ]; then
          if [ "$chunked" = 1 ]; then state=size; else state=body; fi
        else
          case $line in [Tt]ransfer-[Ee]ncoding:*[Cc]hunked*) chunked=1 ;; esac
        fi ;;
      body) body+=${line%$'\r'}$'\n' ;;
      size)
        line=${line%$'\r'}
        line=${line%%;*}
        [ -z "$line" ] && continue
        case $line in *[!0-9a-fA-F]*) break ;; esac
        remaining=$((16#$line))
        [ "$remaining" = 0 ] && break
        state=data ;;
      data)
        len=${#line}
        if [ $((len + 1)) -le "$remaining" ]; then
          body+=$line$'\n'
          remaining=$((remaining - len - 1))
        else
          body+=${line:0:remaining}
          remaining=0
        fi
        [ "$remaining" = 0 ] && state=size ;;
    esac
  done <<<"$raw"
  GW_HTTP_BODY=${body%$'\n'}
  case $GW_HTTP_STATUS in [0-9][0-9][0-9]) return 0 ;; *) GW_HTTP_STATUS=000; return 1 ;; esac
}

_gw_http_raw() (
  # Subshell: the socket fd and any failure stay in here.
  { exec 3<>"/dev/tcp/$2/$3"; } 2>/dev/null || exit 1
  auth=""
  [ -n "${GW_HTTP_BEARER:-}" ] && auth="Authorization: Bearer $GW_HTTP_BEARER"$'\r\n'
  printf '%s %s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: gangway-scripts\r\n%sContent-Length: 0\r\nConnection: close\r\n\r\n' \
    "$1" "$4" "$2" "$3" "$auth" >&3
  line=""
  while IFS= read -r -t "${GW_HTTP_TIMEOUT:-5}" line <&3 || [ -n "$line" ]; do
    printf '%s\n' "$line"
    line=""
  done
)

# gw_find_java: prints the java launcher (JAVA, else $JAVA_HOME/bin/java, else java on PATH).
gw_find_java() {
  if [ -n "${JAVA:-}" ]; then
    printf '%s\n' "$JAVA"
  elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    return 1
  fi
}

# gw_file_size FILE: bytes in FILE (0 when missing).
gw_file_size() {
  local n=0
  [ -f "$1" ] && n=$(wc -c <"$1" 2>/dev/null)
  printf '%s\n' $((n + 0))
}

# gw_since FILE OFFSET: what was appended to FILE after byte OFFSET.
gw_since() {
  [ -r "$1" ] || return 0
  tail -c +$(($2 + 1)) "$1" 2>/dev/null
}

# gw_rel PATH: PATH shown relative to GANGWAY_HOME when it is inside it (for messages).
gw_rel() {
  case $1 in
    "$GANGWAY_HOME"/*) printf '%s\n' "${1#"$GANGWAY_HOME"/}" ;;
    *) printf '%s\n' "$1" ;;
  esac
}
