"""Menu mnemonics: within one menu (and on the menu bar) no two entries share an Alt letter, in English and in
Korean, with every extension installed (the live view's Simulation menu, the lessons' Export submenu). A user
test found Edit's "&Undo" and "D&uplicate" both on U: Alt+E, U then only cycled between them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QMenuBar


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' ("&&" is a literal ampersand), lower-cased; None without one."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 2
            continue
        i += 1
    return None


def clashes(owner: QMenu | QMenuBar, where: str) -> list[str]:
    """Mnemonic clashes among the visible entries of ``owner`` and, recursively, of its submenus."""
    out, seen = [], {}
    for action in owner.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        key = mnemonic(action.text())
        if key is not None:
            if key in seen:
                out.append(f"{where}: {seen[key]!r} and {action.text()!r} both on {key!r}")
            seen[key] = action.text()
        if action.menu() is not None:
            out += clashes(action.menu(), f"{where} > {action.text()}")
    return out


def test_mnemonic_reads_qt_syntax():
    assert mnemonic("&Undo") == "u"
    assert mnemonic("Dup&licate") == "l"
    assert mnemonic("Save && quit") is None
    assert mnemonic("R&&D &tools") == "t"
    assert mnemonic("복제(&L)") == "l"


def test_clashes_are_found(qtbot):
    menu = QMenu()
    menu.addAction("&Undo")
    menu.addAction("D&uplicate")
    assert clashes(menu, "Edit") == ["Edit: '&Undo' and 'D&uplicate' both on 'u'"]


@pytest.fixture
def full_window(qtbot, qm_dir, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop import i18n
    from desktop.lessons.controller import install as install_lessons
    from desktop.live import install as install_live
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    languages = i18n.install(w)
    languages.set_language("en", remember=False)
    w.resize(1280, 720)
    w.show()
    w.install_late("live", install_live)
    w.install_late("lessons", install_lessons)
    yield w, languages
    les = w.extensions.get("lessons")
    if les is not None:
        les.projector.leave()
        les.close()
    driver = getattr(w.extensions.get("live"), "driver", None)
    if driver is not None:
        driver.stop()
    languages.set_language("en", remember=False)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_two_entries_of_a_menu_share_a_mnemonic(qtbot, full_window, lang):
    window, languages = full_window
    languages.set_language(lang, remember=False)
    qtbot.wait(30)  # LanguageChange is delivered through the event queue
    edit = window.menu("edit")
    assert mnemonic(window.actions_by_name["undo"].text()) == "u"
    assert mnemonic(window.actions_by_name["duplicate"].text()) not in (None, "u")
    names = [a.text() for a in window.menuBar().actions()]
    assert len(names) >= 6, names  # File, Edit, View, Simulation, Help, Lessons
    assert len([a for a in edit.actions() if not a.isSeparator()]) >= 9
    assert clashes(window.menuBar(), "menu bar") == []
