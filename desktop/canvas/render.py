"""Paint a Picture with a QPainter at a level of detail: the static layer's renderer.

``lod`` is the view's scale (device pixels per scene unit). Text is drawn only where it would be readable
(at least ``MIN_TEXT_PX`` high on screen); below that pods become status-coloured cells with their
workload's colour and shape, and node and Service names keep a fixed on-screen size while their box is
wide enough to hold them. Colours come from desktop.style (Okabe–Ito, paired with shapes and glyphs).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from desktop.canvas.picture import HANDLE, POD_H, Box, Picture
from desktop.style import STATUS, Theme, endpoint_style

MIN_TEXT_PX = 7.0
TITLE_PX, BODY_PX, POD_PX = 17.0, 13.0, 12.0
FIXED_LABEL_PX = 12.0  # on-screen size of node/Service names when zoomed out
DETAIL_PX = 10.0  # the least on-screen size of a box's detail lines (IP, ports) while its box has room
GLYPH = {"ready": "✓", "not_ready": "✕", "pending": "…", "terminating": "⌛", "cordoned": "⦸"}
STATUS_TEXT = {"ready": "Ready", "not_ready": "not Ready", "pending": "Pending", "terminating": "Terminating"}


def tr(text: str) -> str:
    return QCoreApplication.translate("Canvas", text)


def status_text(status: str) -> str:
    """A pod's state in words (Kubernetes' own terms, translated where the language has them)."""
    return {"ready": tr("Ready"), "not_ready": tr("not Ready"), "pending": tr("Pending"),
            "terminating": tr("Terminating")}.get(status, status)
KIND_FILL = {"service": "#E8F3FB", "ingress": "#FBF1E0", "ingressclass": "#FBF1E0", "client": "#EFEFEF",
             "lb": "#E9F6F1", "workload": "#FFFFFF", "traffic": "#FFFFFF"}
KIND_FILL_DARK = {"service": "#1F3342", "ingress": "#3A2F1C", "ingressclass": "#3A2F1C", "client": "#34363A",
                  "lb": "#1D3A31", "workload": "#2E3136", "traffic": "#2E3136"}
EDGE_STYLE = {"selector": ("#0072B2", Qt.PenStyle.SolidLine), "backend": ("#E69F00", Qt.PenStyle.SolidLine),
              "controller": ("#999999", Qt.PenStyle.DashLine), "traffic": ("#D55E00", Qt.PenStyle.SolidLine),
              "lb": ("#009E73", Qt.PenStyle.SolidLine)}


def font(px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPixelSize(max(1, round(px)))
    f.setBold(bold)
    return f


def _detail_px(lod: float, spacing: float) -> float:
    """On-screen size of a detail line: its natural size, raised towards DETAIL_PX as far as the spacing of
    the lines (``spacing`` scene units) allows."""
    return max(BODY_PX * lod, min(DETAIL_PX, spacing * lod - 1.0))


def shape_path(shape: str, center: QPointF, r: float) -> QPainterPath:
    """A marker shape (style.SHAPES) of radius ``r`` around ``center``."""
    path = QPainterPath()
    cx, cy = center.x(), center.y()
    if shape == "circle":
        path.addEllipse(center, r, r)
    elif shape == "square":
        path.addRect(QRectF(cx - r * 0.85, cy - r * 0.85, r * 1.7, r * 1.7))
    elif shape == "cross":
        w = r * 0.4
        path.addRect(QRectF(cx - r, cy - w, 2 * r, 2 * w))
        path.addRect(QRectF(cx - w, cy - r, 2 * w, 2 * r))
        path.setFillRule(Qt.FillRule.WindingFill)
    else:
        n, start, inner = {"triangle": (3, -90, None), "diamond": (4, -90, None), "pentagon": (5, -90, None),
                           "hexagon": (6, 0, None), "star": (5, -90, 0.45)}.get(shape, (4, -90, None))
        pts = []
        for i in range(n * (2 if inner else 1)):
            step = 360 / (n * (2 if inner else 1))
            rad = r * (inner if inner and i % 2 else 1.0)
            a = math.radians(start + i * step)
            pts.append(QPointF(cx + rad * math.cos(a), cy + rad * math.sin(a)))
        path.addPolygon(QPolygonF(pts))
        path.closeSubpath()
    return path


class Renderer:
    """Draws a Picture; ``draw(painter, picture, clip, lod)`` paints everything intersecting ``clip``."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.text_scale = 1.0  # projector mode: every on-screen minimum text size grows by this factor

    def fill(self, kind: str) -> QColor:
        table = KIND_FILL_DARK if self.theme.name == "dark" else KIND_FILL
        return QColor(table.get(kind, self.theme.node_fill))

    def draw(self, p: QPainter, pic: Picture, clip: QRectF, lod: float) -> None:
        t = self.theme
        p.setRenderHint(QPainter.RenderHint.Antialiasing, lod > 0.3)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        # cluster boundary
        if not pic.cluster_rect.isEmpty():
            p.setPen(QPen(QColor(t.node_border), 2.0 / max(lod, 0.05), Qt.PenStyle.DashLine))
            p.setBrush(QColor(t.cluster_fill))
            p.drawRoundedRect(pic.cluster_rect, 18, 18)
            self._label(p, pic.cluster_rect.topLeft() + QPointF(14, 8), tr("cluster"), TITLE_PX, lod, t.muted_text,
                        bold=True)
        for z in pic.zones:
            if z.rect.intersects(clip):
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(t.node_border))
                p.drawRect(z.rect)
                if BODY_PX * lod >= MIN_TEXT_PX or z.status != "stacked":
                    self._label(p, z.rect.topLeft() + QPointF(14, 4), tr("zone %1").replace("%1", z.title), BODY_PX, lod,
                                t.muted_text, bold=True)
                else:  # zoomed out: the zone's name runs up its bar, at a readable size
                    p.save()
                    p.translate(z.rect.left() - 2.0 / lod, z.rect.bottom())
                    p.rotate(-90)
                    self._label(p, QPointF(0, -FIXED_LABEL_PX * 1.4 / lod), tr("zone %1").replace("%1", z.title), BODY_PX, lod,
                                t.text, bold=True, max_width=z.rect.height() * lod, fixed=True)
                    p.restore()
        nodes = [b for b in pic.boxes.values() if b.kind == "node" and b.rect.intersects(clip)]
        for b in nodes:
            self._node(p, b, lod)
        self._edges(p, pic, clip, lod, under=True)
        self._pods(p, pic, clip, lod)
        self._edges(p, pic, clip, lod, under=False)
        for b in pic.boxes.values():
            if b.kind != "node" and b.rect.intersects(clip):
                self._box(p, b, lod)

    # -- pieces ----------------------------------------------------------------------------------------
    def _label(self, p: QPainter, at: QPointF, text: str, px: float, lod: float, colour: str,
               bold: bool = False, max_width: float | None = None, fixed: bool | float = False,
               elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight, same_size: bool = False) -> bool:
        """Draw text with its top-left at ``at``; False (nothing drawn) when it would be unreadable. ``fixed``
        keeps the text at least FIXED_LABEL_PX on screen while it fits ``max_width``."""
        screen = px * lod
        if screen < MIN_TEXT_PX * self.text_scale and not fixed:
            return False
        scale = 1.0
        least = (FIXED_LABEL_PX if fixed is True else float(fixed)) * self.text_scale
        if fixed and screen < least:
            scale = least / screen
        f = font(px, bold)
        fm = QFontMetricsF(f)
        natural = fm.horizontalAdvance(text)
        if max_width is not None and natural * scale * lod > max_width:
            if not same_size and scale > 1.0 and max_width / (scale * lod) < 0.6 * natural and screen >= MIN_TEXT_PX:
                # raised, it would lose most of itself while its natural size is readable: keep that
                scale = 1.0
            avail = max_width / (scale * lod)  # in the font's own units
            if avail < fm.horizontalAdvance("Mm…"):
                return False
            text = fm.elidedText(text, elide, avail)
        p.setFont(f)
        p.setPen(QColor(colour))
        if scale == 1.0:
            p.drawText(QPointF(at.x(), at.y() + fm.ascent()), text)
        else:
            p.save()
            p.translate(at)
            p.scale(scale, scale)
            p.drawText(QPointF(0, fm.ascent()), text)
            p.restore()
        return True

    def _status_mark(self, p: QPainter, center: QPointF, r: float, status: str, lod: float) -> None:
        colour = QColor(STATUS.get(status, "#999999"))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(center, r, r)
        if r * lod >= 5:
            f = font(r * 1.5, True)
            p.setFont(f)
            p.setPen(QColor("#FFFFFF"))
            p.drawText(QRectF(center.x() - r, center.y() - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                       GLYPH.get(status, ""))

    def _node(self, p: QPainter, b: Box, lod: float) -> None:
        t = self.theme
        border = QColor(STATUS["not_ready"]) if b.status == "not_ready" else QColor(t.node_border)
        pen = QPen(border, max(2.0, 1.5 / max(lod, 0.05)))
        if b.status == "cordoned":
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setColor(QColor(STATUS["cordoned"]))
        p.setPen(pen)
        p.setBrush(QColor(t.node_fill))
        p.drawRoundedRect(b.rect, 10, 10)
        r = b.rect
        self._status_mark(p, QPointF(r.right() - 20, r.top() + 20), 11, b.status, lod)
        drawn = self._label(p, QPointF(r.left() + 12, r.top() + 8), b.title, TITLE_PX, lod, t.text, bold=True,
                            max_width=(r.width() - 44) * lod, fixed=True)
        detail = _detail_px(lod, 18)
        if drawn and detail >= MIN_TEXT_PX:
            ip, cidr, state = (b.lines + ["", "", ""])[:3]
            self._label(p, QPointF(r.left() + 12, r.top() + 32), f"{ip}  ·  {state}", BODY_PX, lod, t.muted_text,
                        max_width=(r.width() - 24) * lod, fixed=detail)
            self._label(p, QPointF(r.left() + 12, r.top() + 50), tr("podCIDR %1").replace("%1", cidr), BODY_PX, lod, t.muted_text,
                        max_width=(r.width() - 24) * lod, fixed=detail)

    def _pods(self, p: QPainter, pic: Picture, clip: QRectF, lod: float) -> None:
        t = self.theme
        pods = [pb for pb in pic.pods.values() if pb.rect.intersects(clip)]
        if not pods:
            return
        text = POD_H * lod >= 17  # cells tall enough to carry a name
        by_status: dict[str, list[QRectF]] = {}
        for pb in pods:
            by_status.setdefault(pb.status, []).append(pb.rect)
        # tiny cells: no outlines (they would turn a node into a dark mesh), just status colour
        p.setPen(QPen(QColor(t.node_border), 1.0 / max(lod, 0.05)) if POD_H * lod >= 8 else Qt.PenStyle.NoPen)
        for status, rects in by_status.items():
            c = QColor(STATUS.get(status, "#999999"))
            c.setAlpha(46 if text else 150)
            p.setBrush(c)
            p.drawRects(rects)
        # workload marker: its colour and shape at the left of the cell
        if lod * 10 >= 2.5:
            p.setPen(QPen(QColor(t.text), 0.8 / max(lod, 0.05)))
            for pb in pods:
                if pb.client:
                    p.setBrush(QColor("#FFFFFF"))
                    p.drawPath(shape_path("cross", QPointF(pb.rect.left() + 13, pb.rect.center().y()), 7))
                    continue
                if pb.colour < 0:
                    continue
                colour, shape = endpoint_style(pb.colour)
                p.setBrush(QColor(colour))
                p.drawPath(shape_path(shape, QPointF(pb.rect.left() + 13, pb.rect.center().y()), 8))
        cell_px = POD_H * lod  # on-screen height of a pod cell
        if cell_px < 17:
            return  # shapes only: the inspector, hover and zoom carry the text
        two_lines = cell_px >= 32
        for pb in pods:
            r = pb.rect
            width = (r.width() - 32) * lod
            top = r.top() + 4 if two_lines else r.top() + max(1.0, (r.height() - FIXED_LABEL_PX * 1.3 / lod) / 2)
            # generated pod names differ at the end (web-7d4b9-x2k1): keep both ends
            self._label(p, QPointF(r.left() + 26, top), pb.name, POD_PX, lod, t.text, bold=True, max_width=width,
                        fixed=True, elide=Qt.TextElideMode.ElideMiddle, same_size=True)
            if not two_lines:
                continue
            status = tr("client") if pb.client else status_text(pb.status)
            glyph = "" if pb.client else GLYPH.get(pb.status, "") + " "
            line = f"{pb.ip or '—'}  {glyph}{status}"
            self._label(p, QPointF(r.left() + 26, r.top() + 22), line, POD_PX - 1, lod, t.muted_text,
                        max_width=width, fixed=True, same_size=True)

    def _edges(self, p: QPainter, pic: Picture, clip: QRectF, lod: float, under: bool) -> None:
        groups: dict[str, list[QLineF]] = {}
        heads: dict[str, list[QLineF]] = {}
        labels = []
        for e in pic.edges:
            if (e.style == "selector") != under:
                continue
            pts = e.points()
            box = QRectF(pts[0], pts[0])
            for q in pts[1:]:
                box = box.united(QRectF(q, q))
            if not box.adjusted(-2, -2, 2, 2).intersects(clip):
                continue
            segs = [QLineF(a, b) for a, b in zip(pts, pts[1:])]
            groups.setdefault(e.style, []).extend(segs)
            heads.setdefault(e.style, []).append(segs[-1])
            if e.label:
                labels.append((segs[-1].p1() if e.via else segs[-1].center(), e.label))
        for style, lines in groups.items():
            colour, dash = EDGE_STYLE[style]
            c = QColor(colour)
            if style == "selector":  # light, opaque: translucent long lines are slow to rasterise
                c = QColor("#A9CDE8") if self.theme.name != "dark" else QColor("#2F5674")
            width = 1.0 if style == "selector" else 2.0
            pen = QPen(c, max(width, 1.2 / max(lod, 0.05)), dash)
            p.setPen(pen)
            p.drawLines(lines)
            if style in ("traffic", "backend", "lb"):
                p.setBrush(c)
                for line in heads[style]:
                    self._arrow(p, line, lod)
        for at, text in labels:
            self._label(p, at + QPointF(4, 2), text, BODY_PX, lod, self.theme.muted_text)

    def _arrow(self, p: QPainter, line: QLineF, lod: float) -> None:
        if line.length() < 1:
            return
        size = max(9.0, 6.0 / max(lod, 0.05))
        angle = math.atan2(line.dy(), line.dx())
        tip = line.p2()
        a = QPointF(tip.x() - size * math.cos(angle - 0.4), tip.y() - size * math.sin(angle - 0.4))
        b = QPointF(tip.x() - size * math.cos(angle + 0.4), tip.y() - size * math.sin(angle + 0.4))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon(QPolygonF([tip, a, b]))
        p.setPen(QPen(p.brush().color(), max(1.5, 1.2 / max(lod, 0.05))))

    def _box(self, p: QPainter, b: Box, lod: float) -> None:
        t = self.theme
        r = b.rect
        p.setPen(QPen(QColor(t.node_border), max(1.5, 1.0 / max(lod, 0.05))))
        p.setBrush(self.fill(b.kind))
        if b.kind == "client":
            p.drawRoundedRect(r, r.height() / 2, r.height() / 2)
        elif b.kind == "lb":
            path = QPainterPath()
            path.addPolygon(QPolygonF([QPointF(r.left() + 14, r.top()), QPointF(r.right() - 14, r.top()),
                                       QPointF(r.right(), r.center().y()), QPointF(r.right() - 14, r.bottom()),
                                       QPointF(r.left() + 14, r.bottom()), QPointF(r.left(), r.center().y())]))
            path.closeSubpath()
            p.drawPath(path)
        elif b.kind == "traffic":
            p.drawRoundedRect(r, 6, 6)
        else:
            p.drawRoundedRect(r, 8, 8)
        x = r.left() + 12
        if b.kind == "workload" and b.colour >= 0:
            colour, shape = endpoint_style(b.colour)
            p.setPen(QPen(QColor(t.text), 1.0 / max(lod, 0.05)))
            p.setBrush(QColor(colour))
            p.drawPath(shape_path(shape, QPointF(r.left() + 18, r.center().y()), 10))
            x = r.left() + 34
        if b.kind == "service":
            self._service_mark(p, QPointF(r.left() + 18, r.top() + 18), lod)
            x = r.left() + 36
        if b.connectable:
            c = QColor(t.selection)
            p.setPen(QPen(c, 1.5))
            p.setBrush(self.fill(b.kind))
            p.drawEllipse(QPointF(r.right(), r.center().y()), HANDLE / 2, HANDLE / 2)
            p.drawLine(QPointF(r.right() - 5, r.center().y()), QPointF(r.right() + 5, r.center().y()))
            p.drawLine(QPointF(r.right(), r.center().y() - 5), QPointF(r.right(), r.center().y() + 5))
        title_px = BODY_PX if b.kind == "traffic" else TITLE_PX - 2
        width = (r.right() - x - 12) * lod
        drawn = self._label(p, QPointF(x, r.top() + (7 if b.kind == "traffic" else 8)), b.title, title_px, lod,
                            t.text, bold=b.kind != "traffic", max_width=width,
                            fixed={"service": True, "client": True, "workload": True, "traffic": DETAIL_PX}.get(b.kind, False),
                            elide=Qt.TextElideMode.ElideMiddle)
        if drawn and b.kind != "traffic":
            for i, line in enumerate(b.lines[:3]):
                self._label(p, QPointF(x if i == 0 else r.left() + 12, r.top() + 32 + i * 19), line, BODY_PX, lod,
                            t.muted_text, max_width=(r.right() - (x if i == 0 else r.left() + 12) - 12) * lod,
                            fixed=_detail_px(lod, 19))

    def _service_mark(self, p: QPainter, c: QPointF, lod: float) -> None:
        """A Service's icon: a hub with three spokes (it spreads traffic)."""
        p.setPen(QPen(QColor("#0072B2"), 2.0))
        for dy in (-7, 0, 7):
            p.drawLine(c + QPointF(-2, 0), c + QPointF(9, dy))
        p.setBrush(QColor("#0072B2"))
        p.drawEllipse(c + QPointF(-3, 0), 4.5, 4.5)


def draw_box_outline(p: QPainter, rect: QRectF, colour: QColor, lod: float) -> None:
    """Selection/hover highlight drawn by the interactive items themselves (never cached)."""
    pen = QPen(colour, max(2.5, 2.5 / max(lod, 0.05)))
    p.setPen(pen)
    p.setBrush(QBrush(Qt.BrushStyle.NoBrush))
    p.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 9, 9)
