"""The undo history: every step of the session's QUndoStack; clicking a step goes back (or forward) to it."""

from __future__ import annotations

from PySide6.QtWidgets import QUndoView, QWidget


class HistoryPanel(QUndoView):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session.undo_stack, parent)
        self.setObjectName("history")
        self.setEmptyLabel(self.tr("<opened>"))
