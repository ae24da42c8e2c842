"""The canvas: a cached static layer (rendered once per picture and zoom, blitted otherwise), level of detail
that drops pod text when it would be unreadable, the live-view contract (apply_cluster_state, anchor,
item_for_ref, context actions) and positions stored only when the user moves something."""

import importlib.util
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QAction, QImage, QPainter

from core.engine import Simulation
from core.model import ObjectRef, TimelineEvent
from desktop.canvas.picture import POD_H, lb_ref
from desktop.canvas.render import POD_PX, Renderer
from desktop.style import LIGHT

ROOT = Path(__file__).resolve().parents[2]


def big_cluster(**kw) -> str:
    spec = importlib.util.spec_from_file_location("big_cluster", ROOT / "benchmarks" / "big_cluster.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.generate(**kw)


def test_static_layer_renders_once_then_blits(editor_window, qtbot):
    w = editor_window
    layer = w.scene.layer
    w.view.viewport().repaint()
    first = layer.renders
    assert first >= 1
    for _ in range(5):
        w.view.viewport().repaint()
    assert layer.renders == first  # five more frames, no re-render
    w.view.zoom_by(1.5)
    w.view.viewport().repaint()
    assert layer.renders == first + 1  # a new zoom renders once
    w.view.viewport().repaint()
    assert layer.renders == first + 1
    w.editor.create("client", (0, 0))  # the cluster changed
    w.view.viewport().repaint()
    assert layer.renders == first + 2


def test_hit_items_paint_nothing_until_selected(editor_window):
    w = editor_window
    item = w.scene.item_for_ref(ObjectRef("Node", "", "node-1"))
    assert item.flags() & item.GraphicsItemFlag.ItemHasNoContents
    w.select_refs([ObjectRef("Node", "", "node-1")])
    assert item.isSelected() and not item.flags() & item.GraphicsItemFlag.ItemHasNoContents
    assert w.inspector.ref == ObjectRef("Node", "", "node-1")


def _pod_names_drawn(picture, lod: float) -> int:
    renderer = Renderer(LIGHT)
    names = {p.name for p in picture.pods.values()}
    drawn = []
    original = renderer._label

    def spy(p, at, text, *args, **kw):
        ok = original(p, at, text, *args, **kw)
        if ok and text in names:
            drawn.append(text)
        return ok

    renderer._label = spy
    image = QImage(800, 600, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.scale(lod, lod)
    renderer.draw(painter, picture, picture.bounds, lod)
    painter.end()
    return len(drawn)


def test_level_of_detail_drops_pod_labels_when_too_small(org, qtbot):
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open_text(big_cluster(nodes=12, deployments=4, replicas=24), "big.yaml")
    pic = w.scene.picture
    assert len(pic.pods) == 4 * 24 + 2  # and the ingress controller's two
    # pod names are 12 px: at 1:1 every one is written; at 0.25 they would be 3 px high, so none is
    assert _pod_names_drawn(pic, 1.0) == len(pic.pods)
    assert _pod_names_drawn(pic, 0.25) == 0
    assert POD_PX * 0.25 < 7 <= POD_PX * 1.0
    # every pod sits inside its node's box
    for pod in pic.pods.values():
        if pod.node:
            assert pic.boxes[ObjectRef("Node", "", pod.node)].rect.contains(pod.rect)
    assert pic.pods[next(iter(pic.pods))].rect.height() == POD_H
    w.session.stop()


def test_anchor_and_item_for_ref_cover_every_kind(editor_window):
    w = editor_window
    scene = w.scene
    pod = next(iter(scene.picture.pods.values()))
    refs = [ObjectRef("Client", "", "browser"), lb_ref("default", "web-lb"), ObjectRef("Node", "", "node-2"),
            ObjectRef("Pod", pod.key[0], pod.key[1]), ObjectRef("Service", "default", "web-clusterip"),
            ObjectRef("Ingress", "default", "shop"), ObjectRef("IngressClass", "", "nginx"),
            ObjectRef("Deployment", "default", "web")]
    for ref in refs:
        point = scene.anchor(ref)
        assert isinstance(point, QPointF), ref
        item = scene.item_for_ref(ref)
        assert item is not None and item.sceneBoundingRect().contains(point), ref
    assert scene.anchor(pod.key) == pod.rect.center()
    assert scene.anchor(ObjectRef("Node", "", "no-such-node")) is None


def test_apply_cluster_state_shows_a_failed_node_and_moved_pods(editor_window):
    w = editor_window
    scene = w.scene
    before = {k: (p.node, p.ip) for k, p in scene.picture.pods.items() if not p.client}
    on_node2 = [k for k, (node, _) in before.items() if node == "node-2"]
    assert on_node2
    model = w.session.model
    model.timeline = [TimelineEvent(1.0, "failNode", "node-2")]
    model.traffic = []
    sim = Simulation(model, dataplane=False)
    sim.run(80.0)  # classroom timings: grace 5 s, toleration 10 s, termination 3 s
    changed = []
    scene.picture_changed.connect(lambda: changed.append(1))
    scene.apply_cluster_state(sim.state)
    assert changed
    node2 = scene.picture.boxes[ObjectRef("Node", "", "node-2")]
    assert node2.status == "not_ready"
    # evicted, but the unreachable kubelet cannot confirm the deletion: Terminating on node-2, as kubectl shows
    assert all(scene.picture.pods[k].status == "terminating" and scene.picture.pods[k].node == "node-2"
               for k in on_node2)
    replacements = [p for p in scene.picture.pods.values() if not p.client and p.key not in before]
    assert len(replacements) == len(on_node2)
    assert all(p.node in ("node-1", "node-3") and p.ip for p in replacements)
    assert all(scene.item_for_ref(p.ref) is not None for p in replacements)
    scene.clear_cluster_state()
    assert {k for k, p in scene.picture.pods.items() if not p.client} == set(before)


def test_context_actions_provider_is_asked_for_the_clicked_object(editor_window):
    w = editor_window
    asked = []
    w.scene.context_actions_provider = lambda ref: (asked.append(ref), [QAction("Fail node", w)])[1]
    item = w.scene.item_for_ref(ObjectRef("Node", "", "node-3"))
    actions = w.scene.context_actions_provider(item.ref)
    assert asked == [ObjectRef("Node", "", "node-3")] and actions[0].text() == "Fail node"


def test_positions_are_stored_only_when_something_moves(editor_window, tmp_path):
    w = editor_window
    w.view.zoom_by(2.0)  # zooming and panning are not edits
    w.view.pan(100, 50)
    assert w.session.undo_stack.count() == 0 and not w.isWindowModified()
    target = tmp_path / "same.yaml"
    w.get_save_path = lambda *a: str(target)
    w.file_save_as()
    assert "podpath.dev/position" not in target.read_text(encoding="utf-8")


def test_fit_shows_the_whole_picture(editor_window):
    w = editor_window
    w.view.zoom_by(3.0)
    w.actions_by_name["fit"].trigger()
    visible = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert visible.adjusted(-2, -2, 2, 2).contains(QRectF(w.scene.picture.bounds))


def test_manifest_without_nodes_draws_its_objects_not_the_previous_picture(editor_window):
    """ingress-nginx's bare-metal install has no Node objects: the canvas shows its objects in an empty
    cluster (it used to divide by zero laying out zero node rows and kept the previous document's picture)."""
    manifests = Path(__file__).resolve().parents[1] / "data" / "manifests"
    w = editor_window
    w.session.open(manifests / "ingress-nginx-baremetal.yaml")
    scene = w.scene
    assert scene.anchor(ObjectRef("Node", "", "node-1")) is None  # the demo's nodes are gone
    assert scene.anchor(ObjectRef("Service", "ingress-nginx", "ingress-nginx-controller")) is not None
    assert scene.anchor(ObjectRef("Deployment", "ingress-nginx", "ingress-nginx-controller")) is not None


def test_pod_styles_mark_pods_like_their_packets(editor_window):
    """Packets are coloured by destination pod; the pod's own marker takes the same style index."""
    scene = editor_window.scene
    pods = [pb for pb in scene.picture.pods.values() if not pb.client]
    first, second = pods[0], pods[1]
    scene.set_pod_styles({ObjectRef("Pod", first.key[0], first.key[1]): 5, second.key: 6})
    assert scene.picture.pods[first.key].colour == 5
    assert scene.picture.pods[second.key].colour == 6
    scene.rebuild()  # a re-layout keeps them
    assert scene.picture.pods[first.key].colour == 5


def test_live_state_keeps_the_settled_order_of_services_and_badges(editor_window):
    """Pods re-created on other nodes after a failure must not shuffle the Service row mid-lesson."""
    scene = editor_window.scene
    model = scene.model

    def order() -> list:
        boxes = [b for b in scene.picture.boxes.values() if b.kind in ("workload", "service")]
        return [b.ref for b in sorted(boxes, key=lambda b: (b.kind, b.rect.top(), b.rect.left()))]

    settled = order()
    sim = Simulation(model)
    sim.schedule(TimelineEvent(at=1.0, action="failNode", target="node-1"))
    sim.schedule(TimelineEvent(at=1.0, action="failNode", target="node-2"))
    sim.run(120)
    scene.apply_cluster_state(sim.state)
    assert {p.node for p in sim.state.pods.values() if p.node and not p.terminating} <= {"node-3"}
    assert order() == settled


def test_undo_of_a_replicas_change_does_not_settle_again(editor_window, monkeypatch):
    """A replicas change settles the cluster again (~0.4 s on 2,000 pods); undoing it comes back to inputs
    already settled: the scene reuses that state and draws the same picture."""
    import desktop.canvas.scene as scene_mod

    w = editor_window
    calls = []
    real = scene_mod.settle
    monkeypatch.setattr(scene_mod, "settle", lambda model: (calls.append(1), real(model))[1])
    web = ObjectRef("Deployment", "default", "web")
    pods_before = sorted(w.scene.picture.pods)
    w.editor.set_field(web, "spec.replicas", 5)
    assert len(calls) == 1 and len(w.scene.picture.pods) == len(pods_before) + 2
    w.session.undo_stack.undo()
    assert len(calls) == 1 and sorted(w.scene.picture.pods) == pods_before
    w.session.undo_stack.redo()
    assert len(calls) == 1 and len(w.scene.picture.pods) == len(pods_before) + 2
    w.editor.set_field(web, "spec.replicas", 4)  # new inputs: settled
    assert len(calls) == 2


def test_badges_show_no_marker_while_pods_carry_packet_markers(editor_window, monkeypatch):
    """The live view marks each pod with the colour and shape of the packets sent to it; a workload badge kept
    its own marker from the same palette, so a DaemonSet's orange hexagon read as 'packets to web-…fspkf'
    (HG, Xvfb). While packet markers are on, badges have none; without them, they have theirs again."""
    from desktop.canvas import render

    w = editor_window
    scene = w.scene
    centres = []
    real = render.shape_path

    def spy(shape, center, r):
        centres.append((round(center.x(), 3), round(center.y(), 3)))
        return real(shape, center, r)

    monkeypatch.setattr(render, "shape_path", spy)
    badges = [b.rect for b in scene.picture.boxes.values() if b.kind == "workload"]
    at = {(round(r.left() + 18, 3), round(r.center().y(), 3)) for r in badges}
    assert len(badges) >= 3

    def badge_marks() -> set:
        centres.clear()
        image = QImage(100, 100, QImage.Format.Format_ARGB32_Premultiplied)
        p = QPainter(image)
        scene.renderer.draw(p, scene.picture, scene.picture.bounds, 1.0)
        p.end()
        return at & set(centres)

    assert badge_marks() == at
    pod = next(iter(scene.picture.pods))
    scene.set_pod_styles({pod: 1})
    assert badge_marks() == set()
    scene.set_pod_styles({})
    assert badge_marks() == at
