"""Recording a lesson from the GUI: play the scenario, act on it live, drop step markers, save a lesson file.

Lessons → Record a lesson starts; while it records, "Add a step here…" asks for a caption (Korean and
English) and "Add a predict pause here…" for a question and its answer. A step marker at time t becomes a step
with ``until: t`` (the player plays to t and waits there). A predict marker at time t is set when the answer
is on screen: the player asks the question where the previous step ended and reveals the answer once it has
played to t. Stopping writes a copy of the scenario with the live actions as a ``Timeline`` (so the replay is
identical) and the markers as a ``Lesson`` object — checks are written by hand afterwards (docs/lessons.md).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from core.model import TimelineEvent
from core.scenario import Document, loads_document, save_document
from core.scenario.kinds import PODPATH_API
from desktop.lessons.model import LESSON_KIND, Text


@dataclass(frozen=True)
class Marker:
    at: float
    caption: Text
    question: Text | None = None
    answer: Text | None = None


def _text(t: Text) -> dict:
    return {"ko": t.ko, "en": t.en}


def _number(x: float) -> float | int:
    x = round(float(x), 6)
    return int(x) if x == int(x) else x


class LessonRecorder:
    """The markers of a recording and how they become a lesson file (no widgets: the dialogs are separate)."""

    def __init__(self, name: str, title: Text):
        self.name = name
        self.title = title
        self.markers: list[Marker] = []

    def add_step(self, at: float, caption: Text) -> None:
        self._check(at)
        self.markers.append(Marker(float(at), caption))

    def add_predict(self, at: float, question: Text, answer: Text, caption: Text | None = None) -> None:
        self._check(at)
        self.markers.append(Marker(float(at), caption or answer, question, answer))

    def _check(self, at: float) -> None:
        if self.markers and at < self.markers[-1].at - 1e-9:
            raise ValueError(f"a marker at {at:g} s comes before the last one ({self.markers[-1].at:g} s): "
                             "markers follow the simulated time")

    def lesson_object(self) -> dict:
        steps = []
        for m in self.markers:
            step: dict = {"until": _number(m.at), "caption": _text(m.caption)}
            if m.question is not None and m.answer is not None:
                step["predict"] = {"question": _text(m.question), "answer": _text(m.answer)}
            steps.append(step)
        return {"apiVersion": PODPATH_API, "kind": LESSON_KIND, "metadata": {"name": self.name},
                "spec": {"title": _text(self.title), "steps": steps}}

    def build(self, doc: Document, actions: list[TimelineEvent], filename: str) -> Document:
        """A new document: the scenario's objects (any old Lesson replaced), the live actions as a Timeline
        named ``<lesson>-recorded`` and the Lesson."""
        if not self.markers:
            raise ValueError("nothing recorded: add at least one step before saving the lesson")
        out = loads_document("", filename)
        for raw in doc:
            if isinstance(raw, dict) and raw.get("kind") == LESSON_KIND:
                continue
            out.add(copy.deepcopy(raw))
        if actions:
            events = []
            for a in sorted(actions, key=lambda a: a.at):
                e: dict = {"at": _number(a.at), "action": a.action}
                if a.target:
                    e["target"] = a.target
                if a.value is not None:
                    e["value"] = a.value
                events.append(e)
            out.add({"apiVersion": PODPATH_API, "kind": "Timeline", "metadata": {"name": f"{self.name}-recorded"},
                     "spec": {"events": events}})
        out.add(self.lesson_object())
        return out

    def save(self, doc: Document, actions: list[TimelineEvent], path: str | Path) -> Path:
        path = Path(path)
        save_document(self.build(doc, actions, str(path)), path)
        return path


class TextsDialog(QDialog):
    """Korean and English text fields (caption; or question + answer)."""

    def __init__(self, title: str, fields: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.edits: dict[str, QPlainTextEdit | QLineEdit] = {}
        for key, label in fields:
            edit = QPlainTextEdit() if key.startswith(("caption", "answer")) else QLineEdit()
            if isinstance(edit, QPlainTextEdit):
                edit.setMaximumHeight(80)
            form.addRow(label, edit)
            self.edits[key] = edit
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self, key: str) -> str:
        e = self.edits[key]
        return (e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text()).strip()

    def text(self, key: str) -> Text:
        return Text(self.value(f"{key}_ko"), self.value(f"{key}_en"))
