#!/usr/bin/env bash
# Measures translation time and heap for N Ingress paths (default: 1,000 and 10,000), offline:
# generates Ingress files (100 paths per Ingress, 10 hosts, half Exact half Prefix, 10 static
# registries) and runs `gangway translate --stats -o none` on them.
#
# Usage: bench/translate-scale.sh [N...]     (needs `mvn -DskipTests package` first)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cpfile=$(mktemp)
if ! out=$(cd "$ROOT/server/gateway" && mvn -q -B -o dependency:build-classpath -Dmdep.outputFile="$cpfile" 2>&1); then
  printf '%s\n' "$out" >&2
  echo "bench: could not resolve the classpath offline; run once online: mvn -B dependency:build-classpath -pl server/gateway" >&2
  exit 2
fi
CP="$ROOT/server/gateway/target/classes:$(cat "$cpfile")"
rm -f "$cpfile"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

for n in "${sizes[@]}"; do
  dir=$(mktemp -d)
  {
    printf 'apiVersion: networking.higress.io/v1\nkind: McpBridge\nmetadata: {name: default}\nspec:\n  registries:\n'
    for r in $(seq 0 9); do printf '    - {type: static, name: svc%d, domain: "10.0.0.%d:80", port: 80}\n' "$r" "$((r + 1))"; done
  } >"$dir/bridge.yaml"
  awk -v n="$n" -v dir="$dir" 'BEGIN {
    per = 100
    for (i = 0; i < n; i++) {
      if (i % per == 0) {
        f = sprintf("%s/ingress-%05d.yaml", dir, i / per)
        printf "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing-%d}\nspec:\n  rules:\n    - host: host%d.example.com\n      http:\n        paths:\n", i / per, (i / per) % 10 > f
      }
      printf "          - {path: /api/v%d/resource-%d, pathType: %s, backend: {service: {name: svc%d.static, port: {number: 80}}}}\n", i % 7, i, (i % 2 ? "Exact" : "Prefix"), i % 10 > f
    }
  }' /dev/null
  echo "== $n paths"
  java -Xmx1g -XX:+UseSerialGC -cp "$CP" io.gangway.server.Main translate --stats -o none "$dir"
  rm -rf "$dir"
done
