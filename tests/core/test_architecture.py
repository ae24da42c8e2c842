"""core/ must run without Qt: import every core module with PySide6 and pyqtgraph blocked."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import importlib, pkgutil, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'PyQt5', 'PyQt6', 'desktop'):
            raise ImportError(f'core must not import {name}')
        return None

sys.meta_path.insert(0, Block())
import core
names = [m.name for m in pkgutil.walk_packages(core.__path__, 'core.')
         if not m.name.endswith(('.app', '.__main__'))]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_core_imports_without_qt():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 3


def test_no_qt_import_statement_in_core():
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        if path.name == "app.py" and path.parent.name == "cli":
            continue
        text = path.read_text()
        if "import PySide6" in text or "from PySide6" in text or "pyqtgraph" in text:
            offenders.append(str(path))
    assert offenders == []
