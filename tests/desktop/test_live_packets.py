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
