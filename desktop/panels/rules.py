"""Rules panel: the selected node's kube-proxy rules in its current mode, the matched rule highlighted."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget


class RulesPanel(QWidget):
    """``show_rules(ruleset, highlight_ids)``; ``node_chosen(str)`` when the user picks another node."""

    node_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.node_box = QComboBox()
        self.node_box.currentTextChanged.connect(self._on_node_changed)
        self.mode_label = QLabel()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Node:")))
        top.addWidget(self.node_box, 1)
        top.addWidget(self.mode_label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.text)
        self.ruleset = None
        self.highlighted: list[int] = []  # 1-based line numbers
        self._updating = False

    def set_nodes(self, names: list[str]) -> None:
        current = self.node_box.currentText()
        self._updating = True
        self.node_box.clear()
        self.node_box.addItems(names)
        if current in names:
            self.node_box.setCurrentText(current)
        self._updating = False

    @property
    def node(self) -> str:
        return self.node_box.currentText()

    def set_node(self, name: str) -> None:
        if name != self.node_box.currentText():
            self.node_box.setCurrentText(name)

    def _on_node_changed(self, name: str) -> None:
        if not self._updating and name:
            self.node_chosen.emit(name)

    def show_rules(self, ruleset, highlight_ids: list[str] | tuple = ()) -> None:
        if self.ruleset is None or ruleset.text != self.ruleset.text:
            bar = self.text.verticalScrollBar().value()
            self.text.setPlainText(ruleset.text)
            self.text.verticalScrollBar().setValue(bar)
        self.ruleset = ruleset
        self.mode_label.setText(self.tr("mode: {0}").format(ruleset.mode))
        numbers = [n for n in (ruleset.number(i) for i in highlight_ids) if n is not None]
        self.highlighted = numbers
        sels = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#F0E442"))
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        doc = self.text.document()
        for n in numbers:
            sel = QTextEdit.ExtraSelection()
            sel.format = fmt
            cursor = QTextCursor(doc.findBlockByLineNumber(n - 1))
            sel.cursor = cursor
            sels.append(sel)
        self.text.setExtraSelections(sels)
        if numbers:
            cursor = QTextCursor(doc.findBlockByLineNumber(numbers[0] - 1))
            self.text.setTextCursor(cursor)
            self.text.centerCursor()

    def highlighted_text(self) -> list[str]:
        if self.ruleset is None:
            return []
        return [self.ruleset.text.splitlines()[n - 1] for n in self.highlighted]
