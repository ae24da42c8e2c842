"""The legend strip: state marks drawn as the canvas draws them (shape + colour, no font glyph that may be
missing), and a projector scale that makes the whole strip larger."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from desktop.style import STATUS


def _image(legend) -> QImage:
    img = QImage(legend.size(), QImage.Format.Format_ARGB32)
    img.fill(0xFFFFFFFF)
    legend.render(img, QPoint(0, 0))
    return img


def _has_colour_near(img: QImage, x: float, y: float, colour: str, r: int = 4) -> bool:
    want = QColor(colour)
    for dx in range(-r, r + 1):
        for dy in range(-r, r + 1):
            c = img.pixelColor(int(x) + dx, int(y) + dy)
            if abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue()) < 30:
                return True
    return False


def test_state_marks_are_drawn_in_their_colours_and_the_strip_scales(qtbot):
    from desktop.panels.legend import ROW, LegendOverlay

    host = QWidget()
    qtbot.addWidget(host)
    legend = LegendOverlay(host)
    legend.set_pods([("web-a", 0), ("web-b", 1)])
    legend.relayout(900)
    h1 = legend.height()
    img = _image(legend)
    marks = {kind: (x, y) for kind, _e, _t, x, y in legend._placed
             if kind in ("ready", "not_ready", "cordoned", "pending", "terminating")}
    assert set(marks) == {"ready", "not_ready", "cordoned", "pending", "terminating"}
    for kind, (x, y) in marks.items():  # each mark is its state's colour where the canvas would draw it
        assert _has_colour_near(img, x + 10, y + ROW / 2, STATUS[kind]), kind
    legend.set_scale(1.5)
    legend.relayout(900)
    assert legend.width() == 900
    rows1 = round((h1 - 8) / ROW)
    assert legend.height() >= round(h1 * 1.5) - 2  # same or more rows, each 1.5 times as tall
    img = _image(legend)
    x, y = next((x, y) for kind, _e, _t, x, y in legend._placed if kind == "terminating")
    assert _has_colour_near(img, (x + 10) * 1.5, (y + ROW / 2) * 1.5, STATUS["terminating"])
    assert rows1 >= 1


def test_the_strip_keeps_two_rows_at_1280x720_naming_pods_as_the_charts_do_when_they_crowd(qtbot):
    """Under a 1280x720 canvas (~993 px): 3 pods with full names and the marks fit 2 rows (they took 3 with the
    marks on a row of their own); a 4th pod after a node failure made it 3 rows again and the canvas shrank:
    then the pods are named as the chart bars name them."""
    from desktop.panels.legend import ROW, LegendOverlay

    host = QWidget()
    qtbot.addWidget(host)
    legend = LegendOverlay(host)
    names = ["web-hgh9hklrmj-fcgz8", "web-hgh9hklrmj-fspkf", "web-hgh9hklrmj-lpgsr", "web-hgh9hklrmj-wjtxd"]
    legend.set_pods([(n, i) for i, n in enumerate(names[:3])])
    legend.relayout(993)
    assert legend.height() == 2 * ROW + 8
    assert [t for k, _e, t, _x, _y in legend._placed if k == "pod"] == names[:3]  # full names while they fit
    legend.set_pods([(n, i) for i, n in enumerate(names)])
    legend.relayout(993)
    assert legend.height() == 2 * ROW + 8
    assert [t for k, _e, t, _x, _y in legend._placed if k == "pod"] == ["…-fcgz8", "…-fspkf", "…-lpgsr", "…-wjtxd"]
    legend.relayout(1900)  # room: full names again
    assert [t for k, _e, t, _x, _y in legend._placed if k == "pod"] == names


def test_the_projectors_large_legend_is_drawn_smaller_rather_than_taking_the_canvas(qtbot):
    """Projector mode (1.5x) with the charts beside the canvas: the strip took 6 rows, ~150 px, of a 630 px
    wide canvas; with a height limit it is drawn at the largest scale that keeps it (not below 1x)."""
    from desktop.panels.legend import LegendOverlay

    host = QWidget()
    qtbot.addWidget(host)
    legend = LegendOverlay(host)
    legend.set_pods([("web-hgh9hklrmj-fcgz8", 0), ("web-hgh9hklrmj-fspkf", 1), ("web-hgh9hklrmj-lpgsr", 2)])
    legend.set_scale(1.5)
    legend.relayout(630)
    tall = legend.height()
    assert legend.drawn_scale == 1.5 and tall > 120
    legend.most_height = 106
    legend.relayout(630)
    assert legend.height() <= 106 and 1.0 <= legend.drawn_scale < 1.5
    assert legend.scale == 1.5  # what projector mode asked for stays asked
    legend.relayout(1900)  # room: the asked size
    assert legend.drawn_scale == 1.5
    legend.most_height = 10  # never below the usual size
    legend.relayout(630)
    assert legend.drawn_scale == 1.0
