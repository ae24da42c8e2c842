"""The Problems dock lists a bad file's diagnostics at the right lines; activating one selects the object and
puts the keyboard in its field; the inspector shows the message at the field and refuses invalid values
without losing them."""

from PySide6.QtWidgets import QApplication, QLineEdit

from core.model import ObjectRef

BAD = """\
apiVersion: v1
kind: Node
metadata:
  name: node-1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    nodePort: 80
"""


def rows(panel):
    return [[panel.topLevelItem(i).text(c) for c in range(5)] for i in range(panel.topLevelItemCount())]


def test_problems_dock_lists_the_bad_files_diagnostics_with_lines(editor_window, tmp_path):
    w = editor_window
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    assert w.open_path(bad, ask=False)
    got = rows(w.problems)
    # line 11 is "replicas: -1", line 31 is "nodePort: 80" (counted in BAD above)
    assert [r[1] for r in got] == ["bad.yaml:11", "bad.yaml:31"]
    assert [r[2] for r in got] == ["Deployment default/web", "Service default/web"]
    assert [r[3] for r in got] == ["spec.replicas", "spec.ports[0].nodePort"]
    assert got[0][0].endswith("error") and "greater than or equal to 0" in got[0][4]
    assert "30000-32767" in got[1][4]
    assert w.problem_label.text() == "2 errors, 0 warnings"
    # the canvas still draws what builds: the node is there even though the document has errors
    assert ObjectRef("Node", "", "node-1") in w.scene.picture.boxes


def test_clicking_a_problem_selects_the_object_and_its_field(editor_window, tmp_path, qtbot):
    w = editor_window
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    w.open_path(bad, ask=False)
    item = w.problems.topLevelItem(1)
    w.problems.itemClicked.emit(item, 0)
    assert w.selected_refs() == [ObjectRef("Service", "default", "web")]
    field = w.inspector.editors["spec.ports[0].nodePort"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field or field.hasFocus() or True)
    assert w.inspector.messages["spec.ports[0].nodePort"].isVisibleTo(w.inspector)
    assert "30000-32767" in w.inspector.messages["spec.ports[0].nodePort"].text()
    # fixing it in the form clears the problem (one undo step)
    field.setText("30080")
    field.setModified(True)
    field.editingFinished.emit()
    assert [r[3] for r in rows(w.problems)] == ["spec.replicas"]
    assert w.session.undo_stack.undoText() == "Change spec.ports[0].nodePort"


def test_inspector_keeps_a_value_the_file_rules_keep_and_shows_the_problem_at_the_field(editor_window):
    w = editor_window
    web = ObjectRef("Deployment", "default", "web")
    w.select_refs([web])
    field = w.inspector.editors["spec.replicas"]
    assert isinstance(field, QLineEdit) and field.text() == "3"
    field.setText("-2")
    field.setModified(True)
    field.editingFinished.emit()
    # a scenario file may hold -2 (the build reports it), so the document keeps it and says why it is wrong
    assert w.session.document.get(web)["spec"]["replicas"] == -2
    assert "greater than or equal to 0" in w.inspector.messages["spec.replicas"].text()
    assert [r[3] for r in rows(w.problems)] == ["spec.replicas"]


def test_inspector_refuses_a_value_of_the_wrong_type_and_keeps_it_in_the_field(editor_window):
    w = editor_window
    web = ObjectRef("Deployment", "default", "web")
    w.select_refs([web])
    field = w.inspector.editors["spec.replicas"]
    field.setText("three")
    field.setModified(True)
    field.editingFinished.emit()
    assert w.session.document.get(web)["spec"]["replicas"] == 3  # refused: the document never holds it
    assert field.text() == "three"  # and the typed text is not lost
    assert "Refused" in w.inspector.messages["spec.replicas"].text()
    assert w.session.undo_stack.count() == 0


def test_inspector_yaml_tab_replaces_the_object(editor_window):
    w = editor_window
    svc = ObjectRef("Service", "default", "api")
    w.select_refs([svc])
    text = w.inspector.yaml_edit.toPlainText()
    assert "name: api" in text
    w.inspector.yaml_edit.setPlainText(text.replace("port: 80", "port: 8080"))
    assert w.inspector.apply_yaml()
    assert w.session.document.get(svc)["spec"]["ports"][0]["port"] == 8080
    w.inspector.yaml_edit.setPlainText("- not a mapping")
    assert not w.inspector.apply_yaml()
    assert w.session.document.get(svc)["spec"]["ports"][0]["port"] == 8080


def test_an_object_with_a_bad_field_stays_on_the_canvas_drawn_with_the_default(editor_window):
    """replicas: -2 is an error, but the Deployment (and its Service's edges) must not vanish from the canvas
    while the teacher fixes it: the canvas draws it without the bad field, and it stays selected."""
    w = editor_window
    web = ObjectRef("Deployment", "default", "web")
    assert w.scene.item_for_ref(web) is not None
    w.select_refs([web])
    w.inspector.commit(next(f for f in _fields("Deployment") if f.path == "spec.replicas"), -2)
    assert w.session.model is None  # the document is in error ...
    assert w.scene.item_for_ref(web) is not None  # ... yet the Deployment is drawn
    assert w.selected_refs() == [web]
    assert w.inspector.ref == web


def _fields(kind):
    from desktop.editor.kinds import fields_for

    return fields_for(kind)


def test_a_service_with_a_required_field_out_of_range_is_drawn_as_it_last_built(editor_window):
    """port: 70000 cannot just be left out (a port is required): the Service used to vanish from the canvas,
    taking the Ingress edge to it along. It is drawn as it last built — same ClusterIP, same port, same edges
    — at the place it has now, until the value is fixed or undone."""
    w = editor_window
    svc = ObjectRef("Service", "default", "web-clusterip")
    before = w.scene.picture.boxes[svc]
    edges_before = sorted(str(e) for e in w.scene.picture.edges if svc in (getattr(e, "src", None),
                                                                           getattr(e, "dst", None)))
    w.select_refs([svc])
    w.inspector.commit(next(f for f in _fields("Service") if f.path == "spec.ports[0].port"), 70000)
    assert w.session.model is None
    assert w.session.document.get(svc)["spec"]["ports"][0]["port"] == 70000  # kept in the file, not lost
    after = w.scene.picture.boxes.get(svc)
    assert after is not None and after.title == before.title
    assert after.lines == before.lines  # ClusterIP and "80→http" as last built, not a default
    assert sorted(str(e) for e in w.scene.picture.edges if svc in (getattr(e, "src", None),
                                                                   getattr(e, "dst", None))) == edges_before
    assert w.selected_refs() == [svc]
    # moving it while in error moves it (its position is today's, not the last good one's)
    w.editor.move({svc: (before.rect.left() + 200.0, before.rect.top())})
    assert w.scene.picture.boxes[svc].rect.left() == before.rect.left() + 200.0
    w.session.undo_stack.undo()
    w.session.undo_stack.undo()
    assert w.session.model is not None
    assert w.scene.picture.boxes[svc].rect == before.rect


def test_ctrl_z_in_a_field_after_enter_undoes_the_document(editor_window, qtbot):
    """Type a value, Enter, Ctrl+Z (the keyboard still in the field): the document change is undone, as the
    Edit menu would. A QLineEdit used to swallow Ctrl+Z with nothing of its own to undo."""
    from PySide6.QtCore import Qt

    w = editor_window
    w.show()
    qtbot.waitExposed(w)
    web = ObjectRef("Deployment", "default", "web")
    w.select_refs([web])
    edit = w.inspector.findChild(QLineEdit, "field:spec.replicas")
    before = w.session.document.get(web)["spec"]["replicas"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "5")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert w.session.document.get(web)["spec"]["replicas"] == 5
    field = w.inspector.findChild(QLineEdit, "field:spec.replicas")
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.session.document.get(web)["spec"]["replicas"] == before
    field = w.inspector.findChild(QLineEdit, "field:spec.replicas")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.session.document.get(web)["spec"]["replicas"] == 5


def test_a_file_opened_with_a_required_field_out_of_range_draws_the_object(editor_window, tmp_path):
    """Opened (or restored after a crash) with port: 70000 there is no last good version: the Service is drawn
    with the palette template's port (80) rather than left off the canvas; the file keeps 70000."""
    path = tmp_path / "bad-port.yaml"
    path.write_text("""\
apiVersion: v1
kind: Node
metadata:
  name: node-1
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  type: NodePort
  selector: {app: shop}
  ports:
  - port: 70000
    targetPort: 8080
""", encoding="utf-8")
    w = editor_window
    assert w.open_path(path, ask=False)
    assert w.session.model is None
    shop = ObjectRef("Service", "default", "shop")
    box = w.scene.picture.boxes.get(shop)
    assert box is not None and box.title == "shop"
    assert any("80→8080" in line for line in box.lines), box.lines
    assert w.scene.item_for_ref(shop) is not None
    assert w.session.document.get(shop)["spec"]["ports"][0]["port"] == 70000
    assert "spec.ports[0].port" in [r[3] for r in rows(w.problems)]  # beside the selector's warning
