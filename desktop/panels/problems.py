"""The Problems dock: every diagnostic of the document (severity, file:line, object, field, message); activating
one selects its object and shows its field in the inspector."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from core.model import ObjectRef
from core.scenario.kinds import ref_label

SEVERITY_GLYPH = {"error": "✕", "warning": "⚠"}


class ProblemsPanel(QTreeWidget):
    problem_activated = Signal(object, str)  # (ObjectRef or None, field path)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("problems")
        self.session = session
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setHeaderLabels([self.tr("Severity"), self.tr("Location"), self.tr("Object"), self.tr("Field"),
                              self.tr("Message")])
        self.setColumnWidth(0, 90)
        self.setColumnWidth(1, 170)
        self.setColumnWidth(2, 220)
        self.setColumnWidth(3, 200)
        session.diagnostics_changed.connect(self.refresh)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        labels = {ref_label(r): r for r in self.session.document.refs()}
        for d in self.session.diagnostics:
            where = d.file.rsplit("/", 1)[-1]
            if d.line:
                where += f":{d.line}"
            sev = self.tr("error") if d.is_error else self.tr("warning")
            item = QTreeWidgetItem([f"{SEVERITY_GLYPH.get(d.severity, '')} {sev}", where, d.object, d.path, d.message])
            item.setToolTip(4, d.format())
            item.setData(0, Qt.ItemDataRole.UserRole, labels.get(d.object))
            item.setData(1, Qt.ItemDataRole.UserRole, d.path)
            self.addTopLevelItem(item)

    def counts(self) -> tuple[int, int]:
        errors = sum(d.is_error for d in self.session.diagnostics)
        return errors, len(self.session.diagnostics) - errors

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        ref = item.data(0, Qt.ItemDataRole.UserRole)
        self.problem_activated.emit(ref if isinstance(ref, ObjectRef) else None,
                                    item.data(1, Qt.ItemDataRole.UserRole) or "")
