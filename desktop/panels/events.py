"""Events panel: the control-plane log and, in step-by-step mode, every packet event -- filterable by type;
clicking a line selects its packet or its object."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.live.adapter import EVENT_KINDS, PacketEvent

MAX_ROWS = 3000


class EventsPanel(QWidget):
    """``add_events(list[PacketEvent])``; ``event_activated(PacketEvent)`` when a line is clicked."""

    event_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind_names = {"dns": self.tr("DNS answer"), "conntrack": self.tr("conntrack hit"),
                           "dnat": self.tr("DNAT"), "snat": self.tr("SNAT / masquerade"), "proxy": self.tr("proxied (ingress)"),
                           "drop": self.tr("drop"), "delivered": self.tr("delivered"),
                           "control": self.tr("control plane")}
        self.formats = {"dns": self.tr("DNS answer {0} → {1}"), "dnat": self.tr("DNAT {0} → {1}"),
                        "snat": self.tr("SNAT / masquerade {0} → {1}"), "drop": self.tr("dropped: {0}"),
                        "proxy": self.tr("the ingress controller opens {0} → {1}"),
                        "delivered": self.tr("delivered ({0} ms)")}
        self.kind_box = QComboBox()
        self.kind_box.addItem(self.tr("All types"), "")
        for k in EVENT_KINDS:
            self.kind_box.addItem(self.kind_names[k], k)
        self.kind_box.currentIndexChanged.connect(self._refilter)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter by text (object, address, reason)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refilter)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Time (s)"), self.tr("Type"), self.tr("Where"), self.tr("What")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.itemClicked.connect(self._on_clicked)
        self.tree.itemActivated.connect(self._on_clicked)
        top = QHBoxLayout()
        top.addWidget(self.kind_box)
        top.addWidget(self.search, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.tree)
        self.events: list[PacketEvent] = []
        self._user_scrolled = False  # follow the newest line until the user scrolls up
        self.tree.verticalScrollBar().sliderPressed.connect(self._on_user_scroll)

    def _on_user_scroll(self) -> None:
        self._user_scrolled = True

    def clear(self) -> None:
        self.events.clear()
        self.tree.clear()

    def set_kind(self, kind: str) -> None:
        i = self.kind_box.findData(kind)
        self.kind_box.setCurrentIndex(max(i, 0))

    def add_events(self, events: list[PacketEvent], *, select_last: bool = False) -> None:
        if not events:
            return
        self.events.extend(events)
        overflow = len(self.events) - MAX_ROWS
        if overflow > 0:
            del self.events[:overflow]
            for _ in range(min(overflow, self.tree.topLevelItemCount())):
                self.tree.takeTopLevelItem(0)
        bar = self.tree.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2 or not self._user_scrolled
        item = None
        for ev in events[-MAX_ROWS:]:
            item = self._item(ev)
            self.tree.addTopLevelItem(item)
            item.setHidden(not self._accepts(ev))
        if select_last and item is not None:
            self.tree.setCurrentItem(item)
        if at_end or select_last:
            self.tree.scrollToBottom()

    def _item(self, ev: PacketEvent) -> QTreeWidgetItem:
        fmt = self.formats.get(ev.kind)
        text = fmt.format(*ev.args) if fmt and ev.args else ev.text
        item = QTreeWidgetItem([f"{ev.time:.6f}", self.kind_names.get(ev.kind, ev.kind), ev.where, text])
        item.setData(0, Qt.ItemDataRole.UserRole, ev)
        item.setToolTip(3, text)
        if ev.kind == "drop":
            item.setForeground(1, QColor("#D55E00"))
        return item

    def _accepts(self, ev: PacketEvent) -> bool:
        kind = self.kind_box.currentData()
        if kind and ev.kind != kind:
            return False
        needle = self.search.text().strip().lower()
        return not needle or needle in ev.where.lower() or needle in ev.text.lower() or any(
            needle in str(a).lower() for a in ev.args)

    def _refilter(self) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            item.setHidden(not self._accepts(item.data(0, Qt.ItemDataRole.UserRole)))

    def visible_events(self) -> list[PacketEvent]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if not item.isHidden():
                out.append(item.data(0, Qt.ItemDataRole.UserRole))
        return out

    def _on_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.event_activated.emit(item.data(0, Qt.ItemDataRole.UserRole))
