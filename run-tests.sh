#!/usr/bin/env bash
# Runs PodPath's whole test suite headless (arguments are passed to pytest).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/tools/setup.sh"
cd "$here"
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
