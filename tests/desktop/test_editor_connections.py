"""Each kind of connection writes the Kubernetes fields a person would write by hand, as one undo step; a
connection that makes no sense is refused with a reason and changes nothing."""

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QGraphicsSceneMouseEvent

from core.model import ObjectRef
from desktop.canvas.picture import lb_ref
from desktop.editor.editor import EditRefused

SVC = ObjectRef("Service", "default", "svc")
WEB = ObjectRef("Deployment", "default", "web")
API = ObjectRef("Deployment", "default", "api")
BROWSER = ObjectRef("Client", "", "browser")


def scene_mouse(scene, kind, pos: QPointF, buttons=Qt.MouseButton.LeftButton):
    from PySide6.QtCore import QEvent

    types = {"press": QEvent.Type.GraphicsSceneMousePress, "move": QEvent.Type.GraphicsSceneMouseMove,
             "release": QEvent.Type.GraphicsSceneMouseRelease}
    ev = QGraphicsSceneMouseEvent(types[kind])
    ev.setScenePos(pos)
    ev.setButton(Qt.MouseButton.LeftButton if kind != "move" else Qt.MouseButton.NoButton)
    ev.setButtons(buttons if kind != "release" else Qt.MouseButton.NoButton)
    ev.setButtonDownScenePos(Qt.MouseButton.LeftButton, pos)
    {"press": scene.mousePressEvent, "move": scene.mouseMoveEvent, "release": scene.mouseReleaseEvent}[kind](ev)


def drag_handle(window, src, dst_point: QPointF) -> None:
    """Press on the source's connection handle, move, release over the target — as the mouse would."""
    item = window.scene.item_for_ref(src)
    handle = item.mapToScene(item.handle_rect().center())
    scene_mouse(window.scene, "press", handle)
    scene_mouse(window.scene, "move", (handle + dst_point) / 2)
    scene_mouse(window.scene, "move", dst_point)
    scene_mouse(window.scene, "release", dst_point)


def center(window, ref) -> QPointF:
    return window.scene.item_for_ref(ref).sceneBoundingRect().center()


def test_service_dragged_to_deployment_selects_its_pods(editor_window):
    w = editor_window
    w.editor.create("service-clusterip")
    drag_handle(w, SVC, center(w, WEB))
    svc = w.session.document.get(SVC)
    # web's matchLabels and its container port's name, as the demo file has them
    assert svc["spec"]["selector"] == {"app": "web"}
    assert svc["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": "http"}]
    assert w.session.undo_stack.count() == 2
    assert w.session.undo_stack.undoText() == "Connect svc to web"
    # the canvas now draws an edge from the Service to each of web's three pods
    edges = [e for e in w.scene.picture.edges if e.src == SVC and e.style == "selector"]
    assert sorted(e.dst[1].split("-")[0] for e in edges) == ["web", "web", "web"]
    w.session.undo_stack.undo()
    assert "selector" not in w.session.document.get(SVC)["spec"]


def test_service_dropped_on_a_simulated_pod_selects_its_workload(editor_window):
    w = editor_window
    w.editor.create("service-clusterip")
    api_pod = next(p for p in w.scene.picture.pods.values() if p.owner == API)
    drag_handle(w, SVC, api_pod.rect.center())
    svc = w.session.document.get(SVC)
    assert svc["spec"]["selector"] == {"app": "api"}
    assert svc["spec"]["ports"][0]["targetPort"] == "http"


def test_ingress_dragged_to_service_adds_a_rule(editor_window):
    w = editor_window
    w.editor.create("ingress")
    ing_ref = ObjectRef("Ingress", "default", "ingress")
    target = ObjectRef("Service", "default", "api")
    drag_handle(w, ing_ref, center(w, target))
    ing = w.session.document.get(ing_ref)
    assert ing["spec"]["rules"] == [{"host": "api.example.com", "http": {"paths": [
        {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 80}}}}]}}]
    # and the canvas draws the backend edge
    assert any(e.src == ing_ref and e.dst == target and e.style == "backend" for e in w.scene.picture.edges)


def test_client_to_service_ingress_node_and_load_balancer_creates_traffic(editor_window):
    w = editor_window
    model = w.session.model
    lb = next(s for s in model.services if s.name == "web-lb")
    node1 = next(n for n in model.nodes if n.name == "node-1")
    # ClusterIP Service: its DNS name and port
    w.editor.connect(BROWSER, ObjectRef("Service", "default", "api"))
    # Ingress: its first host
    w.editor.connect(BROWSER, ObjectRef("Ingress", "default", "shop"))
    # a node: its InternalIP and the first nodePort (web-nodeport's 30080, written in the demo)
    w.editor.connect(BROWSER, ObjectRef("Node", "", "node-1"))
    # the external load balancer of web-lb: its address and port 80
    drag_handle(w, BROWSER, center(w, lb_ref("default", "web-lb")))
    traffic = {r.name: w.session.document.get(r)["spec"] for r in w.session.document.refs() if r.kind == "Traffic"}
    assert traffic["browser-api"] == {"client": "browser", "target": "api.default.svc.cluster.local:80", "rate": 10,
                                      "connection": "new"}
    assert traffic["browser-shop"]["target"] == "http://shop.example.com/"  # the demo's own
    assert traffic["browser-shop-2"]["target"] == "http://shop.example.com/"
    assert traffic["browser-node-1"]["target"] == f"{node1.internal_ip}:30080"
    assert traffic["browser-web-lb"]["target"] == f"{lb.load_balancer_ip}:80"
    assert not [d for d in w.session.diagnostics if d.is_error]


def test_nonsense_connections_are_refused_and_change_nothing(editor_window):
    w = editor_window
    before = w.session.document.objects()
    with pytest.raises(EditRefused):
        w.editor.connect(ObjectRef("Service", "default", "docs"), WEB)  # ExternalName has no pods
    with pytest.raises(EditRefused):
        w.editor.connect(ObjectRef("Ingress", "default", "shop"), WEB)  # an Ingress routes to Services
    with pytest.raises(EditRefused):
        w.editor.connect(ObjectRef("Service", "ingress-nginx", "ingress-nginx-controller"), WEB)  # other namespace
    with pytest.raises(EditRefused):
        w.editor.connect(BROWSER, WEB)
    assert w.session.document.objects() == before
    assert w.session.undo_stack.count() == 0
    # through the canvas the refusal lands in the status bar
    drag_handle(w, ObjectRef("Service", "default", "docs"), center(w, WEB))
    assert "ExternalName" in w.statusBar().currentMessage()


def test_moving_a_box_stores_its_position_in_one_step(editor_window):
    w = editor_window
    item = w.scene.item_for_ref(WEB)
    start = item.sceneBoundingRect().center()
    scene_mouse(w.scene, "press", start)
    for i in range(1, 6):
        scene_mouse(w.scene, "move", start + QPointF(20 * i, 10 * i))
    scene_mouse(w.scene, "release", start + QPointF(100, 50))
    raw = w.session.document.get(WEB)
    home = w.scene.picture.boxes[WEB].rect.topLeft()
    assert raw["metadata"]["annotations"]["podpath.dev/position"] == f"{round(home.x())},{round(home.y())}"
    assert w.session.undo_stack.count() == 1  # the whole drag is one step
    assert w.session.undo_stack.undoText() == "Move Deployment default/web"


def test_arrow_key_nudges_merge_into_one_step(editor_window, qtbot):
    w = editor_window
    original = w.session.document.get(BROWSER)
    client = w.scene.item_for_ref(BROWSER)
    client.setSelected(True)
    x0, y0 = client.home.x(), client.home.y()
    for _ in range(3):
        qtbot.keyClick(w.view, Qt.Key.Key_Right)
    qtbot.keyClick(w.view, Qt.Key.Key_Down)
    pos = w.session.document.get(BROWSER)["metadata"]["annotations"]["podpath.dev/position"]
    assert pos == f"{round(x0 + 30)},{round(y0 + 10)}"
    assert w.session.undo_stack.count() == 1
    w.session.undo_stack.undo()
    assert w.session.document.get(BROWSER) == original
