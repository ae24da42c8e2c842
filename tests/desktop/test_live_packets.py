"""The packet layer: positions interpolated along each packet's waypoints, drawn from one array."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from desktop.canvas.packets import PacketLayer

_SCENES: list[QGraphicsScene] = []


def _layer(qapp) -> PacketLayer:
    layer = PacketLayer()
    scene = QGraphicsScene()
    scene.addItem(layer)
    _SCENES.append(scene)  # the scene owns the item: keep it alive for the test
    return layer


def test_positions_interpolate_along_the_waypoints(qapp):
    layer = _layer(qapp)
    # packet 7: (0,0) at t=0 -> (100,0) at t=1 -> (100,50) at t=3; packet 8: (10,10) -> (20,30), t=2..4
    pts = np.array([[[0, 0], [100, 0], [100, 50]], [[10, 10], [20, 30], [20, 30]]], float)
    times = np.array([[0, 1, 3], [2, 4, np.inf]], float)
    layer.add(np.array([7, 8]), np.array([0, 1]), pts, times, np.array([3, 2]), np.array([False, True]), 0.5)
    visible, pos, reached = layer.positions(0.25)
    assert visible.tolist() == [True, False]  # packet 8 has not left yet
    assert pos[0].tolist() == [25.0, 0.0]
    visible, pos, reached = layer.positions(2.0)  # half way along packet 7's second leg; packet 8 starts
    assert pos.tolist() == [[100.0, 25.0], [10.0, 10.0]]
    assert reached.tolist() == [1, 0]
    visible, pos, _ = layer.positions(3.25)  # packet 7 rests at its end for its 0.5 s linger
    assert visible.tolist() == [True, True] and pos[0].tolist() == [100.0, 50.0]
    assert pos[1].tolist() == [16.25, 22.5]  # 1.25 s of its 2 s leg: 10 + 0.625 * 10, 10 + 0.625 * 20
    visible, _, _ = layer.positions(3.6)
    assert visible.tolist() == [False, True]
    layer.set_clock(3.6)
    layer.expire()
    assert layer.uid.tolist() == [8]


def test_the_fragment_buffer_stays_bounded_when_the_sprite_size_changes(qapp):
    layer = _layer(qapp)
    img = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
    rng = np.random.default_rng(1)
    for n in [100, 6000] * 5:  # crossing the crowd threshold switches sprite size every frame
        layer.clear()
        pts = rng.uniform(0, 400, (n, 2, 2))
        layer.add(np.arange(n), rng.integers(0, 64, n), pts, np.stack([np.full(n, -1.0), np.full(n, 9.0)], 1),
                  np.full(n, 2), np.zeros(n, bool))
        p = QPainter(img)
        layer.paint(p, None, None)
        p.end()
        assert layer._hit_uid.size == n
    assert layer._frag.shape[0] <= 12000


def _paint(layer, w: int = 400, h: int = 300) -> None:
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    p = QPainter(img)
    layer.paint(p, None, None)
    p.end()


def _caption_packet(layer) -> None:
    """One packet (50,150) -> hop (200,150) -> (350,150) at t = 0, 1, 2, rewritten at the hop."""
    pts = np.array([[[50, 150], [200, 150], [350, 150]]], float)
    layer.add(np.array([1]), np.array([0]), pts, np.array([[0.0, 1.0, 2.0]]), np.array([3]), np.array([False]),
              0.5, captions={1: [(1, "DNAT → 10.244.1.2:8080")]})


def test_a_caption_stands_beside_its_hop_off_the_canvas_text(qapp):
    """The caption names the hop that rewrites: it stays beside that hop while the packet travels on (it rode
    with the packet and covered the node headers it passed), and never covers a rectangle of text."""
    from PySide6.QtCore import QRectF

    from desktop.canvas.packets import CAPTION_GAPS

    layer = _layer(qapp)
    _caption_packet(layer)
    # text around the hop: a node header above it, pods on it and to its right (where the caption used to go)
    text = [QRectF(140, 100, 120, 30), QRectF(170, 140, 60, 20), QRectF(240, 120, 150, 28)]
    layer.set_obstacles(text)
    boxes = []
    for clock in (1.1, 1.5, 1.9):
        layer.set_clock(clock)
        _paint(layer)
        assert len(layer.caption_boxes) == 1
        box, hop, caption = layer.caption_boxes[0]
        assert caption == "DNAT → 10.244.1.2:8080" and (hop.x(), hop.y()) == (200.0, 150.0)
        for r in text:
            assert not box.intersects(r), (box, r)
        assert QRectF(0, 0, 400, 300).contains(box)
        reach = max(CAPTION_GAPS) + 1
        assert box.adjusted(-reach, -reach, reach, reach).contains(hop)  # beside the hop
        boxes.append(box)
    assert boxes[0] == boxes[1] == boxes[2]  # it stays put while the packet moves on
    layer.set_clock(2.2)  # the packet has reached the next hop: the caption stays until then
    _paint(layer)
    assert len(layer.caption_boxes) == 1
    layer.set_clock(0.5)  # not rewritten yet
    _paint(layer)
    assert layer.caption_boxes == []


def test_a_caption_with_no_free_spot_is_left_out(qapp):
    from PySide6.QtCore import QRectF

    layer = _layer(qapp)
    _caption_packet(layer)
    layer.set_obstacles([QRectF(0, 0, 400, 300)])  # text everywhere (a dense cluster zoomed out)
    layer.set_clock(1.5)
    _paint(layer)
    assert layer.caption_boxes == []


def test_a_status_note_moves_off_text_above_its_node(qapp):
    """"NotReady · evicting in 7 s" goes above its node's top edge; where a box of text is there (a
    workload), the nearest free spot instead; with no free spot it is still drawn (a node's state must
    be seen)."""
    from PySide6.QtCore import QRectF

    layer = _layer(qapp)
    layer.set_labels([(200.0, 150.0, "NotReady · evicting in 7 s", "#D55E00")])
    _paint(layer)
    (box, _t), = layer.label_boxes
    assert box.bottom() <= 150 and abs(box.center().x() - 200) < 1  # above the top edge, centred
    workload = QRectF(120, 110, 160, 38)
    layer.set_obstacles([workload])
    _paint(layer)
    (box, _t), = layer.label_boxes
    assert not box.intersects(workload)
    layer.set_obstacles([QRectF(0, 0, 400, 300)])
    _paint(layer)
    assert len(layer.label_boxes) == 1


def test_two_neighbouring_nodes_notes_do_not_cover_each_other(qapp):
    """Two failed nodes side by side (the demo's node-1 failed by hand, node-2 by its timeline, at 1280x720
    their notes are ~190 px wide, the nodes ~105 px apart): both notes readable, neither over a workload."""
    from PySide6.QtCore import QRectF

    layer = _layer(qapp)
    layer.set_labels([(160.0, 150.0, "NotReady · evicting in 5 s", "#D55E00"),
                      (265.0, 150.0, "down · NotReady in 5 s", "#D55E00")])
    workloads = [QRectF(120, 90, 70, 18), QRectF(210, 90, 70, 18)]
    headers = [QRectF(110, 150, 100, 25), QRectF(215, 150, 100, 25)]
    layer.set_obstacles(workloads + headers)
    _paint(layer, 600, 300)
    (a, _), (b, _) = layer.label_boxes
    assert not a.intersects(b)
    for box, x in ((a, 160.0), (b, 265.0)):
        assert not any(box.intersects(r) for r in workloads + headers), box
        assert box.left() <= x <= box.right() and box.bottom() <= 150  # over its own node, above it


def test_a_note_slides_off_a_zone_name_but_stays_over_its_node(qapp):
    """At 1920x1080 the demo's "zone zone-a" sits just above node-1's top left: node-1's note went beside the
    neighbour's note space, over node-2, and was read as node-2's."""
    from PySide6.QtCore import QRectF

    layer = _layer(qapp)
    layer.set_labels([(200.0, 150.0, "NotReady · pods evicted", "#D55E00")])
    zone_name = QRectF(110, 128, 50, 12)  # above the node's left part
    layer.set_obstacles([zone_name, QRectF(140, 150, 120, 30)])  # and the node's header
    _paint(layer)
    (box, _t), = layer.label_boxes
    assert not box.intersects(zone_name)
    assert box.left() <= 200 <= box.right() and box.bottom() <= 150


def test_an_obstacle_counts_only_from_the_zoom_its_text_is_drawn_at(qapp):
    """A zone's name is not drawn when it would be too small to read: the note may stand where it would be."""
    from PySide6.QtCore import QRectF

    layer = _layer(qapp)
    layer.set_labels([(200.0, 150.0, "cordoned", "#0072B2")])
    name = QRectF(100, 100, 200, 48)
    layer.set_obstacles([(name.left(), name.top(), name.right(), name.bottom(), 2.0)])  # drawn from 2x zoom
    _paint(layer)  # at 1x
    (box, _t), = layer.label_boxes
    assert box.intersects(name) and abs(box.center().x() - 200) < 1  # straight above the node, as without it
    layer.set_obstacles([(name.left(), name.top(), name.right(), name.bottom(), 0.5)])
    _paint(layer)
    (box, _t), = layer.label_boxes
    assert not box.intersects(name)


def test_captions_and_notes_grow_with_the_canvas_text_in_projector_mode(qapp):
    """Projector mode scales the canvas's names 1.5x; the captions stayed 13 px (HG: the smallest text on
    screen was the one the class must read)."""
    from types import SimpleNamespace

    from desktop.canvas.packets import CAPTION_PX

    layer = _layer(qapp)
    _caption_packet(layer)
    layer.set_labels([(200.0, 100.0, "cordoned", "#0072B2")])
    layer.set_clock(1.5)
    _paint(layer, 600, 300)
    (small_box, _h, _t), = layer.caption_boxes
    small_note = layer.label_boxes[0][0]
    layer.scene().renderer = SimpleNamespace(text_scale=1.5)  # what ClusterScene.set_projector sets
    _paint(layer, 600, 300)
    assert layer.caption_font.pixelSize() == round(CAPTION_PX * 1.5)
    (big_box, _h, _t), = layer.caption_boxes
    assert big_box.height() > small_box.height() * 1.3 and big_box.width() > small_box.width() * 1.3
    assert layer.label_boxes[0][0].height() > small_note.height() * 1.3
    layer.scene().renderer = SimpleNamespace(text_scale=1.0)
    _paint(layer, 600, 300)
    assert layer.caption_font.pixelSize() == CAPTION_PX
