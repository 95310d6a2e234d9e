#!/usr/bin/env bash
# The demo: installs what Rehearse needs, builds it, and rehearses the bundled e-commerce sample
# (PostgreSQL and MongoDB) on disposable servers, writing JUnit XML to .build/rehearse-junit.xml.
# Pass other arguments to rehearse the way you like, e.g. `bash ci/demo.sh sample-migrations` to see the
# deliberately broken projects fail.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash ci/install.sh
swift build --product rehearse >/dev/null
if [ "$#" -eq 0 ]; then set -- sample-migrations --project e-commerce; fi
exec "$(swift build --show-bin-path)/rehearse" verify "$@" --junit .build/rehearse-junit.xml
