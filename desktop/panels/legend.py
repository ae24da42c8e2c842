"""The legend, always on screen over the canvas: packet colours and shapes by destination pod, the drop mark,
address-rewrite captions, node states and pod phases (the same colours and glyphs as the canvas)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from desktop.canvas.packets import _shape_path
from desktop.canvas.render import draw_status_mark
from desktop.style import STATUS, endpoint_style

MAX_PODS = 12
ROW = 18
ENTRY_GAP = 8  # px between an entry's text and the next entry's mark
ENTRY_PAD = 22 + ENTRY_GAP  # the mark (22 px with its gap) and the gap after the text
GROUP_GAP = 14  # extra px between the pods and the marks on a shared row
COMPACT_ROWS = 2  # more rows than this with full pod names: the names as the charts write them


def short_label(name: str) -> str:
    """A pod as the charts' bars name it: its last characters ("…-fcgz8"), the part that tells replicas apart."""
    return name if len(name) <= 10 else "…" + name[-6:]


class LegendOverlay(QWidget):
    """A strip along the bottom of the canvas (the view keeps a margin for it, so it never hides the cluster).
    ``set_pods([(label, style index)])``; ``relayout(width)`` when the view is resized."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.pods: list[tuple[str, int]] = []
        self.more = 0
        self.rows = 1
        self.scale = 1.0  # projector mode: larger text and rows (``set_scale``)
        self.drawn_scale = 1.0  # the scale laid out and drawn (smaller than ``scale`` to keep ``most_height``)
        self.most_height: float | None = None  # px the strip should not exceed (the canvas's share)
        self.font_ = QFont()
        self.font_.setPixelSize(12)
        self._rows: list[tuple[str, str, str]] = []
        self._cache: QPixmap | None = None
        # the canvas's theme (``set_theme``): in the dark theme a white strip glared under a dark cluster
        self._paper, self._ink, self._rule = QColor(255, 255, 255, 240), QColor("#111111"), QColor("#5B6770")
        self.retranslate()

    def set_theme(self, theme) -> None:
        """Draw on the theme's background in its text colour (a ``desktop.style.Theme``)."""
        paper = QColor(theme.node_fill)
        paper.setAlpha(240)
        colours = (paper, QColor(theme.text), QColor(theme.node_border))
        if colours != (self._paper, self._ink, self._rule):
            self._paper, self._ink, self._rule = colours
            self._cache = None
            self.update()

    def retranslate(self) -> None:
        self.title = self.tr("Packets by destination pod:")
        self._rows = [
            ("drop", STATUS["dropped"], self.tr("dropped (hover: why)")),
            ("caption", "#0072B2", self.tr("address rewritten here")),
            # node and pod states: the canvas's own marks (shape, colour, glyph drawn as lines: the font
            # has no hourglass, so "pod Terminating" showed an empty box)
            ("ready", STATUS["ready"], self.tr("node / pod Ready")),
            ("not_ready", STATUS["not_ready"], self.tr("NotReady / not Ready")),
            ("cordoned", STATUS["cordoned"], self.tr("node cordoned")),
            ("pending", STATUS["pending"], self.tr("Pending / ContainerCreating")),
            ("terminating", STATUS["terminating"], self.tr("pod Terminating")),
        ]
        self._cache = None
        self._resize()

    def set_scale(self, scale: float) -> None:
        """Text and rows ``scale`` times the usual size (projector mode: about 1.5, readable from the back)."""
        scale = max(0.5, float(scale))
        if scale == self.scale:
            return
        self.scale = scale
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

    def relayout(self, width: int) -> None:
        """Lay the entries out in rows across ``width`` pixels: the pods first, then the marks, flowing on
        (a row of its own for the marks made the strip 3 rows, 62 px, under a 1280x720 canvas of ~330 px; a
        wider gap sets the marks apart from the pods when they share a row). When the pods' full names would
        take more than ``COMPACT_ROWS`` rows (a 4th pod after a node failure did at 1280x720, and the canvas
        shrank), they are named as the charts' bars name them ("…-fcgz8"). With ``most_height`` set, the
        strip is drawn smaller than ``scale`` (not below 1) when it would be taller."""
        scale = self.scale
        while True:
            self.drawn_scale = scale
            self._layout(width, short=False)
            if self.rows > COMPACT_ROWS:
                self._layout(width, short=True)
            if self.most_height is None or self.height() <= self.most_height or scale <= 1.0:
                break
            # projector mode's 1.5x legend took 6 rows, 150 px, of a half-screen canvas beside the charts
            # and the cluster shrank to unreadable names: smaller, down to the usual size, until it fits
            scale = max(1.0, round(scale - 0.1, 2))

    def _layout(self, width: int, short: bool) -> None:
        fm = QFontMetricsF(self.font_)
        bold = QFont(self.font_)
        bold.setBold(True)
        fb = QFontMetricsF(bold)
        items: list[tuple[str, object, str, float]] = [("title", None, self.title, fb.horizontalAdvance(self.title) + 10)]
        for label, idx in self.pods:
            label = short_label(label) if short else label
            items.append(("pod", idx, label, fm.horizontalAdvance(label) + ENTRY_PAD))
        if self.more:
            text = self.tr("… and {0} more pods").format(self.more)
            items.append(("text", None, text, fm.horizontalAdvance(text) + 12))
        items.append(("gap", None, "", GROUP_GAP))
        for glyph, colour, text in self._rows:
            items.append((glyph, colour, text, fm.horizontalAdvance(text) + ENTRY_PAD))
        self._placed: list[tuple[str, object, str, float, float]] = []
        pixels, width = width, width / self.drawn_scale  # laid out at the usual size, drawn scaled
        x, y = 8.0, 4.0
        for kind, extra, text, w in items:
            if kind == "gap":
                x += w
                continue
            if x + w - ENTRY_GAP > width - 8 and x > 8:
                x, y = 8.0, y + ROW
            self._placed.append((kind, extra, text, x, y))
            x += w
        self.rows = round((y - 4.0) / ROW) + 1
        self._cache = None
        self.resize(QSize(int(pixels), int((y + ROW + 4) * self.drawn_scale)))
        self.update()

    def _resize(self) -> None:
        self.relayout(max(self.width(), 400))

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
        p.scale(self.drawn_scale, self.drawn_scale)
        p.setPen(QPen(self._rule, 1))
        p.setBrush(QBrush(self._paper))
        k = self.drawn_scale
        p.drawRect(QRectF(0, 0, self.width() / k, self.height() / k).adjusted(0.5, 0.5, -0.5, -0.5))
        bold = QFont(self.font_)
        bold.setBold(True)
        for kind, extra, text, x, y in getattr(self, "_placed", []):
            c = QPointF(x + 10, y + ROW / 2)
            if kind == "title":
                p.setFont(bold)
                p.setPen(self._ink)
                p.drawText(QRectF(x, y, 1000, ROW), Qt.AlignmentFlag.AlignVCenter, text)
                continue
            if kind == "pod":
                colour, shape = endpoint_style(int(extra))
                p.setPen(QPen(QColor("#111111"), 1.2))
                p.setBrush(QBrush(QColor(colour)))
                p.drawPath(_shape_path(shape, c.x(), c.y(), 6.5))
            elif kind == "drop":
                p.setPen(QPen(QColor(extra), 3))
                p.drawLine(c + QPointF(-5, -5), c + QPointF(5, 5))
                p.drawLine(c + QPointF(-5, 5), c + QPointF(5, -5))
            elif kind == "caption":
                p.setPen(QPen(QColor(extra), 1.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(QRectF(c.x() - 8, c.y() - 6, 16, 12), 3, 3)
            elif kind != "text":
                draw_status_mark(p, c, 7.5, kind)
            p.setFont(self.font_)
            p.setPen(self._ink)
            p.drawText(QRectF(x + (0 if kind == "text" else 22), y, 1000, ROW), Qt.AlignmentFlag.AlignVCenter, text)
        p.end()
