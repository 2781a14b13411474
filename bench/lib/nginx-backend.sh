# Sourced by bench scripts (after OUT is set): nginx instances under $OUT/<dir>, and waiting for a URL.
#   nginx_conf DIR WORKERS SERVER-BLOCK   writes $OUT/DIR/nginx.conf
#   start_nginx DIR / stop_nginx DIR      starts / stops the nginx of $OUT/DIR
#   await URL                             waits up to 60 s for a 200, else exits 1

nginx_conf() { # dir workers server-block
  cat >"$OUT/$1/nginx.conf" <<CONF
worker_processes $2;
pid $OUT/$1/nginx.pid;
error_log $OUT/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/$1/body;
  proxy_temp_path $OUT/$1/proxy;
  fastcgi_temp_path $OUT/$1/fastcgi;
  uwsgi_temp_path $OUT/$1/uwsgi;
  scgi_temp_path $OUT/$1/scgi;
  keepalive_requests 1000000;
  $3
}
CONF
}

start_nginx() { # dir
  nginx -p "$OUT/$1" -c "$OUT/$1/nginx.conf" -e "$OUT/$1/error.log"
}

stop_nginx() { # dir
  [ -f "$OUT/$1/nginx.pid" ] || return 0
  kill "$(cat "$OUT/$1/nginx.pid")" 2>/dev/null || true
  for _ in $(seq 1 50); do [ -f "$OUT/$1/nginx.pid" ] || return 0; sleep 0.1; done
}

await() { # url
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 0.2
  done
  echo "$(basename "$0" .sh): $1 never answered 200" >&2
  exit 1
}
