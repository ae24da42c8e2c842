"""Canvas operations a user does with mouse and keyboard: rename in place, rubber-band and Ctrl-click
multi-select, delete of a multi-selection as one step, Escape cancelling a connection drag, every action in a
menu with a tooltip and the standard shortcuts."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QKeySequence, QPainterPath

from core.model import ObjectRef

NODE1 = ObjectRef("Node", "", "node-1")
NODE2 = ObjectRef("Node", "", "node-2")
CLIENT = ObjectRef("Client", "", "browser")


def test_rename_in_place(editor_window, qtbot):
    w = editor_window
    w.select_refs([CLIENT])
    w.actions_by_name["rename"].trigger()
    from PySide6.QtWidgets import QLineEdit

    edit = w.view.viewport().findChild(QLineEdit, "rename-editor")
    assert edit is not None and edit.text() == "browser"
    edit.setText("laptop")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    doc = w.session.document
    assert ObjectRef("Client", "", "laptop") in doc and CLIENT not in doc
    # its Traffic follows the new name
    assert doc.get(ObjectRef("Traffic", "", "browser-shop"))["spec"]["client"] == "laptop"
    assert w.session.undo_stack.undoText() == "Rename browser to laptop"


def test_rubber_band_and_ctrl_click_select_several(editor_window):
    w = editor_window
    a = w.scene.item_for_ref(NODE1).sceneBoundingRect()
    b = w.scene.item_for_ref(NODE2).sceneBoundingRect()
    band = QPainterPath()
    band.addRect(QRectF(a.topLeft() - QPointF(5, 5), b.bottomRight() + QPointF(5, 5)))
    w.scene.setSelectionArea(band, Qt.ItemSelectionOperation.ReplaceSelection, Qt.ItemSelectionMode.ContainsItemShape)
    assert NODE1 in w.selected_refs() and NODE2 in w.selected_refs()
    # Ctrl-click adds the client to the selection
    w.scene.item_for_ref(CLIENT).setSelected(True)
    assert CLIENT in w.selected_refs()
    assert w.inspector.ref is None and "objects selected" in w.inspector.header.text()


def test_delete_a_multi_selection_is_one_step(editor_window):
    w = editor_window
    w.select_refs([NODE2, CLIENT])
    before = w.session.document.objects()
    w.actions_by_name["delete"].trigger()
    assert NODE2 not in w.session.document and CLIENT not in w.session.document
    assert ObjectRef("Traffic", "", "browser-shop") not in w.session.document  # the client's traffic went too
    assert w.session.undo_stack.count() == 1
    w.actions_by_name["undo"].trigger()
    assert w.session.document.objects() == before


def test_escape_cancels_a_connection_drag(editor_window, qtbot):
    from test_editor_connections import scene_mouse

    w = editor_window
    svc = w.scene.item_for_ref(ObjectRef("Service", "default", "api"))
    handle = svc.mapToScene(svc.handle_rect().center())
    scene_mouse(w.scene, "press", handle)
    scene_mouse(w.scene, "move", handle + QPointF(0, -200))
    lines = [i for i in w.scene.items() if i.zValue() == 100]
    assert lines  # the rubber line follows the mouse
    qtbot.keyClick(w.view, Qt.Key.Key_Escape)
    assert not [i for i in w.scene.items() if i.zValue() == 100]
    scene_mouse(w.scene, "release", handle + QPointF(0, -200))
    assert w.session.undo_stack.count() == 0


def test_actions_are_in_menus_with_tooltips_and_standard_keys(editor_window):
    w = editor_window
    in_menus = set()
    for menu in w.menuBar().findChildren(type(w.menu("file"))):
        in_menus.update(a.objectName() for a in menu.actions())
    for name, action in w.actions_by_name.items():
        assert action.objectName() in in_menus, name
        assert action.toolTip() and action.toolTip() != action.text().replace("&", ""), name
    assert w.actions_by_name["undo"].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)
    assert w.actions_by_name["save"].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Save)
    assert w.actions_by_name["delete"].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Delete)
    assert w.actions_by_name["paste"].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Paste)


def test_toolbar_undo_keeps_its_width_and_names_the_action_in_its_tooltip(editor_window):
    """The menu's Undo says "Undo Delete …"; on the toolbar that text made the buttons after it jump sideways,
    so a click meant for Play hit Fit to Window."""
    from PySide6.QtWidgets import QToolButton

    w = editor_window
    undo = w.findChild(QToolButton, "toolbar-undo")
    assert undo is not None and not undo.isEnabled()
    width = undo.sizeHint().width()
    w.select_refs([CLIENT])
    w.actions_by_name["delete"].trigger()
    assert undo.isEnabled() and undo.text() == "Undo"
    assert undo.sizeHint().width() == width
    assert undo.toolTip().startswith("Undo ") and len(undo.toolTip()) > len("Undo ")
    undo.click()
    assert CLIENT in w.session.document
    assert w.findChild(QToolButton, "toolbar-redo").isEnabled()


def test_clicking_an_object_after_undo_and_redo_shows_it_in_the_inspector(editor_window):
    """Undo removed the selected object; redo brought it back; a click on it must fill the inspector (it
    said "Nothing selected" because the window still thought the object was selected)."""
    w = editor_window
    w.select_refs([CLIENT])
    w.actions_by_name["delete"].trigger()
    w.session.undo_stack.undo()
    w.session.undo_stack.redo()   # deleted again
    w.session.undo_stack.undo()   # back
    assert w.inspector.ref is None or w.inspector.ref == CLIENT
    item = w.scene.item_for_ref(CLIENT)
    w.scene.clearSelection()
    item.setSelected(True)
    assert w.selected_refs() == [CLIENT]
    assert w.inspector.ref == CLIENT


def test_rename_in_place_is_cancelled_by_esc_and_by_a_click_elsewhere(editor_window, qtbot):
    """Seen under Xvfb (HG): F2 then Esc left the line edit open, and so did a click or rubber band elsewhere
    on the canvas. Both close it and leave the name as it was (nothing on the undo stack)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QLineEdit

    w = editor_window
    for finish in ("esc", "click"):
        w.select_refs([CLIENT])
        w.actions_by_name["rename"].trigger()
        edits = [e for e in w.view.viewport().findChildren(QLineEdit, "rename-editor") if e.isVisible()]
        assert len(edits) == 1, finish  # (the last one closed is only deleted later)
        edit = edits[0]
        edit.setText("laptop")
        if finish == "esc":
            qtbot.keyClick(edit, Qt.Key.Key_Escape)
        else:
            qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
        assert not edit.isVisible(), finish
        assert CLIENT in w.session.document and w.session.undo_stack.count() == 0, finish
