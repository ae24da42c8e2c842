"""``podpath snapshot`` renders the live view offscreen: an image of the requested size with content."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage

from core.cli import main as cli_main
from tests.desktop.live_helpers import DEMO, ROOT


def _non_blank(img: QImage) -> int:
    """Distinct colours on a 40 x 40 grid of sample points (a blank image has one)."""
    seen = set()
    for i in range(40):
        for j in range(40):
            seen.add(img.pixel(int(i * (img.width() - 1) / 39), int(j * (img.height() - 1) / 39)))
    return len(seen)


def test_snapshot_command_writes_a_png_of_the_requested_size(tmp_path):
    out = tmp_path / "shot.png"
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("DISPLAY", None)
    proc = subprocess.run([sys.executable, "-m", "core", "snapshot", str(DEMO), "--at", "24", "-o", str(out),
                           "--size", "1024x640"], env=env, capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.strip() == f"wrote {out} (1024x640, t = 24 s)"
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1024, 640)
    assert _non_blank(img) > 20


def test_snapshot_svg_in_process(tmp_path, qapp):
    from desktop.live.snapshot import render_snapshot

    out = tmp_path / "shot.svg"
    assert render_snapshot(DEMO, 3.0, out, (800, 600)) == (800, 600)
    text = out.read_text()
    assert text.lstrip().startswith("<?xml") and 'width="800' in text.replace("px", "")
    assert text.count("<path") + text.count("<image") > 50


def test_snapshot_refuses_bad_sizes_and_outputs(capsys):
    assert cli_main(["snapshot", str(DEMO), "--at", "1", "-o", "x.gif"]) == 2
    assert "must end in .png or .svg" in capsys.readouterr().err
    assert cli_main(["snapshot", str(DEMO), "--at", "1", "-o", "x.png", "--size", "12x7"]) == 2
    assert "width must be 320" in capsys.readouterr().err
    assert cli_main(["snapshot", str(DEMO), "--at", "1", "-o", "x.png", "--size", "big"]) == 2
    assert "is not WIDTHxHEIGHT" in capsys.readouterr().err
