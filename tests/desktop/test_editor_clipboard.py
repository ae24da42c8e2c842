"""Copy → paste: the clipboard holds the objects as Kubernetes YAML (no PodPath positions), and pasting gives
valid objects under unique names; YAML from a manifest pastes too; cut deletes in one step."""

import yaml
from PySide6.QtWidgets import QApplication

from core.model import ObjectRef
from core.scenario.files import loads_document

WEB = ObjectRef("Deployment", "default", "web")
SVC = ObjectRef("Service", "default", "web-clusterip")


def test_copy_then_paste_gives_valid_uniquely_named_objects(editor_window):
    w = editor_window
    w.editor.move({WEB: (100, 100)})
    w.select_refs([WEB, SVC])
    w.edit_copy()
    text = QApplication.clipboard().text()
    docs = list(yaml.safe_load_all(text))
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [("Deployment", "web"), ("Service", "web-clusterip")]
    assert "podpath.dev/position" not in text
    count = len(w.session.document)
    w.edit_paste()
    w.edit_paste()
    refs = w.session.document.refs()
    assert len(refs) == count + 4
    assert refs[count:] == [ObjectRef("Deployment", "default", "web-2"), ObjectRef("Service", "default", "web-clusterip-2"),
                            ObjectRef("Deployment", "default", "web-3"), ObjectRef("Service", "default", "web-clusterip-3")]
    assert not [d for d in w.session.diagnostics if d.is_error], [d.format() for d in w.session.diagnostics]
    assert w.selected_refs() == refs[-2:]
    assert w.session.undo_stack.undoText() == "Paste 2 objects"
    # the pasted Deployment runs its own pods on the canvas
    assert any(p.owner == ObjectRef("Deployment", "default", "web-2") for p in w.scene.picture.pods.values())
    # and the clipboard text is a scenario of its own
    assert not loads_document(text).load_diagnostics


def test_paste_from_a_manifest_and_refuse_non_yaml(editor_window):
    w = editor_window
    QApplication.clipboard().setText("apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  ports:\n"
                                     "  - port: 443\n")
    w.edit_paste()
    assert ObjectRef("Service", "default", "extra") in w.session.document
    before = w.session.document.objects()
    QApplication.clipboard().setText("just words, no objects")
    w.edit_paste()
    assert w.session.document.objects() == before
    assert w.statusBar().currentMessage()


def test_cut_is_copy_plus_one_delete_step(editor_window):
    w = editor_window
    w.select_refs([SVC])
    w.edit_cut()
    assert SVC not in w.session.document
    assert "web-clusterip" in QApplication.clipboard().text()
    assert w.session.undo_stack.count() == 1
    w.edit_paste()
    assert SVC in w.session.document  # the name is free again


def test_duplicate_offsets_a_stored_position(editor_window):
    w = editor_window
    w.editor.move({WEB: (100, 100)})
    w.select_refs([WEB])
    w.edit_duplicate()
    copy_ref = ObjectRef("Deployment", "default", "web-2")
    raw = w.session.document.get(copy_ref)
    # wanted 30 px down-right of the source (130,130), which would cover most of it: the nearest free spot
    x, y = (float(v) for v in raw["metadata"]["annotations"]["podpath.dev/position"].split(","))
    src, dup = w.scene.picture.boxes[WEB].rect, w.scene.picture.boxes[copy_ref].rect
    assert src.topLeft().toTuple() == (100, 100) and dup.topLeft().toTuple() == (x, y)
    assert not src.intersects(dup)
    assert abs(x - 130) + abs(y - 130) < 200
