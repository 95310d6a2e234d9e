#!/usr/bin/env bash
# Installs everything Rehearse needs on a Debian machine: the C libraries it links (libpq, libpg_query,
# libmongoc, libbson), the PostgreSQL server it starts disposable clusters with, Node.js for JavaScript
# migrations, xmllint for the JUnit schema test, and — through ci/install-nx27017.sh — the nx-27017 MongoDB
# wire-protocol server.
#
# Idempotent and quiet: it only calls apt-get for packages that are missing, and says what it installs.
#
# A package that depends on Rehearse (RehearseKit, RehearseTesting) runs it from its checkout of Rehearse,
# after `swift package resolve`: `bash .build/checkouts/<rehearse>/ci/install.sh --consumer` installs only
# what building and running Rehearse needs — not xmllint and junitparser, which only Rehearse's own tests use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf 'install: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        log "need root to run: $*"; return 1
    fi
}

consumer=false
for argument in "$@"; do
    case "$argument" in
        --consumer) consumer=true ;;
        *) log "unknown argument $argument; expected --consumer or nothing"; exit 2 ;;
    esac
done

packages=(libpq-dev libpg-query-dev libmongoc-dev libbson-dev postgresql postgresql-contrib libxml2-utils python3-venv)
# Only Rehearse's own tests validate JUnit with xmllint.
test_only=(libxml2-utils)
missing=()
for package in "${packages[@]}"; do
    if [ "$consumer" = true ] && [[ " ${test_only[*]} " == *" $package "* ]]; then continue; fi
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
# Node.js runs JavaScript (migrate-mongo) migrations through Rehearse's own shim; no npm package is needed.
# A node already on PATH (nvm, a tarball, another distribution) is used as it is.
if ! command -v node >/dev/null 2>&1 && ! command -v nodejs >/dev/null 2>&1; then
    missing+=(nodejs)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The disposable PostgreSQL cluster needs initdb/pg_ctl/postgres; Rehearse finds the newest
# /usr/lib/postgresql/*/bin by itself.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    log "PostgreSQL server binaries (initdb) are still missing after installing postgresql"
    exit 1
fi

bash "$here/install-nx27017.sh" >/dev/null

if [ "$consumer" = true ]; then exit 0; fi

# junitparser reads our JUnit XML the way third-party CI reporters do (see ci/test.sh).
cache_dir="${REHEARSE_CACHE_DIR:-${HOME:-/root}/.cache/rehearse}"
tools="$cache_dir/tools"
if ! "$tools/bin/python" -c 'import junitparser' >/dev/null 2>&1; then
    log "pip install junitparser into $tools"
    python3 -m venv "$tools" >/dev/null
    "$tools/bin/pip" install -q --disable-pip-version-check junitparser >/dev/null
fi
