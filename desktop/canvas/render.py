"""Paint a Picture with a QPainter at a level of detail: the static layer's renderer.

``lod`` is the view's scale (device pixels per scene unit). Text is drawn only where it would be readable
(at least ``MIN_TEXT_PX`` high on screen); below that pods become status-coloured cells with their
workload's colour and shape, and node and Service names keep a fixed on-screen size while their box is
wide enough to hold them. Colours come from desktop.style (Okabe–Ito, paired with shapes and glyphs).
"""

from __future__ import annotations

import copy
import math
import os

from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from desktop.canvas.picture import HANDLE, NODE_HEADER, POD_H, Box, Picture
from desktop.style import STATUS, Theme, endpoint_style

MIN_TEXT_PX = 7.0
TITLE_PX, BODY_PX, POD_PX = 17.0, 13.0, 12.0
PLATE_PAD_PX = 3.0  # room around a node's name on its plate (zoomed out)
FIXED_LABEL_PX = 12.0  # on-screen size of node/Service names when zoomed out
DETAIL_PX = 10.0  # the least on-screen size of a box's detail lines (IP, ports) while its box has room
# Projector mode (any text_scale above 1): the least on-screen sizes for the back of a room at 1280×720. A
# 720-line projector image 6 m wide seen from 10 m: 22 px is about 10 cm, 1/33 of the screen height (names),
# 16 px details; below MIN_PROJECTOR_TEXT_PX nothing is drawn (it could not be read anyway).
PROJECTOR_NAME_PX, PROJECTOR_DETAIL_PX, MIN_PROJECTOR_TEXT_PX = 22.0, 16.0, 13.0
GLYPH = {"ready": "✓", "not_ready": "✕", "pending": "…", "terminating": "⌛", "cordoned": "⦸"}
# each state has a shape as well as a colour (colour-blind safe); the glyph inside is drawn as lines, not a
# font character (⌛ and ⦸ are missing from common fonts and came out as empty boxes)
STATUS_SHAPE = {"ready": "circle", "not_ready": "square", "pending": "diamond", "terminating": "hourglass",
                "cordoned": "octagon"}
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


LINE = 1.12  # line height / text size of stacked rows
FIT = 1.08  # the height a row's glyphs need / text size (the last row needs no leading below it)


def status_path(status: str, center: QPointF, r: float) -> QPainterPath:
    """The outline of a state's mark (STATUS_SHAPE) of radius ``r``."""
    shape = STATUS_SHAPE.get(status, "circle")
    cx, cy = center.x(), center.y()
    if shape == "hourglass":  # two triangles tip to tip
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(cx - r, cy - r), QPointF(cx + r, cy - r), QPointF(cx, cy),
                                   QPointF(cx + r, cy + r), QPointF(cx - r, cy + r), QPointF(cx, cy)]))
        path.closeSubpath()
        return path
    if shape == "octagon":
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(cx + r * math.cos(math.radians(22.5 + 45 * i)),
                                           cy + r * math.sin(math.radians(22.5 + 45 * i))) for i in range(8)]))
        path.closeSubpath()
        return path
    if shape == "diamond":
        return shape_path("diamond", center, r * 1.1)
    if shape == "square":
        return shape_path("square", center, r * 0.95)
    return shape_path("circle", center, r)


def draw_status_mark(p: QPainter, center: QPointF, r: float, status: str, glyph: bool = True) -> None:
    """A node's or pod's state: its colour (STATUS) on its own shape (STATUS_SHAPE), with the glyph (✓ ✕ …
    hourglass, bar) drawn as lines in white. Shared by the canvas and the legend, so they always match."""
    colour = QColor(STATUS.get(status, "#999999"))
    p.save()
    p.setPen(QPen(QColor("#FFFFFF"), max(r * 0.12, 0.5)))
    p.setBrush(colour)
    p.drawPath(status_path(status, center, r))
    if glyph and status != "terminating":  # the hourglass is its own glyph
        pen = QPen(QColor("#FFFFFF"), max(r * 0.22, 0.6))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        cx, cy, k = center.x(), center.y(), r * 0.45
        if status == "ready":
            p.drawPolyline(QPolygonF([QPointF(cx - k, cy), QPointF(cx - k * 0.25, cy + k * 0.75),
                                      QPointF(cx + k, cy - k * 0.7)]))
        elif status == "not_ready":
            p.drawLine(QPointF(cx - k, cy - k), QPointF(cx + k, cy + k))
            p.drawLine(QPointF(cx - k, cy + k), QPointF(cx + k, cy - k))
        elif status == "pending":
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#FFFFFF"))
            for dx in (-k, 0.0, k):
                p.drawEllipse(QPointF(cx + dx, cy), r * 0.13, r * 0.13)
        elif status == "cordoned":
            p.drawLine(QPointF(cx - k, cy), QPointF(cx + k, cy))
    p.restore()


class Renderer:
    """Draws a Picture; ``draw(painter, picture, clip, lod)`` paints everything intersecting ``clip``."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.text_scale = 1.0  # projector mode: every on-screen minimum text size grows by this factor
        self.labelled: set = set()  # refs / pod keys labelled even where the others are cells (the selection)
        # a workload badge shows its pods' marker; not while the pods carry the markers of the packets sent to
        # them (the live view): a DaemonSet's orange hexagon then read as "packets to web-…fspkf" (HG)
        self.badge_markers = True

    @property
    def projector(self) -> bool:
        return self.text_scale > 1.0

    def clone(self) -> Renderer:
        """A copy that draws alike, for a render in another thread: its caches start as this one's (each is
        replaced whole, never changed in place) and go their own way."""
        other = copy.copy(self)
        other.labelled = set(self.labelled)
        return other

    def least_px(self, kind: str) -> float:
        """The least on-screen size of a name ("name") or a detail line ("detail"), and the size below which
        no text is drawn ("min")."""
        if self.projector:
            return {"name": PROJECTOR_NAME_PX, "detail": PROJECTOR_DETAIL_PX, "min": MIN_PROJECTOR_TEXT_PX}[kind]
        return {"name": FIXED_LABEL_PX, "detail": DETAIL_PX, "min": MIN_TEXT_PX}[kind]

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
                    text = tr("zone %1").replace("%1", z.title)
                    per_px = QFontMetricsF(font(BODY_PX, True)).horizontalAdvance(text) / BODY_PX
                    if per_px * self.least_px("name") > z.rect.height() * lod:
                        text = z.title  # a short bar (6 % zoom): "zone-b", not "zone zon…"
                    p.save()
                    p.translate(z.rect.left() - 2.0 / lod, z.rect.bottom())
                    p.rotate(-90)
                    self._label(p, QPointF(0, -self.least_px("name") * 1.4 / lod), text, BODY_PX, lod,
                                t.text, bold=True, max_width=z.rect.height() * lod, fixed=True)
                    p.restore()
        nodes = [b for b in pic.boxes.values() if b.kind == "node" and b.rect.intersects(clip)]
        plates = [(b, self._node(p, b, lod)) for b in nodes]
        self._edges(p, pic, clip, lod, under=True)
        self._pods(p, pic, clip, lod)
        wanted = [(b, w) for b, w in plates if w is not None]
        if wanted:  # over the pod cells: names the headers had no room for, all at one size
            full, short, short_text = self._plate_names(pic)
            room = min(w for _b, w in wanted) - 2 * PLATE_PAD_PX
            # each name whole where it fits at the detail size, else its short form ("…-100" beside node-99);
            # when most do not fit, every one short ("…-1" beside "…-37", not "…e-1")
            fits = {t for t, w in full.items() if w * self.least_px("detail") <= room}
            use_short = bool(short) and len(fits) < 0.9 * len(full)
            texts = {t: (short_text[t] if use_short or (t not in fits and t in short_text) else t) for t in full}
            widest = max((short if texts[t] != t else full)[t] for t in full)
            for b, width_px in wanted:
                self._name_plate(p, b, lod, width_px, texts.get(b.title, b.title), widest)
        self._edges(p, pic, clip, lod, under=False)
        for b in pic.boxes.values():
            if b.kind != "node" and (b.rect.intersects(clip) or b.kind == "traffic"):
                self._box(p, b, lod, pic)
        self._tags(p, pic, clip, lod)

    # -- pieces ----------------------------------------------------------------------------------------
    def _label(self, p: QPainter, at: QPointF, text: str, px: float, lod: float, colour: str,
               bold: bool = False, max_width: float | None = None, fixed: bool | float = False,
               elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight, same_size: bool = False,
               size_px: float | None = None) -> bool:
        """Draw text with its top-left at ``at``; False (nothing drawn) when it would be unreadable. ``fixed``
        keeps the text at least FIXED_LABEL_PX on screen while it fits ``max_width``; ``size_px`` draws it at
        exactly that on-screen size (elided to ``max_width``)."""
        if size_px is not None:
            return self._text_px(p, at, text, px, size_px, lod, colour, bold, max_width, elide)
        screen = px * lod
        if screen < self.least_px("min") and not fixed:
            return False
        scale = 1.0
        least = self.least_px("name") if fixed is True else float(fixed)
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
        draw_status_mark(p, center, r, status, glyph=r * lod >= 4)

    def _text_px(self, p: QPainter, at: QPointF, text: str, base_px: float, size_px: float, lod: float,
                 colour: str, bold: bool = False, max_width_px: float | None = None,
                 elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> bool:
        """Draw ``text`` with its top-left at ``at``, ``size_px`` high on screen whatever the zoom; elided to
        ``max_width_px`` on screen; False (nothing drawn) when not even "Mm…" would fit."""
        f = font(base_px, bold)
        fm = QFontMetricsF(f)
        scale = size_px / (base_px * lod)
        if max_width_px is not None:
            avail = max_width_px / (scale * lod)
            if fm.horizontalAdvance(text) > avail:
                if avail < fm.horizontalAdvance("Mm…"):
                    return False
                text = fm.elidedText(text, elide, avail)
        p.setFont(f)
        p.setPen(QColor(colour))
        p.save()
        p.translate(at)
        p.scale(scale, scale)
        p.drawText(QPointF(0, fm.ascent()), text)
        p.restore()
        return True

    def _stack(self, p: QPainter, x: float, top: float, bottom: float, lod: float, width_px: float,
               rows: list[tuple], first_width_px: float | None = None) -> int:
        """Text rows drawn top-down from ``top``, each at its on-screen size, each only if it fits above
        ``bottom`` (scene units): rows never overlap whatever the zoom. A row is (text, base px, least
        on-screen px or None, bold, colour, elide); its size is max(natural, least); a row without a least
        size is drawn only when its natural size is readable. The first row shrinks to the room there is
        (not below the readable minimum). Returns how many rows were drawn."""
        y = top
        drawn = 0
        for i, (text, base, least, bold, colour, elide, *at) in enumerate(rows):
            size = base * lod if least is None else max(base * lod, least)
            if size < self.least_px("min") - 1e-9:
                break
            room = (bottom - y) * lod
            detail_row = least is not None and least <= self.least_px("detail") + 1e-9 and \
                elide == Qt.TextElideMode.ElideRight
            if size * FIT > room:  # the row's glyphs (ascent + descent) must fit; its leading may not
                if (i == 0 or detail_row) and room / FIT >= self.least_px("min"):
                    size = room / FIT  # the name, or a detail line, set smaller to fit: never below the minimum
                else:
                    break
            width = first_width_px if i == 0 and first_width_px is not None else width_px
            rx = at[0] if at else x  # a row may start elsewhere (below a box's icon)
            width += (x - rx) * lod
            if text and least is not None:
                # too wide: smaller type (not below the readable minimum) before eliding, so an address
                # keeps its last digits ("10.101.75.110", not "10.101.75.…")
                per_px = QFontMetricsF(font(base, bold)).horizontalAdvance(text) / base
                if per_px * size > width:  # names stop at the detail size (then elide), details at the minimum
                    # a short name ("browser", "node-2") elided says nothing: down to the minimum before eliding
                    floor = self.least_px("min") if detail_row or len(text) <= 10 else self.least_px("detail")
                    size = max(min(size, 0.98 * width / max(per_px, 1e-6)), min(size, floor))  # (2 %: rounding)
            if text and not self._label(p, QPointF(rx, y), text, base, lod, colour, bold, width, elide=elide,
                                        size_px=size):
                break
            drawn += 1
            y += size * LINE / lod
        return drawn

    def _node(self, p: QPainter, b: Box, lod: float) -> float | None:
        """A node's box and header; returns None, or the on-screen width for its name plate (``_name_plate``,
        drawn over the pods) when the header is too short on screen for its name."""
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
        # the header: name, then address · state, then podCIDR, each at a readable size, stacked so they never
        # overlap; the state mark sits at the right of the name at the name's size
        pad = 8.0
        name_px = max(TITLE_PX * lod, self.least_px("name"))
        mark_r = max(11.0, 0.4 * name_px / lod)
        mark_r = min(mark_r, (NODE_HEADER - pad) / 2.2, r.width() / 5)
        self._status_mark(p, QPointF(r.right() - pad - mark_r, r.top() + pad + mark_r), mark_r, b.status, lod)
        ip, cidr, state = (b.lines + ["", "", ""])[:3]
        width_px = (r.width() - 24) * lod
        address = f"{ip}  ·  {state}" if state else ip
        if state and QFontMetricsF(font(BODY_PX)).horizontalAdvance(address) / BODY_PX * self.least_px("min") > width_px:
            address = ip  # too narrow for both: the address whole (the mark at the name shows the state)
        if self._header_too_short(lod):  # the name on a plate over the pods, at a readable size
            return (r.width() - 2 * mark_r - 2 * pad) * lod
        drawn = self._stack(p, r.left() + 12, r.top() + pad, r.top() + NODE_HEADER - 2, lod, width_px, [
            (b.title, TITLE_PX, self.least_px("name"), True, t.text, Qt.TextElideMode.ElideRight),
            (address, BODY_PX, self.least_px("detail"), False, t.muted_text, Qt.TextElideMode.ElideRight),
            (tr("podCIDR %1").replace("%1", cidr), BODY_PX, self.least_px("detail"), False, t.muted_text,
             Qt.TextElideMode.ElideRight),
        ], first_width_px=(r.width() - 12 - pad - 2 * mark_r - 6) * lod)
        return None if drawn else (r.width() - 2 * mark_r - 2 * pad) * lod

    def _header_too_short(self, lod: float) -> bool:
        """A node's header would set its name below the detail size on screen (13 % zoom: 8 px)."""
        return (NODE_HEADER - 10) * lod / FIT < self.least_px("detail")

    def _plate_names(self, pic: Picture) -> tuple[dict[str, float], dict[str, float], dict[str, str]]:
        """Every node's name with its width per px of size, and (when the names share a prefix up to a "-",
        "." or "_", as node-1 … node-100 do) their short forms "…-1" … "…-100", for the whole picture (every
        tile of the static layer must choose alike)."""
        titles = tuple(b.title for b in pic.boxes.values() if b.kind == "node")
        if getattr(self, "_plate_key", None) == titles:
            return self._plate_cache
        fm = QFontMetricsF(font(TITLE_PX, True))
        full = {t: fm.horizontalAdvance(t) / TITLE_PX for t in titles}
        prefix = os.path.commonprefix(list(titles)) if len(titles) > 1 else ""
        cut = max(prefix.rfind("-"), prefix.rfind("."), prefix.rfind("_"))
        texts = {t: "…" + t[cut:] for t in titles} if cut > 0 else {}
        short = {t: fm.horizontalAdvance(s) / TITLE_PX for t, s in texts.items()}
        self._plate_key, self._plate_cache = titles, (full, short, texts)
        return self._plate_cache

    def _name_plate(self, p: QPainter, b: Box, lod: float, width_px: float, text: str, widest: float) -> None:
        """Zoomed out so far that a node's header is too short for its name (a 100-node cluster fitted to a
        1280x720 window: 6-9 %): ``text`` (its name, or its short form "…-45") on a plate over the top of the
        node, at the name size, set smaller down to the detail size to fit the box's width, then shortened at
        the left; nothing when the box is narrower than that. ``widest`` (width per px of size of the longest
        text drawn so) sets one size for all. The plate lets the pod cells show through a little."""
        t = self.theme
        r = b.rect
        f = font(TITLE_PX, True)
        fm = QFontMetricsF(f)
        per_px = fm.horizontalAdvance(text) / TITLE_PX
        pad_px = PLATE_PAD_PX
        room = width_px - 2 * pad_px
        size = min(self.least_px("name"), max(room / max(widest, per_px, 1e-6), self.least_px("detail")))
        if size * FIT + 2 * pad_px > r.height() * lod:
            return
        if per_px * size > room:
            text = fm.elidedText(text, Qt.TextElideMode.ElideLeft, room * TITLE_PX / size)
            if text in ("", "…"):
                return
        w = fm.horizontalAdvance(text) * size / TITLE_PX + 2 * pad_px
        plate = QRectF(r.left() + 2 / lod, r.top() + 2 / lod, w / lod, (size * FIT + 2 * pad_px) / lod)
        fill = QColor(t.node_fill)
        fill.setAlpha(225)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRect(plate)
        self._text_px(p, plate.topLeft() + QPointF(pad_px / lod, pad_px / lod), text, TITLE_PX, size, lod, t.text,
                      True)

    def pod_name_px(self, lod: float) -> float:
        """On-screen size of a pod's name (its least size grows in projector mode)."""
        least = PROJECTOR_NAME_PX * 0.9 if self.projector else FIXED_LABEL_PX
        return max(POD_PX * lod, least)

    def _pods(self, p: QPainter, pic: Picture, clip: QRectF, lod: float) -> None:
        t = self.theme
        pods = [pb for pb in pic.pods.values() if pb.rect.intersects(clip)]
        if not pods:
            return
        cell_px = POD_H * lod  # on-screen height of a pod cell
        # the name's size: the name size if the cell holds it, else what the cell holds down to the detail size
        name_px = min(self.pod_name_px(lod), max((cell_px - 2) / FIT, self.least_px("detail")))
        text = cell_px >= name_px * FIT + 1  # cells tall enough to carry a name at a readable size
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
        # the pod's state: colour and shape at the right of the cell (a cell's fill alone is colour only)
        mark_r = min(POD_H * 0.3, max(7.0, 0.4 * name_px / lod)) if text else POD_H * 0.3
        if mark_r * lod >= 2.5:
            for pb in pods:
                if not pb.client:
                    draw_status_mark(p, QPointF(pb.rect.right() - mark_r - 4, pb.rect.center().y()), mark_r,
                                     pb.status, glyph=mark_r * lod >= 4)
        if not text:
            return  # cells and marks only: the selection is labelled (_tags); inspector, hover and zoom do the rest
        two_lines = cell_px >= 2 * name_px * LINE + 4
        fm = QFontMetricsF(font(POD_PX, True))
        name_w: dict[str, float] = {}
        for pb in pods:
            r = pb.rect
            width_px = (r.width() - 26 - (4 if pb.client else 2 * mark_r + 8)) * lod
            top = r.top() + 3
            status = tr("client") if pb.client else status_text(pb.status)
            # a name too long for the cell at the name size is set smaller (down to the detail size), then
            # elided at the left: generated pod names differ at the end (web-7d4b9-…-hkhh2)
            natural = name_w.get(pb.name)
            if natural is None:
                natural = name_w[pb.name] = fm.horizontalAdvance(pb.name) / POD_PX  # per px of size
            size = max(min(name_px, width_px / max(natural, 1e-6)), min(name_px, self.least_px("detail")))
            self._stack(p, r.left() + 26, top if two_lines else r.center().y() - size * FIT / 2 / lod, r.bottom(),
                        lod, width_px, [
                (pb.name, POD_PX, size, True, t.text,
                 Qt.TextElideMode.ElideRight if pb.client else Qt.TextElideMode.ElideLeft),
                *([(f"{pb.ip or '—'}  {status}", POD_PX - 1, name_px * 0.85, False, t.muted_text,
                    Qt.TextElideMode.ElideRight)] if two_lines else []),
            ])

    def _tags(self, p: QPainter, pic: Picture, clip: QRectF, lod: float) -> None:
        """Name tags for the pods in ``labelled`` (the selection) when pods are drawn as cells without text:
        above ~100 pods only these are named, at the readable size, on an opaque label over the cell."""
        if not self.labelled or POD_H * lod >= self.least_px("detail") * FIT + 1:
            return  # the cells carry their names
        t = self.theme
        size = self.pod_name_px(lod)
        for pb in pic.pods.values():
            if (pb.key not in self.labelled and pb.ref not in self.labelled) or not pb.rect.intersects(clip):
                continue
            f = font(POD_PX, True)
            fm = QFontMetricsF(f)
            w = fm.horizontalAdvance(pb.name) * size / (POD_PX * lod) + 12 / lod
            h = size * LINE / lod + 4 / lod
            box = QRectF(pb.rect.left(), pb.rect.bottom() + 2 / lod, w, h)  # below: the node name stays seen
            p.setPen(QPen(QColor(t.selection), 2.0 / lod))
            p.setBrush(QColor(t.node_fill))
            p.drawRoundedRect(box, 4 / lod, 4 / lod)
            self._text_px(p, box.topLeft() + QPointF(6 / lod, 2 / lod), pb.name, POD_PX, size, lod, t.text, True)

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

    def _bubbles(self, pic: Picture, lod: float) -> dict:
        """Where each Traffic label is drawn: (bubble rect, text size) or None for an empty box. A label grows
        to its text at a readable size, unless it would then cover another label (decided over the whole
        picture in a fixed order, so every tile of the static layer agrees)."""
        traffic = sorted((b for b in pic.boxes.values() if b.kind == "traffic"), key=lambda b: (b.rect.top(), b.rect.left()))
        key = (tuple((b.ref, b.title, b.rect.getRect()) for b in traffic), round(lod, 4), self.text_scale,
               tuple((z.title, z.rect.getRect()) for z in pic.zones))
        if getattr(self, "_bubble_key", None) == key:
            return self._bubble_cache
        per_px_of = QFontMetricsF(font(BODY_PX))
        out: dict = {}
        placed: list[QRectF] = []
        # a node's name (its header's first line) is never covered by a label moved aside
        names = self._names(pic, lod)
        for b in traffic:
            per_px = per_px_of.horizontalAdvance(b.title) / BODY_PX
            size = max(BODY_PX * lod, self.least_px("detail"))
            w = max(b.rect.width(), (per_px * size + 16) / lod)
            h = max(b.rect.height(), size * 1.45 / lod)
            bounds = pic.bounds
            found = None
            # where the layout put it, else a little above or below it (seen in lesson 3: two labels on one
            # edge left two empty boxes a student cannot read); only when no place is free, the box alone
            for dy in (0.0, 1.1, -1.1, 2.2, -2.2, 3.3, -3.3):
                r = QRectF(b.rect.center().x() - w / 2, b.rect.center().y() - h / 2 + dy * h, w, h)
                if not bounds.isEmpty():  # kept inside the picture (the view shows no more than that)
                    r.moveLeft(max(bounds.left(), min(r.left(), bounds.right() - r.width())))
                    if r.top() < bounds.top() or r.bottom() > bounds.bottom():
                        continue
                if not any(r.intersects(q) for q in placed) and not any(r.intersects(q) for q in names):
                    found = r
                    break
            if found is None:
                out[b.ref] = None
                placed.append(b.rect)
            else:
                out[b.ref] = (found, size)
                placed.append(found)
        self._bubble_key, self._bubble_cache = key, out
        return out

    def _names(self, pic: Picture, lod: float) -> list[QRectF]:
        """Where the nodes' and zones' names are drawn: no Traffic label covers them."""
        return [self.node_name_rect(b, lod) for b in pic.boxes.values() if b.kind == "node"] + \
            [self.zone_label_rect(z, lod) for z in pic.zones]

    def node_name_rect(self, b: Box, lod: float) -> QRectF:
        """Where a node's name is drawn (scene units): its header's first line, or its name plate over the
        pods when the header is too short on screen."""
        r = b.rect
        if not self._header_too_short(lod):
            return QRectF(r.left(), r.top(), r.width(), min(NODE_HEADER, r.height()) * 0.5)
        return QRectF(r.left(), r.top(), r.width(), min(r.height(), (self.least_px("name") * FIT + 8) / lod))

    def zone_label_rect(self, z: Box, lod: float) -> QRectF:
        """Where a zone's name is drawn (scene units): over its bar's top, or up its left side when zoomed out."""
        text = tr("zone %1").replace("%1", z.title)
        if BODY_PX * lod >= MIN_TEXT_PX or z.status != "stacked":
            w = QFontMetricsF(font(BODY_PX, True)).horizontalAdvance(text)
            return QRectF(z.rect.left() + 14, z.rect.top() + 4, w, BODY_PX * FIT)
        least = self.least_px("name")
        return QRectF(z.rect.left() - (2 + least * 1.4) / lod, z.rect.top(), least * 1.4 / lod, z.rect.height())

    def _traffic(self, p: QPainter, b: Box, lod: float, pic: Picture) -> None:
        """A Traffic's label ("static-route · 10/s") as a bubble sized to its text at a readable size, centred
        where the layout put it (the layout's box is too small for projector type when zoomed out)."""
        t = self.theme
        p.setPen(QPen(QColor(t.node_border), max(1.5, 1.0 / max(lod, 0.05))))
        p.setBrush(self.fill("traffic"))
        bubble = self._bubbles(pic, lod).get(b.ref)
        if bubble is None:  # it would cover another label: the box alone (hover and the inspector name it),
            # unless even that covers a node's or a zone's name (zoomed out on 100 nodes: "zone zone-b")
            if not any(b.rect.intersects(q) for q in self._names(pic, lod)):
                p.drawRoundedRect(b.rect, 6, 6)
            return
        r, size = bubble
        p.drawRoundedRect(r, 6 / max(lod, 0.2), 6 / max(lod, 0.2))
        self._label(p, QPointF(r.left() + 8 / lod, r.center().y() - size * 0.6 / lod), b.title, BODY_PX, lod,
                    t.text, size_px=size)

    def _box(self, p: QPainter, b: Box, lod: float, pic: Picture | None = None) -> None:
        t = self.theme
        r = b.rect
        if b.kind == "traffic" and pic is not None:
            self._traffic(p, b, lod, pic)
            return
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
        if b.kind == "workload" and b.colour >= 0 and self.badge_markers:
            colour, shape = endpoint_style(b.colour)
            p.setPen(QPen(QColor(t.text), 1.0 / max(lod, 0.05)))
            p.setBrush(QColor(colour))
            p.drawPath(shape_path(shape, QPointF(r.left() + 18, r.center().y()), 10))
            x = r.left() + 34
        right = 12.0  # the rows' margin at the right
        if b.kind == "service":
            if pic is not None and not self._service_icons(pic, lod):
                x, right = r.left() + 10, 4.0
            else:
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
        # every box's name at a readable size (an Ingress, an IngressClass or a load balancer had none: at
        # 1280x720 lesson 5 showed them as empty boxes)
        least = {"service": self.least_px("name"), "client": self.least_px("name"), "workload": self.least_px("name"),
                 "ingress": self.least_px("name"), "ingressclass": self.least_px("name"), "lb": self.least_px("name"),
                 "traffic": self.least_px("detail")}.get(b.kind)
        top, bottom = r.top() + (7 if b.kind == "traffic" else 8), r.bottom() - 2
        detail = self.least_px("detail")
        if b.kind != "traffic" and b.lines and least is not None:
            least, detail = self._shared_sizes(title_px, least, (bottom - top) * lod, lod)
        rows = [(b.title, title_px, least, b.kind != "traffic", t.text, Qt.TextElideMode.ElideMiddle)]
        width_px = (r.right() - x - right) * lod
        if b.kind != "traffic":
            lines = list(b.lines[:3])
            if b.kind == "workload" and lines and " · " in lines[0]:
                # "Deployment · 3/3 ready" too wide to be whole (a projector's 13 px on a narrow badge): the
                # count, not the kind, is what must be read -- elided it showed "Deployment ·…"
                least_px = self.least_px("min")  # (a detail line is set down to it before it is elided)
                if QFontMetricsF(font(BODY_PX)).horizontalAdvance(lines[0]) / BODY_PX * least_px > 0.98 * width_px:
                    lines[0] = lines[0].split(" · ", 1)[1]
            rows += [(line, BODY_PX, detail, False, t.muted_text, Qt.TextElideMode.ElideRight,
                      x if i == 0 else r.left() + 12) for i, line in enumerate(lines)]
        self._stack(p, x, top, bottom, lod, width_px, rows)

    def _shared_sizes(self, title_px: float, least: float, room_px: float, lod: float) -> tuple[float, float]:
        """The least on-screen sizes of a box's name and of its first detail line, so that both fit ``room_px``
        of height in projector mode. The projector's 22 px name took all but ~11 px of a Deployment badge
        (52 units at 84 %, 1920x1080) and its "Deployment · 3/3 ready" line, which cannot go below 13 px, was
        dropped (web, api; ingress-nginx-controller kept it only because its long name was set smaller to
        fit the width). When the two do not fit at their own sizes both give way alike, the detail line not
        below the readable minimum (13 px) and the name not below the detail size (16 px); when even that does
        not fit (a badge below ~76 % zoom) the name is drawn alone, as before."""
        name = max(title_px * lod, least)
        detail = max(BODY_PX * lod, self.least_px("detail"))
        if not self.projector or name * LINE + detail * FIT <= room_px:
            return least, self.least_px("detail")
        k = room_px / (name * LINE + detail * FIT) * 0.995  # (½ %: rounding; the rows must not touch)
        name, detail = name * k, detail * k
        if detail < self.least_px("min"):
            detail = self.least_px("min")
            name = (room_px * 0.995 - detail * FIT) / LINE
        if name < max(detail, self.least_px("detail")):
            return least, self.least_px("detail")  # no room for both: the name alone
        return name, detail

    def _service_icons(self, pic: Picture, lod: float) -> bool:
        """Whether the Services show their icon: not when a name elided beside it would be whole without it
        (1280x720 live view, 37 %: 'web-…erip' beside the icon, 'web-clusterip' in the box's width; HB);
        decided for all Services of the picture at once, so a row of them looks alike."""
        services = tuple((b.title, b.rect.width()) for b in pic.boxes.values() if b.kind == "service")
        key = (services, round(lod, 4), self.text_scale)
        if getattr(self, "_icons_key", None) == key:
            return self._icons
        per_px_of = QFontMetricsF(font(TITLE_PX - 2, True))
        gains = False
        for title, w in services:
            # on-screen width of the name at the least size a name takes before it is elided
            need = per_px_of.horizontalAdvance(title) / (TITLE_PX - 2) * self.least_px("detail")
            if (w - 36 - 12) * 0.98 * lod < need <= (w - 10 - 4) * 0.98 * lod:
                gains = True
                break
        self._icons_key, self._icons = key, not gains
        return self._icons

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
