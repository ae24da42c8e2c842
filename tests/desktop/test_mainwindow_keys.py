"""Keys of the main window: no key sequence is owned by two actions (Qt then fires neither)."""

from __future__ import annotations

from tests.desktop.live_helpers import DEMO


def test_delete_keeps_the_platform_keys_but_ctrl_d(qapp):
    """On X11 QKeySequence.StandardKey.Delete is [Del, Ctrl+D]: Duplicate's Ctrl+D was ambiguous (HG, Xvfb)."""
    from PySide6.QtGui import QKeySequence

    from desktop.mainwindow import delete_keys

    x11 = [QKeySequence("Del"), QKeySequence("Ctrl+D")]
    assert delete_keys(x11) == [QKeySequence("Del")]
    assert delete_keys([QKeySequence("Ctrl+D")]) == [QKeySequence("Del")]
    assert delete_keys([QKeySequence("Del"), QKeySequence("Backspace")]) == [QKeySequence("Del"),
                                                                             QKeySequence("Backspace")]


def test_no_key_sequence_belongs_to_two_actions_of_the_window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction

    from desktop.live import install
    from desktop.mainwindow import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open(DEMO)
    view = w.install_late("live", install)
    try:
        owners: dict[str, str] = {}
        for action in w.findChildren(QAction):
            for key in action.shortcuts():
                text = key.toString()
                assert text not in owners or owners[text] == action.objectName(), (text, owners[text], action.text())
                owners[text] = action.objectName() or action.text()
        assert "Ctrl+D" in owners
    finally:
        view.shutdown()
        w.session.undo_stack.setClean()


def test_arrows_nudge_a_selected_box_and_step_the_run_otherwise(qtbot, tmp_path):
    """Step (Right) / Step back (Left) are window shortcuts; with a Service selected on the canvas the arrows
    stepped the run and the box never moved (HG, Xvfb)."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    from core.model import ObjectRef
    from desktop.live import install
    from desktop.mainwindow import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.session.open(DEMO)
    view = w.install_late("live", install)
    try:
        w.activateWindow()
        w.view.setFocus()
        qtbot.waitUntil(lambda: w.view.hasFocus(), timeout=3000)
        t0 = view.run.time
        QTest.keyClick(w.view, Qt.Key.Key_Right)  # nothing selected: one step
        assert view.run.time > t0
        svc = ObjectRef("Service", "default", "web-clusterip")
        w.select_refs([svc])
        item = w.scene.item_for_ref(svc)
        assert item is not None and item.isSelected()
        x0 = item.sceneBoundingRect().x()
        t1 = view.run.time
        undo = w.session.undo_stack.count()
        QTest.keyClick(w.view, Qt.Key.Key_Right)
        assert view.run.time == t1  # no step
        assert w.session.undo_stack.count() == undo + 1  # one nudge, as an edit
        item = w.scene.item_for_ref(svc)
        assert item.sceneBoundingRect().x() > x0
    finally:
        view.shutdown()
        w.session.undo_stack.setClean()
