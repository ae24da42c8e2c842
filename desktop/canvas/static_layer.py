"""The static layer: the whole cluster drawing as one item that blits a cached pixmap.

Repainting thousands of items every frame costs 30–45 ms on this machine (design.md); blitting a pixmap
costs about 1 ms. The cache covers the visible part of the scene plus a margin, at the view's current scale;
it is re-rendered only when the picture changes (``set_picture``/``invalidate``), the scale changes, or a
pan leaves the cached region.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from desktop.canvas.picture import Picture
from desktop.canvas.render import Renderer

MAX_SIDE = 8192  # device pixels; beyond this the cache covers only the visible part
MARGIN_FRACTION = 0.25  # cache a quarter viewport around what is visible, so small pans are free


def cache_region(visible: QRectF, bounds: QRectF, lod: float, dpr: float) -> tuple[QRectF, int, int]:
    """The scene region a cache render covers for ``visible`` (a margin around it for small pans) and its
    size in device pixels."""
    mx, my = visible.width() * MARGIN_FRACTION, visible.height() * MARGIN_FRACTION
    region = visible.adjusted(-mx, -my, mx, my).intersected(bounds)
    scale = lod * dpr
    if region.width() * scale > MAX_SIDE or region.height() * scale > MAX_SIDE:
        region = visible
    w = max(1, min(MAX_SIDE, int(region.width() * scale + 1)))
    h = max(1, min(MAX_SIDE, int(region.height() * scale + 1)))
    return region, w, h


class RenderPlan:
    """What the layer's next cache render would be asked for, taken from its last paint: the cache of a new
    picture can then be rendered ahead, in another thread, into a QImage (``render``), and installed by
    ``StaticLayer.set_picture(..., prerendered=...)`` if nothing changed the layer meanwhile."""

    def __init__(self, version: int, visible: QRectF, lod: float, dpr: float, theme: str):
        self.version, self.visible, self.lod, self.dpr, self.theme = version, QRectF(visible), lod, dpr, theme

    def render(self, renderer: Renderer, picture: Picture) -> Prerendered | None:
        visible = self.visible.intersected(picture.bounds)
        if visible.isEmpty():
            return None
        region, w, h = cache_region(visible, picture.bounds, self.lod, self.dpr)
        image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(0, 0, 0, 0))
        p = QPainter(image)
        p.scale(self.lod * self.dpr, self.lod * self.dpr)
        p.translate(-region.topLeft())
        renderer.draw(p, picture, region, self.lod)
        p.end()
        image.setDevicePixelRatio(self.dpr)
        return Prerendered(self, image, region)


class Prerendered:
    __slots__ = ("plan", "image", "region")

    def __init__(self, plan: RenderPlan, image: QImage, region: QRectF):
        self.plan, self.image, self.region = plan, image, region


class StaticLayer(QGraphicsItem):
    def __init__(self, renderer: Renderer):
        super().__init__()
        self.renderer = renderer
        self.picture = Picture()
        self._pixmap: QPixmap | QImage | None = None
        self._last_paint: tuple[QRectF, float, float] | None = None  # (visible region, lod, dpr) of the last paint
        self._region = QRectF()
        self._key: tuple | None = None
        self._version = 0
        self.renders = 0  # how many times the cache was rendered (tests, benchmark)
        self.setZValue(-100)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_picture(self, picture: Picture, prerendered: Prerendered | None = None) -> None:
        """Draw ``picture``; ``prerendered``: its cache, rendered ahead (``RenderPlan``), used when the layer
        is as it was when the plan was taken (no invalidate, theme or scale change since)."""
        self.prepareGeometryChange()
        self.picture = picture
        plan = prerendered.plan if prerendered is not None else None
        if plan is None or plan.version != self._version or plan.theme != self.renderer.theme.name:
            self.invalidate()
            return
        self._version += 1
        self._pixmap = prerendered.image
        self._region = QRectF(prerendered.region)
        self._key = (self._version, round(plan.lod, 6), plan.dpr, plan.theme)
        self.update()

    def render_plan(self) -> RenderPlan | None:
        """The plan of the cache render the next picture needs (None: never painted yet)."""
        if self._last_paint is None:
            return None
        visible, lod, dpr = self._last_paint
        return RenderPlan(self._version, visible, lod, dpr, self.renderer.theme.name)

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
        self._last_paint = (visible, lod, dpr)  # the view's, not cut to this picture (the next may be larger)
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
        at = QPointF(round(device.x()), round(device.y()))
        if isinstance(self._pixmap, QImage):  # rendered ahead in another thread
            painter.drawImage(at, self._pixmap)
        else:
            painter.drawPixmap(at, self._pixmap)
        painter.restore()

    def _render(self, visible: QRectF, lod: float, dpr: float) -> None:
        region, w, h = cache_region(visible, self.boundingRect(), lod, dpr)
        scale = lod * dpr
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
