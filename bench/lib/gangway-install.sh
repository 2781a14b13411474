# Sourced by bench scripts: unpack the tar.gz into a bench directory and give it loopback ports and
# one catch-all route to a static backend.
#   gangway_install OUT HTTP XDS ADMIN ENVOY_ADMIN STATS BACKEND_PORT  -> sets H (the install)
gangway_install() {
  local out=$1 http=$2 xds=$3 admin=$4 envoy_admin=$5 stats=$6 backend=$7 tarball y p
  tarball=${TARBALL:-$(find "$ROOT/packaging/target" -maxdepth 1 -name 'gangway-*.tar.gz' 2>/dev/null | head -n 1)}
  [ -n "$tarball" ] || { echo "bench: no tar.gz; run mvn -DskipTests package first" >&2; exit 2; }
  tar -xzf "$tarball" -C "$out"
  H=$(find "$out" -mindepth 1 -maxdepth 1 -type d -name 'gangway-*' | head -n 1)
  y=$H/conf/gangway.yaml
  sed -i "s/^      port: 8080$/      port: $http/; s/^  port: 15010$/  port: $xds/; s/^  port: 15020$/  port: $admin/; s/^    port: 15000$/    port: $envoy_admin/; s/^    port: 15090$/    port: $stats/" "$y"
  sed -i 's/^    - address: 0.0.0.0$/    - address: 127.0.0.1/' "$y"
  for p in "$http" "$xds" "$admin" "$envoy_admin" "$stats"; do
    grep -q "port: $p$" "$y" || { echo "bench: could not set port $p in $y" >&2; exit 2; }
  done
  grep -q '^  concurrency: 0 ' "$y" || { echo "bench: no envoy.concurrency line in $y" >&2; exit 2; }
  rm -f "$H"/conf/routes/*.yaml
  cat >"$H/conf/routes/bench.yaml" <<YAML
apiVersion: networking.higress.io/v1
kind: McpBridge
metadata: {name: default, namespace: higress-system}
spec:
  registries:
    - {type: static, name: backend, domain: "127.0.0.1:$backend", port: 80}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bench, namespace: default}
spec:
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: backend.static, port: {number: 80}}}}
YAML
}

# gangway_workers N: Envoy's worker count for the next start of the install in H.
gangway_workers() {
  sed -i "s/^  concurrency: [0-9]* /  concurrency: $1 /" "$H/conf/gangway.yaml"
}
