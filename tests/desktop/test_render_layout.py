"""The renderer's text layout: a node's name, address and podCIDR never overlap at any zoom; projector mode keeps
every drawn text at a size readable from the back of a room; every pod and node state has its own shape and
colour (drawn as lines, not font glyphs that may be missing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from desktop.canvas import render
from desktop.canvas.picture import NODE_HEADER
from desktop.canvas.render import FIT, LINE, STATUS_SHAPE, Renderer, status_path
from desktop.style import LIGHT, STATUS

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "resources/lessons/01-why-services.yaml"
LODS = (0.2, 0.3, 0.45, 0.55, 0.8, 1.0, 1.5, 2.5)


@pytest.fixture
def picture(qtbot):
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open(LESSON)
    return w.scene.picture


def _draw(picture, lod: float, projector: bool, labelled=()) -> list[tuple[str, float, float, float]]:
    """(text, x, y, on-screen size) of every text the renderer drew at ``lod``."""
    renderer = Renderer(LIGHT)
    renderer.text_scale = 1.5 if projector else 1.0
    renderer.labelled = set(labelled)
    drawn = []
    original = renderer._text_px

    def spy(p, at, text, base_px, size_px, lod_, *args, **kw):
        ok = original(p, at, text, base_px, size_px, lod_, *args, **kw)
        if ok:
            drawn.append((text, at.x(), at.y(), size_px))
        return ok

    renderer._text_px = spy
    image = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.scale(lod, lod)
    renderer.draw(painter, picture, picture.bounds, lod)
    painter.end()
    return drawn


@pytest.mark.parametrize("projector", [False, True], ids=["desk", "projector"])
def test_node_header_rows_never_overlap_at_any_zoom(picture, projector):
    nodes = [b for b in picture.boxes.values() if b.kind == "node"]
    assert len(nodes) == 3
    for lod in LODS:
        drawn = _draw(picture, lod, projector)
        for node in nodes:
            r = node.rect
            rows = sorted((y, size, text) for text, x, y, size in drawn
                          if r.left() <= x <= r.right() and r.top() <= y < r.top() + NODE_HEADER)
            for (y0, s0, t0), (y1, _s1, t1) in zip(rows, rows[1:]):
                assert y0 + s0 * FIT / lod <= y1 + 1e-6, (lod, t0, t1)  # each row ends before the next begins
            if rows:
                y, size, _ = rows[-1]
                assert y + size * FIT / lod <= r.top() + NODE_HEADER + 1e-6, lod  # and above the pods
                assert rows[0][2] == node.title


def test_node_header_rows_worked_by_hand(picture):
    """At 1:1 on the desk: name 17 px at 8, the address line 13 px at 8 + 17·1.12 = 27.04, podCIDR at
    27.04 + 13·1.12 = 41.6 (scene units from the node's top). In projector mode at 0.5: the name is raised
    to 22 px, 22·1.12/0.5 = 49.28 units; 16 px of detail needs 17.28 px = 34.56 units, and only 76 − 57.28 =
    18.72 are left: the header is the name alone."""
    node = next(b for b in picture.boxes.values() if b.kind == "node" and b.title == "node-1")
    top = node.rect.top()
    desk = [(round(y - top, 2), s, t) for t, x, y, s in _draw(picture, 1.0, False)
            if node.rect.contains(QPointF(x, y)) and y < top + NODE_HEADER]
    assert desk[0] == (8.0, 17.0, "node-1")
    assert desk[1][:2] == (27.04, 13.0) and desk[1][2].startswith("192.168.0.10")
    assert desk[2][:2] == (41.6, 13.0) and desk[2][2] == "podCIDR 10.244.0.0/24"
    proj = [(round(y - top, 2), s, t) for t, x, y, s in _draw(picture, 0.5, True)
            if node.rect.contains(QPointF(x, y)) and y < top + NODE_HEADER]
    assert proj == [(8.0, 22.0, "node-1")]


def test_projector_text_is_readable_from_the_back_of_the_room(picture):
    """Projector mode: nothing is drawn below 13 px; from 0.45 up (lesson 1 fitted above its caption bar at
    1280×720) node names are about 22 px (22 px from 0.55 up) and a pod's name at least 16 px."""
    nodes = {b.title for b in picture.boxes.values() if b.kind == "node"}
    pods = {pb.name for pb in picture.pods.values() if not pb.client}  # a client's name may go to 13 px, whole
    for lod in LODS:
        drawn = _draw(picture, lod, True)
        assert drawn, lod
        for text, _x, _y, size in drawn:
            assert size >= render.MIN_PROJECTOR_TEXT_PX - 1e-9, (lod, text, size)
            if text in nodes and lod >= 0.55:
                assert size >= 22.0 - 1e-9, (lod, text, size)
            if text in nodes and lod >= 0.45:  # a narrow header sets the name a little smaller, not elided
                assert size >= 0.85 * 22.0, (lod, text, size)
            if text in pods:
                assert size >= 16.0 - 1e-9, (lod, text, size)
        if lod >= 0.45:
            assert nodes <= {t for t, *_ in drawn}, lod


def test_above_a_hundred_pods_cells_carry_no_text_but_the_selection_is_named(picture):
    """At 0.2 a pod cell is 42·0.2 = 8.4 px high: no name fits at 16 px, so pods are cells; a selected pod
    still gets its name tag at the projector's pod size (22·0.9 = 19.8 px)."""
    pod = next(pb for pb in picture.pods.values() if not pb.client)
    drawn = _draw(picture, 0.2, True)
    assert not any(t == pod.name for t, *_ in drawn)
    tagged = [(t, s) for t, _x, _y, s in _draw(picture, 0.2, True, labelled={pod.key})]
    assert (pod.name, pytest.approx(19.8)) in tagged


def test_every_state_has_its_own_shape_and_colour(picture, monkeypatch):
    shapes = {s: STATUS_SHAPE[s] for s in ("ready", "not_ready", "pending", "terminating", "cordoned")}
    assert len(set(shapes.values())) == 5
    assert len({STATUS[s] for s in shapes}) == 5
    masks = {}
    for s in shapes:  # the filled pixels of each outline: no two alike
        image = QImage(24, 24, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        painter.fillPath(status_path(s, QPointF(12, 12), 10.0), QColor("#000000"))
        painter.end()
        masks[s] = frozenset((x, y) for x in range(24) for y in range(24) if image.pixelColor(x, y).alpha() > 128)
    assert len(set(masks.values())) == 5
    # every pod (not a client) and every node gets a mark of its state
    marks = []
    monkeypatch.setattr(render, "draw_status_mark", lambda p, c, r, status, glyph=True: marks.append(status))
    _draw(picture, 1.0, False)
    pods = [pb for pb in picture.pods.values() if not pb.client]
    nodes = [b for b in picture.boxes.values() if b.kind == "node"]
    assert len(marks) == len(pods) + len(nodes)
    assert sorted(marks) == sorted([pb.status for pb in pods] + [b.status for b in nodes])


def test_state_glyphs_are_lines_not_font_characters(qtbot):
    """⌛ and ⦸ are missing from common fonts (an empty box on screen): the marks draw no text at all."""
    calls = []

    class Spy(QPainter):
        def drawText(self, *args):  # noqa: N802 (Qt name)
            calls.append(args)
            super().drawText(*args)

    image = QImage(60, 60, QImage.Format.Format_ARGB32_Premultiplied)
    for status in STATUS_SHAPE:
        painter = Spy(image)
        render.draw_status_mark(painter, QPointF(30, 30), 20, status)
        painter.end()
    assert calls == []
    probe = Spy(image)  # the spy does see text drawn through it
    probe.drawText(QPointF(5, 30), "x")
    probe.end()
    assert len(calls) == 1


def test_line_spacing_constants():
    assert LINE > FIT > 1.0  # rows advance by more than their glyphs need


def test_an_address_is_set_smaller_rather_than_cut(picture):
    """The Service's ClusterIP in its box (82 units high) at projector size: where 16 px does not fit (the box's
    width, or at 0.55 its height: 8 + 22·1.12/0.55 = 52.8 units used, 16·1.08/0.55 = 31.4 more needed, 27.2 left)
    it is drawn smaller, not under 13 px, and whole — "10.101.75.110", not "10.101.75.1…"."""
    service = next(b for b in picture.boxes.values() if b.kind == "service")
    ip = service.lines[0]
    for lod in (0.55, 0.6, 0.7):
        drawn = {t: s for t, *_xy, s in _draw(picture, lod, True)}
        assert ip in drawn, (lod, ip, [t for t in drawn if t.startswith(ip[:5])])
        assert 13.0 - 1e-9 <= drawn[ip] <= 16.0 + 1e-9


def test_addresses_are_never_cut_at_any_zoom(picture):
    """A node too narrow for "192.168.0.10  ·  Ready" at 13 px shows its address alone (its mark shows the
    state); no drawn address is ever elided."""
    import re

    address = re.compile(r"\d+\.\d+\.\d+")
    for projector in (False, True):
        for lod in LODS:
            for text, *_ in _draw(picture, lod, projector):
                if address.match(text):
                    assert "…" not in text, (projector, lod, text)
    node = next(b for b in picture.boxes.values() if b.kind == "node" and b.title == "node-1")
    rows = [t for t, x, y, _s in _draw(picture, 0.58, True) if node.rect.contains(QPointF(x, y))]
    assert rows[:2] == ["node-1", "192.168.0.10"]


def test_traffic_labels_grow_to_be_read_but_never_cover_each_other(picture):
    """Lesson 1's two Traffic labels at projector size: each grown to its text at 16 px (its box is far
    smaller at 0.5), and the grown bubbles do not overlap."""
    renderer = Renderer(LIGHT)
    renderer.text_scale = 1.5
    for lod in LODS:
        bubbles = renderer._bubbles(picture, lod)
        drawn = [v[0] for v in bubbles.values() if v is not None]
        for i, a in enumerate(drawn):
            assert not any(a.intersects(b) for b in drawn[i + 1:]), lod
    bubbles = renderer._bubbles(picture, 0.5)
    assert len(bubbles) == 2 and all(v is not None and v[1] == 16.0 for v in bubbles.values())
    texts = {t: s for t, *_xy, s in _draw(picture, 0.5, True)}
    assert texts.get("static-route · 10/s") == 16.0 and texts.get("via-service · 10/s") == 16.0


def test_crowded_traffic_labels_move_aside_instead_of_going_blank(qtbot):
    """Lesson 3 at projector size: three Traffic labels near one another (two were drawn as empty boxes at
    1280x720, seen under Xvfb). Each finds a free place just above or below its own, and none overlap."""
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open(ROOT / "resources/lessons/03-nodeport.yaml")
    picture = w.scene.picture
    renderer = Renderer(LIGHT)
    renderer.text_scale = 1.5
    for lod in (0.45, 0.55, 0.8, 1.0):
        bubbles = renderer._bubbles(picture, lod)
        assert len(bubbles) == 3 and None not in bubbles.values(), lod
        drawn = [v[0] for v in bubbles.values()]
        for i, a in enumerate(drawn):
            assert not any(a.intersects(b) for b in drawn[i + 1:]), lod
            assert picture.bounds.contains(a), lod
        # and none covers a node's name (the NodePort lesson is told by node names)
        from desktop.canvas.picture import NODE_HEADER

        for b in (b for b in picture.boxes.values() if b.kind == "node"):
            name = QRectF(b.rect.left(), b.rect.top(), b.rect.width(), NODE_HEADER * 0.5)
            assert not any(name.intersects(a) for a in drawn), (lod, b.title)


def test_ingress_and_load_balancer_boxes_are_named_in_projector_mode(qtbot):
    """Lesson 5 at 1280x720 (zoom ~0.55): the Ingresses and the load balancer were empty boxes. Every box
    draws its name (elided if it must be) at no less than the projector's name size (16 px at 1.5)."""
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open(ROOT / "resources/lessons/05-ingress.yaml")
    picture = w.scene.picture
    kinds = ("ingress", "lb")
    boxes = [b for b in picture.boxes.values() if b.kind in kinds]
    assert {b.kind for b in boxes} == set(kinds)
    for lod in (0.45, 0.55, 0.8):
        drawn = _draw(picture, lod, True)
        for b in boxes:
            inside = [(t, s) for t, x, y, s in drawn if b.rect.contains(QPointF(x, y))]
            assert inside and inside[0][1] >= 16.0, (lod, b.title, inside)


def test_short_box_names_shrink_before_they_are_elided(qtbot):
    """Lesson 5 at 1280x720 (zoom 0.41) showed the client 'browser' as 'br…er' and the nodes as 'node…': a
    name of up to 10 characters is set smaller (never below the 13 px minimum) rather than elided — an elided
    short name says nothing. The texts checked are those the painter really drew (after eliding)."""
    from PySide6.QtGui import QImage, QPainter

    from desktop.mainwindow import MainWindow

    class Recording(QPainter):
        def __init__(self, device):
            super().__init__(device)
            self.texts = []

        def drawText(self, *args):  # noqa: N802 (Qt override)
            self.texts.append(args[-1])
            return super().drawText(*args)

    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open(ROOT / "resources/lessons/05-ingress.yaml")
    picture = w.scene.picture
    short = {b.title for b in picture.boxes.values() if b.kind in ("client", "node", "service") and len(b.title) <= 10}
    assert {"browser", "node-1", "node-2", "cart"} <= short
    for lod in (0.41, 0.45, 0.5, 0.55):
        renderer = Renderer(LIGHT)
        renderer.text_scale = 1.5
        image = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
        painter = Recording(image)
        painter.scale(lod, lod)
        renderer.draw(painter, picture, picture.bounds, lod)
        painter.end()
        assert short <= set(painter.texts), (lod, short - set(painter.texts))


def test_a_service_name_takes_the_icons_room_rather_than_be_elided(qtbot):
    """1280x720 live view at 37 % (HB): 'web-clusterip' was drawn 'web-…erip' beside the Service icon though
    the box is wide enough for it: 236 x 0.37 = 87 px; beside the icon (236 - 36 - 12) x 0.37 = 69.6 px; the
    name at 10 px (the least before eliding) needs ~77 px. Without the icon, (236 - 14) x 0.37 = 82 px: whole."""
    from desktop.mainwindow import MainWindow

    class Recording(QPainter):
        def __init__(self, device):
            super().__init__(device)
            self.texts = []

        def drawText(self, *args):  # noqa: N802 (Qt override)
            self.texts.append(args[-1])
            return super().drawText(*args)

    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open(ROOT / "resources/scenarios/demo.yaml")
    picture = w.scene.picture
    renderer = Renderer(LIGHT)
    image = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
    painter = Recording(image)
    painter.scale(0.37, 0.37)
    renderer.draw(painter, picture, picture.bounds, 0.37)
    painter.end()
    assert {"web-clusterip", "web-nodeport", "web-headless"} <= set(painter.texts)


@pytest.mark.parametrize("lod", [0.78, 0.84, 1.0, 1.2])
def test_projector_keeps_the_deployment_line_of_every_workload(qtbot, lod):
    """The demo in projector mode at 1920x1080 (zoom 0.84): web and api lost their "Deployment · 3/3 ready"
    line (the 22 px name left ~11 px of the 52-unit badge, the line needs 13 px at least) while
    ingress-nginx-controller, its long name set smaller, kept it. Both lines now share the badge: the name at
    least 16 px, the line at least 13 px, not overlapping, inside the box. (Below ~0.76 the badge cannot hold
    both at those sizes: the name alone.)"""
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open(ROOT / "resources/scenarios/demo.yaml")
    picture = w.scene.picture
    workloads = [b for b in picture.boxes.values() if b.kind == "workload"]
    assert {b.title for b in workloads} >= {"web", "api", "ingress-nginx-controller"}
    drawn = _draw(picture, lod, True)
    for b in workloads:
        rows = sorted((y, s, t) for t, x, y, s in drawn if b.rect.contains(QPointF(x, y)))
        # the line whole, or (too wide to be whole) its count: "3/3 ready" rather than "Deployment ·…"
        assert len(rows) == 2 and rows[1][2] in (b.lines[0], b.lines[0].split(" · ", 1)[1]), (b.title, rows)
        (y0, name, _t0), (y1, line, _t1) = rows
        assert name >= 16.0 - 1e-9 and line >= render.MIN_PROJECTOR_TEXT_PX - 1e-9, (b.title, name, line)
        assert name >= line
        assert y0 + name * LINE / lod <= y1 + 1e-6  # the line starts below the name's
        assert y1 + line * FIT / lod <= b.rect.bottom() + 1e-6  # and ends inside the box


@pytest.mark.parametrize("lod", [0.55, 0.6])
def test_projector_badges_are_tall_enough_for_the_ready_line_on_a_1280x720_projector(qtbot, lod):
    """A 1280x720 projector shows the demo at ~56 %: a 52-unit badge is ~29 px, room for the name alone (the
    class lost 'Deployment · 3/3 ready' of web, api and the ingress controller). In projector mode the scene
    lays the badges out taller; leaving it gives the desk layout back, box for box."""
    from desktop.canvas.picture import BADGE_H, BADGE_H_PROJECTOR
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open(ROOT / "resources/scenarios/demo.yaml")
    desk = {ref: b.rect.getRect() for ref, b in w.scene.picture.boxes.items()}
    w.scene.set_projector(True)
    picture = w.scene.picture
    workloads = [b for b in picture.boxes.values() if b.kind == "workload"]
    assert workloads and all(b.rect.height() == BADGE_H_PROJECTOR for b in workloads)
    drawn = _draw(picture, lod, True)
    for b in workloads:
        rows = sorted((y, s, t) for t, x, y, s in drawn if b.rect.contains(QPointF(x, y)))
        count = b.lines[0].split(" · ", 1)[1]  # "3/3 ready": whole, with or without its "Deployment · "
        assert len(rows) == 2 and rows[1][2] in (b.lines[0], count), (b.title, rows)
        (_y0, name, _t0), (_y1, line, _t1) = rows
        assert name >= 16.0 - 1e-9 and line >= render.MIN_PROJECTOR_TEXT_PX - 1e-9, (b.title, name, line)
    nodes = [b for b in picture.boxes.values() if b.kind == "node"]
    assert min(n.rect.top() for n in nodes) >= max(b.rect.bottom() for b in workloads), "nodes moved down, not under"
    w.scene.set_projector(False)
    assert all(b.rect.height() == BADGE_H for b in w.scene.picture.boxes.values() if b.kind == "workload")
    assert {ref: b.rect.getRect() for ref, b in w.scene.picture.boxes.items()} == desk
    # where the whole line fits (the desk at 100 %) it is drawn whole
    web = next(b for b in w.scene.picture.boxes.values() if b.kind == "workload" and b.title == "web")
    texts = [t for t, x, y, _s in _draw(w.scene.picture, 1.0, False) if web.rect.contains(QPointF(x, y))]
    assert texts == ["web", "Deployment · 3/3 ready"]
