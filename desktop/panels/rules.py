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
        # the node's kube-proxy behind the EndpointSlices: what it still programs / has not programmed yet
        self.lag_label = QLabel()
        self.lag_label.setWordWrap(True)
        self.lag_label.setStyleSheet("QLabel { background: #FBE3D3; color: #7A2E00; padding: 3px; }")
        self.lag_label.hide()
        lay.addLayout(top)
        lay.addWidget(self.lag_label)
        lay.addWidget(self.text)
        self.ruleset = None
        self.highlighted: list[int] = []  # 1-based line numbers
        self.ghosted: list[int] = []  # 1-based line numbers of rules for endpoints the slice no longer has
        self._stale_ips: list[str] = []
        self._highlight_ids: tuple = ()
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

    def show_lag(self, lag, refresh: bool = True) -> None:
        """The node's kube-proxy lag (``desktop.canvas.picture.ProxyLag`` or None): a note above the rules,
        and the rules of endpoints the EndpointSlice no longer has drawn ghosted (they still get traffic).
        ``refresh``: re-show the rules shown now with it (False: ``show_rules`` comes next)."""
        if not lag:
            self.lag_label.hide()
            self.lag_label.clear()
            self._stale_ips = []
        else:
            self.lag_label.setText("\n".join([lag.text(), *lag.detail()]))
            self.lag_label.show()
            self._stale_ips = lag.stale_ips()
        if refresh and self.ruleset is not None:
            self.show_rules(self.ruleset, self._highlight_ids)

    def _lines_with(self, ips: list[str]) -> list[int]:
        if not ips or self.ruleset is None:
            return []
        # (an index of the addresses in the text, built with the rule set -- in the live run's worker: a regex
        # of 20 stale addresses over a 2,000-pod node's 8,000 lines took ~130 ms of the GUI thread a second)
        return self.ruleset.lines_mentioning(ips)

    def show_rules(self, ruleset, highlight_ids: list[str] | tuple = ()) -> None:
        if self.ruleset is None or ruleset.text != self.ruleset.text:
            bar = self.text.verticalScrollBar().value()
            self.text.setPlainText(ruleset.text)
            self.text.verticalScrollBar().setValue(bar)
        self.ruleset = ruleset
        self._highlight_ids = tuple(highlight_ids)
        self.mode_label.setText(self.tr("mode: {0}").format(ruleset.mode))
        numbers = [n for n in (ruleset.number(i) for i in highlight_ids) if n is not None]
        self.highlighted = numbers
        self.ghosted = self._lines_with(self._stale_ips)
        sels = []
        doc = self.text.document()
        ghost = QTextCharFormat()
        ghost.setBackground(QColor("#FBE3D3"))
        ghost.setForeground(QColor("#9A7B6A"))
        ghost.setFontItalic(True)
        ghost.setProperty(QTextFormat.Property.FullWidthSelection, True)
        for n in self.ghosted:
            sel = QTextEdit.ExtraSelection()
            sel.format = ghost
            sel.cursor = QTextCursor(doc.findBlockByLineNumber(n - 1))
            sels.append(sel)
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#F0E442"))
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        for n in numbers:
            sel = QTextEdit.ExtraSelection()
            sel.format = fmt
            cursor = QTextCursor(doc.findBlockByLineNumber(n - 1))
            sel.cursor = cursor
            sels.append(sel)
        self.text.setExtraSelections(sels)
        first = numbers[0] if numbers else (self.ghosted[0] if self.ghosted else None)
        if first is not None:  # the matched rule, else the first rule kube-proxy should have dropped
            cursor = QTextCursor(doc.findBlockByLineNumber(first - 1))
            self.text.setTextCursor(cursor)
            self.text.centerCursor()

    def highlighted_text(self) -> list[str]:
        if self.ruleset is None:
            return []
        return [self.ruleset.text.splitlines()[n - 1] for n in self.highlighted]
