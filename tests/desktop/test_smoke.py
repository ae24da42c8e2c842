"""Smoke test: the real ``podpath`` command opens the desktop window and quits on its own."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_podpath_command_opens_window_and_quits():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "core", str(ROOT / "resources/scenarios/demo.yaml"),
                           "--quit-after", "1.5"], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
