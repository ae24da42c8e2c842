"""The live view's controls: the Simulation toolbar and menu (play, pause, step, step back, reset, speed,
realtime / step-by-step, time readout and slider), the live-actions toolbar (kube-proxy mode, IPVS
scheduler, pod scheduler, time preset) and the canvas's right-click actions per kind."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QSlider, QWidget

from core.control.scheduler import SCORING_STRATEGIES, STRATEGIES
from core.model import IPVS_SCHEDULERS, ObjectRef
from desktop.live.driver import SPEEDS
from desktop.style import DARK, LIGHT

PROXY_MODES = ("iptables", "ipvs", "nftables")
SLIDER_MIN_SPAN = 120.0  # seconds the time slider covers at least
# the time slider's colours on a light and on a dark toolbar: (time still to come, its outline, time played =
# the canvas's selection colour, handle, handle's outline, disabled handle); each at least 3:1 against the
# toolbar (WCAG's contrast for controls)
SLIDER_COLOURS = {
    False: ("#A7B0B9", "#5B6770", LIGHT.selection, "#FFFFFF", "#3E4850", "#E4E7EA"),
    True: ("#5F6873", "#A0A8B0", DARK.selection, "#F2F2F2", "#F2F2F2", "#8A939C"),
}


def time_slider_style(dark: bool) -> str:
    rest, outline, played, handle, handle_line, off = SLIDER_COLOURS[dark]
    return f"""
QSlider::groove:horizontal {{ height: 6px; margin: 0 1px; border-radius: 4px; border: 1px solid {outline};
    background: {rest}; }}
QSlider::sub-page:horizontal {{ border-radius: 4px; border: 1px solid {played}; background: {played}; }}
QSlider::add-page:horizontal {{ border-radius: 4px; border: 1px solid {outline}; background: {rest}; }}
QSlider::handle:horizontal {{ width: 12px; margin: -5px 0; border-radius: 8px; border: 2px solid {handle_line};
    background: {handle}; }}
QSlider::handle:horizontal:hover, QSlider::handle:horizontal:pressed {{ background: {played}; }}
QSlider::sub-page:horizontal:disabled {{ border-color: {outline}; background: {rest}; }}
QSlider::handle:horizontal:disabled {{ border-color: {outline}; background: {off}; }}
"""


class TimeSlider(QSlider):
    """The time slider, drawn to be seen on a light and on a dark toolbar, paused or playing: Fusion's own
    groove and handle are shades of the window colour, next to invisible on a dark one (a user test: "where is
    the slider when paused?"). Restyled when what it is drawn on (the toolbar) turns dark or light: a widget
    with a style sheet is not told of the application's palette changes itself, so it watches its parent."""

    def __init__(self):
        super().__init__(Qt.Orientation.Horizontal)
        self.dark: bool | None = None
        self._watched: QWidget | None = None
        self._restyle()

    def _restyle(self) -> None:
        parent = self.parentWidget()
        palette = parent.palette() if parent is not None else QApplication.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        if dark != self.dark:
            self.dark = dark
            self.setStyleSheet(time_slider_style(dark))

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.ParentChange:
            if self._watched is not None and shiboken6.isValid(self._watched):
                self._watched.removeEventFilter(self)
            self._watched = self.parentWidget()
            if self._watched is not None:
                self._watched.installEventFilter(self)
            self._restyle()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self._watched and event.type() in (QEvent.Type.PaletteChange,
                                                     QEvent.Type.ApplicationPaletteChange):
            QTimer.singleShot(0, self, self._restyle)  # once the parent has its new palette
        return False


class LiveControls(QObject):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        w = view.window
        bar = w.toolbar("simulation", self.tr("Simulation"))
        menu = w.menu("simulation")
        self.play_action = self._action(self.tr("&Play"), "Space", self.tr("Play / pause the simulation"),
                                        lambda: self.driver and self.driver.toggle())
        self.step_action = self._action(self.tr("&Step"), "Right", self.tr("One tick (step-by-step: one event)"),
                                        lambda: self.driver and self.driver.step())
        self.back_action = self._action(self.tr("Step &back"), "Left", self.tr("Back one tick (step-by-step: one event)"),
                                        lambda: self.driver and self.driver.step_back())
        self.reset_action = self._action(self.tr("&Reset"), "Ctrl+R", self.tr("Back to t = 0 without the live actions"),
                                         lambda: self.driver and self.driver.reset())
        self.save_timeline_action = self._action(self.tr("Save as &timeline"), None,
                                                 self.tr("Write the live actions into the scenario as a Timeline"),
                                                 view.save_as_timeline)
        for a in (self.play_action, self.step_action, self.back_action, self.reset_action):
            bar.addAction(a)
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction(self.save_timeline_action)
        self.speed_box = QComboBox()
        for s in SPEEDS:
            self.speed_box.addItem(f"{s:g}×", s)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setToolTip(self.tr("Simulation speed"))
        self.speed_box.currentIndexChanged.connect(lambda i: self.driver and self.driver.set_speed(SPEEDS[i]))
        self.mode_box = QComboBox()
        self.mode_box.addItem(self.tr("Realtime"), "realtime")
        self.mode_box.addItem(self.tr("Step by step"), "step")
        self.mode_box.setToolTip(self.tr("Realtime: traffic flows; step by step: one packet event at a time"))
        self.mode_box.currentIndexChanged.connect(self._on_mode)
        self.time_label = QLabel()
        self.time_label.setMinimumWidth(110)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        f = self.time_label.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.25)
        self.time_label.setFont(f)
        self.slider = TimeSlider()
        self.slider.setMinimumWidth(160)
        self.slider.setToolTip(self.tr("Drag to go to any simulated time"))
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.slider.sliderMoved.connect(lambda v: self.time_label.setText(self._fmt(v * self._slider_unit())))
        bar.addWidget(self.speed_box)
        bar.addWidget(self.mode_box)
        bar.addWidget(self.time_label)
        # Play and Pause take the same width: at 1280 px the row is full, and "Pause" pushed the time slider
        # into the toolbar's » menu while the other buttons widened (HG saw it under Xvfb)
        play = bar.widgetForAction(self.play_action)
        if play is not None:
            hints = []
            for text in (self.tr("&Pause"), self.tr("&Play")):
                self.play_action.setText(text)
                hints.append(play.sizeHint().width())
            play.setMinimumWidth(max(hints))
        # live actions
        abar = w.toolbar("live-actions", self.tr("Live actions"))
        w.insertToolBarBreak(abar)  # its own row: on a 1280-pixel projector one row cannot hold both
        self.proxy_box = self._combo(abar, self.tr("kube-proxy:"), PROXY_MODES, self._on_proxy_mode)
        self.ipvs_box = self._combo(abar, self.tr("IPVS:"), IPVS_SCHEDULERS, self._on_ipvs)
        self.sched_box = self._combo(abar, self.tr("Scheduler:"), STRATEGIES + SCORING_STRATEGIES, self._on_sched)
        self.preset_box = self._combo(abar, self.tr("Timing:"), ("realistic", "classroom"), self._on_preset)
        # the time slider and Save as timeline on this row, which has room for them at 1280 px (on the first
        # row the slider was ~150 px and Save as timeline was in the » menu)
        abar.addSeparator()
        abar.addWidget(self.slider)
        abar.addAction(self.save_timeline_action)
        self._syncing = False
        self._shown: tuple | None = None  # what the four boxes show (``in_force`` when they were synced)
        self._palette_t = 0.0  # the run's time last shown (_follow_palette)

    # -- helpers ----------------------------------------------------------------------------------------------
    @property
    def driver(self):
        return self.view.driver

    def _action(self, text: str, shortcut: str | None, tip: str, slot) -> QAction:
        a = QAction(text, self.view.window)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        a.setToolTip(tip)
        a.setStatusTip(tip)
        a.triggered.connect(lambda _checked=False: slot())
        return a

    def _combo(self, bar, label: str, values, slot) -> QComboBox:
        bar.addWidget(QLabel(" " + label + " "))
        box = QComboBox()
        for v in values:
            box.addItem(v, v)
        box.currentIndexChanged.connect(lambda _i: None if self._syncing else slot(box.currentData()))
        bar.addWidget(box)
        return box

    def set_enabled(self, on: bool) -> None:
        for a in (self.play_action, self.step_action, self.back_action, self.reset_action, self.save_timeline_action):
            a.setEnabled(on)
        for wdg in (self.speed_box, self.mode_box, self.slider, self.proxy_box, self.ipvs_box, self.sched_box,
                    self.preset_box):
            wdg.setEnabled(on)

    def in_force(self) -> tuple[str, str, str, str] | None:
        """(kube-proxy mode, IPVS scheduler, pod scheduler strategy, timing preset) the run has now -- set by
        the scenario, a Timeline event, a lesson or the toolbar."""
        run = self.view.run
        if run is None:
            return None
        state = run.state
        sched = state.scheduler_config.strategy
        if sched == "kube-scheduler":
            sched = getattr(state.scheduler_config, "scoring_strategy", "kube-scheduler")
        return state.proxy_config.mode, state.proxy_config.ipvs_scheduler, sched, _preset_in_force(run)

    def follow_run(self, markers: bool = True) -> None:
        """Show the settings in force when they changed by other means than these boxes (cheap: per frame);
        a mode switch gets its marker on the charts, as one made from the toolbar does."""
        now = self.in_force()
        if now is None or now == self._shown:
            return
        before = self._shown
        self.sync_from_run()
        charts = self.view.charts
        if charts is None or before is None or not markers:
            return
        t = self.view.run.time
        if now[0] != before[0]:
            charts.add_marker(t, self.marker_text("setProxyMode", now[0]))
        elif now[0] == "ipvs" and now[1] != before[1]:
            charts.add_marker(t, self.marker_text("setIPVSScheduler", now[1]))

    def marker_text(self, action: str, value) -> str:
        """A chart marker's label for a mode switch ("mode ipvs", "IPVS lc")."""
        if action == "setProxyMode":
            return self.tr("mode {0}").format(value)
        return self.tr("IPVS {0}").format(value)

    def sync_from_run(self) -> None:
        """Set the boxes to the settings in force, without applying anything."""
        now = self.in_force()
        if now is None:
            return
        self._syncing = True
        try:
            for box, value in zip((self.proxy_box, self.ipvs_box, self.sched_box, self.preset_box), now):
                i = box.findData(value)
                if i >= 0:
                    box.setCurrentIndex(i)
            self.ipvs_box.setEnabled(now[0] == "ipvs" and self.proxy_box.isEnabled())
        finally:
            self._syncing = False
        self._shown = now
        self.refresh()

    @staticmethod
    def _fmt(t: float) -> str:
        m, s = divmod(max(t, 0.0), 60.0)
        return f"t = {int(m)}:{s:04.1f}"

    def _slider_unit(self) -> float:
        return self.view.run.tick if self.view.run is not None else 0.1

    # -- refresh ------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        run = self.view.run
        if run is None:
            return
        self.time_label.setText(self._fmt(run.time) + self._pace_text())
        if not self.slider.isSliderDown():
            unit = self._slider_unit()
            span = max(SLIDER_MIN_SPAN, run.time * 1.25)
            self.slider.setRange(0, int(round(span / unit)))
            self.slider.setValue(int(round(run.time / unit)))
        self.play_action.setText(self.tr("&Pause") if self.driver and self.driver.playing else self.tr("&Play"))
        self._follow_palette(run.time)

    def on_time_changed(self, t: float) -> None:
        self.time_label.setText(self._fmt(t) + self._pace_text())
        self._follow_palette(t)

    def _follow_palette(self, t: float) -> None:
        """The palette is a strip of icons while the run is under way (playing, or paused past t = 0) and
        has its labels at t = 0, where editing starts (MainWindow.set_palette_compact)."""
        self._palette_t = t
        compact = getattr(self.view.window, "set_palette_compact", None)
        if compact is not None:
            compact(t > 0 or bool(self.driver and self.driver.playing))

    def _pace_text(self) -> str:
        """`` (≈24×)`` beside the time when playing delivers under 80 % of the chosen speed (a slow or busy
        machine: the run slows down rather than freezes), else nothing."""
        d = self.driver
        achieved = d.achieved_speed if d is not None and d.playing else None
        if achieved is None or achieved >= 0.8 * d.speed:
            return ""
        return f" (≈{achieved:.2g}×)" if achieved < 10 else f" (≈{achieved:.0f}×)"

    def on_playing_changed(self, playing: bool) -> None:
        self.play_action.setText(self.tr("&Pause") if playing else self.tr("&Play"))
        self._follow_palette(self._palette_t)  # (the run is not read here: a worker may be stepping it)

    def _on_slider_released(self) -> None:
        if self.driver is not None:
            self.driver.seek(self.slider.value() * self._slider_unit())

    def _on_mode(self, _i: int) -> None:
        if self.driver is not None:
            self.driver.set_mode(self.mode_box.currentData())
            self.view.feed.clear()  # realtime packets run on the wall clock, step-by-step ones on simulated time
            if self.mode_box.currentData() == "step":
                self.view.events.set_kind("")
                self.view.window.docks["live-events"].raise_()

    # -- live actions -------------------------------------------------------------------------------------------
    def _on_proxy_mode(self, mode: str) -> None:
        if self.view.apply("setProxyMode", "", mode):
            self.ipvs_box.setEnabled(mode == "ipvs")
            if self.view.charts is not None:
                self.view.charts.add_marker(self.view.run.time, self.marker_text("setProxyMode", mode))
        self.sync_from_run()

    def _on_ipvs(self, scheduler: str) -> None:
        if self.view.apply("setIPVSScheduler", "", scheduler) and self.view.charts is not None:
            self.view.charts.add_marker(self.view.run.time, self.marker_text("setIPVSScheduler", scheduler))
        self.sync_from_run()

    def _on_sched(self, strategy: str) -> None:
        self.view.apply("setScheduler", "", strategy)
        self.sync_from_run()

    def _on_preset(self, preset: str) -> None:
        self.view.apply("setTimingPreset", "", preset)
        self.sync_from_run()

    # -- context menu -------------------------------------------------------------------------------------------
    def context_actions(self, ref) -> list[QAction]:
        """Right-click actions for a canvas object (the scene's ``context_actions_provider``)."""
        view = self.view
        run = view.run
        if run is None:
            return []
        if isinstance(ref, tuple) and not isinstance(ref, ObjectRef):
            ref = ObjectRef("Pod", ref[0], ref[1])
        if not isinstance(ref, ObjectRef):
            return []
        out: list[QAction] = []

        def add(text: str, action: str, target: str, value=None) -> None:
            a = QAction(text, view.window)
            a.triggered.connect(lambda _c=False: view.apply(action, target, value))
            out.append(a)

        if ref.kind == "Node" and ref.name in run.state.nodes:
            node = run.state.nodes[ref.name]
            if node.up:
                add(self.tr("Fail node {0}").format(ref.name), "failNode", ref.name)
            else:
                add(self.tr("Recover node {0}").format(ref.name), "recoverNode", ref.name)
            if node.unschedulable:
                add(self.tr("Uncordon {0}").format(ref.name), "uncordon", ref.name)
            else:
                add(self.tr("Cordon {0}").format(ref.name), "cordon", ref.name)
            add(self.tr("Drain {0}").format(ref.name), "drain", ref.name)
        elif ref.kind == "Pod" and (ref.namespace, ref.name) in run.state.pods:
            add(self.tr("Delete pod {0}").format(ref.name), "deletePod", f"{ref.namespace}/{ref.name}")
            a = QAction(self.tr("Show placement scores"), view.window)
            a.triggered.connect(lambda _c=False: view.placement.show_placement(
                f"{ref.namespace}/{ref.name}", run.placement(ref)) or view.window.docks["live-placement"].raise_())
            out.append(a)
        elif ref.kind in ("Deployment", "StatefulSet", "ReplicaSet"):
            target = f"{ref.namespace}/{ref.name}"
            current = sum(1 for p in run.state.pods.values()
                          if p.owner and p.owner[2].startswith(ref.name) and not p.terminating)
            a = QAction(self.tr("Set replicas of {0}…").format(ref.name), view.window)
            a.triggered.connect(lambda _c=False: view.ask_replicas(target, current))
            out.append(a)
        elif ref.kind == "Service":
            spec = next((s for s in run.sim.model.services if s.namespace == ref.namespace and s.name == ref.name),
                        None)
            if spec is not None and spec.type != "ExternalName" and spec.cluster_ip != "None":
                for kind in ("ClusterIP", "NodePort", "LoadBalancer"):
                    if kind != spec.type:
                        out.append(self._edit_action(self.tr("Make it type {0}").format(kind), ref, "spec.type", kind))
                for field, label in (("spec.externalTrafficPolicy", "externalTrafficPolicy"),
                                     ("spec.internalTrafficPolicy", "internalTrafficPolicy")):
                    if field.endswith("externalTrafficPolicy") and spec.type == "ClusterIP":
                        continue
                    current = getattr(spec, "external_traffic_policy" if "external" in field
                                      else "internal_traffic_policy", "Cluster")
                    other = "Local" if current != "Local" else "Cluster"
                    out.append(self._edit_action(self.tr("{0}: {1}").format(label, other), ref, field, other))
        return out

    def _edit_action(self, text: str, ref: ObjectRef, path: str, value) -> QAction:
        """A document edit (one undo step) that the running simulation then follows."""
        view = self.view
        a = QAction(text, view.window)

        def run_edit() -> None:
            editor = getattr(view.window, "editor", None)
            if editor is None:
                from desktop.editor.editor import Editor  # noqa: PLC0415

                editor = Editor(view.window.session, view)
            try:
                editor.set_field(ref, path, value, self.tr("Set {0} to {1}").format(path, value))
            except ValueError as exc:
                view.window.statusBar().showMessage(str(exc), 8000)

        a.triggered.connect(lambda _c=False: run_edit())
        return a


def _preset_in_force(run) -> str:
    """The timing preset whose delays the control plane uses now (a setTimingPreset event switches them); a
    scenario's own delays that match no preset keep its named preset."""
    from core.model import Timing  # noqa: PLC0415

    timing = run.sim.timing
    for name in ("classroom", "realistic"):
        if timing == Timing.preset(name):
            return name
    return run.sim.model.simulation.preset
