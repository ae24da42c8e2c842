"""The comparison table of a lesson (lesson 6): the lecture's rows and columns, each cell a link to the lesson
moment that shows it — click a cell and the player opens that lesson at that step."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from desktop.lessons.model import Lesson

YES, NO = "#009E73", "#D55E00"  # Okabe-Ito green / vermillion, always with the O / X mark itself


class LessonTable(QTableWidget):
    cell_chosen = Signal(str, int)  # (lesson name, 1-based step) of the clicked cell

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lesson-table")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.cellClicked.connect(self._on_clicked)
        self.lesson: Lesson | None = None
        self.lang = "en"
        self.compact = False  # projector: values only, the notes in the tooltips

    def show_lesson(self, lesson: Lesson | None, lang: str) -> None:
        self.lesson, self.lang = lesson, lang
        self.clear()
        if lesson is None or not lesson.table:
            self.setRowCount(0)
            self.setColumnCount(0)
            return
        columns = [c.column for c in lesson.table[0].cells]
        self.setColumnCount(len(columns))
        self.setRowCount(len(lesson.table))
        self.setHorizontalHeaderLabels(columns)
        self.setVerticalHeaderLabels([r.row.get(lang) for r in lesson.table])
        for i, row in enumerate(lesson.table):
            for j, cell in enumerate(row.cells):
                note = cell.note.get(lang) if cell.note else ""
                text = cell.value + (f"\n{note}" if note and not self.compact else "")
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if cell.value in ("O", "X"):
                    item.setForeground(QBrush(QColor(YES if cell.value == "O" else NO)))
                    f = QFont(item.font())
                    f.setBold(True)
                    item.setFont(f)
                tip = self.tr("Show it: lesson {0}, step {1}").format(cell.lesson, cell.step)
                item.setToolTip(f"{note}\n{tip}" if note else tip)
                self.setItem(i, j, item)
        self.resizeRowsToContents()

    def preferred_height(self) -> int:
        return self.horizontalHeader().height() + sum(self.rowHeight(i) for i in range(self.rowCount())) + 4

    def set_font_px(self, px: int, compact: bool = False) -> None:
        self.compact = compact
        f = QFont(self.font())
        f.setPixelSize(px)
        self.setFont(f)
        self.horizontalHeader().setFont(f)
        self.verticalHeader().setFont(f)
        self.show_lesson(self.lesson, self.lang)

    def _on_clicked(self, row: int, column: int) -> None:
        if self.lesson is None:
            return
        cell = self.lesson.table[row].cells[column]
        self.cell_chosen.emit(cell.lesson, cell.step)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange and self.lesson is not None:
            # the language just installed (Languages.set_language sets the default locale); self.lang is the
            # one the table was shown in, the old one when nobody re-showed it yet
            korean = QLocale().language() == QLocale.Language.Korean
            self.show_lesson(self.lesson, "ko" if korean else "en")
        super().changeEvent(event)
