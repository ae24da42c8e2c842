"""Nothing lost: save from the GUI and reopen gives the same objects; the title marks unsaved changes;
closing or opening with unsaved changes asks; revert, recent files, export, import, and a file changed by
another program is noticed."""

import os
import time
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from core.model import ObjectRef
from core.scenario.files import export_manifests, load_document

SB = QMessageBox.StandardButton


def test_save_as_from_the_gui_then_reopen_gives_the_same_document(editor_window, tmp_path):
    w = editor_window
    w.editor.create("node")
    w.editor.create("service-nodeport", (100, 900))
    w.editor.set_field(ObjectRef("Deployment", "default", "web"), "spec.replicas", 5)
    assert w.windowTitle().startswith("demo.yaml[*]") and w.isWindowModified()
    target = tmp_path / "saved.yaml"
    w.get_save_path = lambda title, suggestion: str(target)
    assert w.file_save_as()
    assert not w.isWindowModified()
    assert w.windowTitle() == "saved.yaml[*] — PodPath"
    reopened = load_document(target)
    assert reopened.objects() == w.session.document.objects()
    assert reopened.get(ObjectRef("Deployment", "default", "web"))["spec"]["replicas"] == 5
    # what was written is what the CLI writes
    from core.scenario.files import dumps_document

    assert target.read_text(encoding="utf-8") == dumps_document(w.session.document)
    assert str(target.resolve()) == w.recent_files()[0]


def test_undo_back_to_the_saved_state_is_unmodified(editor_window):
    w = editor_window
    w.editor.create("client")
    assert w.isWindowModified()
    w.session.undo_stack.undo()
    assert not w.isWindowModified()


def test_close_with_unsaved_changes_asks_and_cancel_keeps_the_window(editor_window):
    w = editor_window
    w.editor.create("client")
    w.answers = [SB.Cancel]
    assert not w.close()
    assert w.asked == ["Unsaved changes"]
    assert ObjectRef("Client", "", "client") in w.session.document
    # Save writes the file, then the window closes
    w.answers = [SB.Save]
    assert w.close()
    assert ObjectRef("Client", "", "client") in load_document(w.session.path)


def test_open_another_file_with_unsaved_changes_asks(editor_window, tmp_path):
    w = editor_window
    other = tmp_path / "other.yaml"
    other.write_text("apiVersion: v1\nkind: Node\nmetadata: {name: lonely}\n", encoding="utf-8")
    w.editor.create("client")
    w.answers = [SB.Cancel]
    assert not w.open_path(other)
    assert ObjectRef("Client", "", "client") in w.session.document
    w.answers = [SB.Discard]
    assert w.open_path(other)
    assert w.session.document.refs() == [ObjectRef("Node", "", "lonely")]
    assert w.session.undo_stack.count() == 0


def test_revert_discards_changes(editor_window):
    w = editor_window
    before = w.session.document.objects()
    w.editor.create("client")
    w.answers = [SB.Yes]
    w.file_revert()
    assert w.session.document.objects() == before
    assert not w.isWindowModified()


def test_export_writes_what_podpath_export_writes(editor_window, tmp_path):
    w = editor_window
    out = tmp_path / "out.yaml"
    w.get_save_path = lambda title, suggestion: str(out)
    w.file_export()
    text = out.read_text(encoding="utf-8")
    assert text == export_manifests(w.session.document)
    assert "podpath.dev" not in text and "kind: Client" not in text and "kind: Deployment" in text


def test_import_adds_a_manifest_and_renames_clashes(editor_window, tmp_path):
    w = editor_window
    manifest = tmp_path / "app.yaml"
    manifest.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: web-lb}\nspec:\n  selector: {app: web}\n"
                        "  ports: [{port: 80}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                        "data: {a: b}\n", encoding="utf-8")
    w.import_files([str(manifest)])
    doc = w.session.document
    assert ObjectRef("Service", "default", "web-lb-2") in doc  # web-lb is the demo's
    assert doc.get(ObjectRef("ConfigMap", "default", "settings"))["data"] == {"a": "b"}  # kept unchanged
    assert w.session.undo_stack.count() == 1
    assert w.session.undo_stack.undoText() == "Import app.yaml"


def test_file_changed_by_another_program_is_noticed(editor_window, qtbot):
    w = editor_window
    path = Path(w.session.path)
    w.answers = [SB.Yes]
    text = path.read_text(encoding="utf-8") + "---\napiVersion: v1\nkind: Node\nmetadata: {name: added-elsewhere}\n"
    time.sleep(0.01)
    path.write_text(text, encoding="utf-8")
    os.utime(path)
    qtbot.waitUntil(lambda: "File changed on disk" in w.asked, timeout=5000)
    assert ObjectRef("Node", "", "added-elsewhere") in w.session.document  # reloaded (the answer was Yes)


def test_own_save_is_not_reported_as_a_change_on_disk(editor_window, qtbot):
    w = editor_window
    w.editor.create("client")
    assert w.file_save()
    qtbot.wait(300)
    w.session.check_disk()
    assert "File changed on disk" not in w.asked


def test_a_yaml_file_dropped_on_the_window_is_imported(editor_window, tmp_path):
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    w = editor_window
    manifest = tmp_path / "extra.yaml"
    manifest.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: dropped}\nspec:\n  ports: [{port: 80}]\n",
                        encoding="utf-8")
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(manifest))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, enter)  # the main window itself, not the canvas: anywhere on the window
    assert enter.isAccepted()
    QApplication.sendEvent(w, QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                                         Qt.KeyboardModifier.NoModifier))
    assert ObjectRef("Service", "default", "dropped") in w.session.document
    assert w.session.undo_stack.undoText() == "Import extra.yaml"
