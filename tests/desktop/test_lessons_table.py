"""Lesson 6's comparison table: shown with the lesson, each cell opening the lesson moment that shows it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop.lessons.model import builtin_lessons


@pytest.fixture
def lessons(qtbot, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop.lessons.controller import install
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    les = install(w)
    w.show()
    yield les
    les.projector.leave()
    les.close()


def _open(qtbot, les, path):
    les.open_lesson(path)
    qtbot.waitUntil(lambda: les.lesson is not None and les.lesson.path == path, timeout=5000)


def test_the_table_shows_with_lesson_6_and_its_cells_jump_to_their_moment(qtbot, lessons):
    _open(qtbot, lessons, builtin_lessons()[-1])
    t = lessons.table
    assert lessons.table_dock.isVisible()
    assert (t.rowCount(), t.columnCount()) == (6, 4)
    assert [t.horizontalHeaderItem(j).text() for j in range(4)] == ["ClusterIP", "NodePort", "LoadBalancer", "Ingress"]
    assert t.item(2, 1).text().startswith("X")  # NodePort cannot use ports below 30000
    # the performance row's ClusterIP cell: this lesson, step 1
    t.cellClicked.emit(4, 0)
    assert lessons.player.index == 0
    # the "ports below 30000" NodePort cell: lesson 3, step 1
    t.cellClicked.emit(2, 1)
    qtbot.waitUntil(lambda: lessons.lesson.name == "nodeport", timeout=5000)
    assert lessons.player.index == 0 and not lessons.table_dock.isVisible()
    # back to lesson 6, then the Ingress virtual-hosting cell: lesson 5, step 2
    _open(qtbot, lessons, builtin_lessons()[-1])
    t.cellClicked.emit(3, 3)
    qtbot.waitUntil(lambda: lessons.lesson.name == "ingress", timeout=5000)
    assert lessons.player.index == 1
    assert lessons.player.phase == lessons.player.QUESTION  # step 2 of lesson 5 is a predict pause


def test_the_table_stays_on_screen_in_projector_mode_with_larger_type(qtbot, lessons):
    _open(qtbot, lessons, builtin_lessons()[-1])
    before = lessons.table.font().pixelSize()
    lessons.projector.enter()
    assert lessons.table_dock.isVisible() and lessons.table.font().pixelSize() > max(before, 18)
    lessons.projector.leave()
    assert lessons.table_dock.isVisible()


def test_projector_t_hides_the_table_for_the_cluster_and_no_tab_bar_is_left_over(qtbot, lessons):
    """At 1280x720 the table under the canvas leaves the cluster little height: T hides it (the canvas grows
    by the table's height) and shows it again; docks hidden for projector mode leave no tab bar behind (seen
    under Xvfb: 'Problems | Packet trace | Charts' over the caption bar)."""
    from PySide6.QtWidgets import QTabBar

    w = lessons.window
    _open(qtbot, lessons, builtin_lessons()[-1])
    w.resize(1280, 720)
    lessons.projector.enter()
    qtbot.wait(100)
    with_table = w.view.height()
    assert lessons.table_dock.isVisible()
    tabs = [t for t in w.findChildren(QTabBar) if t.isVisible() and t.window() is w and t.count()]
    assert tabs == [], [[t.tabText(i) for i in range(t.count())] for t in tabs]
    lessons.projector.toggle_table()
    qtbot.wait(100)
    assert not lessons.table_dock.isVisible() and w.view.height() > with_table + 100
    lessons.projector.toggle_table()
    qtbot.wait(100)
    assert lessons.table_dock.isVisible() and abs(w.view.height() - with_table) < 40
    lessons.projector.leave()
    assert lessons.table_dock.isVisible()
