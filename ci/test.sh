#!/usr/bin/env bash
# The test command: installs what the tests need, runs `swift test`, then checks that a third-party JUnit
# reader (junitparser, from PyPI) accepts the report Rehearse writes for the bundled samples.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash ci/install.sh

swift build
swift test

cache_dir="${REHEARSE_CACHE_DIR:-${HOME:-/root}/.cache/rehearse}"
report="$(mktemp -d)/rehearse-junit.xml"
status=0
"$(swift build --show-bin-path)/rehearse" verify sample-migrations --junit "$report" >/dev/null || status=$?
if [ "$status" -ne 1 ]; then
    echo "test: rehearsing sample-migrations (good and deliberately broken projects) should exit 1, got $status" >&2
    exit 1
fi
"$cache_dir/tools/bin/python" ci/check-junit.py "$report"
