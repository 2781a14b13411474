#!/usr/bin/env bash
# Quickstart: build Gangway, unpack the tar.gz into build/quickstart/, fetch the pinned Envoy, start two
# demo echo backends (127.0.0.1:8001 and :8002) and Gangway on the embedded default routes
# (conf/routes/example.yaml), then print a curl that goes through Envoy.
#
# Usage: bin/quickstart.sh          build, start, print the curl
#        bin/quickstart.sh --stop   stop Gangway and the demo backends
# Run from a source checkout (needs JDK 17 + Maven) or from an unpacked tar.gz (no build).
# Ports: QS_HTTP_PORT (gateway listener, default 8080), QS_ECHO1_PORT / QS_ECHO2_PORT (demo backends,
# default 8001 / 8002); set them when those ports are taken. They are written into the quickstart's
# conf/gangway.yaml and conf/routes/example.yaml.
set -euo pipefail
HP=${QS_HTTP_PORT:-8080} E1=${QS_ECHO1_PORT:-8001} E2=${QS_ECHO2_PORT:-8002}

SRC=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
say() { printf '==> %s\n' "$*"; }

if [ -f "$SRC/pom.xml" ] && [ -d "$SRC/server" ]; then
  QS=$SRC/build/quickstart
  home() { find "$QS" -mindepth 1 -maxdepth 1 -type d -name 'gangway-*' 2>/dev/null | head -n 1 || true; }
else
  QS=$SRC
  home() { printf '%s\n' "$SRC"; }
fi

stop_all() {
  local h
  h=$(home)
  [ -n "$h" ] || return 0
  if [ -f "$h/run/supervisor.pid" ]; then
    "$h/bin/shutdown.sh" || true
  fi
  for f in "$h"/run/echo-*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
}

if [ "${1:-}" = "--stop" ]; then
  stop_all
  say "stopped"
  exit 0
fi

if [ "$QS" != "$SRC" ]; then
  stop_all
  say "fetching the pinned Envoy (bundled into the tar.gz)"
  bash "$SRC/envoy-bootstrap/install-envoy.sh"
  say "building (mvn -q -B -DskipTests package)"
  (cd "$SRC" && mvn -q -B -ntp -DskipTests package)
  tarball=$(find "$SRC/packaging/target" -maxdepth 1 -name 'gangway-*.tar.gz' | head -n 1)
  say "unpacking $(basename "$tarball") into ${QS#"$SRC"/}/"
  rm -rf "$QS" && mkdir -p "$QS"
  tar -xzf "$tarball" -C "$QS"
fi

H=$(home)
mkdir -p "$H/run" "$H/logs"
sed -i "0,/port: 8080/s/port: 8080/port: $HP/" "$H/conf/gangway.yaml"
sed -i "s/127\.0\.0\.1:[0-9]*,127\.0\.0\.1:[0-9]*/127.0.0.1:$E1,127.0.0.1:$E2/" "$H/conf/routes/example.yaml"
for i in 1 2; do
  port=$E1
  [ "$i" = 2 ] && port=$E2
  say "starting demo backend echo-$i on 127.0.0.1:$port"
  nohup "$H/bin/gangway" echo --listen "127.0.0.1:$port" --name "echo-$i" >"$H/logs/echo-$i.log" 2>&1 &
  echo $! >"$H/run/echo-$i.pid"
done

say "starting Gangway (bin/startup.sh)"
"$H/bin/startup.sh"

for _ in $(seq 1 150); do
  if curl -fsS -o /dev/null http://127.0.0.1:$HP/hello 2>/dev/null; then
    break
  fi
  sleep 0.2
done

cat <<MSG

Gangway is serving on http://127.0.0.1:$HP (install: ${H#"$SRC"/}).

  curl -i http://127.0.0.1:$HP/hello

$(curl -sS -i http://127.0.0.1:$HP/hello | sed 's/^/  /')

Edit ${H#"$SRC"/}/conf/routes/example.yaml and curl again: changes apply live, without a reload.
Status: ${H#"$SRC"/}/bin/status.sh    Logs: ${H#"$SRC"/}/logs/    Stop: bin/quickstart.sh --stop
MSG
