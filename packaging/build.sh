#!/usr/bin/env bash
# Builds the one-folder Linux bundle dist/podpath/ (run from anywhere): installs PyInstaller into .venv through
# the `bundle` extra, compiles the translations, runs packaging/podpath.spec, then the bundle's smoke test.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash tools/setup.sh
.venv/bin/python -m pip install -q -e ".[bundle]"
rm -rf build/qm && mkdir -p build/qm
.venv/bin/python packaging/translations.py release build/qm >/dev/null
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/podpath.spec
cp packaging/podpath.desktop dist/podpath/
echo "bundle: dist/podpath ($(du -sh dist/podpath | cut -f1))"
.venv/bin/python packaging/smoke_test.py dist/podpath/podpath
