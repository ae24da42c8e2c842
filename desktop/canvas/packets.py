"""All packets in flight as ONE array-fed item: sprites from a numpy array with ``drawPixmapFragments``.

Each packet is a polyline of waypoints (client -> load balancer -> node -> pod ...) with a key time per
waypoint; a frame interpolates every packet at once (numpy) for the current clock and draws one sprite per
packet from an atlas of (colour, shape) sprites (``desktop.style.endpoint_style``: the same index as the
charts). Nothing here is a QGraphicsItem per packet. On top of the sprites, a few captions say where an
address is rewritten (``DNAT → 10.244.1.2:8080`` at the node that does it), a dropped packet leaves a mark
where it died (the reason on hover), and the selected packet is ringed and followed.

Captions and status notes are placed, not just drawn at a point: a caption stands still beside the hop it
names (a leader line and a dot point at the hop), in the nearest spot on screen that covers no text of the
canvas — node headers, pods, Services, load balancers, clients, … (``set_obstacles``) — nor another caption
or note; a caption that finds no such spot is left out (the Packet trace panel says it all). Before, a
caption rode with its packet up and to the right of it and covered the node headers it passed (at 1280x720
``DNAT → …`` hid node-1's and node-3's names and addresses).

A caption's leader line is short (``CAPTION_LEADER_MAX``, times the canvas's text scale): of the free spots,
the one with the shortest leader wins; a caption of several rewrites (``DNAT → … · SNAT → …``) with no free
spot that near is tried again on one line per rewrite (narrower), and left out if that finds none either. For a
hop at a node's centre the nearest free spot on one line could be ~200 px away, and its leader crossed the
node's header and its neighbours (a user test at 1920x1080).

Clocks: in realtime mode key times are wall-clock seconds (each hop takes a fixed, readable time on a
projector); in step-by-step mode they are simulated seconds and the clock is the selected event's time.
"""

from __future__ import annotations

import math

import numpy as np
import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsObject, QToolTip

from desktop.style import OKABE_ITO, SHAPES, STATUS, endpoint_style

SPRITE_PX = 16  # on-screen sprite size (logical pixels): visible from the back of a classroom
DROP_PX = 17
CROWD = 5000  # more packets than this on screen: smaller sprites (they overlap anyway; fill rate is the cost)
CROWD_PX = 11
MAX_CAPTIONS = 3
CAPTION_PX = 13  # captions' and notes' text, times the canvas's text scale (projector mode: 1.5)
CAPTION_GAPS = (6.0, 12.0, 20.0, 30.0, 40.0, 50.0, 62.0, 76.0)  # px from the hop to a caption tried
CAPTION_LEADER_MAX = 80.0  # px a caption's leader line may be at most (times the text scale)
CAPTION_PARTS = " · "  # between the rewrites of one caption (desktop.live.feed); a shrunk caption stacks them
NOTE_GAPS = (2.0, 10.0, 22.0, 40.0)  # px from a node's edge to its status note tried
DROP_LINGER = 4.0  # wall seconds a drop mark stays
DONE_LINGER = 0.25  # a delivered packet rests this long on its pod
N_STYLES = len(OKABE_ITO) * len(SHAPES)
NO_POD = -1  # style of a packet that never reached a pod: a small grey dot


def _shape_path(shape: str, cx: float, cy: float, r: float) -> QPainterPath:
    path = QPainterPath()
    if shape == "circle":
        path.addEllipse(QPointF(cx, cy), r, r)
        return path
    if shape == "square":
        path.addRect(QRectF(cx - r * 0.82, cy - r * 0.82, r * 1.64, r * 1.64))
        return path
    if shape == "cross":
        w = r * 0.42
        path.addRect(QRectF(cx - r, cy - w, 2 * r, 2 * w))
        path.addRect(QRectF(cx - w, cy - r, 2 * w, 2 * r))
        return path.simplified()
    n, start, inner = {"triangle": (3, -90, None), "diamond": (4, -90, None), "pentagon": (5, -90, None),
                       "hexagon": (6, 0, None), "star": (5, -90, 0.5)}.get(shape, (4, -90, None))
    k = n * (2 if inner else 1)
    for i in range(k):
        rad = r * (inner if inner and i % 2 else 1.0)
        a = math.radians(start + i * 360 / k)
        p = QPointF(cx + rad * math.cos(a), cy + rad * math.sin(a))
        if i == 0:
            path.moveTo(p)
        else:
            path.lineTo(p)
    path.closeSubpath()
    return path


class _Atlas:
    """One pixmap holding every (colour, shape) sprite in a row, then the drop mark, then the grey dot."""

    def __init__(self, dpr: float, sprite_px: int = SPRITE_PX):
        self.dpr = dpr
        self.sprite_px = sprite_px
        self.cell = int(math.ceil(max(sprite_px, DROP_PX * sprite_px / SPRITE_PX) * dpr)) + 1
        n = N_STYLES + 2
        img = QPixmap(self.cell * n, self.cell)
        img.setDevicePixelRatio(1.0)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = sprite_px * dpr / 2 - 1
        outline = QPen(QColor("#111111"), max(1.0, 1.2 * dpr))
        for i in range(N_STYLES):
            colour, shape = endpoint_style(i)
            c = self.cell * i + self.cell / 2
            p.setPen(outline)
            p.setBrush(QBrush(QColor(colour)))
            p.drawPath(_shape_path(shape, c, self.cell / 2, r))
        # the drop mark: a heavy vermillion X with a white halo
        c = self.cell * N_STYLES + self.cell / 2
        d = DROP_PX * sprite_px / SPRITE_PX * dpr / 2 - 2.5
        for colour, width in (("#FFFFFF", 5 * dpr), (STATUS["dropped"], 3 * dpr)):
            pen = QPen(QColor(colour), width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawLine(QPointF(c - d, self.cell / 2 - d), QPointF(c + d, self.cell / 2 + d))
            p.drawLine(QPointF(c - d, self.cell / 2 + d), QPointF(c + d, self.cell / 2 - d))
        c = self.cell * (N_STYLES + 1) + self.cell / 2
        p.setPen(QPen(QColor("#111111"), max(1.0, dpr)))
        p.setBrush(QBrush(QColor("#BBBBBB")))
        p.drawEllipse(QPointF(c, self.cell / 2), r * 0.7, r * 0.7)
        p.end()
        self.pixmap = img


class PacketLayer(QGraphicsObject):
    """The packets item. ``add(...)`` packets, ``set_clock(t)`` each frame; ``packet_clicked(uid)``."""

    packet_clicked = Signal(int)  # a packet was clicked: its uid

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setZValue(1000)
        self.setAcceptHoverEvents(True)
        self.setFlag(QGraphicsObject.GraphicsItemFlag.ItemUsesExtendedStyleOption, False)
        self._rect = QRectF(-1e5, -1e5, 2e5, 2e5)
        self.clock = 0.0
        self.painted_clock: float | None = None  # the clock of the last paint (what is on screen and clickable)
        self.selected: int | None = None
        self._atlases: dict[tuple[float, int], _Atlas] = {}
        self._frag = np.zeros((0, 10))
        self._frag_cell: tuple[int, float] = (0, 0.0)
        self._clear_arrays()
        self._hit_pos = np.zeros((0, 2))
        self._paint_scale = 1.0
        self._hit_uid = np.zeros(0, np.int64)
        self._drop_text: dict[int, str] = {}
        self._captions: dict[int, list[tuple[int, str]]] = {}  # uid -> [(waypoint index, caption)]
        self.show_captions = True
        self.labels: list[tuple[float, float, str, str]] = []  # (scene x, y, text, colour): node status notes
        self.caption_font = QFont()
        self.caption_font.setPixelSize(CAPTION_PX)
        self.caption_font.setBold(True)
        self.obstacles = np.zeros((0, 5))  # scene rects (left, top, right, bottom, least scale) of the canvas's text
        self._placed: dict[tuple, QRectF | None] = {}  # (hop, text, size, transform) -> caption box (device)
        self.caption_boxes: list[tuple[QRectF, QPointF, str]] = []  # last paint: (box, hop point, text), device
        self.label_boxes: list[tuple[QRectF, str]] = []  # last paint: the status notes' boxes, device
        self._notes_key: tuple | None = None
        self._obstacles_version = 0
        self._notes_placed: list = []
        self._dev_obstacles_key: tuple | None = None
        self._dev_obstacles = np.zeros((0, 4))

    # -- data ----------------------------------------------------------------------------------------
    def _clear_arrays(self) -> None:
        self.uid = np.zeros(0, np.int64)
        self.style = np.zeros(0, np.int64)
        self.points = np.zeros((0, 2, 2))  # (N, K, 2) waypoints, padded with the last
        self.times = np.zeros((0, 2))  # (N, K) key times, padded with +inf
        self.count = np.zeros(0, np.int64)  # waypoints per packet
        self.dropped = np.zeros(0, bool)
        self.linger = np.zeros(0)  # clock units a finished packet stays visible
        self.arrive = np.zeros(0)  # key time of the last waypoint (derived: kept so a frame need not gather it)
        self.has_caption = np.zeros(0, bool)  # (derived) the packet has a caption: only these are looked at
        self._flat = np.zeros(0, np.intp)  # (derived) row offsets into the flattened (N, K) arrays

    def clear(self) -> None:
        self._clear_arrays()
        self._drop_text.clear()
        self._captions.clear()
        self.update()

    def __len__(self) -> int:
        return int(self.uid.size)

    def add(self, uids: np.ndarray, styles: np.ndarray, points: np.ndarray, times: np.ndarray,
            counts: np.ndarray, dropped: np.ndarray, linger: np.ndarray | float = 0.0,
            drop_text: dict[int, str] | None = None, captions: dict[int, list[tuple[int, str]]] | None = None
            ) -> None:
        """Append packets: ``points`` (n, k, 2) and ``times`` (n, k) padded as the module docstring says."""
        n = len(uids)
        if n == 0:
            return
        k = max(self.points.shape[1], points.shape[1])
        self.points = np.concatenate([_pad_points(self.points, k), _pad_points(points, k)])
        self.times = np.concatenate([_pad_times(self.times, k), _pad_times(times, k)])
        self.uid = np.r_[self.uid, np.asarray(uids, np.int64)]
        st = np.asarray(styles, np.int64)
        self.style = np.r_[self.style, np.where(st < 0, N_STYLES + 1, st % N_STYLES)]
        self.count = np.r_[self.count, np.asarray(counts, np.int64)]
        self.dropped = np.r_[self.dropped, np.asarray(dropped, bool)]
        self.linger = np.r_[self.linger, np.broadcast_to(np.asarray(linger, float), (n,))]
        self.has_caption = np.r_[self.has_caption, np.zeros(n, bool)]
        if drop_text:
            self._drop_text.update(drop_text)
        if captions:
            self._captions.update(captions)
            self.has_caption |= np.isin(self.uid, np.fromiter(captions, np.int64, len(captions)))
        self._derive()

    def _derive(self) -> None:
        """The per-packet values a frame would otherwise gather again every time."""
        n = self.uid.size
        self._flat = np.arange(n, dtype=np.intp) * self.times.shape[1]
        self.arrive = self.times.ravel().take(self._flat + self.count - 1) if n else np.zeros(0)

    def expire(self) -> None:
        """Forget packets whose time is over (kept: the selected one)."""
        if self.uid.size == 0:
            return
        keep = self.arrive + self.linger >= self.clock
        if self.selected is not None:
            keep |= self.uid == self.selected
        if keep.all():
            return
        if self._drop_text or self._captions:
            gone = self.uid[~keep].tolist()
            for u in gone:
                self._drop_text.pop(u, None)
                self._captions.pop(u, None)
        self.uid, self.style, self.count = self.uid[keep], self.style[keep], self.count[keep]
        self.points, self.times = self.points[keep], self.times[keep]
        self.dropped, self.linger = self.dropped[keep], self.linger[keep]
        self.has_caption = self.has_caption[keep]
        self._derive()

    def set_clock(self, t: float) -> None:
        self.clock = float(t)
        self.update()

    def select(self, uid: int | None) -> None:
        self.selected = uid
        self.update()

    # -- geometry --------------------------------------------------------------------------------------
    def positions(self, clock: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(visible mask, positions (N, 2), waypoint index reached) at ``clock``.

        One pass of flat ``take``s over the (N, K) arrays (fancy indexing of a 2-D array costs ~8x more)."""
        c = self.clock if clock is None else clock
        n = self.uid.size
        if n == 0:
            return np.zeros(0, bool), np.zeros((0, 2)), np.zeros(0, np.int64)
        t = self.times
        k = t.shape[1]
        reached = np.zeros(n, np.intp)
        for j in range(1, k):  # K is a handful of hops: K-1 compares beat a (N, K) reduction
            reached += t[:, j] <= c
        last = self.count - 1
        np.minimum(reached, last, out=reached)
        i0 = self._flat + reached
        i1 = np.minimum(reached + 1, last)
        i1 += self._flat
        tf = t.ravel()
        t0 = tf.take(i0)
        span = tf.take(i1)
        span -= t0
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = c - t0
            frac /= span
        frac[~(span > 0)] = 0.0
        np.clip(frac, 0.0, 1.0, out=frac)
        pf = self.points.reshape(-1, 2)
        p0 = pf.take(i0, axis=0)
        p1 = pf.take(i1, axis=0)
        p1 -= p0
        p1 *= frac[:, None]
        p0 += p1
        visible = c >= t[:, 0]
        visible &= c <= self.arrive + self.linger
        return visible, p0, reached

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def shape(self) -> QPainterPath:
        """Only packets and drop marks are hit: clicks elsewhere reach the canvas below."""
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)  # overlapping packets must not cancel out (odd-even)
        view_scale = self._view_scale()
        r = (SPRITE_PX * 0.8) / max(view_scale, 1e-6)
        for x, y in self._hit_pos[:400].tolist():
            path.addEllipse(QPointF(x, y), r, r)
        return path

    def _view_scale(self) -> float:
        """Device pixels per scene unit at the last paint (the view the user sees and clicks in)."""
        return self._paint_scale

    # -- painting --------------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option, widget=None) -> None:
        self._sync_font()
        visible, pos, reached = self.positions()
        if visible.all():  # the usual case: no gather at all
            idx, xy, uid = None, pos, self.uid
        else:
            idx = np.flatnonzero(visible)
            xy, uid = pos[idx], self.uid[idx]
        count = uid.size
        dpr = widget.devicePixelRatioF() if widget is not None else 1.0
        px = CROWD_PX if count > CROWD else SPRITE_PX
        atlas = self._atlases.get((dpr, px))
        if atlas is None:
            atlas = self._atlases[(dpr, px)] = _Atlas(dpr, px)
        m = painter.worldTransform()
        self._paint_scale = max(abs(m.m11()), 1e-6) / (atlas.dpr or 1.0)
        self._hit_pos = xy
        self._hit_uid = uid
        self.painted_clock = self.clock
        painter.save()
        painter.resetTransform()
        dpr = atlas.dpr
        dev = np.zeros((0, 2))
        is_drop = np.zeros(0, bool)
        if count:
            if self._frag.shape[0] < count:
                # x, y, sourceLeft, sourceTop, width, height, scaleX, scaleY, rotation, opacity
                self._frag = np.zeros((max(count, min(2 * self._frag.shape[0], 1 << 20)), 10))
                self._frag_cell = (0, 0.0)
            if self._frag_cell != (atlas.cell, dpr):  # the constant columns, set once per sprite size
                self._frag[:, 4:10] = (atlas.cell, atlas.cell, 1.0 / dpr, 1.0 / dpr, 0.0, 1.0)
                self._frag_cell = (atlas.cell, dpr)
            f = self._frag[:count]
            # device positions straight into the fragment array (no temporaries the size of the batch)
            x, y = xy[:, 0], xy[:, 1]
            np.multiply(x, m.m11(), out=f[:, 0])
            f[:, 0] += m.dx()
            if m.m21():
                f[:, 0] += m.m21() * y
            np.multiply(y, m.m22(), out=f[:, 1])
            f[:, 1] += m.dy()
            if m.m12():
                f[:, 1] += m.m12() * x
            style = self.style if idx is None else self.style[idx]
            np.multiply(style, atlas.cell, out=f[:, 2])
            dropped = self.dropped if idx is None else self.dropped[idx]
            if dropped.any():  # a dropped packet that has arrived where it died: the drop mark
                arrive = self.arrive if idx is None else self.arrive[idx]
                is_drop = dropped & (self.clock > arrive)
                f[is_drop, 2] = N_STYLES * atlas.cell
            else:
                is_drop = dropped
            first = shiboken6.wrapInstance(f.ctypes.data, QPainter.PixmapFragment)
            painter.drawPixmapFragments(first, int(count), atlas.pixmap)
            dev = f[:, 0:2]
        painter.restore()
        notes = self._place_labels(painter)
        painter.save()
        painter.resetTransform()
        self._paint_overlays(painter, idx, uid, dev, reached, is_drop, m, [n[0] for n in notes])
        painter.restore()
        self._paint_labels(painter, notes)

    def set_labels(self, labels: list[tuple[float, float, str, str]]) -> None:
        """Status notes drawn over the canvas at scene points (e.g. "NotReady · evicting in 7 s" on a node)."""
        if labels != self.labels:
            self.labels = list(labels)
            self.update()

    def _sync_font(self) -> None:
        """Captions and notes grow with the canvas's names in projector mode (they stayed ~11 px beside ~22 px
        node names: the one thing the class must read was the smallest text on screen, HG under Xvfb)."""
        renderer = getattr(self.scene(), "renderer", None) if self.scene() is not None else None
        scale = float(getattr(renderer, "text_scale", 1.0) or 1.0)
        px = max(1, round(CAPTION_PX * scale))
        if self.caption_font.pixelSize() != px:
            self.caption_font.setPixelSize(px)
            self._placed.clear()
            self._notes_key = None

    def set_obstacles(self, rects) -> None:
        """Scene rectangles holding the canvas's text (``(left, top, right, bottom[, least scale])`` rows, or
        QRectFs): captions and status notes are placed off them. A row with a least scale counts only at that
        zoom or more (a label the canvas leaves out when it would be too small to read)."""
        if isinstance(rects, np.ndarray) and rects.ndim == 2 and rects.shape[1] == 5:
            a = rects  # (n, 5) rows already
        else:
            rows = []
            for r in rects:
                row = (r.left(), r.top(), r.right(), r.bottom()) if isinstance(r, QRectF) else tuple(r)
                rows.append(row if len(row) == 5 else (*row, 0.0))
            a = np.array(rows, float).reshape(-1, 5)
        if a.shape != self.obstacles.shape or not np.array_equal(a, self.obstacles):
            self.obstacles = a
            self._obstacles_version += 1
            self._placed.clear()
            self.update()

    def _device_obstacles(self, m) -> np.ndarray:
        """The obstacles that count at this zoom, as device (left, top, right, bottom) rows: worked out once per
        transform and obstacle set, not once per note or caption placed."""
        key = (self._obstacles_version, m.m11(), m.m22(), m.dx(), m.dy())
        if self._dev_obstacles_key != key:
            ob = self.obstacles
            sx, sy = m.m11() or 1e-9, m.m22() or 1e-9
            ob = ob[ob[:, 4] <= abs(sx) + 1e-9, :4]
            xs, ys = ob[:, [0, 2]] * sx + m.dx(), ob[:, [1, 3]] * sy + m.dy()
            self._dev_obstacles = np.c_[xs.min(axis=1), ys.min(axis=1), xs.max(axis=1), ys.max(axis=1)]
            self._dev_obstacles_key = key
        return self._dev_obstacles

    def _near_obstacles(self, m, cx: float, cy: float, reach: float) -> np.ndarray:
        """The obstacles within ``reach`` device px of the device point (cx, cy), in device coordinates."""
        dev = self._device_obstacles(m)
        near = (dev[:, 0] < cx + reach) & (dev[:, 2] > cx - reach) & (dev[:, 1] < cy + reach) & (dev[:, 3] > cy - reach)
        return dev[near]

    def _place(self, m, point: QPointF, w: float, h: float, gaps, taken: list[QRectF], bounds: QRectF | None,
               order: str = "caption", text: bool = True, leader: float | None = None) -> QRectF | None:
        """The nearest free box of w x h device px around the device point, None if every spot covers text
        (``text``: the obstacles count) or another box in ``taken``, or leaves the view.

        A caption: beside the point (right, left), above, below, then the corners, at each of the gaps; the
        spot whose leader line (from the point to the box's nearest edge) is the shortest wins, and none
        longer than ``leader`` px is taken.
        A note (``order="note"``): above the point (a node's top edge), slid sideways by up to half its width
        -- always over the point's column, so it is read as that node's (placed beside a neighbour's note it
        was read as the neighbour's) -- then below it likewise."""
        x, y = point.x(), point.y()
        g = np.asarray(gaps, float)
        if order == "note":
            slides = np.array([0.0] + [sign * k * w / 8 for k in range(1, 5) for sign in (1, -1)])
            left = np.tile(x - w / 2 + slides, 2 * len(g))
            top = np.r_[np.repeat(y - g - h, len(slides)), np.repeat(y + g, len(slides))]
        else:
            # per gap: right, left, above, below, then the corners
            left = np.stack([x + g, x - g - w, np.full_like(g, x - w / 2), np.full_like(g, x - w / 2),
                             x + g, x + g, x - g - w, x - g - w], axis=1).ravel()
            top = np.stack([np.full_like(g, y - h / 2), np.full_like(g, y - h / 2), y - g - h, y + g,
                            y - g - h, y + g, y - g - h, y + g], axis=1).ravel()
            # the shortest leader line (from the point to the box's nearest edge) first; the order above breaks ties
            lead = np.hypot(np.maximum(np.maximum(left - x, 0.0), x - (left + w)),
                            np.maximum(np.maximum(top - y, 0.0), y - (top + h)))
            keep = np.argsort(lead, kind="stable")
            if leader is not None:
                keep = keep[lead[keep] <= leader + 1e-6]
            left, top = left[keep], top[keep]
        if left.size == 0:
            return None
        right, bottom = left + w, top + h
        # every spot tried at once (a note searched ~100 spots against 100 notes one QRectF at a time: ~1 ms each)
        free = np.ones(left.size, bool)
        if bounds is not None:  # inside the view (QRectF.contains: edges included)
            free &= (left >= bounds.left()) & (right <= bounds.right()) & (top >= bounds.top()) & \
                (bottom <= bounds.bottom())
        rows = _rows(taken)
        if rows.size:  # overlapping no box already placed (QRectF.intersects: touching is not overlapping)
            free &= ~((left[:, None] < rows[None, :, 2]) & (rows[None, :, 0] < right[:, None])
                      & (top[:, None] < rows[None, :, 3]) & (rows[None, :, 1] < bottom[:, None])).any(axis=1)
        if text and free.any():
            near = self._near_obstacles(m, x, y, max(gaps) + w + h)
            if near.size:  # covering no text (a pixel's margin)
                pad = 1.0
                free &= ~((near[None, :, 0] < right[:, None] + pad) & (near[None, :, 2] > left[:, None] - pad)
                          & (near[None, :, 1] < bottom[:, None] + pad)
                          & (near[None, :, 3] > top[:, None] - pad)).any(axis=1)
        hit = np.flatnonzero(free)
        if hit.size == 0:
            return None
        return QRectF(float(left[hit[0]]), float(top[hit[0]]), w, h)

    def _place_caption(self, m, point: QPointF, text: str, fm: QFontMetricsF, taken: list[QRectF],
                       bounds: QRectF | None) -> tuple[QRectF, str] | None:
        """(box, text as drawn) of a caption beside ``point`` with a leader of at most ``CAPTION_LEADER_MAX``
        (times the text scale): on one line, else one line per rewrite; None where neither fits."""
        scale = self.caption_font.pixelSize() / CAPTION_PX
        reach = CAPTION_LEADER_MAX * scale
        gaps = tuple(g * scale for g in CAPTION_GAPS)
        shapes = [text]
        if CAPTION_PARTS in text:
            shapes.append(text.replace(CAPTION_PARTS, "\n"))
        for shown in shapes:
            lines = shown.split("\n")
            w = max(fm.horizontalAdvance(s) for s in lines) + 12
            h = fm.height() * len(lines) + fm.leading() * (len(lines) - 1) + 6
            box = self._place(m, point, w, h, gaps, taken, bounds, leader=reach)
            if box is not None:
                return box, shown
        return None

    @staticmethod
    def _device_bounds(painter: QPainter) -> QRectF | None:
        dev = painter.device()
        if dev is None:
            return None
        dpr = dev.devicePixelRatioF() if hasattr(dev, "devicePixelRatioF") else 1.0
        return QRectF(0, 0, dev.width() / max(dpr, 1e-6), dev.height() / max(dpr, 1e-6))

    def _paint_labels(self, painter: QPainter, boxes: list[tuple] | None = None) -> None:
        """The status notes (``_place_labels`` decided where), each tied to its point by a short stem."""
        if boxes is None:
            boxes = self._place_labels(painter)
        if not boxes:
            return
        painter.save()
        painter.resetTransform()
        painter.setFont(self.caption_font)
        for box, text, colour, at in boxes:
            painter.setPen(QPen(QColor(colour), 2))
            edge = _nearest_on(box, at)
            if abs(edge.y() - at.y()) + abs(edge.x() - at.x()) > 3:
                painter.drawLine(edge, at)
            painter.setBrush(QBrush(QColor(colour)))
            painter.drawRoundedRect(box, 5, 5)
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def _place_labels(self, painter: QPainter) -> list[tuple[QRectF, str, str, QPointF]]:
        """Each status note above its point (a node's top edge; a kube-proxy lag note: its foot), or the
        nearest spot that covers no text; where there is none, the nearest that covers no other note (a
        node's state must be seen)."""
        self.label_boxes = []
        if not self.labels:
            return []
        m = painter.worldTransform()
        fm = QFontMetricsF(self.caption_font)
        bounds = self._device_bounds(painter)
        h = fm.height() + 6
        widths = [fm.horizontalAdvance(text) + 14 for _x, _y, text, _c in self.labels]
        # placed again only when the notes' points or widths, the zoom or pan, the view or the canvas's text
        # change -- not when only their text does (a countdown each second; 100 kube-proxy lag notes took
        # ~30 ms to place on a 2,000-pod canvas)
        key = (tuple((x, y, w) for (x, y, _t, _c), w in zip(self.labels, widths, strict=True)),
               round(m.m11(), 6), round(m.m22(), 6), round(m.dx(), 1), round(m.dy(), 1),
               None if bounds is None else (bounds.width(), bounds.height()), self._obstacles_version)
        if key == self._notes_key:
            out = [(box, text, colour, at)
                   for (box, _t, _c, at), (_x, _y, text, colour) in zip(self._notes_placed, self.labels, strict=True)]
            self._notes_placed = out
            self.label_boxes = [(b, t) for b, t, _c, _a in out]
            return out
        out: list[tuple[QRectF, str, str]] = []
        taken = Boxes()
        for (x, y, text, colour), w in zip(self.labels, widths, strict=True):
            dx = m.m11() * x + m.m21() * y + m.dx()
            dy = m.m12() * x + m.m22() * y + m.dy()
            at = QPointF(dx, dy)
            box = self._place(m, at, w, h, NOTE_GAPS, taken, bounds, order="note")
            if box is None:  # over text rather than over another node's note (two failed neighbours)
                box = self._place(m, at, w, h, NOTE_GAPS + (64.0, 96.0), taken, bounds, order="note", text=False)
            if box is None:
                box = QRectF(dx - w / 2, dy - h - 2, w, h)
            taken.append(box)
            out.append((box, text, colour, at))
        self.label_boxes = [(b, t) for b, t, _c, _a in out]
        self._notes_key, self._notes_placed = key, out
        return out

    def _paint_overlays(self, painter: QPainter, idx: np.ndarray | None, uid: np.ndarray, dev: np.ndarray,
                        reached: np.ndarray, is_drop: np.ndarray, m=None, notes: list[QRectF] | None = None) -> None:
        """The selected packet's ring and at most ``MAX_CAPTIONS`` captions (the selected packet's first), one
        per hop, each beside its hop off the canvas's text (``_place``); ``idx`` maps the drawn packets to the
        layer's rows (None: all rows, in order)."""
        self.caption_boxes = []
        sel = np.zeros(0, np.intp)
        if self.selected is not None:
            sel = np.flatnonzero(uid == self.selected)
            if sel.size:
                x, y = dev[sel[0]]
                pen = QPen(QColor("#0072B2"), 3)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(x, y), SPRITE_PX, SPRITE_PX)
        if not self.show_captions or not self._captions or m is None:
            return
        # only packets that have a caption are looked at (a Python loop over 20,000 packets cost 3 ms a frame)
        has = self.has_caption if idx is None else self.has_caption[idx]
        order = np.r_[sel[:1], np.flatnonzero(has)].tolist()
        if not order:
            return
        painter.setFont(self.caption_font)
        fm = QFontMetricsF(self.caption_font)
        bounds = self._device_bounds(painter)
        key_m = (round(m.m11(), 6), round(m.m22(), 6), round(m.dx(), 1), round(m.dy(), 1))
        if len(self._placed) > 512:
            self._placed.clear()
        taken = Boxes(notes or [])
        hops: set[tuple[float, float]] = set()
        done: set[int] = set()
        for j in order:
            if len(self.caption_boxes) >= MAX_CAPTIONS:
                break
            u = int(uid[j])
            if u in done:
                continue
            done.add(u)
            caps = self._captions.get(u)
            if not caps:
                continue
            row = j if idx is None else int(idx[j])
            r = int(reached[row])
            # from the hop that rewrites until the packet has reached the next one
            hit = next(((w, c) for w, c in caps if w == r or w == r - 1), None)
            if hit is None:
                continue
            w_i, text = hit
            hx, hy = (float(v) for v in self.points[row, w_i])
            hop = (round(hx, 1), round(hy, 1))
            if hop in hops:
                continue  # one caption per hop: the first packet's stays until it has passed
            point = QPointF(m.m11() * hx + m.m21() * hy + m.dx(), m.m12() * hx + m.m22() * hy + m.dy())
            key = (hop, text, key_m, tuple((round(b.x()), round(b.y())) for b in taken))
            if key in self._placed:
                placed = self._placed[key]
            else:
                placed = self._placed[key] = self._place_caption(m, point, text, fm, taken, bounds)
            if placed is None:
                continue
            box, text = placed
            hops.add(hop)
            taken.append(box)
            self.caption_boxes.append((QRectF(box), point, text))
            blue = QColor("#0072B2")
            painter.setPen(QPen(blue, 1.5))
            painter.drawLine(point, _nearest_on(box, point))
            painter.setBrush(QBrush(blue))
            painter.drawEllipse(point, 3.0, 3.0)
            painter.setBrush(QBrush(QColor(255, 255, 255, 240)))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(QColor("#111111"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    # -- interaction ------------------------------------------------------------------------------------
    def _nearest(self, p: QPointF) -> int | None:
        if self._hit_pos.size == 0:
            return None
        d = np.hypot(self._hit_pos[:, 0] - p.x(), self._hit_pos[:, 1] - p.y())
        j = int(np.argmin(d))
        if d[j] * self._view_scale() <= SPRITE_PX:
            return int(self._hit_uid[j])
        return None

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        uid = self._nearest(event.pos())
        if uid is None:
            event.ignore()
            return
        self.select(uid)
        self.packet_clicked.emit(uid)
        event.accept()

    def hoverMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        uid = self._nearest(event.pos())
        text = self._drop_text.get(uid) if uid is not None else None
        if text:
            QToolTip.showText(event.screenPos(), text)
        else:
            QToolTip.hideText()


class Boxes(list):
    """Boxes placed so far (QRectFs, appended to only), with their (left, top, right, bottom) rows kept in step."""

    def rows(self) -> np.ndarray:
        done = getattr(self, "_rows", None)
        n = 0 if done is None else len(done)
        if n != len(self):
            new = [(b.left(), b.top(), b.right(), b.bottom()) for b in self[n:]]
            self._rows = np.array(new, float).reshape(-1, 4) if done is None else np.vstack([done, new])
        return self._rows if len(self) else np.zeros((0, 4))


def _rows(boxes) -> np.ndarray:
    if isinstance(boxes, Boxes):
        return boxes.rows()
    return np.array([(b.left(), b.top(), b.right(), b.bottom()) for b in boxes], float).reshape(-1, 4)


def _nearest_on(box: QRectF, p: QPointF) -> QPointF:
    """The point of ``box`` nearest to ``p`` (where a leader line from ``p`` meets it)."""
    return QPointF(min(max(p.x(), box.left()), box.right()), min(max(p.y(), box.top()), box.bottom()))


def _pad_points(a: np.ndarray, k: int) -> np.ndarray:
    if a.shape[1] >= k:
        return a
    extra = np.repeat(a[:, -1:, :], k - a.shape[1], axis=1) if a.shape[0] else np.zeros((0, k - a.shape[1], 2))
    return np.concatenate([a, extra], axis=1)


def _pad_times(a: np.ndarray, k: int) -> np.ndarray:
    if a.shape[1] >= k:
        return a
    return np.concatenate([a, np.full((a.shape[0], k - a.shape[1]), np.inf)], axis=1)
