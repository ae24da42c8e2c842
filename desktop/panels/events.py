"""Events panel: the control-plane log and, in step-by-step mode, every packet event -- filterable by type;
clicking a line selects its packet or its object."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
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

from desktop.i18n import drop_reason_label, drop_reason_tooltip
from desktop.live.adapter import EVENT_KINDS, PacketEvent

MAX_ROWS = 3000
NARROW_PX = 520  # a panel narrower than this hides the Type column (the line's own words say the type)


def format_time(t: float) -> str:
    """Simulated time as the rest of the UI writes it: seconds with milliseconds ("12.350 s")."""
    return f"{t:.3f} s"


class EventsPanel(QWidget):
    """``add_events(list[PacketEvent])``; ``event_activated(PacketEvent)`` when a line is clicked."""

    event_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind_box = QComboBox()
        self.kind_box.currentIndexChanged.connect(self._refilter)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refilter)
        self.tree = QTreeWidget()
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
        # follow the newest line until the user scrolls up; scrolling back to the bottom follows again. The
        # list grows while its dock is hidden or not laid out yet, so following is done when the scroll range
        # changes (the range is what a new line, a filter or a first show changes), not once at insertion.
        self.following = True
        bar = self.tree.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_scrolled)
        self.retranslate()

    def retranslate(self) -> None:
        """Every word in the current language: the type filter, the header, and every row already listed (a
        row is worded from its event, so a language switch re-words the whole log)."""
        self.kind_names = {"dns": self.tr("DNS answer"), "conntrack": self.tr("conntrack hit"),
                           "dnat": self.tr("DNAT"), "snat": self.tr("SNAT / masquerade"),
                           "proxy": self.tr("proxied (ingress)"), "drop": self.tr("drop"),
                           "delivered": self.tr("delivered"), "control": self.tr("control plane")}
        self.formats = {"dns": self.tr("DNS answer {0} → {1}"), "dnat": self.tr("DNAT {0} → {1}"),
                        "snat": self.tr("SNAT / masquerade {0} → {1}"), "drop": self.tr("dropped: {0}"),
                        "proxy": self.tr("the ingress controller opens {0} → {1}"),
                        "delivered": self.tr("delivered ({0} ms)")}
        kind = self.kind_box.currentData()
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        self.kind_box.addItem(self.tr("All types"), "")
        for k in EVENT_KINDS:
            self.kind_box.addItem(self.kind_names[k], k)
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind or "")))
        self.kind_box.blockSignals(False)
        if not getattr(self, "packet_events", True):
            self.set_packet_events(False)
        self.search.setPlaceholderText(self.tr("Filter by text (object, address, reason)"))
        self.tree.setHeaderLabels([self.tr("Time"), self.tr("Type"), self.tr("Where"), self.tr("What")])
        self.fit_columns()
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            ev = item.data(0, Qt.ItemDataRole.UserRole)
            text, tip = self.display_text(ev)
            item.setText(1, self.kind_names.get(ev.kind, ev.kind))
            item.setText(3, text)
            item.setToolTip(3, tip)

    def set_packet_events(self, listed: bool) -> None:
        """Whether packet events are listed (step-by-step mode) or only the control plane (realtime): in
        realtime the packet types are greyed out in the filter (choosing 'drop' after a node failure showed an
        empty list with no hint, HG under Xvfb), and a packet type chosen falls back to all types."""
        self.packet_events = listed
        model = self.kind_box.model()
        for i in range(self.kind_box.count()):
            kind = self.kind_box.itemData(i)
            item = model.item(i) if hasattr(model, "item") else None
            if item is not None and kind not in ("", "control"):
                item.setEnabled(listed)
        if not listed and self.kind_box.currentData() not in ("", "control"):
            self.kind_box.setCurrentIndex(0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Columns for the panel's width: in a narrow side panel (~280 px at 1280x720) the default 100 px
        columns left "What" -- the line's point -- off to the right behind a scroll bar. There, the Type
        column goes (a line says "DNAT …", "dropped: …", "NodeNotReady: …"; the filter still picks by type),
        Time takes what "1234.567 s" needs and Where about a third of the rest."""
        tree = self.tree
        narrow = self.width() < NARROW_PX
        tree.setColumnHidden(1, narrow)
        fm = tree.fontMetrics()
        time_w = int(fm.horizontalAdvance("0000.000 s")) + 14
        type_w = 0 if narrow else int(max(fm.horizontalAdvance(t) for t in self.kind_names.values())) + 14
        tree.setColumnWidth(0, time_w)
        if not narrow:
            tree.setColumnWidth(1, type_w)
        rest = max(0, tree.viewport().width() - time_w - type_w)
        tree.setColumnWidth(2, max(70, int(rest * (0.3 if narrow else 0.28))))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def display_text(self, ev: PacketEvent) -> tuple[str, str]:
        """The event's line in the current language, and its tooltip (a drop: the reason's code and the
        core's explanation, as the CLI prints them)."""
        if ev.kind == "drop" and ev.args:
            code = str(ev.args[0])
            return self.formats["drop"].format(drop_reason_label(code)), drop_reason_tooltip(code)
        fmt = self.formats.get(ev.kind)
        text = fmt.format(*ev.args) if fmt and ev.args else ev.text
        return text, text

    def _on_range_changed(self, _low: int, high: int) -> None:
        if self.following:
            self.tree.verticalScrollBar().setValue(high)

    def _on_scrolled(self, value: int) -> None:
        self.following = value >= self.tree.verticalScrollBar().maximum() - 1

    def follow(self) -> None:
        """Follow the newest line again (e.g. after a new run)."""
        self.following = True
        self.tree.scrollToBottom()

    def clear(self) -> None:
        self.events.clear()
        self.tree.clear()
        self.following = True

    def remove_last(self, ev: PacketEvent) -> bool:
        """Take ``ev`` off the end of the list (step-by-step mode stepped back over it)."""
        for i in range(self.tree.topLevelItemCount() - 1, -1, -1):
            if self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == ev:
                self.tree.takeTopLevelItem(i)
                for j in range(len(self.events) - 1, -1, -1):
                    if self.events[j] == ev:
                        del self.events[j]
                        break
                return True
        return False

    def select_event(self, ev: PacketEvent | None) -> None:
        """Make ``ev``'s line the current one (scrolled to), or none."""
        if ev is None:
            self.tree.setCurrentItem(None)
            return
        for i in range(self.tree.topLevelItemCount() - 1, -1, -1):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == ev:
                self._make_current(item)
                return

    def _make_current(self, item: QTreeWidgetItem) -> None:
        """Highlight the line step-by-step mode is on; scroll to it only while following (a user who scrolled
        up to read keeps their place)."""
        if self.following:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            return
        bar = self.tree.verticalScrollBar()
        value = bar.value()
        self.tree.setCurrentItem(item)  # Qt scrolls to a new current item: put the user's place back
        bar.setValue(value)

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
        item = None
        for ev in events[-MAX_ROWS:]:
            item = self._item(ev)
            self.tree.addTopLevelItem(item)
            item.setHidden(not self._accepts(ev))
        if select_last and item is not None:
            self._make_current(item)
        if self.following:
            self.tree.scrollToBottom()

    def _item(self, ev: PacketEvent) -> QTreeWidgetItem:
        text, tip = self.display_text(ev)
        item = QTreeWidgetItem([format_time(ev.time), self.kind_names.get(ev.kind, ev.kind), ev.where, text])
        item.setData(0, Qt.ItemDataRole.UserRole, ev)
        item.setToolTip(3, tip)
        item.setToolTip(2, ev.where)
        if ev.kind == "drop":
            item.setForeground(1, QColor("#D55E00"))
        return item

    def _accepts(self, ev: PacketEvent) -> bool:
        kind = self.kind_box.currentData()
        if kind and ev.kind != kind:
            return False
        needle = self.search.text().strip().lower()
        return not needle or needle in ev.where.lower() or needle in ev.text.lower() or any(
            needle in str(a).lower() for a in ev.args) or needle in self.display_text(ev)[0].lower()

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
