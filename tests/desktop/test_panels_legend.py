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
