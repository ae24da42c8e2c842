"""The palette: every kind of the registry, dragged onto the canvas (a kind id in a vendor MIME type) or
added with Enter / double-click at the centre of the view.

Compact (``set_compact(True)``, what the main window asks for while a live run is on screen and the palette has
a column of its own): a strip of icons ~44 px wide instead of ~230 px, each item's tooltip starting with its
label. The items keep their texts (the language switch and the accessibility tree read them); only the
drawing leaves them out."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QMimeData, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from desktop.canvas.render import shape_path
from desktop.editor.kinds import MIME_KIND, PALETTE, PaletteKind

ICON = 28
COMPACT_MARGIN = 16  # px beside the icon in the compact strip (item padding, frame, a little air)


def kind_icon(kind: PaletteKind, dpr: float = 2.0) -> QIcon:
    """A small drawing of the kind, in the canvas's colours (crisp on high-DPI screens)."""
    pm = QPixmap(int(ICON * dpr), int(ICON * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(QColor(0, 0, 0, 0))
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#5B6770"), 1.6))
    r = QRectF(3, 5, ICON - 6, ICON - 10)
    shape = kind.shape
    if shape == "node":
        p.setBrush(QColor("#FFFFFF"))
        p.drawRoundedRect(QRectF(2, 3, ICON - 4, ICON - 6), 3, 3)
        p.setBrush(QColor("#009E73"))
        p.drawRect(QRectF(6, 12, 7, 5))
        p.drawRect(QRectF(15, 12, 7, 5))
    elif shape in ("workload", "controller"):
        colour = {"deployment": "#E69F00", "statefulset": "#56B4E9", "daemonset": "#009E73"}.get(kind.id, "#CC79A7")
        p.setBrush(QColor("#FFFFFF"))
        p.drawRoundedRect(r, 4, 4)
        p.setBrush(QColor(colour))
        p.drawPath(shape_path({"statefulset": "square", "daemonset": "triangle"}.get(kind.id, "circle"),
                              QPointF(ICON / 2, ICON / 2), 6))
    elif shape == "pod":
        p.setBrush(QColor("#C6EADF"))
        p.drawRect(QRectF(5, 8, ICON - 10, ICON - 16))
    elif shape == "service":
        p.setBrush(QColor("#E8F3FB"))
        p.drawRoundedRect(r, 4, 4)
        p.setPen(QPen(QColor("#0072B2"), 2))
        c = QPointF(9, ICON / 2)
        for dy in (-5, 0, 5):
            p.drawLine(c, c + QPointF(10, dy))
    elif shape == "ingress":
        p.setBrush(QColor("#FBF1E0"))
        p.drawRoundedRect(r, 4, 4)
        p.setPen(QPen(QColor("#E69F00"), 2))
        p.drawLine(QPointF(7, ICON / 2), QPointF(ICON - 7, ICON / 2))
        p.drawLine(QPointF(ICON - 11, ICON / 2 - 4), QPointF(ICON - 7, ICON / 2))
        p.drawLine(QPointF(ICON - 11, ICON / 2 + 4), QPointF(ICON - 7, ICON / 2))
    else:  # client
        p.setBrush(QColor("#EFEFEF"))
        p.drawRoundedRect(QRectF(2, 7, ICON - 4, ICON - 14), 7, 7)
    p.end()
    return QIcon(pm)


class _IconOnly(QStyledItemDelegate):
    """Draws an item without its text while the palette is compact (its size then fits the icon alone)."""

    def __init__(self, palette: Palette):
        super().__init__(palette)
        self.palette = palette

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:  # noqa: N802 (Qt override)
        super().initStyleOption(option, index)
        if self.palette.compact:
            option.text = ""
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDisplay
            option.decorationAlignment = Qt.AlignmentFlag.AlignCenter
            option.displayAlignment = Qt.AlignmentFlag.AlignCenter


class Palette(QListWidget):
    kind_activated = Signal(str)  # Enter / double-click: add this kind at the centre of the view

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("palette")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setIconSize(QSize(ICON, ICON))
        self.setSpacing(1)
        for kind in PALETTE:
            item = QListWidgetItem(kind_icon(kind), QCoreApplication.translate("Kinds", kind.label))
            item.setData(Qt.ItemDataRole.UserRole, kind.id)
            tip = QCoreApplication.translate("Kinds", kind.tooltip)
            item.setToolTip(tip)
            item.setStatusTip(tip)
            self.addItem(item)
        self.itemActivated.connect(lambda item: self.kind_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.setAccessibleName(self.tr("Palette of Kubernetes kinds"))
        self.compact = False
        self.setItemDelegate(_IconOnly(self))
        # wide enough for the longest label ("Service (ExternalName)") without a scroll bar
        self.setMinimumWidth(self.full_width())

    def full_width(self) -> int:
        """The width that shows every label (in the language now installed)."""
        was, self.compact = self.compact, False
        try:
            return self.sizeHintForColumn(0) + 2 * self.frameWidth() + 8
        finally:
            self.compact = was

    def compact_width(self) -> int:
        return ICON + 2 * self.frameWidth() + COMPACT_MARGIN

    def set_compact(self, on: bool) -> None:
        """Icons only (``on``) or icons and labels."""
        if on == self.compact:
            return
        self.compact = on
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff if on
                                          else Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setMinimumWidth(self.compact_width() if on else self.full_width())
        self.scheduleDelayedItemsLayout()
        self.viewport().update()

    def viewportEvent(self, event) -> bool:  # noqa: N802 (Qt override)
        # compact: the tooltip names the kind first (its label is not drawn); built when shown, so it is in the
        # language installed now
        if self.compact and event.type() == QEvent.Type.ToolTip:
            item = self.itemAt(event.pos())
            if item is not None:
                QToolTip.showText(event.globalPos(), f"<b>{escape(item.text())}</b><br>{escape(item.toolTip())}", self.viewport(),
                                  self.visualItemRect(item))
                return True
        return super().viewportEvent(event)

    def mimeData(self, items) -> QMimeData:
        md = QMimeData()
        if items:
            md.setData(MIME_KIND, QByteArray(items[0].data(Qt.ItemDataRole.UserRole).encode("utf-8")))
        return md

    def mimeTypes(self) -> list[str]:
        return [MIME_KIND]

    def startDrag(self, actions) -> None:
        item = self.currentItem()
        if item is None:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        drag.setPixmap(item.icon().pixmap(QSize(ICON, ICON)))
        drag.exec(Qt.DropAction.CopyAction)
