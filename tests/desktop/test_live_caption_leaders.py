"""Address-rewrite captions keep a short leader line: the free spot nearest their hop, never one further than
``CAPTION_LEADER_MAX``; a caption of several rewrites is stacked one per line where that fits nearer, and a
caption with no spot that near is left out. A user test at 1920x1080: for hops at a node's centre the
leader lines ran ~150-200 px across the node's header and its neighbours."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF

from desktop.canvas.packets import _nearest_on
from tests.desktop.test_live_packets import _layer, _paint

HOP = (400.0, 300.0)
TWO = "DNAT → 10.244.1.44:80 · SNAT → 192.168.0.11"


def _packet(layer, text: str) -> None:
    """One packet (100,300) -> hop (400,300) -> (700,300) at t = 0, 1, 2, rewritten at the hop."""
    pts = np.array([[[100, 300], [*HOP], [700, 300]]], float)
    layer.add(np.array([1]), np.array([0]), pts, np.array([[0.0, 1.0, 2.0]]), np.array([3]), np.array([False]),
              0.5, captions={1: [(1, text)]})
    layer.set_clock(1.5)


def _leader(box: QRectF, hop) -> float:
    edge = _nearest_on(box, hop)
    return math.hypot(edge.x() - hop.x(), edge.y() - hop.y())


def test_the_nearest_free_spot_wins(qapp):
    from desktop.canvas.packets import CAPTION_GAPS

    layer = _layer(qapp)
    _packet(layer, "DNAT → 10.244.1.2:8080")
    _paint(layer, 800, 600)
    (box, hop, text), = layer.caption_boxes
    assert text == "DNAT → 10.244.1.2:8080"
    assert _leader(box, hop) == CAPTION_GAPS[0] and box.left() > hop.x()  # right beside it, as before
    # text right and left of the hop (a node's pods): above or below it, not a corner further off
    layer.set_obstacles([QRectF(150, 285, 240, 30), QRectF(410, 285, 240, 30)])
    _paint(layer, 800, 600)
    (box, hop, _t), = layer.caption_boxes
    assert abs(box.center().x() - hop.x()) < 1 and _leader(box, hop) <= 30


def test_a_hop_inside_a_crowded_node_gets_no_caption_across_the_canvas(qapp):
    """Text all around the hop for 110-140 px (a node and its neighbours); free canvas beyond: the caption is
    left out rather than drawn at the end of a ~144 px line (what the placement did)."""
    from desktop.canvas.packets import CAPTION_LEADER_MAX

    layer = _layer(qapp)
    _packet(layer, "DNAT → 10.244.1.2:8080")
    layer.set_obstacles([QRectF(260, 190, 280, 220)])
    _paint(layer, 800, 600)
    assert all(_leader(b, h) <= CAPTION_LEADER_MAX for b, h, _t in layer.caption_boxes), layer.caption_boxes
    assert layer.caption_boxes == []
    layer.set_obstacles([QRectF(320, 240, 160, 120)])  # a smaller node: a free spot within reach
    _paint(layer, 800, 600)
    (box, hop, _t), = layer.caption_boxes
    assert _leader(box, hop) <= CAPTION_LEADER_MAX
    assert not box.intersects(QRectF(320, 240, 160, 120))


def test_a_two_rewrite_caption_is_stacked_where_one_line_finds_no_room(qapp):
    """Free room only in a 200 px wide gap above the hop: DNAT and SNAT one above the other fit there, the one
    line (~300 px) nowhere (it was left out)."""
    from desktop.canvas.packets import CAPTION_LEADER_MAX

    layer = _layer(qapp)
    _packet(layer, TWO)
    gap = QRectF(300, 220, 200, 65)
    text = [QRectF(0, 0, 800, 220), QRectF(0, 285, 800, 315), QRectF(0, 220, 300, 65), QRectF(500, 220, 300, 65)]
    layer.set_obstacles(text)
    _paint(layer, 800, 600)
    (box, hop, shown), = layer.caption_boxes
    assert shown == "DNAT → 10.244.1.44:80\nSNAT → 192.168.0.11"
    assert gap.contains(box) and _leader(box, hop) <= CAPTION_LEADER_MAX
    # with room, it stays on one line
    layer.set_obstacles([])
    _paint(layer, 800, 600)
    (box, _h, shown), = layer.caption_boxes
    assert shown == TWO


def test_the_leader_bound_grows_with_the_text_in_projector_mode(qapp):
    from types import SimpleNamespace

    from desktop.canvas.packets import CAPTION_LEADER_MAX

    layer = _layer(qapp)
    _packet(layer, "DNAT → 10.244.1.2:8080")
    # free only ~100 px above the hop: beyond the bound at 1x, within it at 1.5x (the captions, their gaps
    # and their reach are all 1.5x bigger)
    layer.set_obstacles([QRectF(0, 210, 800, 390), QRectF(0, 0, 800, 120)])
    _paint(layer, 800, 600)
    assert layer.caption_boxes == []
    layer.scene().renderer = SimpleNamespace(text_scale=1.5)
    _paint(layer, 800, 600)
    (box, hop, _t), = layer.caption_boxes
    assert CAPTION_LEADER_MAX < _leader(box, hop) <= CAPTION_LEADER_MAX * 1.5
