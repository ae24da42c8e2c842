"""The live view laid out for a 1280x720 projector and read from the back of the room: the canvas gets the
room the docks and the legend can spare, the events list shows lines, and the address-rewrite captions and
node notes never cover the canvas's text (node names and addresses, pods, Services)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from tests.desktop.live_helpers import DEMO


@pytest.fixture
def small(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop.live import install
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    w.session.open(DEMO)
    view = w.install_late("live", install)
    qtbot.wait(100)
    yield view
    view.shutdown()
    w.session.undo_stack.setClean()


def test_at_1280x720_the_canvas_gets_the_room_and_the_events_list_shows_lines(small):
    """Measured before: canvas 993x335 px (legend 3 rows, 62 px; charts dock 190 px), events list 2 rows."""
    from desktop.panels.legend import ROW

    w = small.window
    vp = w.view.viewport()
    assert vp.width() >= 980 and vp.height() >= 365, (vp.width(), vp.height())
    assert small.legend.height() <= 2 * ROW + 8  # two rows: the pods and the marks flow on
    assert small.legend.geometry().bottom() <= w.view.height()
    tree = small.events.tree
    row = tree.sizeHintForRow(0) if tree.topLevelItemCount() else 18
    assert tree.viewport().height() >= 7 * row, (tree.viewport().height(), row)
    assert small.charts.share_plot.getViewBox().height() >= 60  # the bars still say something
    # the events list shows what happened, not the first two columns of it
    assert tree.isColumnHidden(1)
    assert tree.header().sectionViewportPosition(3) <= tree.viewport().width() - 100


def _text_rects(w) -> list[QRectF]:
    """The canvas's text in viewport pixels: node headers (name, IP, podCIDR, state), pods, every other box."""
    from desktop.canvas.picture import NODE_HEADER

    pic = w.scene.picture
    out = []
    for box in pic.boxes.values():
        r = QRectF(box.rect)
        if box.kind == "zone":
            continue
        if box.kind == "node":
            r.setHeight(min(NODE_HEADER, r.height()))
        out.append(w.view.mapFromScene(r).boundingRect().toRectF())
    out += [w.view.mapFromScene(p.rect).boundingRect().toRectF() for p in pic.pods.values()]
    return out


def test_captions_stand_beside_their_hop_and_never_cover_node_headers_pods_or_services(small, qtbot):
    """At 1280x720 ``DNAT → …`` rode with its packet and covered node-1's and node-3's names and addresses."""
    w = small.window
    texts = _text_rects(w)
    assert texts
    seen = 0
    d = small.driver
    d.play()
    try:
        for _ in range(80):
            qtbot.wait(40)
            w.view.viewport().repaint()
            for box, _hop, caption in small.layer.caption_boxes:
                seen += 1
                hits = [r for r in texts if box.intersects(r)]
                assert not hits, (caption, box, hits)
                assert QRectF(w.view.viewport().rect()).contains(box)
            if seen >= 12:
                break
    finally:
        d.pause()
    assert seen >= 3  # the demo's NodePort, LoadBalancer and ingress paths rewrite addresses


def test_a_failed_nodes_note_covers_no_text(small, qtbot):
    w = small.window
    assert small.apply("failNode", "node-1")
    small.driver.play()
    try:
        qtbot.waitUntil(lambda: bool(small.layer.labels), timeout=5000)
        w.view.viewport().repaint()
    finally:
        small.driver.pause()
    texts = _text_rects(w)
    assert small.layer.label_boxes
    for box, text in small.layer.label_boxes:
        assert not [r for r in texts if box.intersects(r)], text
