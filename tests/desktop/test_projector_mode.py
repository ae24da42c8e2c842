"""The Lessons extension on the real main window: language switching at runtime, projector mode and its keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from desktop.lessons.model import builtin_lessons

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, qm_dir, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop.lessons.controller import install
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    lessons = install(w)
    w.extensions["lessons"] = lessons
    w.show()
    yield w
    lessons.projector.leave()
    lessons.close()
    lang = w.extensions["i18n"]
    lang.set_language("en", remember=False)
    w.session.stop() if hasattr(w.session, "stop") else None


def _titles(w) -> list[str]:
    return [a.text() for a in w.menuBar().actions()]


def test_switching_language_at_runtime_changes_menu_titles(window):
    lang = window.extensions["i18n"]
    lang.set_language("en", remember=False)
    assert _titles(window)[:3] == ["&File", "&Edit", "&View"]
    assert "&Lessons" in _titles(window)
    ko_action = window.findChild(type(window.menu("view").menuAction()), "action-language-ko")
    ko_action.trigger()  # View → Language → 한국어
    assert lang.current == "ko"
    assert _titles(window)[:3] == ["파일(&F)", "편집(&E)", "보기(&V)"]
    assert "레슨(&L)" in _titles(window)
    lessons = window.extensions["lessons"]
    assert lessons.dock.windowTitle() == "레슨"
    assert lessons.panel.title.text() == "열린 레슨 없음"
    lang.set_language("en", remember=False)
    assert _titles(window)[:3] == ["&File", "&Edit", "&View"]
    assert lessons.panel.title.text() == "No lesson open"


def test_opening_a_lesson_starts_the_player_with_captions_in_the_current_language(window, qtbot):
    lessons = window.extensions["lessons"]
    lang = window.extensions["i18n"]
    lang.set_language("ko", remember=False)
    lessons.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: lessons.player is not None, timeout=5000)
    assert lessons.panel.title.text().startswith("서비스란?")
    assert lessons.panel.progress.text() == "3단계 중 1단계"
    assert lessons.panel.caption.text().startswith("장애전")
    lang.set_language("en", remember=False)
    assert lessons.panel.title.text().startswith("Why Services")
    assert lessons.panel.caption.text().startswith("Before the failure")
    assert lessons.panel.progress.text() == "Step 1 of 3"


def test_projector_mode_hides_the_chrome_and_esc_restores_it(window, qtbot):
    lessons = window.extensions["lessons"]
    lessons.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: lessons.player is not None, timeout=5000)
    docks_before = {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()}
    assert "dock-lesson" in docks_before
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert lessons.projector.active
    assert window.isFullScreen() or window.windowState() & Qt.WindowState.WindowFullScreen
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    visible = {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()}
    assert visible == {"dock-projector-caption"}
    cap = lessons.projector.caption
    assert cap.text.text().startswith("Before the failure")
    assert cap.text.font().pixelSize() >= 24  # ~28 px at 720 px of screen height
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not lessons.projector.active
    assert window.menuBar().isVisible()
    assert {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()} == docks_before


def test_projector_keys_step_reveal_and_act(window, qtbot):
    lessons = window.extensions["lessons"]
    lessons.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: lessons.player is not None, timeout=5000)
    lessons.projector.enter()
    player = lessons.player
    qtbot.keyClick(window, Qt.Key.Key_PageDown)  # presenter remote: skip to the end of step 1
    assert player.phase == player.SHOWN and lessons.clock.time == pytest.approx(8.0)
    qtbot.keyClick(window, Qt.Key.Key_Right)  # step 2: the predict pause
    assert player.phase == player.QUESTION
    assert lessons.projector.caption.question.text().startswith("At 10 s node-2 goes down")
    assert not lessons.projector.caption.answer.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_2)  # IPVS
    qtbot.keyClick(window, Qt.Key.Key_S)  # next IPVS scheduler after rr: lc
    lessons.clock.advance(0.2)
    assert lessons.clock.sim.state.proxy_config.mode == "ipvs"
    assert lessons.clock.sim.state.proxy_config.ipvs_scheduler == "lc"
    window.select_refs([_node_ref("node-3")])
    qtbot.keyClick(window, Qt.Key.Key_F)  # fail the selected node
    assert [a.action for a in lessons.clock.actions][-1] == "failNode"
    assert lessons.clock.actions[-1].target == "node-3"
    qtbot.keyClick(window, Qt.Key.Key_PageUp)  # back to step 1: the rerun drops the later actions
    assert player.index == 0 and lessons.clock.time == pytest.approx(0.0)
    assert lessons.clock.actions == []
    qtbot.keyClick(window, Qt.Key.Key_Space)  # play/pause
    assert not lessons.clock.playing or lessons.clock.playing  # toggled without error
    lessons.clock.pause()


def _node_ref(name):
    from core.model import ObjectRef

    return ObjectRef("Node", "", name)


def test_runtime_switch_also_retranslates_texts_set_once(window):
    """Toolbar actions, dock titles and buttons created with tr() at start follow a runtime switch too."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QPushButton

    from desktop.i18n import text_map

    lang = window.extensions["i18n"]
    lang.set_language("en", remember=False)
    action = QAction("&Open…", window)  # as a toolbar would create it, in English, once
    window.addAction(action)
    dock = QDockWidget("Problems", window)
    button = QPushButton("Step by step", window)
    data = QPushButton("default", window)  # a lowercase single word may be data: left alone
    lang.set_language("ko", remember=False)
    assert action.text() == "열기(&O)…" and dock.windowTitle() == "문제" and button.text() == "단계별"
    assert data.text() == "default"
    lang.set_language("en", remember=False)
    assert action.text() == "&Open…" and dock.windowTitle() == "Problems" and button.text() == "Step by step"
    assert text_map("en", "ko")["&File"] == "파일(&F)" and text_map("ko", "en")["파일(&F)"] == "&File"


def test_leaving_projector_mode_restores_the_raised_tab(window, qtbot):
    """Two tabified bottom docks, the second raised: after F5 and Esc the same one is in front."""
    from PySide6.QtWidgets import QLabel, QTabBar

    def front() -> str:
        for bar in window.findChildren(QTabBar):
            texts = [bar.tabText(i) for i in range(bar.count())]
            if bar.isVisible() and "A" in texts and "B" in texts:
                return bar.tabText(bar.currentIndex())
        return ""

    window.add_dock("test-a", "A", QLabel("a"), Qt.DockWidgetArea.BottomDockWidgetArea)
    b = window.add_dock("test-b", "B", QLabel("b"), Qt.DockWidgetArea.BottomDockWidgetArea, tabify_with="test-a")
    qtbot.waitUntil(lambda: front() != "", timeout=2000)
    b.raise_()
    qtbot.waitUntil(lambda: front() == "B", timeout=2000)
    lessons = window.extensions["lessons"]
    lessons.projector.enter()
    assert not b.isVisible()
    lessons.projector.leave()
    qtbot.waitUntil(lambda: b.isVisible() and front() == "B", timeout=2000)


def test_each_step_selects_what_it_is_about(window, qtbot):
    from core.model import ObjectRef

    lessons = window.extensions["lessons"]
    lessons.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: lessons.player is not None, timeout=5000)
    assert window.selected_refs() == [ObjectRef("Service", "default", "web")]  # step 1: focus Service/default/web
    lessons.next_step()
    lessons.next_step()  # step 2: focus Node/node-2
    assert window.selected_refs() == [ObjectRef("Node", "", "node-2")]


def test_leaving_projector_mode_leaves_one_tab_bar_per_dock_group(window, qtbot):
    """Seen in a script over lessons 1-4: every F5/Esc left a second copy of each dock group's tab bar painted in the
    window (the docks were shown one by one before the saved state was restored)."""
    from PySide6.QtWidgets import QApplication, QTabBar, QToolBar

    def groups() -> list[tuple[str, ...]]:
        QApplication.processEvents()
        return sorted(tuple(bar.tabText(i) for i in range(bar.count())) for bar in window.findChildren(QTabBar)
                      if bar.parent() is window and bar.isVisible() and bar.count())

    lessons = window.extensions["lessons"]
    lessons.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: lessons.player is not None, timeout=5000)
    before = groups()
    assert before and len(set(before)) == len(before)
    toolbars = {t.objectName() for t in window.findChildren(QToolBar) if t.isVisible()}
    geometry = window.geometry()
    for _ in range(3):
        lessons.projector.enter()
        assert groups() == []
        lessons.projector.leave()
        assert groups() == before
        assert {t.objectName() for t in window.findChildren(QToolBar) if t.isVisible()} == toolbars
        assert window.geometry() == geometry  # restoreGeometry() moved it down 25 px a time without a WM


def test_the_lessons_menu_names_each_lesson_by_its_short_title_in_both_languages(window):
    """HG (Xvfb, 1280x720): whole titles ran the Lessons menu off the screen's right edge, cut mid-word.
    The menu shows the part before the dash; the whole title is the tooltip, the rest the status tip."""
    from PySide6.QtGui import QFontMetrics

    lang = window.extensions["i18n"]
    lessons = window.extensions["lessons"]
    lang.set_language("en", remember=False)
    texts = [a.text() for a, _ in lessons._lesson_actions]
    assert texts[:3] == ["1. Why Services", "2. ClusterIP and kube-proxy", "3. NodePort"]
    action, lesson = lessons._lesson_actions[1]
    assert action.toolTip() == "ClusterIP and kube-proxy — iptables' random choice and the IPVS schedulers"
    assert action.statusTip() == "iptables' random choice and the IPVS schedulers"
    lang.set_language("ko", remember=False)
    assert lessons._lesson_actions[0][0].text() == "1. 서비스란?"
    # the widest entry fits in a third of a 1280-px screen
    metrics = QFontMetrics(lessons.menu.font())
    assert max(metrics.horizontalAdvance(a.text()) for a, _ in lessons._lesson_actions) < 1280 / 3
    lang.set_language("en", remember=False)


def test_leaving_projector_mode_restores_the_zoom_and_the_readout_tells_the_truth(window, qtbot):
    """Xvfb (HP's tester): zoomed to 44 %, F5 then Esc left the view at the projector's fit (19 % on 100
    nodes, pods blank cells) with the readout still at 44 %; one more zoom step read 23 %."""
    lessons = window.extensions["lessons"]
    lessons.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: lessons.player is not None, timeout=5000)
    view = window.view
    view.fit()
    view.zoom_by(1.9)  # the user's zoom, well off any fit
    user = view.scale_factor
    centre = view.mapToScene(view.viewport().rect().center())
    assert window.zoom_label.text() == f"{user * 100:.0f} %"
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.wait(150)  # the projector fits the cluster above its caption bar (60 ms after entering)
    fitted = view.scale_factor
    assert abs(fitted - user) > 0.05
    assert window.zoom_label.text() == f"{fitted * 100:.0f} %"  # a fit from projector mode is told too
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert view.scale_factor == pytest.approx(user)
    assert window.zoom_label.text() == f"{view.scale_factor * 100:.0f} %"
    back = view.mapToScene(view.viewport().rect().center())
    assert abs(back.x() - centre.x()) < 2 / user and abs(back.y() - centre.y()) < 2 / user
    assert not view.auto_fit  # the user's zoom: a resize does not fit it away
    bars = (view.horizontalScrollBar().value(), view.verticalScrollBar().value())
    for _ in range(6):  # round after round the view comes back to the very pixel (HT2: 6-7 px after six)
        qtbot.keyClick(window, Qt.Key.Key_F5)
        qtbot.wait(120)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        qtbot.wait(40)
    assert (view.horizontalScrollBar().value(), view.verticalScrollBar().value()) == bars
    assert view.scale_factor == pytest.approx(user)
