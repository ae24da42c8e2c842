"""The main window in two stages: a frame built with Qt alone (shown and painted first), then complete()."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop.mainwindow import MainWindow
w = MainWindow(deferred=True)
heavy = sorted(m for m in ("numpy", "yaml", "networkx", "pyqtgraph", "core", "core.scenario", "core.model")
               if m in sys.modules)
print("heavy-before:", ",".join(heavy) or "-")
print("docks:", ",".join(sorted(w.docks)))
print("menus:", ",".join(w._menus))
print("session:", w.session, w.ready)
w.complete()
print("heavy-after:", "core.scenario" in sys.modules)
print("undo:", w.menu("edit").actions()[0].objectName(), w.menu("edit").actions()[1].objectName())
print("panels:", type(w.docks["inspector"].widget()).__name__, type(w.docks["problems"].widget()).__name__)
w.close()
"""


def test_the_first_stage_imports_no_document_model_and_complete_fills_the_frame():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(": ", 1) for line in out.stdout.splitlines() if ": " in line)
    assert lines["heavy-before"] == "-"  # numpy, YAML, networkx, pyqtgraph and core come after the first paint
    assert lines["docks"] == "history,inspector,palette,problems"
    assert lines["menus"] == "file,edit,view,simulation,help"
    assert lines["session"] == "None False"
    assert lines["heavy-after"] == "True"
    assert lines["undo"] == "action-undo action-redo"  # Undo and Redo head the Edit menu, as before
    assert lines["panels"] == "Inspector ProblemsPanel"


def test_a_deferred_window_completes_and_opens_a_file(qtbot, tmp_path):
    from desktop.mainwindow import MainWindow

    w = MainWindow(deferred=True)
    qtbot.addWidget(w)
    undo_button = w.findChild(type(w._stack_buttons["undo"]), "toolbar-undo")
    assert undo_button is not None and not undo_button.isEnabled()
    w.complete()
    w.complete()  # once only
    assert w.ready and w.session is not None and w.view.scene() is w.scene
    demo = Path(__file__).resolve().parents[2] / "resources" / "scenarios" / "demo.yaml"
    assert w.open_path(demo, ask=False)
    assert w.scene.picture.pods  # the demo's pods are on the canvas
    assert "demo" in w.windowTitle()


def test_first_start_fits_the_screen_and_a_small_screen_keeps_the_palette_beside_the_inspector(qtbot, tmp_path):
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QGuiApplication

    from desktop.mainwindow import SMALL_SCREEN_WIDTH, MainWindow

    w = MainWindow(deferred=True)
    qtbot.addWidget(w)
    w.restore_layout(QSettings(str(tmp_path / "empty.ini"), QSettings.Format.IniFormat))  # first start
    avail = QGuiApplication.primaryScreen().availableGeometry()
    assert w.geometry() == avail  # never a window taller than a 1280x720 screen
    palette, inspector = w.docks["palette"], w.docks["inspector"]
    if avail.width() < SMALL_SCREEN_WIDTH:
        assert palette in w.tabifiedDockWidgets(inspector)
        assert w.dockWidgetArea(palette) == Qt.DockWidgetArea.RightDockWidgetArea
    else:
        assert w.dockWidgetArea(palette) == Qt.DockWidgetArea.LeftDockWidgetArea
