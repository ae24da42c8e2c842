"""Interactive items: invisible hit-test boxes over the static layer, one per box or pod of the picture.

They paint nothing (``ItemHasNoContents``) until they are selected, hovered or dragged, so thousands of them
cost nothing per frame; the static layer draws the cluster. Items hold an ObjectRef (or a pod key), never a
model object.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

from core.model import ObjectRef
from desktop.canvas.picture import HANDLE, MOVABLE_KINDS
from desktop.canvas.render import TITLE_PX, draw_box_outline, font

Flag = QGraphicsItem.GraphicsItemFlag


class HitItem(QGraphicsRectItem):
    """One box of the picture. ``ref`` is what selecting it selects; ``doc_ref`` the document object edited
    (the Service of a load balancer; None for a simulated pod)."""

    def __init__(self, ref: ObjectRef, kind: str, rect: QRectF, *, doc_ref: ObjectRef | None, movable: bool,
                 connectable: bool, key: tuple[str, str] | None = None, title: str = ""):
        super().__init__(QRectF(0, 0, rect.width(), rect.height()))
        self.ref = ref
        self.kind = kind
        self.doc_ref = doc_ref
        self.key = key
        self.title = title
        self.connectable = connectable
        self.home = rect.topLeft()  # where the picture put it; a drag ends somewhere else
        self._box = (rect.x(), rect.y(), rect.width(), rect.height())  # the picture's box last set
        self.setPos(rect.topLeft())
        # one setFlags, not four setFlag calls: each goes through itemChange twice (2,000 pods: ~20 ms)
        self.setFlags(Flag.ItemIsSelectable | Flag.ItemHasNoContents | (Flag.ItemIsMovable if movable else Flag(0)))
        self.setPen(Qt.PenStyle.NoPen)
        self.setAcceptHoverEvents(False)
        self.setZValue(1 if key is not None else 2 if kind != "node" else 0)
        self.highlight = QColor("#0072B2")
        self._dragging = False
        self.tip = ""  # the tooltip last set
        self.wanted: tuple | None = None  # what the scene last made of it (ClusterScene._apply_items)
        self.movable = bool(movable)  # (its ItemIsMovable flag, read without a call into Qt)
        self.fanout: list | tuple = ()  # scene points of the pods a Service selects, drawn while it is selected

    def set_box(self, rect: QRectF, title: str) -> None:
        self.title = title
        box = (rect.x(), rect.y(), rect.width(), rect.height())
        if box == self._box and self.pos() == self.home:  # after an edit most of 2,000 boxes stay put
            return
        self._box = box
        if self.rect().size() != rect.size():
            self.setRect(QRectF(0, 0, rect.width(), rect.height()))
        self.home = rect.topLeft()
        if self.pos() != rect.topLeft():
            self.setPos(rect.topLeft())

    def handle_rect(self) -> QRectF:
        r = self.rect()
        return QRectF(r.right() - HANDLE / 2 - 4, r.center().y() - HANDLE / 2 - 4, HANDLE + 8, HANDLE + 8)

    def shape_rect(self) -> QRectF:
        return self.rect().adjusted(0, 0, HANDLE / 2 + 4, 0) if self.connectable else self.rect()

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.shape_rect())
        return path

    def set_fanout(self, points) -> None:
        self.prepareGeometryChange()
        self.fanout = tuple(points)

    def boundingRect(self) -> QRectF:
        rect = self.shape_rect().adjusted(-6, -6, 6, 6)
        if self.fanout and self.isSelected():
            for p in self.fanout:
                q = self.mapFromScene(p)
                rect = rect.united(QRectF(q.x() - 2, q.y() - 2, 4, 4))
        return rect

    def _refresh_contents(self) -> None:
        self.setFlag(Flag.ItemHasNoContents, not (self.isSelected() or self._dragging))

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedChange and self.fanout:
            self.prepareGeometryChange()
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._refresh_contents()
        elif change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            dragging = self.pos() != self.home
            if dragging != self._dragging:
                self._dragging = dragging
                self._refresh_contents()
        return value  # QGraphicsItem::itemChange returns the value unchanged; not calling it saves ~1 us a call

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        lod = painter.worldTransform().m11()
        if self.fanout and self.isSelected():
            pen = QPen(self.highlight, 1.5)
            pen.setCosmetic(True)
            painter.setPen(pen)
            top = QPointF(self.rect().center().x(), self.rect().top())
            painter.drawLines([QLineF(top, self.mapFromScene(p)) for p in self.fanout])
        draw_box_outline(painter, self.rect(), self.highlight, lod)
        if self._dragging:
            fill = QColor(self.highlight)
            fill.setAlpha(40)
            painter.fillRect(self.rect(), fill)
            painter.setFont(font(TITLE_PX, True))
            painter.setPen(self.highlight)
            painter.drawText(self.rect().adjusted(10, 6, -6, -6), Qt.AlignmentFlag.AlignLeft, self.title)


def is_movable(kind: str, ref: ObjectRef, bare_pod: bool) -> bool:
    if kind == "pod":
        return bare_pod
    return ref.kind in MOVABLE_KINDS and kind not in ("lb", "zone")
