"""``podpath snapshot`` renders the live view offscreen: an image of the requested size with content."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
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


def _colour_near(img: QImage, x: float, y: float, colour: str, radius: int = 2, tol: int = 40) -> bool:
    from PySide6.QtGui import QColor

    want = QColor(colour)
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            px = img.pixelColor(int(x) + dx, int(y) + dy)
            if abs(px.red() - want.red()) + abs(px.green() - want.green()) + abs(px.blue() - want.blue()) <= tol:
                return True
    return False


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_snapshot_is_a_slide_the_cluster_large_with_packets_in_flight_charts_and_the_newest_events(tmp_path, qapp,
                                                                                                    size):
    from desktop.live.snapshot import render_snapshot
    from desktop.panels.events import format_time
    from desktop.style import endpoint_style

    out = tmp_path / "slide.png"
    lay: dict = {}
    w, h = size
    assert render_snapshot(DEMO, 25.5, out, size, layout=lay) == size
    img = QImage(str(out))
    assert (img.width(), img.height()) == size
    k = h / 720
    # the cluster fills most of the image: at least 3/4 of its width or 2/3 of its height, at least half size
    # (the whole window at its default fit put it at 0.29: pod names were not drawn)
    drawn = lay["drawn"]
    assert drawn.width() >= 0.75 * w or drawn.height() >= 0.6 * h
    assert lay["fit"] >= 0.45 * k
    assert drawn.top() >= lay["header"].bottom() and drawn.bottom() <= lay["charts"].top()
    # the cluster itself is drawn there: its background is not all there is
    bg = img.pixelColor(int(drawn.left()) + 2, int(drawn.top()) + 2)
    samples = [img.pixelColor(int(drawn.left() + drawn.width() * i / 60), int(drawn.top() + drawn.height() * j / 40))
               for i in range(60) for j in range(40)]
    assert sum(1 for c in samples if c != bg) > 0.15 * len(samples)
    # packets in flight, drawn where the packet layer says, in their destination pod's colour
    packets = lay["packets"]
    assert len(packets) >= 5
    source, fit = lay["source"], lay["fit"]
    hits = 0
    for x, y, uid in packets:
        ix, iy = drawn.left() + (x - source.left()) * fit, drawn.top() + (y - source.top()) * fit
        assert drawn.contains(ix, iy)
        style = lay["styles"].get(uid, -1)
        if style >= 0 and _colour_near(img, ix, iy, endpoint_style(style)[0]):
            hits += 1
    assert hits >= len(packets) // 2, (hits, len(packets))
    # the charts strip: the share bars in the pods' colours
    strip = lay["charts"]
    colours = set(lay["chart_colours"])
    assert len(colours) == 3  # the demo's three web pods
    found = set()
    for c in colours:
        for yy in range(int(strip.top()), int(strip.bottom()), 4):
            if any(_colour_near(img, xx, yy, c, radius=0, tol=10) for xx in range(0, int(strip.width() * 0.33), 4)):
                found.add(c)
                break
    assert len(found) >= 2  # the pod on the failed node-2 gets (almost) no share by 25.5 s: a flat bar
    # the newest events beside the cluster, newest last, times as the UI prints them
    shown = lay["events_shown"]
    assert shown and shown[-1][0] == format_time(25.0)
    assert any("NodeNotReady" in text for _t, text, _c in shown)
    times = [float(t.split()[0]) for t, _x, _c in shown]
    assert times == sorted(times)
