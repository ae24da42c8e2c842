#!/usr/bin/env bash
# Starts PodPath on its built-in demo scenario (arguments are passed to the `podpath` command).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/tools/setup.sh"
exec "$here/.venv/bin/podpath" "$@"
