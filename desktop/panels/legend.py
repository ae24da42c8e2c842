"""The legend, always on screen over the canvas: packet colours and shapes by destination pod, the drop mark,
address-rewrite captions, node states and pod phases (the same colours and glyphs as the canvas)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from desktop.canvas.packets import _shape_path
from desktop.style import STATUS, endpoint_style

MAX_PODS = 7
ROW = 18


class LegendOverlay(QWidget):
    """A small translucent panel in the canvas's bottom-left corner. ``set_pods([(label, style index)])``."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.pods: list[tuple[str, int]] = []
        self.more = 0
        self.font_ = QFont()
        self.font_.setPixelSize(12)
        self._rows: list[tuple[str, str, str]] = []
        self._cache: QPixmap | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.title = self.tr("Packets, coloured by destination pod")
        self._rows = [
            ("drop", STATUS["dropped"], self.tr("dropped packet (hover: reason)")),
            ("caption", "#0072B2", self.tr("DNAT/SNAT caption: address rewritten here")),
            ("✓", STATUS["ready"], self.tr("node / pod Ready")),
            ("✕", STATUS["not_ready"], self.tr("NotReady (evicting in N s) · not Ready")),
            ("⦸", STATUS["cordoned"], self.tr("node cordoned")),
            ("…", STATUS["pending"], self.tr("Pending / ContainerCreating")),
            ("⌛", STATUS["terminating"], self.tr("pod Terminating")),
        ]
        self._cache = None
        self._resize()

    def set_pods(self, pods: list[tuple[str, int]]) -> None:
        pods = list(pods)
        if pods[:MAX_PODS] == self.pods and max(0, len(pods) - MAX_PODS) == self.more:
            return
        self.pods = pods[:MAX_PODS]
        self.more = max(0, len(pods) - MAX_PODS)
        self._resize()
        self._cache = None
        self.update()

    def _left_rows(self) -> int:
        return len(self.pods) + (1 if self.more else 0)

    def _resize(self) -> None:
        fm = QFontMetricsF(self.font_)
        left = max([fm.horizontalAdvance(t) for t, _ in self.pods] + [fm.horizontalAdvance(self.tr("… and {0} more pods").format(999))]) + 30
        right = max(fm.horizontalAdvance(r[2]) for r in self._rows) + 30
        self._split = int(left) + 10
        rows = max(self._left_rows(), len(self._rows))
        w = max(self._split + right + 8, fm.horizontalAdvance(self.title) + 20)
        self.resize(QSize(int(w), int(rows * ROW + ROW + 10)))

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # drawn once into a pixmap: the canvas under it repaints 60 times a second, the legend rarely changes
        dpr = self.devicePixelRatioF()
        if self._cache is None or self._cache.size() != self.size() * dpr:
            self._cache = QPixmap(self.size() * dpr)
            self._cache.setDevicePixelRatio(dpr)
            self._cache.fill(Qt.GlobalColor.transparent)
            self._draw(QPainter(self._cache))
        p = QPainter(self)
        p.drawPixmap(0, 0, self._cache)
        p.end()

    def _draw(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(QColor("#5B6770"), 1))
        p.setBrush(QBrush(QColor(255, 255, 255, 235)))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        bold = QFont(self.font_)
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#111111"))
        p.drawText(QRectF(10, 4, self.width() - 16, ROW), Qt.AlignmentFlag.AlignVCenter, self.title)
        p.setFont(self.font_)
        y0 = 4 + ROW
        y = y0
        for label, idx in self.pods:
            colour, shape = endpoint_style(idx)
            p.setPen(QPen(QColor("#111111"), 1.2))
            p.setBrush(QBrush(QColor(colour)))
            p.drawPath(_shape_path(shape, 18, y + ROW / 2, 6.5))
            p.setPen(QColor("#111111"))
            p.drawText(QRectF(30, y, self._split - 30, ROW), Qt.AlignmentFlag.AlignVCenter, label)
            y += ROW
        if self.more:
            p.drawText(QRectF(30, y, self._split - 30, ROW), Qt.AlignmentFlag.AlignVCenter,
                       self.tr("… and {0} more pods").format(self.more))
        x = self._split
        y = y0
        for glyph, colour, text in self._rows:
            c = QPointF(x + 10, y + ROW / 2)
            if glyph == "drop":
                pen = QPen(QColor(colour), 3)
                p.setPen(pen)
                p.drawLine(c + QPointF(-5, -5), c + QPointF(5, 5))
                p.drawLine(c + QPointF(-5, 5), c + QPointF(5, -5))
            elif glyph == "caption":
                p.setPen(QPen(QColor(colour), 1.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(QRectF(c.x() - 8, c.y() - 6, 16, 12), 3, 3)
            else:
                p.setPen(QColor(colour))
                p.setFont(bold)
                p.drawText(QRectF(c.x() - 9, y, 18, ROW), Qt.AlignmentFlag.AlignCenter, glyph)
                p.setFont(self.font_)
            p.setPen(QColor("#111111"))
            p.drawText(QRectF(x + 24, y, self.width() - x - 26, ROW), Qt.AlignmentFlag.AlignVCenter, text)
            y += ROW
        p.end()
