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
[[ "${1:-}" == "ca" ]] || {
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
}
# A CA and two certificates it signs (client: mutual TLS; upstream: an HTTPS backend), for the
# upstream/downstream TLS annotations (auth-tls-secret, proxy-ssl-*).
signed() { # name, subject CN, SAN list, extended key usage
  local name=$1 cn=$2 san=$3 eku=$4
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "test-$name.key" \
    -out "test-$name.csr" -subj "/O=Gangway TEST ONLY/CN=$cn" 2>/dev/null
  openssl x509 -req -in "test-$name.csr" -CA test-ca.crt -CAkey test-ca.key -CAcreateserial -days 36500 \
    -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=%s\n' "$san" "$eku") -out "test-$name.crt" 2>/dev/null
  rm -f "test-$name.csr" test-ca.srl
}
if [[ "${1:-}" == "ca" || "${1:-}" == "" ]]; then
  cert ca 'gangway test CA' '' ec -pkeyopt ec_paramgen_curve:prime256v1
  signed client 'gangway test client' DNS:client.example.com clientAuth
  signed upstream upstream.example.com DNS:upstream.example.com serverAuth
fi
