"""Packet trace panel: the selected packet's hops -- where, when, addresses before and after, the rule."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.i18n import drop_reason_label, drop_reason_tooltip
from desktop.live.adapter import hop_is_dnat, hop_is_proxy, hop_is_snat, ref_text

_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def rule_in_words(rule: str) -> str:
    """A hop's rule text with the drop reasons' code names (``no_local_endpoints``) in words, in the current
    language; a rule that is nothing but a code ("nxdomain") becomes its words."""
    from desktop.i18n import DROP_REASON_LABELS  # noqa: PLC0415

    if rule in DROP_REASON_LABELS:
        return drop_reason_label(rule)
    return _CODE.sub(lambda m: drop_reason_label(m.group(0)) if m.group(0) in DROP_REASON_LABELS else m.group(0),
                     rule)


class TracePanel(QWidget):
    """``show_sample(sample, hop=None)``; the hop that rewrote an address is bold, ``hop`` is selected.
    ``sample_shown(sample | None)`` after each (projector mode names the pods on the packet's path)."""

    sample_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel(self.tr("Click a packet on the canvas (or an event) to see its path."))
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self._set_header()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree)
        self.sample = None
        self.hop: int | None = None

    def _set_header(self) -> None:
        self.tree.setHeaderLabels([self.tr("#"), self.tr("Where"), self.tr("Time"), self.tr("In (src → dst)"),
                                   self.tr("Out (src → dst)"), self.tr("Rewrite"), self.tr("Rule")])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._set_header()
            if self.sample is not None:
                self.show_sample(self.sample, self.hop)
            else:
                self.clear()
        super().changeEvent(event)

    def clear(self) -> None:
        self.sample = None
        self.tree.clear()
        self.summary.setText(self.tr("Click a packet on the canvas (or an event) to see its path."))
        self.sample_shown.emit(None)

    def rows(self) -> list[list[str]]:
        return [[self.tree.topLevelItem(i).text(c) for c in range(self.tree.columnCount())]
                for i in range(self.tree.topLevelItemCount())]

    def show_sample(self, sample, hop: int | None = None) -> None:
        self.sample, self.hop = sample, hop
        self.tree.clear()
        outcome = (self.tr("delivered in {0} ms").format(f"{sample.latency_ms:.3f}") if sample.outcome == "delivered"
                   else self.tr("dropped: {0}").format(drop_reason_label(sample.outcome)))
        self.summary.setText(self.tr("{0} → {1} at t = {2} s: {3}").format(
            sample.src, sample.target, f"{sample.time:.3f}", outcome))
        bold = QFont()
        bold.setBold(True)
        for i, h in enumerate(sample.hops):
            rewrite = []
            if hop_is_dnat(h):
                rewrite.append(self.tr("DNAT → {0}").format(h.dst_after))
            if hop_is_snat(h):
                rewrite.append(self.tr("SNAT → {0}").format(h.src_after))
            if hop_is_proxy(h):
                rewrite.append(self.tr("proxied → {0}").format(h.dst_after))
            rule = rule_in_words(h.rule) + (f"  [{h.rule_id}]" if h.rule_id else "")
            item = QTreeWidgetItem([str(i + 1), ref_text(h.where), f"+{h.enter_ns / 1000:.1f} µs",
                                    f"{h.src or '-'} → {h.dst or '-'}",
                                    f"{h.src_after or '-'} → {h.dst_after or '-'}", "; ".join(rewrite), rule])
            if rewrite:
                for c in range(item.columnCount()):
                    item.setFont(c, bold)
            item.setToolTip(6, rule)
            self.tree.addTopLevelItem(item)
            if hop == i:
                self.tree.setCurrentItem(item)
        self.summary.setToolTip("" if sample.outcome == "delivered" else drop_reason_tooltip(sample.outcome))
        for c in range(6):
            self.tree.resizeColumnToContents(c)
        self.sample_shown.emit(sample)
