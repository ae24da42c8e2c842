"""Captions and notes are placed by one vectorised search (every candidate spot tested at once against the
canvas's text and the boxes already placed): it picks what the plain search it replaced picks -- the first
spot, in the documented order, inside the view, overlapping no placed box and no text -- and notes whose
text alone changes (a countdown) keep their places without a new search."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter, QTransform

from desktop.canvas.packets import CAPTION_GAPS, NOTE_GAPS, Boxes, PacketLayer


def _plain_place(layer, m, point, w, h, gaps, taken, bounds, order, text, leader):
    """The search written as a loop over QRectF spots (the implementation before, kept as the reference)."""
    x, y = point.x(), point.y()
    if order == "note":
        slides = [0.0] + [sign * k * w / 8 for k in range(1, 5) for sign in (1, -1)]
        spots = [(x - w / 2 + sl, y - g - h) for g in gaps for sl in slides]
        spots += [(x - w / 2 + sl, y + g) for g in gaps for sl in slides]
    else:
        spots = []
        for g in gaps:
            spots += [(x + g, y - h / 2), (x - g - w, y - h / 2), (x - w / 2, y - g - h), (x - w / 2, y + g),
                      (x + g, y - g - h), (x + g, y + g), (x - g - w, y - g - h), (x - g - w, y + g)]

        def lead(s):
            return float(np.hypot(max(s[0] - x, 0.0, x - (s[0] + w)), max(s[1] - y, 0.0, y - (s[1] + h))))

        spots.sort(key=lead)
        if leader is not None:
            spots = [s for s in spots if lead(s) <= leader + 1e-6]
    ob = layer.obstacles
    sx, sy = m.m11(), m.m22()
    texts = [QRectF(QPointF(min(lf * sx, r * sx) + m.dx(), min(t * sy, b * sy) + m.dy()),
                    QPointF(max(lf * sx, r * sx) + m.dx(), max(t * sy, b * sy) + m.dy()))
             for lf, t, r, b, least in ob if least <= abs(sx) + 1e-9] if text else []
    for bx, by in spots:
        box = QRectF(bx, by, w, h)
        if bounds is not None and not bounds.contains(box):
            continue
        if any(box.intersects(b) for b in taken):
            continue
        if any(box.adjusted(-1, -1, 1, 1).intersects(t) for t in texts):
            continue
        return box
    return None


def test_the_vectorised_search_picks_the_spot_the_plain_search_picks(qapp):
    rng = np.random.default_rng(5)
    layer = PacketLayer()
    found = 0
    for _trial in range(60):
        n = int(rng.integers(0, 300))
        xy = rng.uniform(0, 1500, (n, 2))
        least = np.where(rng.random(n) < 0.2, rng.uniform(0, 2, n), 0.0)
        layer.set_obstacles(np.c_[xy, xy + rng.uniform(5, 120, (n, 2)), least])
        s = float(rng.uniform(0.3, 2.0))
        m = QTransform(s, 0, 0, s, float(rng.uniform(-200, 200)), float(rng.uniform(-200, 200)))
        taken = Boxes(QRectF(*rng.uniform(0, 1200, 2), *rng.uniform(10, 150, 2)) for _ in range(int(rng.integers(0, 20))))
        bounds = None if rng.random() < 0.2 else QRectF(0, 0, float(rng.uniform(600, 1900)), float(rng.uniform(400, 1100)))
        for _ in range(8):
            p = QPointF(*rng.uniform(0, 1500, 2))
            w, h = float(rng.uniform(20, 200)), float(rng.uniform(12, 40))
            order = "note" if rng.random() < 0.5 else "caption"
            gaps = NOTE_GAPS if order == "note" else CAPTION_GAPS
            text = bool(rng.random() < 0.8)
            leader = None if order == "note" or rng.random() < 0.3 else float(rng.uniform(20, 100))
            got = layer._place(m, p, w, h, gaps, taken, bounds, order=order, text=text, leader=leader)
            want = _plain_place(layer, m, p, w, h, gaps, list(taken), bounds, order, text, leader)
            assert (got is None) == (want is None)
            if got is not None:
                found += 1
                assert got.getRect() == want.getRect()
                taken.append(got)
    assert found > 100  # (the cases are not all crowded out)


def test_notes_whose_text_alone_changes_keep_their_places_without_a_new_search(qapp, monkeypatch):
    layer = PacketLayer()
    layer.set_obstacles(np.array([[90.0, 40.0, 210.0, 95.0, 0.0]]))
    image = QImage(800, 600, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    try:
        layer.set_labels([(150.0, 100.0, "NotReady · evicting in 5 s", "#D55E00"), (500.0, 100.0, "cordoned", "#0072B2")])
        first = layer._place_labels(painter)
        searches = []
        real = PacketLayer._place
        monkeypatch.setattr(PacketLayer, "_place", lambda self, *a, **k: searches.append(1) or real(self, *a, **k))
        layer.set_labels([(150.0, 100.0, "NotReady · evicting in 4 s", "#D55E00"), (500.0, 100.0, "cordoned", "#0072B2")])
        second = layer._place_labels(painter)
        assert searches == [] and [b.getRect() for b, *_ in second] == [b.getRect() for b, *_ in first]
        assert [t for _b, t, *_ in second] == ["NotReady · evicting in 4 s", "cordoned"]  # the new text is drawn
        layer.set_labels([(150.0, 100.0, "NotReady · pods evicted", "#D55E00"), (500.0, 100.0, "cordoned", "#0072B2")])
        layer._place_labels(painter)
        assert searches, "a note of another width is placed again"
    finally:
        painter.end()
