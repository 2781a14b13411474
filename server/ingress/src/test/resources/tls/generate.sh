#!/usr/bin/env bash
# TEST-ONLY certificates for the TLS golden and unit tests. Never use them for anything else: their
# private keys are public (committed here). Generated once; re-running gives new keys, so every
# golden case that embeds them would need regenerating (mvn test -Dgolden.update=true after pasting).
# Files: test-<name>.crt (PEM certificate) and test-<name>.key (PEM private key), EC P-256 unless
# noted, valid for 100 years.
set -euo pipefail
cd "$(dirname "$0")"
cert() { # name, subject CN, SAN list, key type args...
  local name=$1 cn=$2 san=$3; shift 3
  openssl req -x509 -newkey "$@" -nodes -keyout "test-$name.key" -out "test-$name.crt" -days 36500 \
    -subj "/O=Gangway TEST ONLY/CN=$cn" ${san:+-addext "subjectAltName=$san"} 2>/dev/null
}
cert a a.example.com DNS:a.example.com ec -pkeyopt ec_paramgen_curve:prime256v1
# SEC1 ("EC PRIVATE KEY") form, as `openssl ecparam -genkey` and many tools write it.
openssl ec -in test-a.key -out test-a.key 2>/dev/null
cert a-rotated a.example.com DNS:a.example.com ec -pkeyopt ec_paramgen_curve:prime256v1
cert b b.example.com DNS:b.example.com ec -pkeyopt ec_paramgen_curve:prime256v1
cert wildcard '*.example.com' 'DNS:*.example.com' ec -pkeyopt ec_paramgen_curve:prime256v1
cert default 'gangway test default' '' ec -pkeyopt ec_paramgen_curve:prime256v1
cert rsa c.example.com DNS:c.example.com rsa:2048
# PKCS#1 ("RSA PRIVATE KEY") form.
openssl rsa -in test-rsa.key -traditional -out test-rsa.key 2>/dev/null
