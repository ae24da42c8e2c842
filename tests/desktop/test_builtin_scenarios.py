"""The demo and the lessons PodPath ships are opened to be played and changed, never saved over: Save asks
for a file of the user's own (HG, under Xvfb: the demo changed, Ctrl+O, 'Save changes?' -> Return wrote into
resources/scenarios/demo.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from core.model import ObjectRef

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "scenarios" / "demo.yaml"
LESSON = next((ROOT / "resources" / "lessons").glob("01-*.yaml"))
SB = QMessageBox.StandardButton


@pytest.fixture
def window(org, qtbot):
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.answers = []
    w.ask = lambda title, text, buttons, default: w.answers.pop(0) if w.answers else SB.Discard
    w.saved_to = []
    yield w
    w.session.undo_stack.setClean()


@pytest.mark.parametrize("path", [DEMO, LESSON], ids=["demo", "lesson"])
def test_save_of_a_builtin_scenario_asks_for_a_file_in_the_home_folder(window, tmp_path, path):
    before = path.read_bytes()
    assert window.open_path(path, ask=False)
    assert window.session.builtin
    window.editor.set_field(ObjectRef("Deployment", "default", "web"), "spec.replicas", 4)
    suggested = []
    target = tmp_path / "mine.yaml"

    def get_save_path(title, suggestion):
        suggested.append(suggestion)
        return str(target)

    window.get_save_path = get_save_path
    assert window.file_save()  # Ctrl+S
    assert suggested == [str(Path.home() / path.name)]
    assert path.read_bytes() == before
    assert "replicas: 4" in target.read_text(encoding="utf-8")
    assert window.session.path == target and not window.session.builtin


def test_the_unsaved_changes_question_saves_a_builtin_scenario_elsewhere_or_nowhere(window, tmp_path):
    before = DEMO.read_bytes()
    assert window.open_path(DEMO, ask=False)
    window.editor.set_field(ObjectRef("Deployment", "default", "web"), "spec.replicas", 4)
    window.get_save_path = lambda title, suggestion: ""  # the user cancels the file dialog
    window.answers = [SB.Save]
    assert not window.maybe_save()  # nothing dropped, nothing written
    assert DEMO.read_bytes() == before and window.session.modified


def test_the_session_refuses_to_write_a_builtin_file_in_place(window):
    assert window.open_path(DEMO, ask=False)
    with pytest.raises(ValueError, match="built-in"):
        window.session.save()
