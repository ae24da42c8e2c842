"""At 1920x1080 the palette has a column of its own (~230 px); while a live run is under way that column is a
strip of icons, so the canvas gets the width (a user test: the live view at 1920x1080 lost ~230 px to a
palette nobody used while watching). Labels come back when the run is reset to t = 0. At 1280x720 the palette
is a tab beside the inspector, and nothing moves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip

from tests.desktop.live_helpers import DEMO


def _live_window(qtbot, tmp_path, monkeypatch, size, small_screen):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop.live import install
    from desktop.mainwindow import MainWindow

    # the offscreen screen is 800x600: the palette's place follows the screen the window is built on
    monkeypatch.setattr(MainWindow, "_small_screen", staticmethod(lambda: small_screen))
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    w.session.open(DEMO)
    view = w.install_late("live", install)
    qtbot.wait(100)
    return w, view


@pytest.fixture
def wide(qtbot, tmp_path, monkeypatch):
    w, view = _live_window(qtbot, tmp_path, monkeypatch, (1920, 1080), small_screen=False)
    yield w, view
    view.shutdown()
    w.session.undo_stack.setClean()


@pytest.fixture
def small(qtbot, tmp_path, monkeypatch):
    w, view = _live_window(qtbot, tmp_path, monkeypatch, (1280, 720), small_screen=True)
    yield w, view
    view.shutdown()
    w.session.undo_stack.setClean()


def _settle(qtbot, w):
    qtbot.wait(50)
    w.layout().activate()


def test_a_live_run_narrows_the_palette_column_to_icons_and_reset_brings_the_labels_back(qtbot, wide):
    w, view = wide
    dock = w.docks["palette"]
    assert w.dockWidgetArea(dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    _settle(qtbot, w)
    full, canvas = dock.width(), w.view.viewport().width()
    assert full >= 170 and not w.palette.compact
    view.driver.play()
    qtbot.waitUntil(lambda: view.run.time > 0.5, timeout=10000)
    _settle(qtbot, w)
    assert w.palette.compact
    assert dock.width() <= 64, dock.width()
    assert w.view.viewport().width() >= canvas + full - 64 - 4  # the canvas got the column's width
    # paused mid-run: still icons (the picture is not re-fitted at each Play/Pause)
    view.driver.pause()
    _settle(qtbot, w)
    assert w.palette.compact and dock.width() <= 64
    view.driver.play()
    _settle(qtbot, w)
    assert w.palette.compact and dock.width() <= 64
    view.driver.pause()
    # a step from t = 0 is a run under way too; a reset is back to editing
    view.driver.reset()
    _settle(qtbot, w)
    assert not w.palette.compact
    assert abs(dock.width() - full) <= 4, (dock.width(), full)
    assert abs(w.view.viewport().width() - canvas) <= 4
    view.driver.step()
    _settle(qtbot, w)
    assert w.palette.compact


def test_the_compact_strip_still_names_and_gives_every_kind(qtbot, wide):
    w, _view = wide
    palette = w.palette
    w.set_palette_compact(True)
    _settle(qtbot, w)
    item = palette.item(5)
    rect = palette.visualItemRect(item)
    assert rect.width() <= palette.viewport().width()  # no label pushes it sideways
    assert palette.horizontalScrollBar().maximum() == 0
    label = item.text()  # the item keeps its text (language switch, accessibility)
    assert label
    pos = rect.center()
    palette.viewportEvent(QHelpEvent(QEvent.Type.ToolTip, pos, palette.viewport().mapToGlobal(pos)))
    assert label in QToolTip.text()
    QToolTip.hideText()
    md = palette.mimeData([item])  # still dragged onto the canvas as before
    assert md.hasFormat(palette.mimeTypes()[0])


def test_at_1280x720_the_palette_tab_stays_as_it_is(qtbot, small):
    w, view = small
    dock = w.docks["palette"]
    assert dock in w.tabifiedDockWidgets(w.docks["inspector"])
    _settle(qtbot, w)
    widths = (w.docks["inspector"].width(), w.view.viewport().width())
    view.driver.step()
    _settle(qtbot, w)
    assert not w.palette.compact
    assert (w.docks["inspector"].width(), w.view.viewport().width()) == widths


def test_a_palette_sharing_its_column_keeps_its_width(qtbot, wide):
    w, _view = wide
    dock = w.docks["palette"]
    w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, w.docks["history"])  # the user put History under it
    w.docks["history"].show()
    _settle(qtbot, w)
    width = dock.width()
    w.set_palette_compact(True)
    _settle(qtbot, w)
    assert not w.palette.compact and abs(dock.width() - width) <= 2
