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


def test_the_installed_podpath_script_opens_window_and_quits(tmp_path):
    """The console script a user types (``podpath`` from ``pip install``) opens a scenario and quits."""
    script = Path(sys.executable).parent / "podpath"
    if not script.exists():  # an environment without the package installed: the module test above covers it
        import pytest

        pytest.skip("podpath is not installed next to this Python")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.run([str(script), str(ROOT / "resources/scenarios/demo.yaml"), "--quit-after", "1.5"], env=env, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
