#!/usr/bin/env bash
# Installs what the MongoDB checks need: the libmongoc/libbson headers (to build RehearseMongo) and
# nx-27017, a MongoDB wire-protocol server backed by SQLite, into a virtual environment under a cache folder.
#
# Idempotent and quiet when everything is already there. Prints the path of the nx-27017 binary on stdout,
# which the tests also find without any environment variable (RehearseMongo looks at REHEARSE_NX27017,
# then PATH, then ${REHEARSE_CACHE_DIR:-$HOME/.cache/rehearse}/nx-27017/bin/nx-27017).
#
# Environment:
#   REHEARSE_CACHE_DIR   cache root (default: $HOME/.cache/rehearse)
#   NX27017_VERSION      pip requirement to install (default: nx-27017, the newest release)
set -euo pipefail

cache_dir="${REHEARSE_CACHE_DIR:-${HOME:-/root}/.cache/rehearse}"
venv="$cache_dir/nx-27017"
binary="$venv/bin/nx-27017"
requirement="${NX27017_VERSION:-nx-27017}"

log() { printf 'install-nx27017: %s\n' "$*" >&2; }

sudo_if_needed() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        log "need root to run: $*"; return 1
    fi
}

apt_install() {
    command -v apt-get >/dev/null 2>&1 || { log "apt-get not found; install these yourself: $*"; return 1; }
    log "installing $* with apt-get"
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
        || { sudo_if_needed apt-get update -qq >/dev/null && sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

# The C driver headers, needed to build the CMongoC system library target.
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for package in libmongoc-dev libbson-dev; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
elif ! pkg-config --exists libmongoc-1.0 2>/dev/null; then
    log "libmongoc-1.0 not found by pkg-config; install the MongoDB C driver (brew install mongo-c-driver)"
fi

# nx-27017 in its own virtual environment; nothing to do when it already runs.
if [ -x "$binary" ] && "$binary" --help >/dev/null 2>&1; then
    printf '%s\n' "$binary"
    exit 0
fi

command -v python3 >/dev/null 2>&1 || apt_install python3
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    version="$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    apt_install python3-venv || apt_install "python${version}-venv"
fi

mkdir -p "$cache_dir"
if [ ! -x "$venv/bin/pip" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "$requirement" >&2

if ! "$binary" --help >/dev/null 2>&1; then
    log "nx-27017 was installed into $venv but $binary does not run"
    exit 1
fi
printf '%s\n' "$binary"
