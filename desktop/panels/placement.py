"""Placement panel: for a selected pod, every node's per-plugin scheduler scores, the filters that removed
nodes, and why the winner won (from the core scheduler's ``Placement`` record)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget


class PlacementPanel(QWidget):
    """``show_placement(pod_name, placement)``; ``placement`` None says the pod has no record."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel(self.tr("Select a pod to see how the scheduler placed it."))
        self.title.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.why = QLabel()
        self.why.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.tree)
        lay.addWidget(self.why)

    def show_placement(self, pod_name: str, placement) -> None:
        self.tree.clear()
        if placement is None:
            self.title.setText(self.tr("{0}: no scheduling record (placed at start, pinned, or not scheduled "
                                       "yet).").format(pod_name))
            self.tree.setHeaderLabels([self.tr("Node")])
            self.why.setText("")
            return
        plugins = list(placement.scores)
        self.tree.setHeaderLabels([self.tr("Node"), self.tr("Total")] + plugins + [self.tr("Filtered out by")])
        self.title.setText(self.tr("{0} at t = {1} s, strategy {2}").format(
            pod_name, f"{placement.time:g}", placement.strategy))
        bold = QFont()
        bold.setBold(True)
        rows = []
        for node in placement.nodes:
            scores = placement.node_scores(node)
            total = placement.total(node)
            rows.append((total if total is not None else -1, node, scores))
        rows.sort(key=lambda r: (-r[0], r[1]))
        for total, node, scores in rows:
            item = QTreeWidgetItem([node, str(total)] + [str(scores.get(p, "")) for p in plugins] + [""])
            if node == placement.node:
                for c in range(item.columnCount()):
                    item.setFont(c, bold)
            self.tree.addTopLevelItem(item)
        for node, reason in sorted(placement.filtered.items()):
            self.tree.addTopLevelItem(QTreeWidgetItem([node, "-"] + [""] * len(plugins) + [reason]))
        for c in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(c)
        if placement.node is None:
            self.why.setText(self.tr("Not scheduled: {0}").format(placement.message))
        elif len(rows) > 1:
            runner = rows[1]
            weights = ", ".join(f"{p}×{w}" for p, w in placement.weights.items())
            self.why.setText(self.tr("{0} won with {1} points against {2} for {3} (weighted sum of the plugin "
                                     "scores: {4}).").format(placement.node, rows[0][0], runner[0], runner[1],
                                                             weights))
        else:
            self.why.setText(self.tr("{0} was the only node left after filtering.").format(placement.node))
