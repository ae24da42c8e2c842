"""`podpath snapshot … --lang ko|en`: the same picture in either language; the CLI itself stays English."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "resources/lessons/01-why-services.yaml"


def _snapshot(tmp_path: Path, lang: str | None) -> subprocess.CompletedProcess:
    out = tmp_path / f"shot-{lang}.png"
    args = [sys.executable, "-m", "core", "snapshot", str(LESSON), "--at", "12", "-o", str(out), "--size", "960x540"]
    if lang:
        args += ["--lang", lang]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    return subprocess.run(args, capture_output=True, text=True, timeout=180, cwd=ROOT, env=env)


def test_snapshot_renders_in_korean_or_english(tmp_path):
    en = _snapshot(tmp_path, "en")
    ko = _snapshot(tmp_path, "ko")
    assert en.returncode == 0 and ko.returncode == 0, en.stderr + ko.stderr
    assert en.stdout.startswith("wrote ") and ko.stdout.startswith("wrote ")  # CLI messages stay English
    a, b = QImage(str(tmp_path / "shot-en.png")), QImage(str(tmp_path / "shot-ko.png"))
    assert (a.width(), a.height()) == (b.width(), b.height()) == (960, 540)
    # same scenario, same time, same seed: only the words differ (menu bar, dock titles, chart titles)
    differing = sum(a.pixel(x, y) != b.pixel(x, y) for x in range(0, 960, 4) for y in range(0, 540, 4))
    assert differing > 50


def test_snapshot_refuses_an_unknown_language(tmp_path):
    r = _snapshot(tmp_path, "fr")
    assert r.returncode == 2 and "invalid choice: 'fr'" in r.stderr and "Traceback" not in r.stderr
