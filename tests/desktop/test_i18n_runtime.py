"""Switching language at runtime (View → Language): every text a user can see follows — menus, docks, tabs,
labels, combo boxes, the status bar, the charts' titles, axis texts and drop legend, the lesson's captions.

``visible_texts(window)`` walks the widgets, actions, menus, docks, tab bars, table headers, the status bar and
the charts' pyqtgraph items (plot titles, legend entries, text items) and returns (where, text) pairs.
``stale(texts, lang)`` picks the texts still in the other language: Hangul while English is active; while
Korean is active, a text that is exactly an English catalogue entry (placeholders matching anything) whose
Korean differs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desktop.lessons.model import builtin_lessons

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _english_patterns() -> list[re.Pattern]:
    from desktop.i18n import catalogue

    out = []
    for _ctx, en, ko in catalogue():
        if en == ko or not re.search(r"[A-Za-z]{3}", en) or re.fullmatch(r"[a-z]+", en):
            continue  # single lowercase words may be data ("client", "default")
        pattern = re.sub(r"\\\{\d+(?::[^}]*)?\\\}|%\d", ".+?", re.escape(en))
        out.append(re.compile(pattern, re.S))
    return out


def visible_texts(window) -> list[tuple[str, str]]:
    import shiboken6
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QApplication,
        QComboBox,
        QDockWidget,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QMenu,
        QTabBar,
        QTableView,
        QToolBar,
        QTreeWidget,
    )

    out: list[tuple[str, str]] = []
    seen_actions = set()

    def add(where: str, text) -> None:
        if isinstance(text, str) and text.strip():
            out.append((where, text))

    for w in QApplication.allWidgets():
        if not shiboken6.isValid(w) or w.window() is not window:
            continue
        if not (isinstance(w, QMenu) or w.isVisibleTo(window)):
            continue
        name = f"{type(w).__name__}:{w.objectName()}"
        for a in w.actions():
            if id(a) not in seen_actions and a.isVisible():
                seen_actions.add(id(a))
                add(f"action:{a.objectName()}", a.text())
                add(f"action-tip:{a.objectName()}", a.toolTip())
        if isinstance(w, QMenu):
            add(name, w.title())
        elif isinstance(w, (QDockWidget, QToolBar)):
            add(name, w.windowTitle())
        elif isinstance(w, (QLabel, QAbstractButton)):
            add(name, w.text())
        elif isinstance(w, QGroupBox):
            add(name, w.title())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(f"{name}[{i}]", w.itemText(i))
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(f"{name}[{i}]", w.tabText(i))
        elif isinstance(w, QLineEdit):
            add(f"{name}.placeholder", w.placeholderText())
        elif isinstance(w, QListWidget):
            for i in range(w.count()):
                add(f"{name}[{i}]", w.item(i).text())
        elif isinstance(w, QTreeWidget):
            for c in range(w.columnCount()):
                add(f"{name}.header[{c}]", w.headerItem().text(c))
            for i in range(w.topLevelItemCount()):
                add(f"{name}[{i}].type", w.topLevelItem(i).text(1))
        elif isinstance(w, QTableView) and w.model() is not None and w.objectName() != "lesson-table":
            # (the comparison table's columns are the lesson file's words: ClusterIP, NodePort, Ingress, …)
            m = w.model()
            for i in range(m.columnCount()):
                if not w.isColumnHidden(i):
                    add(f"{name}.header[{i}]", m.headerData(i, Qt.Orientation.Horizontal))
        add(f"{name}.tip", w.toolTip())
        if type(w).__name__ == "LegendOverlay":  # painted: its words are attributes
            add("legend.title", w.title)
            for _glyph, _colour, text in w._rows:
                add("legend.row", text)
        if type(w).__name__ == "GraphicsLayoutWidget":  # pyqtgraph: titles, legends, text items
            for item in w.scene().items():
                if not item.isVisible():
                    continue
                kind = type(item).__name__
                if kind == "LabelItem":
                    add(f"chart:{kind}", re.sub(r"<[^>]+>", "", getattr(item, "text", "")))
                elif kind == "TextItem":
                    add(f"chart:{kind}", item.textItem.toPlainText())
    add("window-title", window.windowTitle())
    add("status-bar", window.statusBar().currentMessage())
    return out


def stale(texts: list[tuple[str, str]], lang: str) -> list[tuple[str, str]]:
    if lang == "en":
        return [(w, t) for w, t in texts if HANGUL.search(t)]
    patterns = _english_patterns()
    return [(w, t) for w, t in texts if not HANGUL.search(t) and any(p.fullmatch(t.strip()) for p in patterns)]


# -- the safety net for formatted texts, worked by hand from ko.yaml --------------------------------------------
def test_formatted_texts_are_reformatted_in_the_new_language(qm_dir):
    from desktop.i18n import _Formats, switch_text, text_map

    to_en, to_ko = (text_map("ko", "en"), _Formats("ko", "en")), (text_map("en", "ko"), _Formats("en", "ko"))
    # "Step {0} of {1}" = "{1}단계 중 {0}단계": the values change places with the words
    assert switch_text("5단계 중 2단계", *to_en) == "Step 2 of 5"
    assert switch_text("Step 2 of 5", *to_ko) == "5단계 중 2단계"
    # Qt-style %1 placeholders: "%1 errors, %2 warnings" = "오류 %1개, 경고 %2개"
    assert switch_text("오류 3개, 경고 0개", *to_en) == "3 errors, 0 warnings"
    # spaces around a plain entry are kept: " Timing: " is the entry "Timing:" = "타이밍:"
    assert switch_text(" Timing: ", *to_ko) == " 타이밍: "
    # data is left alone
    assert switch_text("default/web", *to_ko) is None
    assert switch_text("10.244.1.235", *to_en) is None


def test_every_drop_reason_has_words_in_both_languages(qtbot, qm_dir):
    from core.dataplane.outcomes import DROP_REASONS
    from desktop.i18n import DROP_REASON_LABELS, Languages, drop_reason_label, drop_reason_tooltip

    assert set(DROP_REASON_LABELS) == set(DROP_REASONS)
    lang = Languages()
    lang.set_language("en", remember=False)
    en = {c: drop_reason_label(c) for c in DROP_REASONS}
    lang.set_language("ko", remember=False)
    ko = {c: drop_reason_label(c) for c in DROP_REASONS}
    lang.set_language("en", remember=False)
    assert en["timeout_dead_endpoint"] == "timed out: sent to a dead pod"
    assert ko["timeout_dead_endpoint"] == "타임아웃: 죽은 파드로 보내짐"
    for code in DROP_REASONS:
        assert "_" not in en[code] and "_" not in ko[code], code
        assert HANGUL.search(ko[code]) and not HANGUL.search(en[code]), code
        assert drop_reason_tooltip(code).startswith(f"{code}: ")
    assert len(set(en.values())) == len(en)  # one label per reason


# -- the whole window --------------------------------------------------------------------------------------------
@pytest.fixture
def window(qtbot, qm_dir, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop import i18n
    from desktop.live import install as install_live
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    languages = i18n.install(w)
    languages.set_language("ko", remember=False)
    w.resize(1280, 720)
    w.show()
    w.install_late("live", install_live)
    yield w
    les = w.extensions.get("lessons")
    if les is not None:
        les.projector.leave()
        les.close()
    driver = getattr(w.extensions.get("live"), "driver", None)
    if driver is not None:
        driver.stop()
    languages.set_language("en", remember=False)


def test_switching_ko_en_ko_leaves_no_text_in_the_old_language(qtbot, window):
    from desktop.lessons.controller import install

    les = window.install_late("lessons", install)
    les.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: les.player is not None, timeout=10000)
    # lesson 1, step 2 (node-2 fails): drops on the chart, so the drop legend has entries
    for _ in range(6):  # → skips a playing step to its end, reveals a predict pause, goes to the next step
        if les.player.index == 1 and les.player.phase in ("shown", "done"):
            break
        les.player.next()
    assert (les.player.index, les.player.phase) == (1, "shown")
    charts = window.extensions["live"].charts
    languages = window.extensions["i18n"]
    window.statusBar().showMessage(window.tr("Undo"))
    seen = {}
    for lang in ("en", "ko", "en"):
        languages.set_language(lang, remember=False)
        qtbot.wait(50)  # LanguageChange events are queued
        texts = []
        for tab in (0, 1):  # both chart pages (only the page on screen is visible)
            charts.tabs.setCurrentIndex(tab)
            charts.update_from(window.extensions["live"].driver.run, force=True)
            texts += visible_texts(window)
        assert stale(texts, lang) == [], lang
        seen[lang] = dict(texts)
    # the checks looked at what matters: chart titles, the drop legend, the lesson's caption and chrome
    en_texts = {t for _w, t in visible_texts(window)} | set(seen["en"].values())
    assert "Fairness (Jain index)" in en_texts and "Drops/s by reason" in en_texts
    assert "static route: the pod is gone" in en_texts  # the drop legend, in words
    assert any(t.startswith("Step 2 of ") for t in en_texts)
    assert les.panel.caption.text() == les.lesson.steps[1].caption.en
    languages.set_language("ko", remember=False)
    qtbot.wait(50)
    assert charts.fair_plot.titleLabel.text == "공정성 (Jain 지수)"
    assert les.panel.caption.text() == les.lesson.steps[1].caption.ko
    assert window.statusBar().currentMessage() == "실행 취소"


def test_switching_language_keeps_the_running_state_on_the_canvas(qtbot, window):
    """Lesson 1 revealed at 20 s, paused: node-2 is down on the canvas. A language switch re-words the canvas
    (its picture is built again) and node-2 stays not Ready — the settled picture must not come back."""
    from desktop.lessons.controller import install

    les = window.install_late("lessons", install)
    les.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: les.player is not None, timeout=10000)
    for _ in range(6):
        if les.player.index == 1 and les.player.phase == "shown":
            break
        les.player.next()
    scene = window.scene
    qtbot.waitUntil(lambda: scene.live_state is not None, timeout=5000)
    node2 = next(b for b in scene.picture.boxes.values() if b.kind == "node" and b.title == "node-2")
    assert node2.status == "not_ready"
    window.extensions["i18n"].set_language("en", remember=False)
    node2 = next(b for b in scene.picture.boxes.values() if b.kind == "node" and b.title == "node-2")
    assert node2.status == "not_ready"
    assert scene.live_state is not None
