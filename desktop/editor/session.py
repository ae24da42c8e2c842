"""EditorSession: the open scenario — its Document, its QUndoStack, its file path and its diagnostics.

The document is the truth; the canvas and the panels are views of it. "Modified" means the undo stack is
not clean. Signals (past tense):

* ``document_replaced()``  — a different document was opened (New/Open/Revert): views rebuild from scratch
* ``path_changed(str)``    — the file the session saves to changed ("" for an untitled document)
* ``diagnostics_changed()`` — the document's problems were re-checked
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from core.model import ClusterModel
from core.scenario.build import build_model
from core.scenario.document import Document
from core.scenario.errors import Diagnostic, ScenarioError
from core.scenario.files import load_document, loads_document


class EditorSession(QObject):
    document_replaced = Signal()
    path_changed = Signal(str)
    diagnostics_changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.document: Document = loads_document("", "untitled.yaml")
        self.path: Path | None = None
        self.diagnostics: list[Diagnostic] = []
        self.model: ClusterModel | None = None

    # -- opening ----------------------------------------------------------------------------------------
    def open(self, path: str | Path) -> None:
        """Open a scenario file; raises ScenarioError (with located diagnostics) or OSError."""
        doc = load_document(path)
        self._replace(doc, Path(path))

    def open_text(self, text: str, filename: str) -> None:
        self._replace(loads_document(text, filename), None)

    def _replace(self, doc: Document, path: Path | None) -> None:
        self.document = doc
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.path = path
        self.recheck()
        self.path_changed.emit(str(path) if path else "")
        self.document_replaced.emit()

    # -- checking ---------------------------------------------------------------------------------------
    def recheck(self) -> None:
        """Build the model from the document; keep the diagnostics (errors leave ``model`` None)."""
        loaded = list(self.document.load_diagnostics)
        try:
            self.model, found = build_model(self.document)
        except ScenarioError as exc:
            self.model, found = None, list(exc.diagnostics)
        self.diagnostics = loaded + [d for d in found if d not in loaded]
        self.diagnostics_changed.emit()

    @property
    def title(self) -> str:
        return self.path.name if self.path else "untitled.yaml"
