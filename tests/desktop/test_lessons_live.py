"""The lesson player on the live view: with the live view installed, lessons drive its driver (packets, charts,
panels follow the lesson) and land on the same states as the built-in clock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop.lessons.model import builtin_lessons


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop.live import install as install_live
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.install_late("live", install_live)
    yield w
    les = w.extensions.get("lessons")
    if les is not None:
        les.projector.leave()
        les.close()
    live = w.extensions.get("live")
    driver = getattr(live, "driver", None)
    if driver is not None:
        driver.stop()


def test_lessons_drive_the_live_views_driver(qtbot, window):
    from desktop.lessons.controller import LiveClock, install

    les = window.install_late("lessons", install)
    les.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: les.player is not None, timeout=10000)
    assert isinstance(les.clock, LiveClock)
    live = window.extensions["live"]
    assert les.clock.driver is live.driver
    les.next_step()  # skip to the end of step 1: the live run stands at 8 s
    assert les.player.phase == les.player.SHOWN
    assert live.driver.time == pytest.approx(8.0)
    les.next_step()  # step 2's predict pause
    assert les.player.phase == les.player.QUESTION
    les.next_step()  # reveal: the live driver plays...
    les.next_step()  # ...and skipping lands on the step's end
    assert live.driver.time == pytest.approx(20.0)
    assert live.run.state.nodes["node-2"].ready != "True"  # failed at 10 s, NotReady from 15 s
    les.previous_step()
    assert live.driver.time == pytest.approx(0.0) and les.player.index == 0  # where step 1 began
    assert live.run.state.nodes["node-2"].ready == "True"


def test_projector_key_k_shows_the_kernel_rules_beside_the_canvas(qtbot, window):
    from PySide6.QtCore import Qt

    from desktop.lessons.controller import install

    les = window.install_late("lessons", install)
    les.open_lesson(builtin_lessons()[1])
    qtbot.waitUntil(lambda: les.player is not None, timeout=10000)
    rules = window.docks["live-rules"]
    les.projector.enter()
    assert not rules.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_K)
    assert rules.isVisible() and window.dockWidgetArea(rules) == Qt.DockWidgetArea.RightDockWidgetArea
    assert "font-size" in rules.widget().styleSheet()
    qtbot.keyClick(window, Qt.Key.Key_K)
    assert not rules.isVisible() and "font-size" not in rules.widget().styleSheet()
    qtbot.keyClick(window, Qt.Key.Key_K)
    les.projector.leave()
    assert "font-size" not in rules.widget().styleSheet()


def test_projector_keys_drive_the_live_view_without_a_lesson(qtbot, window):
    """On a plain scenario (the demo, no Lesson): → steps the simulation, ← steps back, 2 switches to IPVS."""
    from PySide6.QtCore import Qt

    from core.scenario import DEMO_SCENARIO
    from desktop.lessons.controller import install

    les = window.install_late("lessons", install)
    live = window.extensions["live"]
    window.session.open(DEMO_SCENARIO)
    qtbot.waitUntil(lambda: live.driver is not None and live.run is not None, timeout=10000)
    assert les.player is None
    les.projector.enter()
    t0 = live.driver.time
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert live.driver.time == pytest.approx(t0 + 0.1)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert live.driver.time == pytest.approx(t0)
    qtbot.keyClick(window, Qt.Key.Key_2)
    live.driver.run_to(live.driver.time + 2.0)
    qtbot.waitUntil(lambda: not live.driver.playing, timeout=10000)
    assert live.run.state.proxy_config.mode == "ipvs"
    les.projector.leave()


def test_lesson_folder_has_the_canvas_at_each_step(qtbot, window, tmp_path):
    from PySide6.QtGui import QImage

    from desktop.lessons.controller import install

    les = window.install_late("lessons", install)
    les.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: les.player is not None, timeout=10000)
    les.next_step()
    t = les.clock.time
    folder = les.export_lesson(tmp_path / "why")
    assert folder is not None
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["01-why-services.yaml", "index.html", "kubernetes-objects.yaml", "step-1.png", "step-2.png",
                     "step-3.png"]
    assert QImage(str(folder / "step-2.png")).width() == 1600
    assert 'src="step-3.png"' in (folder / "index.html").read_text(encoding="utf-8")
    assert les.clock.time == pytest.approx(t) and les.player.index == 0  # put back where the teacher was


def test_file_menu_keeps_quit_last_with_the_export_submenu_beside_export_manifests(window):
    """Seen under Xvfb: the lessons' 'Export as' submenu was appended after Quit."""
    from desktop.lessons.controller import install

    les = window.install_late("lessons", install)
    entries = [a for a in window.menu("file").actions() if not a.isSeparator()]
    assert entries[-1] is window.actions_by_name["quit"]
    names = [a.menu().objectName() if a.menu() else a for a in entries]
    assert names.index("menu-export") == names.index(window.actions_by_name["export"]) + 1
    assert les.export_menu.title() != ""


def test_the_legend_follows_the_canvas_into_the_dark_theme_and_back(window, qtbot):
    """Seen under Xvfb: projector mode's D turned the cluster dark and left the legend a white strip under it."""
    from PySide6.QtGui import QColor

    from desktop.lessons.controller import install
    from desktop.style import DARK

    les = window.install_late("lessons", install)
    legend = window.extensions["live"].legend

    def paper() -> QColor:
        legend.repaint()
        return legend.grab().toImage().pixelColor(legend.width() - 4, legend.height() - 4)

    assert paper().lightness() > 200
    les.projector.enter()
    les.projector.toggle_theme()
    assert les.projector.theme is DARK
    assert paper().lightness() < 80 and legend._ink == QColor(DARK.text)
    les.projector.leave()
    assert paper().lightness() > 200
