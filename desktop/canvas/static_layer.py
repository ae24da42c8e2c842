"""The static layer: the whole cluster drawing as one item that blits a cached pixmap.

Repainting thousands of items every frame costs 30–45 ms on this machine (design.md); blitting a pixmap
costs about 1 ms. The cache covers the visible part of the scene plus a margin, at the view's current scale;
it is re-rendered only when the picture changes (``set_picture``/``invalidate``), the scale changes, or a
pan leaves the cached region.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from desktop.canvas.picture import Picture
from desktop.canvas.render import Renderer

MAX_SIDE = 8192  # device pixels; beyond this the cache covers only the visible part
MARGIN_FRACTION = 0.25  # cache a quarter viewport around what is visible, so small pans are free


class StaticLayer(QGraphicsItem):
    def __init__(self, renderer: Renderer):
        super().__init__()
        self.renderer = renderer
        self.picture = Picture()
        self._pixmap: QPixmap | None = None
        self._region = QRectF()
        self._key: tuple | None = None
        self._version = 0
        self.renders = 0  # how many times the cache was rendered (tests, benchmark)
        self.setZValue(-100)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_picture(self, picture: Picture) -> None:
        self.prepareGeometryChange()
        self.picture = picture
        self.invalidate()

    def invalidate(self) -> None:
        self._version += 1
        self._pixmap = None
        self.update()

    def boundingRect(self) -> QRectF:
        return self.picture.bounds if not self.picture.bounds.isEmpty() else QRectF(0, 0, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        transform = painter.worldTransform()
        lod = transform.m11()
        if lod <= 0:
            return
        dpr = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        inverse, ok = transform.inverted()
        if widget is not None and ok:
            visible = inverse.mapRect(QRectF(widget.rect()))
        else:
            visible = QRectF(option.exposedRect)
        visible = visible.intersected(self.boundingRect())
        if visible.isEmpty():
            return
        key = (self._version, round(lod, 6), dpr, self.renderer.theme.name)
        if self._pixmap is None or key != self._key or not self._region.contains(visible):
            self._render(visible, lod, dpr)
            self._key = key
        if self._pixmap is None:
            return
        # an exact blit: device coordinates, no scaling
        device = transform.map(self._region.topLeft())
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(QPointF(round(device.x()), round(device.y())), self._pixmap)
        painter.restore()

    def _render(self, visible: QRectF, lod: float, dpr: float) -> None:
        mx, my = visible.width() * MARGIN_FRACTION, visible.height() * MARGIN_FRACTION
        region = visible.adjusted(-mx, -my, mx, my).intersected(self.boundingRect())
        scale = lod * dpr
        if region.width() * scale > MAX_SIDE or region.height() * scale > MAX_SIDE:
            region = visible
        w = max(1, min(MAX_SIDE, int(region.width() * scale + 1)))
        h = max(1, min(MAX_SIDE, int(region.height() * scale + 1)))
        pixmap = QPixmap(w, h)
        pixmap.fill(QColor(0, 0, 0, 0))
        p = QPainter(pixmap)
        p.scale(scale, scale)
        p.translate(-region.topLeft())
        self.renderer.draw(p, self.picture, region, lod)
        p.end()
        pixmap.setDevicePixelRatio(dpr)
        self._pixmap = pixmap
        self._region = region
        self.renders += 1

    def render_to(self, painter: QPainter, target: QRectF, source: QRectF) -> None:
        """Paint the picture directly (no cache) — for exports and snapshots."""
        lod = min(target.width() / max(source.width(), 1e-9), target.height() / max(source.height(), 1e-9))
        painter.save()
        painter.translate(target.topLeft())
        painter.scale(lod, lod)
        painter.translate(-source.topLeft())
        self.renderer.draw(painter, self.picture, source, lod)
        painter.restore()
