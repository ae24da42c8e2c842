"""Compare mode: the same scenario and traffic under two configurations, side by side, in lock-step, with
their charts overlaid (A solid blue, B dashed orange — colour *and* line style tell them apart).

A configuration is a named change of the model before it runs — kube-proxy mode and IPVS scheduler,
``externalTrafficPolicy`` of every NodePort/LoadBalancer Service, or the timing preset. Both runs are plain
core Simulations of the same file and seed stepped by the same ticks, so any difference on screen comes from
the configuration alone. ``CompareRun`` is Qt-free bookkeeping (tested headless); ``CompareWindow`` shows it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.engine import Simulation
from core.metrics import jain_index
from core.model import IPVS_SCHEDULERS, ClusterModel, Timing
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.style import LIGHT, OKABE_ITO

WINDOW_S = 5.0  # moving window of the rate and fairness curves
COLOUR_A, COLOUR_B = OKABE_ITO[4], OKABE_ITO[5]  # blue, vermillion


@dataclass(frozen=True)
class Variant:
    key: str
    label: str  # mode and scheduler names are the same in both languages; the rest is translated on show
    change: Callable[[ClusterModel], None]


def _proxy(mode: str, scheduler: str = "rr") -> Callable[[ClusterModel], None]:
    def change(m: ClusterModel) -> None:
        m.proxy = replace(m.proxy, mode=mode, ipvs_scheduler=scheduler)
    return change


def _etp(policy: str) -> Callable[[ClusterModel], None]:
    def change(m: ClusterModel) -> None:
        for s in m.services:
            if s.type in ("NodePort", "LoadBalancer"):
                s.external_traffic_policy = policy  # type: ignore[assignment]
    return change


def _preset(name: str) -> Callable[[ClusterModel], None]:
    def change(m: ClusterModel) -> None:
        m.simulation = replace(m.simulation, preset=name, timing=Timing.preset(name))
    return change


VARIANTS: dict[str, Variant] = {v.key: v for v in [
    Variant("as-is", QT_TRANSLATE_NOOP("CompareWindow", "as in the file"), lambda m: None),
    Variant("iptables", "iptables", _proxy("iptables")),
    Variant("nftables", "nftables", _proxy("nftables")),
    *(Variant(f"ipvs-{s}", f"IPVS {s}", _proxy("ipvs", s)) for s in IPVS_SCHEDULERS),
    Variant("etp-cluster", "externalTrafficPolicy: Cluster", _etp("Cluster")),
    Variant("etp-local", "externalTrafficPolicy: Local", _etp("Local")),
    Variant("realistic", QT_TRANSLATE_NOOP("CompareWindow", "realistic timings"), _preset("realistic")),
    Variant("classroom", QT_TRANSLATE_NOOP("CompareWindow", "classroom timings"), _preset("classroom")),
]}


def apply_variant(model: ClusterModel, key: str) -> ClusterModel:
    """A copy of ``model`` with the variant applied (the original is not touched)."""
    if key not in VARIANTS:
        raise ValueError(f"unknown configuration {key!r}; allowed: {', '.join(VARIANTS)}")
    m = copy.deepcopy(model)
    VARIANTS[key].change(m)
    return m


class Side:
    """One of the two runs and its per-tick figures."""

    def __init__(self, model: ClusterModel, key: str):
        self.key = key
        self.model = apply_variant(model, key)
        self.sim = Simulation(self.model)
        self.t: list[float] = []
        self.sent: list[int] = []
        self.delivered: list[int] = []
        self.dropped: list[int] = []
        self.lat_sum: list[float] = []  # per tick: sum and count of the answered requests' latencies
        self.lat_n: list[int] = []
        self.pods: list[dict[str, int]] = []

    def step(self, dt: float) -> None:
        tick = self.sim.step(dt)
        tr = tick.traffic
        self.t.append(tick.time)
        if tr is None:
            self.sent.append(0)
            self.delivered.append(0)
            self.dropped.append(0)
            self.lat_sum.append(0.0)
            self.lat_n.append(0)
            self.pods.append({})
            return
        self.sent.append(tr.sent)
        self.delivered.append(tr.delivered)
        self.dropped.append(tr.sent - tr.delivered)
        self.lat_sum.append(float(np.sum(tr.latencies_ms)))
        self.lat_n.append(len(tr.latencies_ms))
        per: dict[str, int] = {}
        for key, n in tr.endpoint_counts.items():
            per[key[1]] = per.get(key[1], 0) + n
        self.pods.append(per)

    def series(self, tick: float) -> dict[str, np.ndarray]:
        """Moving-window curves: answered/s, dropped/s, mean latency (ms), Jain's fairness over the pods."""
        n = max(1, round(WINDOW_S / tick))
        t = np.asarray(self.t)
        kernel = np.ones(n)

        def window_sum(values: list) -> np.ndarray:
            v = np.asarray(values, dtype=float)
            return np.convolve(v, kernel)[: len(v)] if v.size else v

        def rate(values: list[int]) -> np.ndarray:
            v = window_sum(values)
            return v / (np.minimum(np.arange(1, len(v) + 1), n) * tick) if v.size else v

        lat_n = window_sum(self.lat_n)
        with np.errstate(invalid="ignore", divide="ignore"):
            latency = np.where(lat_n > 0, window_sum(self.lat_sum) / np.maximum(lat_n, 1), np.nan)

        fair = []
        for i in range(len(self.pods)):
            total: dict[str, int] = {}
            for per in self.pods[max(0, i - n + 1): i + 1]:
                for pod, c in per.items():
                    total[pod] = total.get(pod, 0) + c
            fair.append(jain_index(np.asarray(list(total.values()))) if total else float("nan"))
        return {"t": t, "answered": rate(self.delivered), "dropped": rate(self.dropped),
                "latency": latency, "fairness": np.asarray(fair)}


class CompareRun:
    """Two runs of one scenario in lock-step."""

    def __init__(self, model: ClusterModel, a: str, b: str):
        self.model = model
        self.tick = float(model.simulation.tick)
        self.a = Side(model, a)
        self.b = Side(model, b)

    @property
    def time(self) -> float:
        return self.a.sim.time

    def step(self, dt: float | None = None) -> None:
        dt = self.tick if dt is None else dt
        self.a.step(dt)
        self.b.step(dt)

    def run_to(self, t: float) -> None:
        while self.time < t - 1e-9:
            self.step(min(self.tick, t - self.time))

    def summary(self) -> dict[str, dict[str, float]]:
        """Totals per side: requests, answered, dropped, mean latency, fairness over the whole run."""
        out = {}
        for name, side in (("a", self.a), ("b", self.b)):
            totals: dict[str, int] = {}
            for per in side.pods:
                for pod, c in per.items():
                    totals[pod] = totals.get(pod, 0) + c
            n = sum(side.lat_n)
            out[name] = {"sent": float(sum(side.sent)), "answered": float(sum(side.delivered)),
                         "dropped": float(sum(side.dropped)),
                         "latency_mean": sum(side.lat_sum) / n if n else float("nan"),
                         "fairness": jain_index(np.asarray(list(totals.values()))) if totals else float("nan")}
        return out


class ClusterPicture(QWidget):
    """A read-only picture of one run's cluster (the canvas's own layout and renderer), fitted to the widget."""

    def __init__(self, objects: list[dict], parent: QWidget | None = None):
        super().__init__(parent)
        self.objects = objects
        self.side: Side | None = None
        self.setMinimumSize(320, 200)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(LIGHT.background))
        if self.side is None:
            return
        from desktop.canvas.picture import build_picture  # noqa: PLC0415
        from desktop.canvas.render import Renderer  # noqa: PLC0415

        pic = build_picture(self.objects, self.side.model, self.side.sim.state)
        bounds = pic.bounds if not pic.bounds.isEmpty() else QRectF(0, 0, 800, 600)
        scale = min(self.width() / bounds.width(), self.height() / bounds.height())
        p.translate((self.width() - bounds.width() * scale) / 2, (self.height() - bounds.height() * scale) / 2)
        p.scale(scale, scale)
        p.translate(-bounds.topLeft())
        Renderer(LIGHT).draw(p, pic, bounds, scale)
        p.end()


class CompareWindow(QWidget):
    """Compare mode: two configurations of the open scenario, side by side, charts overlaid."""

    closed = Signal()

    def __init__(self, model: ClusterModel, objects: list[dict], parent: QWidget | None = None,
                 a: str = "iptables", b: str = "ipvs-lc"):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compare-window")
        self.model = model
        self.objects = objects
        self.speed = 2.0
        self.combo_a, self.combo_b = QComboBox(), QComboBox()
        for combo, key in ((self.combo_a, a), (self.combo_b, b)):
            for k, v in VARIANTS.items():
                combo.addItem(v.label, k)
            combo.setCurrentIndex(list(VARIANTS).index(key))
            combo.currentIndexChanged.connect(self.reset)
        self.play_button = QPushButton()
        self.play_button.clicked.connect(self.toggle)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset)
        self.time_label = QLabel()
        self.label_a, self.label_b = QLabel(), QLabel()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.pic_a, self.pic_b = ClusterPicture(objects), ClusterPicture(objects)
        top = QHBoxLayout()
        for w in (self.label_a, self.combo_a, self.label_b, self.combo_b, self.play_button, self.reset_button,
                  self.time_label):
            top.addWidget(w)
        top.addStretch(1)
        pictures = QHBoxLayout()
        pictures.addWidget(self.pic_a)
        pictures.addWidget(self.pic_b)
        self.plots = self._make_plots()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(pictures, 3)
        layout.addWidget(self.plots_widget, 2)
        layout.addWidget(self.summary_label)
        self.timer = QTimer(self)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._on_timer)
        self.run: CompareRun | None = None
        self.retranslate()
        self.reset()
        self.resize(1280, 800)

    def _make_plots(self) -> dict:
        import pyqtgraph as pg  # noqa: PLC0415  (only when compare mode opens)

        self.plots_widget = QWidget()
        grid = QGridLayout(self.plots_widget)
        plots = {}
        for i, key in enumerate(("answered", "dropped", "latency", "fairness")):
            pw = pg.PlotWidget(background="w")
            pw.setMinimumHeight(120)
            pw.showGrid(x=True, y=True, alpha=0.25)
            a = pw.plot(pen=pg.mkPen(COLOUR_A, width=2), skipFiniteCheck=True)
            b = pw.plot(pen=pg.mkPen(COLOUR_B, width=2, style=Qt.PenStyle.DashLine), skipFiniteCheck=True)
            grid.addWidget(pw, i // 2, i % 2)
            plots[key] = (pw, a, b)
        return plots

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Compare two configurations"))
        self.label_a.setText(self.tr("A (solid):"))
        self.label_b.setText(self.tr("B (dashed):"))
        self.reset_button.setText(self.tr("Reset"))
        self.play_button.setText(self.tr("Pause") if self.timer.isActive() else self.tr("Play"))
        titles = {"answered": self.tr("Answered requests/s"), "dropped": self.tr("Dropped requests/s"),
                  "latency": self.tr("Mean latency (ms, last 5 s)"),
                  "fairness": self.tr("Fairness over the pods (Jain, last 5 s)")}
        for key, (pw, _a, _b) in self.plots.items():
            pw.setTitle(titles[key])
        for combo in (self.combo_a, self.combo_b):
            for i in range(combo.count()):
                combo.setItemText(i, self.tr(VARIANTS[combo.itemData(i)].label))
        self.pic_a.update()  # the pictures' words (node states, "Deployment · 3/3 ready") in the new language
        self.pic_b.update()
        self._refresh_text()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keys(self) -> tuple[str, str]:
        return self.combo_a.currentData(), self.combo_b.currentData()

    def reset(self) -> None:
        a, b = self.keys()
        self.run = CompareRun(self.model, a, b)
        self.pic_a.side, self.pic_b.side = self.run.a, self.run.b
        self._redraw()

    def toggle(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
        else:
            self.timer.start()
        self.retranslate()

    def advance(self, seconds: float) -> None:
        assert self.run is not None
        self.run.run_to(self.run.time + seconds)
        self._redraw()

    def _on_timer(self) -> None:
        self.advance(self.speed * self.timer.interval() / 1000.0)

    def _redraw(self) -> None:
        run = self.run
        if run is None:
            return
        sa, sb = run.a.series(run.tick), run.b.series(run.tick)
        for key, (_pw, ca, cb) in self.plots.items():
            ca.setData(sa["t"], sa[key])
            cb.setData(sb["t"], sb[key])
        self.pic_a.update()
        self.pic_b.update()
        self._refresh_text()

    def _refresh_text(self) -> None:
        if self.run is None:
            return
        self.time_label.setText(self.tr("t = {0} s").format(f"{self.run.time:.1f}"))
        s = self.run.summary()
        parts = []
        for name, label in (("a", "A"), ("b", "B")):
            x = s[name]
            lat = "–" if np.isnan(x["latency_mean"]) else f"{x['latency_mean']:.3f}"
            fair = "–" if np.isnan(x["fairness"]) else f"{x['fairness']:.3f}"
            parts.append(self.tr("{0}: {1} answered, {2} dropped, mean latency {3} ms, fairness {4}").format(
                label, int(x["answered"]), int(x["dropped"]), lat, fair))
        self.summary_label.setText("    ".join(parts))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.timer.stop()
        self.closed.emit()
        super().closeEvent(event)
