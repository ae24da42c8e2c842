"""Live charts (pyqtgraph, array-fed): share bars with the expected share marked, requests per second per pod,
IPVS active connections per pod, drops by reason, latency percentiles, fairness; vertical event markers.

Every curve is created once and updated with ``setData`` (width-1 pens, ``skipFiniteCheck``, fixed ranges,
no OpenGL) from ``core.series.ChartSeries``. Pod colours are the packets' (``PodColours`` +
``endpoint_style``). Import this module only after the window's first paint: pyqtgraph takes ~0.4 s to load.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QComboBox, QGraphicsItem, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from core.dataplane.outcomes import CODE_NAMES
from core.model import ObjectRef
from desktop.i18n import drop_reason_label
from desktop.live.feed import PodColours
from desktop.style import LIGHT, OKABE_ITO, endpoint_style

WINDOW = 5.0  # seconds: the moving window of the share and fairness charts
SPAN = 60.0  # seconds of history on the time charts
LABEL_ROWS = (0.92, 0.72, 0.52, 0.32)  # heights (of the chart) marker labels are printed at, top first
SPAN_STEP = 5.0  # the time axis advances in steps of this many seconds
MAX_MARKERS = 12
PCT_COLOURS = ("#009E73", "#E69F00", "#D55E00")
WIDE_PODS = 12  # up to this many pods in a chart: 2 px lines
RPS_POINTS = 12000  # at most this many points on the requests/s chart (all pods together)
CHARTS_MIN_HEIGHT = 150  # px of the chart pages at least
STACK_ASPECT = 0.9  # charts taller than this times their width stack their plots


def tr(text: str) -> str:
    return QCoreApplication.translate("LiveCharts", text)


pg.setConfigOptions(antialias=False, useOpenGL=False, background="w", foreground="#222222")


def _pen(colour: str, width: int = 2):
    """2 px lines are seen from the back row; 1 px where a chart has many pods (wide lines cost more)."""
    return pg.mkPen(colour, width=width)


class LiveCharts(QWidget):
    """The chart dock's widget. ``update_from(run)`` redraws from the run's series; ``service`` is the one
    whose pods are charted (chosen in the combo box)."""

    def __init__(self, colours: PodColours, parent: QWidget | None = None):
        super().__init__(parent)
        self.colours = colours
        self._theme = LIGHT  # pyqtgraph's configured white background and dark ink (``set_theme``)
        self.stacked = False  # the charts one above the other (a tall dock), else side by side
        self.service_box = QComboBox()
        self.service_box.setMinimumContentsLength(28)
        self.service_box.currentIndexChanged.connect(self._on_service_changed)
        self.summary = QLabel()
        corner = QWidget()
        top = QHBoxLayout(corner)
        top.setContentsMargins(0, 0, 4, 0)
        top.addWidget(self.summary)
        self.service_label = QLabel()
        top.addWidget(self.service_label)
        top.addWidget(self.service_box)
        # two pages of three charts: only the page on screen is updated (pyqtgraph's axes are the cost)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.glw = pg.GraphicsLayoutWidget()
        self.glw2 = pg.GraphicsLayoutWidget()
        for g in (self.glw, self.glw2):
            g.ci.setContentsMargins(2, 2, 2, 2)
        # a chart squashed to a sliver says nothing to the back row; 150 px still shows bars and curves ~80 px
        # high (a 1280x720 window gives the canvas what 20 px more would take)
        self.tabs.setMinimumHeight(CHARTS_MIN_HEIGHT)
        self.tabs.addTab(self.glw, "")
        self.tabs.addTab(self.glw2, "")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.tabs.setCornerWidget(corner)
        lay.addWidget(self.tabs, 1)
        self.share_plot = self._plot(self.glw, 0)
        self.rps_plot = self._plot(self.glw, 1)
        self.conn_plot = self._plot(self.glw, 2)
        # the second page's plots are made when first needed (shown, or asked for): ~60 ms less before the
        # demo is live, for a page most lessons open later if at all
        self._page2: tuple | None = None
        self.share_plot.setYRange(0, 1, padding=0)
        # half and whole, with a grid line at each quarter (0.2, 0.4, 0.6, 0.8 were squeezed into ~70 px on a
        # 1280x720 screen; the expected share is the black mark over each bar anyway)
        self.share_plot.getAxis("left").setTicks([[(0.5, "0.5"), (1.0, "1")], [(0.25, ""), (0.75, "")]])
        self.share_plot.getAxis("bottom").setStyle(tickTextOffset=2)
        self.bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.7)
        self.share_plot.addItem(self.bars)
        self.conn_note = pg.TextItem("", color="#4A5560", anchor=(0.5, 0.5))
        self.conn_note.setParentItem(self.conn_plot.getViewBox())
        self.conn_note.setPos(0, 0)
        self.conn_plot.getViewBox().sigResized.connect(
            lambda vb: self.conn_note.setPos(vb.width() / 2, vb.height() / 2))
        self.expected = pg.PlotDataItem(pen=pg.mkPen("#111111", width=2), connect="pairs", skipFiniteCheck=True)
        self.share_plot.addItem(self.expected)
        self.rps_curves: dict[str, pg.PlotDataItem] = {}  # colour -> one curve for that colour's pods
        self.conn_curves: dict[str, pg.PlotDataItem] = {}
        self.inact_curves: dict[str, pg.PlotDataItem] = {}
        self.drop_curves: dict[str, pg.PlotDataItem] = {}
        self.lat_curves: list[pg.PlotDataItem] = []
        self.fair_curve: pg.PlotDataItem | None = None
        self.markers: list[tuple[float, str]] = []
        self._marker_items: list[tuple[float, list]] = []
        self._marker_rows: list[tuple[float, float, int]] = []  # per marker: (t, its label's width in s, row)
        self.service: ObjectRef | None = None
        self._services: list[ObjectRef] = []
        self._last_t = -1.0
        self._pods: list[ObjectRef] = []
        self.last_shares: dict[ObjectRef, float] = {}
        self._bar_order: list[ObjectRef] = []
        self._xrange: dict[int, tuple[float, float]] = {}
        self._ytop: dict[int, float] = {}
        self._drop_top = 1.0
        self._brushes: list = []
        self._groups: dict = {}
        self._bar_pen = pg.mkPen("#111111", width=1)
        self.last_expected: dict[ObjectRef, float] = {}
        self._summary: tuple | None = None  # what the summary line says, re-worded on a language switch
        self.retranslate()

    # -- the second page, made on first use ----------------------------------------------------------------
    @property
    def drop_plot(self):
        return self._second_page()[0]

    @property
    def lat_plot(self):
        return self._second_page()[1]

    @property
    def fair_plot(self):
        return self._second_page()[2]

    def _second_page(self) -> tuple:
        if self._page2 is None:
            drop, lat, fair = self._page2 = (self._plot(self.glw2, 0), self._plot(self.glw2, 1),
                                             self._plot(self.glw2, 2))
            fair.setYRange(0, 1.05, padding=0)
            self.lat_curves = [lat.plot(pen=_pen(c), skipFiniteCheck=True, connect="finite") for c in PCT_COLOURS]
            self.fair_curve = fair.plot(pen=_pen("#0072B2"), skipFiniteCheck=True)
            self._retitle_second_page()
            for (t, items), (_t, _wide, row) in zip(self._marker_items, self._marker_rows, strict=True):
                label = next((line.label.format for _p, line in items if getattr(line, "label", None) is not None), "")
                for plot in self._page2:  # (the markers placed so far)
                    items.append((plot, self._marker_line(plot, t, label, row)))
        return self._page2

    def _on_tab_changed(self, index: int) -> None:
        if index == 1:
            self._second_page()
        self._force()

    def _retitle_second_page(self) -> None:
        drop, lat, fair = self._page2
        ink = self._theme.text
        drop.setTitle(tr("Drops/s by reason"), size="10pt", color=ink)
        lat.setTitle(tr("Latency ms: p50, p90, p99 (1 s average)"), size="10pt", color=ink)
        fair.setTitle(tr("Fairness (Jain index)"), size="10pt", color=ink)
        legend = drop.legend
        if legend is not None:
            for name, curve in self.drop_curves.items():
                legend.removeItem(curve)
                legend.addItem(curve, drop_reason_label(name))

    def retranslate(self) -> None:
        """Every text of the charts in the current language (called again on a language switch)."""
        self.service_label.setText(tr("Service:"))
        self.tabs.setTabText(0, tr("Balance"))
        self.tabs.setTabText(1, tr("Drops, latency, fairness"))
        for plot, title in (
                (self.share_plot, tr("Share of requests (last {0:g} s); — expected").format(WINDOW)),
                (self.rps_plot, tr("Requests/s per pod")),
                (self.conn_plot, tr("IPVS connections per pod: active —, inactive - -"))):
            plot.setTitle(title, size="10pt", color=self._theme.text)
        if self._page2 is not None:
            self._retitle_second_page()
        self.conn_note.setText(tr("no IPVS connections to these pods\n(iptables/nftables mode, or no client\n"
                                  "reaches them through kube-proxy)"))
        self._show_summary()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """Three charts side by side in a wide dock (under the canvas), one above the other in a tall one
        (projector mode's C puts the charts beside the canvas, half the screen wide: side by side the third
        was cut off and each was ~200 px wide and 550 px tall)."""
        stacked = self.height() > self.width() * STACK_ASPECT
        if stacked == self.stacked:
            return
        self.stacked = stacked
        for glw, plots in ((self.glw, [self.share_plot, self.rps_plot, self.conn_plot]),
                           (self.glw2, list(self._page2 or ()))):
            for p in plots:
                glw.ci.removeItem(p)
            for i, p in enumerate(plots):
                glw.ci.addItem(p, row=i if stacked else 0, col=0 if stacked else i)
            # the view sized its layout while it held the other arrangement (clamped to that one's minimum: the
            # plots stayed 168 px tall in a 124 px dock after going back side by side): size it again
            glw.ci.layout.invalidate()
            glw.resizeEvent(QResizeEvent(glw.size(), glw.size()))

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_summary(self, *what) -> None:
        if what:
            self._summary = what
        kind, *values = self._summary or ("",)
        if kind == "jain":
            self.summary.setText(tr("Jain {0:.3f} over the last {1:g} s").format(*values))
        elif kind == "pods":
            self.summary.setText(tr("{0} pods · shares over the last {1:g} s").format(*values))

    def _force(self) -> None:
        self._last_t = -1.0

    def set_theme(self, theme) -> None:
        """Draw on the canvas's theme (a ``desktop.style.Theme``): under projector mode's dark theme or a dark
        system palette the charts stayed white beside a dark cluster, their black marks invisible after."""
        if theme == self._theme:
            return
        self._theme = theme
        for g in (self.glw, self.glw2):
            g.setBackground(theme.background)
        for p in self._plots():
            self._style_axes(p)
        self.expected.setPen(pg.mkPen(theme.text, width=2))
        self._bar_pen = pg.mkPen(theme.text, width=1)
        self.bars.setOpts(pen=self._bar_pen)
        self.conn_note.setColor(theme.muted_text)
        self.retranslate()  # the titles, in the theme's text colour

    def _plots(self) -> list:
        return [self.share_plot, self.rps_plot, self.conn_plot] + list(self._page2 or ())

    def _style_axes(self, p) -> None:
        for name in ("left", "bottom"):
            axis = p.getAxis(name)
            axis.setPen(self._theme.text)
            axis.setTextPen(self._theme.text)

    def _plot(self, glw, col: int):
        p = glw.addPlot(row=col if self.stacked else 0, col=0 if self.stacked else col, title=" ")
        p.setMenuEnabled(False)
        p.setMouseEnabled(x=False, y=False)
        p.hideButtons()
        p.showGrid(x=False, y=True, alpha=0.25)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0))  # tick numbers read from the back row
        for name in ("left", "bottom"):
            p.getAxis(name).setStyle(tickFont=font)
            # an axis (with its grid, the whole plot's size) re-plays its tick texts on every repaint of any
            # curve under it; cached as a pixmap it is blitted until its range or size changes
            p.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        if self._theme is not LIGHT:
            self._style_axes(p)
        return p

    # -- choices --------------------------------------------------------------------------------------------
    def set_services(self, services: list[ObjectRef], prefer: ObjectRef | None = None) -> None:
        if services == self._services:
            return
        self._services = list(services)
        current = self.service
        self.service_box.blockSignals(True)
        self.service_box.clear()
        for s in services:
            self.service_box.addItem(f"{s.namespace}/{s.name}")
        pick = current if current in services else (prefer if prefer in services else (services[0] if services else None))
        if pick is not None:
            self.service_box.setCurrentIndex(services.index(pick))
        self.service_box.blockSignals(False)
        self._set_service(pick)

    def _on_service_changed(self, i: int) -> None:
        self._set_service(self._services[i] if 0 <= i < len(self._services) else None)

    def _set_service(self, service: ObjectRef | None) -> None:
        if service == self.service:
            return
        self.service = service
        for c in self.rps_curves.values():
            self.rps_plot.removeItem(c)
        for c in list(self.conn_curves.values()) + list(self.inact_curves.values()):
            self.conn_plot.removeItem(c)
        self.rps_curves.clear()
        self.conn_curves.clear()
        self.inact_curves.clear()
        self._last_t = -1.0

    def add_marker(self, t: float, label: str) -> None:
        self.markers.append((t, label))
        row = self._label_row(t, label)
        items = []
        for plot in (self.rps_plot, self.conn_plot) + (self._page2 or ()):
            items.append((plot, self._marker_line(plot, t, label, row)))
        self._marker_items.append((t, items))
        while len(self._marker_items) > MAX_MARKERS:
            _, old = self._marker_items.pop(0)
            self._marker_rows.pop(0)
            for plot, line in old:
                plot.removeItem(line)

    def _label_row(self, t: float, label: str) -> int:
        """The height (0: top) a marker's label is printed at: the highest whose labels so far end before this
        one begins at the charts' scale now, else the one whose last label ends first. Markers close in time
        (a node failing, the mode switched right after) printed their labels over each other (1280x720)."""
        view = self.rps_plot.getViewBox()
        x0, x1 = view.viewRange()[0]
        width = max(view.width(), 1.0)
        # a label is printed beside its line, right of it or (in the chart's right half) left of it
        wide = (QFontMetricsF(self.font()).horizontalAdvance(label) + 12) * max(x1 - x0, 1e-6) / width
        ends = [-math.inf] * len(LABEL_ROWS)
        for mt, mwide, mrow in self._marker_rows:
            ends[mrow] = max(ends[mrow], mt + mwide)
        row = next((i for i, end in enumerate(ends) if end <= t - wide), None)
        if row is None:
            row = min(range(len(ends)), key=lambda i: ends[i])
        self._marker_rows.append((t, wide, row))
        return row

    def _label_position(self, plot, row: int) -> float:
        """Where along its line (0 bottom, 1 top) a label of ``row`` is centred: ``LABEL_ROWS`` on a tall chart;
        on a short one (1280x720: ~80 px) rows a label's height apart from just under the top, so the top
        label is not cut by the chart's edge."""
        height = plot.getViewBox().height()
        if height <= 0:
            return LABEL_ROWS[row]
        label = QFontMetricsF(self.font()).height() + 4  # (the label's padding)
        top = 1.0 - 0.6 * label / height
        step = 1.1 * label / height
        return max(0.08, min(LABEL_ROWS[row], top - row * step))

    def _marker_line(self, plot, t: float, label: str, row: int):
        """The dashed vertical marker at ``t`` in ``plot`` (labelled in the first chart of each page)."""
        # the second page labels them on the latency chart: on the drops chart they were printed over its
        # legend ('timed out: sent to a dead pod' under 'node-2 NotReady', HG at 1280x720)
        labelled = plot is self.rps_plot or (self._page2 is not None and plot is self._page2[1])
        line = pg.InfiniteLine(pos=t, angle=90, pen=pg.mkPen("#CC79A7", width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
                               label=label if labelled else None,
                               labelOpts={"position": self._label_position(plot, row), "color": "#7A3E64",
                                          "fill": (255, 255, 255, 210)})
        plot.addItem(line)
        return line

    def clear_markers_after(self, t: float) -> None:
        keep, rows = [], []
        for (mt, items), placed in zip(self._marker_items, self._marker_rows, strict=True):
            if mt > t + 1e-9:
                for plot, line in items:
                    plot.removeItem(line)
            else:
                keep.append((mt, items))
                rows.append(placed)
        self._marker_items, self._marker_rows = keep, rows
        self.markers = [(mt, lab) for mt, lab in self.markers if mt <= t + 1e-9]

    # -- data -----------------------------------------------------------------------------------------------
    def update_from(self, run, *, force: bool = False, part: int | None = None) -> None:
        """Redraw the page on screen from the run's series; ``part`` (0, 1, 2) redraws one of its three charts
        only, so a caller can spread the cost over three frames."""
        series = run.series
        if series is None:
            return
        t = series.times()
        now = float(t[-1]) if t.size else 0.0
        if part is None and not force and now == self._last_t:
            return
        self._last_t = now
        # the time axis moves in 5 s steps (regenerating axis text every frame is what costs in pyqtgraph)
        x1 = max(SPAN_STEP, math.ceil((run.time + 1e-6) / SPAN_STEP) * SPAN_STEP)
        x0 = max(0.0, x1 - SPAN)
        balance = self.tabs.currentIndex() == 0
        plots = (self.share_plot, self.rps_plot, self.conn_plot) if balance else (
            self.drop_plot, self.lat_plot, self.fair_plot)
        for k, plot in enumerate(plots):
            if (part is None or part == k) and plot is not self.share_plot and self._xrange.get(id(plot)) != (x0, x1):
                self._xrange[id(plot)] = (x0, x1)
                plot.setXRange(x0, x1, padding=0)
        service = self.service
        if not balance and part in (None, 0):
            self._update_drops(series, t, t >= x0 - series.resolution)
            self._set_top(self.drop_plot, self._drop_top)
        if t.size == 0:
            self._clear_page()  # a reset or a seek to t = 0: the old run's bars and curves go
            return
        if service is None:
            return
        if not balance:
            vis = t >= x0 - series.resolution
            tv = t[vis]
            if part in (None, 1):
                _, p50, p90, p99 = series.latency(service)
                tops = [1.0]
                for curve, y in zip(self.lat_curves, (p50, p90, p99)):
                    sm = _nan_smooth(y[vis], 10)
                    curve.setData(tv, sm)
                    if sm.size and np.any(~np.isnan(sm)):
                        tops.append(float(np.nanmax(sm)))
                self._set_top(self.lat_plot, max(tops))
            if part in (None, 2):
                _, jain = series.jain(service, WINDOW)
                self.fair_curve.setData(tv, jain[vis])
                self._show_summary("jain", float(jain[-1]) if jain.size else 1.0, WINDOW)
            return
        pods, counts = _service_counts(series, service)
        w = max(1, int(round(WINDOW / series.resolution)))
        window = counts[-w:].sum(axis=0, keepdims=True) if counts.shape[0] else np.zeros((0, len(pods)))
        self._pods = pods
        # bars: the share over the last window; expected share as a black tick over each bar
        last = window[-1] if window.shape[0] else np.zeros(len(pods))
        total = last.sum()
        shares = last / total if total > 0 else np.zeros(len(pods))
        expected = run.expected_shares(service)
        where = {p: j for j, p in enumerate(pods)}
        order = sorted(set(pods) | set(expected), key=self.colours.of)
        self._show_summary("pods", len(order), WINDOW)
        if part in (None, 0):
            self._update_bars(order, pods, where, shares, expected)
        vis = t >= x0 - series.resolution
        tv = t[vis]
        if part in (None, 1):
            raw = counts[vis]
            rps = _smooth(raw.astype(float) / series.resolution) if raw.size else raw
            # a Service of 100 pods is 60,000 points a redraw: every k-th bin of the smoothed series keeps it
            # under RPS_POINTS (a classroom Service of a few pods keeps every bin)
            k = max(1, math.ceil(rps.size / RPS_POINTS))
            tk = tv
            if k > 1:
                keep = np.arange(tv.size - 1, -1, -k)[::-1]  # the newest bin always shown
                tk, rps = tv[keep], rps[keep]
            self._grouped(self.rps_plot, self.rps_curves, pods, tk, rps)
            self._set_top(self.rps_plot, float(np.nanmax(np.r_[rps.ravel(), 1.0])))
        if part in (None, 2):
            conn_pods, active, inactive = _pod_connections(series, vis)
            mine = [j for j, p in enumerate(conn_pods) if p in expected or p in where]
            conn_pods = [conn_pods[j] for j in mine]
            self._grouped(self.conn_plot, self.conn_curves, conn_pods, tv, active[:, mine])
            self._grouped(self.conn_plot, self.inact_curves, conn_pods, tv, inactive[:, mine], dashed=True)
            self.conn_note.setVisible(not mine)
            self._set_top(self.conn_plot, float(np.nanmax(np.r_[active[:, mine].ravel(), inactive[:, mine].ravel(), 1.0])))

    def _set_top(self, plot, top: float) -> None:
        """Y range 0..top with hysteresis: changed only when the data leaves 50-100 % of it."""
        current = self._ytop.get(id(plot))
        if current is None or top > current or top < current * 0.5:
            self._ytop[id(plot)] = new = max(1.0, top * 1.25)
            plot.setYRange(0, new, padding=0)

    def _update_bars(self, order, pods, where, shares, expected) -> None:
        xs = np.arange(len(order), dtype=float)
        h = np.array([shares[where[p]] if p in where else 0.0 for p in order])
        if order != self._bar_order:
            self._bar_order = order
            self._brushes = [pg.mkBrush(endpoint_style(self.colours.of(p))[0]) for p in order]
            self.share_plot.setXRange(-0.6, max(len(order) - 0.4, 0.6), padding=0)
            step = max(1, len(order) // 12)
            self.share_plot.getAxis("bottom").setTicks(
                [[(float(i), _short(p.name)) for i, p in enumerate(order) if i % step == 0]])
        self.bars.setOpts(x=xs, height=h, width=0.7, brushes=self._brushes, pen=self._bar_pen)
        ex = np.array([expected.get(p, 0.0) for p in order])
        self.expected.setData(np.repeat(xs, 2) + np.tile([-0.45, 0.45], len(order)), np.repeat(ex, 2))
        self.last_shares = {p: float(v) for p, v in zip(order, h)}
        self.last_expected = {p: float(v) for p, v in zip(order, ex)}

    def _grouped(self, plot, curves: dict, pods: list[ObjectRef], t: np.ndarray, y: np.ndarray,
                 dashed: bool = False) -> None:
        """One PlotDataItem per colour (at most 8): its pods' series joined with NaN gaps. pyqtgraph's
        per-item overhead, not the points, dominates with 100 pods."""
        key = tuple(self.colours.of(p) for p in pods)
        groups = self._groups.get(key)
        if groups is None:  # the same style indices: the same colour groups
            groups = {}
            for j, i in enumerate(key):
                groups.setdefault(endpoint_style(i)[0], []).append(j)
            if len(self._groups) > 8:
                self._groups.clear()
            self._groups[key] = groups
        for colour in list(curves):
            if colour not in groups:
                curves[colour].setData([], [])
        n = t.size
        width = 2 if len(pods) <= WIDE_PODS else 1
        for colour, cols in groups.items():
            curve = curves.get(colour)
            if curve is None or curve.opts["pen"].width() != width:
                pen = pg.mkPen(colour, width=width, style=pg.QtCore.Qt.PenStyle.DashLine) if dashed else \
                    _pen(colour, width)
                if curve is None:
                    curve = curves[colour] = plot.plot(pen=pen, skipFiniteCheck=True, connect="finite")
                else:
                    curve.setPen(pen)
            if n == 0:
                curve.setData([], [])
                continue
            xs = np.empty((len(cols), n + 1))
            ys = np.empty((len(cols), n + 1))
            xs[:, :n] = t
            xs[:, n] = np.nan
            ys[:, :n] = y[:, cols].T
            ys[:, n] = np.nan
            curve.setData(xs.ravel(), ys.ravel())

    def _update_drops(self, series, t: np.ndarray, vis: np.ndarray) -> None:
        if t.size == 0:
            return
        self._drop_top = 1.0
        _, sent, _delivered, dropped = series.throughput()
        if not np.any(dropped > 0) and not self.drop_curves:
            return
        for code, name in sorted(CODE_NAMES.items()):
            if code == 0:
                continue
            _, y = series.drops(code)
            if name not in self.drop_curves:
                if not np.any(y > 0):
                    continue
                colour = OKABE_ITO[(len(self.drop_curves) + 5) % len(OKABE_ITO)]
                self.drop_curves[name] = self.drop_plot.plot(pen=_pen(colour), skipFiniteCheck=True)
                if self.drop_plot.legend is None:
                    self.drop_plot.addLegend(offset=(4, 4), labelTextSize="9pt")
                self.drop_plot.legend.addItem(self.drop_curves[name], drop_reason_label(name))
            self.drop_curves[name].setData(t[vis], y[vis])
            self._drop_top = max(self._drop_top, float(np.max(y[vis])) if np.any(vis) else 0.0)

    def _clear_page(self) -> None:
        """No data (t = 0): empty bars, marks and curves (after Reset the old run's 5 bars and its curves
        stayed, HG under Xvfb)."""
        self.bars.setOpts(x=np.zeros(0), height=np.zeros(0))
        self.expected.setData(np.zeros(0), np.zeros(0))
        self.last_expected = {}
        self.last_shares = {}
        self._bar_order = []
        self.share_plot.getAxis("bottom").setTicks([[]])
        curves = list(self.rps_curves.values()) + list(self.conn_curves.values()) + list(self.inact_curves.values())
        curves += list(self.drop_curves.values()) + list(self.lat_curves)
        if self.fair_curve is not None:
            curves.append(self.fair_curve)
        for c in curves:
            c.setData(np.zeros(0), np.zeros(0))
        self._pods = []

    def reset(self) -> None:
        self.clear_markers_after(-1.0)
        for c in list(self.rps_curves.values()):
            self.rps_plot.removeItem(c)
        for c in list(self.conn_curves.values()) + list(self.inact_curves.values()):
            self.conn_plot.removeItem(c)
        self.rps_curves.clear()
        self.conn_curves.clear()
        self.inact_curves.clear()
        self._bar_order = []
        self._ytop.clear()
        self._last_t = -1.0


_COLS_CACHE: dict = {}


def _service_counts(series, service: ObjectRef) -> tuple[list[ObjectRef], np.ndarray]:
    """(pods, delivered requests per bin and pod) of ``service``: one pass over the series' columns
    (``ChartSeries.pod_counts`` when the core has it). The columns of each service are kept until the series
    gains or frees a column (comparing 2,000 keys every chart frame cost ~1 ms)."""
    if hasattr(series, "pod_counts"):
        return series.pod_counts(service)
    key = (len(series._col), len(getattr(series, "_free", ())), getattr(series, "complete", 0)
           // max(1, getattr(series, "capacity", 4) // 4))
    cached = _COLS_CACHE.get(id(series))
    if cached is None or cached[0] is not series or cached[1] != key:
        by_service: dict[ObjectRef, list] = {}
        for (s, p), c in series._col.items():
            by_service.setdefault(s, []).append((p, c))
        for cols in by_service.values():
            cols.sort(key=lambda pc: (pc[0].namespace, pc[0].name))
        cached = _COLS_CACHE[id(series)] = (series, key, {
            s: ([p for p, _ in cols], np.array([c for _, c in cols], dtype=np.intp)) for s, cols in by_service.items()})
        while len(_COLS_CACHE) > 4:
            _COLS_CACHE.pop(next(iter(_COLS_CACHE)))
    pods, idx = cached[2].get(service, ([], np.zeros(0, np.intp)))
    first, n = series._span()
    view = series._counts.view(first, n)
    return list(pods), view[:, idx]


def _pod_connections(series, vis: np.ndarray) -> tuple[list[ObjectRef], np.ndarray, np.ndarray]:
    """IPVS active connections per pod summed over nodes for the visible bins; the levels are read every
    ``connections_every`` s, so each bin carries the last reading forward (NaN before the first)."""
    keys = list(series._conn_col.items()) if hasattr(series, "_conn_col") else []
    if not keys:
        empty = np.zeros((int(vis.sum()), 0))
        return [], empty, empty
    first, n = series._span()
    v = series._conn.view(first, n)[vis]
    pods = sorted({k[1] for k, _ in keys}, key=lambda p: (p.namespace, p.name))
    index = {p: i for i, p in enumerate(pods)}
    outs = []
    rows = np.arange(v.shape[0])
    for offset in (0, 1):  # ActiveConn, InActConn
        out = np.zeros((v.shape[0], len(pods)))
        seen = np.zeros((v.shape[0], len(pods)), bool)
        for (_node, pod), col in keys:
            a = v[:, 2 * col + offset]
            ok = ~np.isnan(a)
            out[ok, index[pod]] += a[ok]
            seen[ok, index[pod]] = True
        for j in range(len(pods)):
            idx = np.where(seen[:, j], rows, -1)
            np.maximum.accumulate(idx, out=idx)
            out[:, j] = np.where(idx >= 0, out[np.maximum(idx, 0), j], np.nan)
        outs.append(out)
    return pods, outs[0], outs[1]


def _nan_smooth(y: np.ndarray, k: int) -> np.ndarray:
    """Moving average over ``k`` bins ignoring NaN (NaN where the whole window is NaN)."""
    if y.size == 0:
        return y
    ok = ~np.isnan(y)
    c = np.cumsum(np.r_[0.0, np.where(ok, y, 0.0)])
    m = np.cumsum(np.r_[0, ok.astype(np.int64)])
    lo = np.maximum(np.arange(1, y.size + 1) - k, 0)
    hi = np.arange(1, y.size + 1)
    cnt = m[hi] - m[lo]
    return np.divide(c[hi] - c[lo], cnt, out=np.full(y.size, np.nan), where=cnt > 0)


def _smooth(y: np.ndarray, k: int = 5) -> np.ndarray:
    """Moving average over ``k`` bins along the first axis (rows shorter than ``k``: unchanged)."""
    if y.shape[0] < k:
        return y
    c = np.cumsum(np.concatenate([np.zeros((k,) + y.shape[1:]), y]), axis=0)
    return (c[k:] - c[:-k]) / k


def _short(name: str) -> str:
    return name if len(name) <= 10 else "…" + name[-6:]
