"""The live view: the driver, the packet layer on the canvas, the panels and charts, wired to the main window.

Created after the window's first paint (``desktop.live.install``). Follows the session: a new document
builds a new run. Uses the window's extension API only (menus, toolbars, docks, selection) and the canvas
scene's live contract (``apply_cluster_state``, ``anchor``, ``context_actions_provider``).
"""

from __future__ import annotations

import math
import time

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox

from core.model import ObjectRef
from desktop.canvas.packets import PacketLayer
from desktop.canvas.picture import NODE_HEADER, proxy_lags
from desktop.canvas.render import BODY_PX, MIN_TEXT_PX
from desktop.live.adapter import LiveRun, frame_events, hop_is_dnat
from desktop.live.controls import LiveControls
from desktop.live.driver import LiveDriver
from desktop.live.feed import PacketFeed, PodColours
from desktop.panels.events import EventsPanel
from desktop.panels.legend import LegendOverlay
from desktop.panels.placement import PlacementPanel
from desktop.panels.rules import RulesPanel
from desktop.panels.trace import TracePanel

CHART_INTERVAL_S = 0.1  # charts redraw at most 10 times a second (the simulation steps at 20 Hz)
ZONE_NAME_W, ZONE_NAME_H = 220.0, 26.0  # scene units a zone's name takes at its top left (and beside its bar)
WIDEN_TICKS = 30  # paint ticks after start in which the right column may take the canvas's spare width
LEGEND_MOST = 0.16  # of the canvas's height the legend strip may take (it is drawn smaller rather than taller)
STATE_REFRESH_S = 1.0  # at most this often the canvas re-lays out for a changed cluster state


def obstacle_rects(pic) -> np.ndarray:
    """Where the canvas has text (captions and notes are placed off it): each node's header (name, IP,
    podCIDR, state), every pod, every other box (Services, LBs, clients, workloads, ingresses, traffic
    labels) and each zone's name, as (left, top, right, bottom, least scale) rows. Pure: the worker computes
    it with a picture it builds."""
    rects = []
    for box in pic.boxes.values():
        r = box.rect
        if box.kind == "node":
            rects.append((r.left(), r.top(), r.right(), r.top() + min(NODE_HEADER, r.height())))
        elif box.kind != "zone":
            rects.append((r.left(), r.top(), r.right(), r.bottom()))
    for pod in pic.pods.values():
        r = pod.rect
        rects.append((r.left(), r.top(), r.right(), r.bottom()))
    for z in getattr(pic, "zones", ()):
        r = z.rect  # the zone's bar; its name beside the bar's top, or (stacked zones) up the bar
        if z.status == "stacked":
            rects.append((r.left() - ZONE_NAME_H, r.top(), r.left() + 8, r.bottom()))
        # the name at the top is drawn only where readable (the renderer's least size)
        rects.append((r.left(), r.top(), r.left() + ZONE_NAME_W, r.top() + ZONE_NAME_H, MIN_TEXT_PX / BODY_PX))
    return np.array([r if len(r) == 5 else (*r, 0.0) for r in rects], float).reshape(-1, 5)


class LiveView(QObject):
    """Signals: ``rebuilt()`` — a new run (and driver) replaced the old one (a document was opened)."""

    rebuilt = Signal()

    def __init__(self, window, *, charts: bool = True):
        super().__init__(window)
        self.window = window
        self.run: LiveRun | None = None
        self.seed: int | None = None  # None: the scenario's seed
        self.driver: LiveDriver | None = None
        self.colours = PodColours()
        self.layer = PacketLayer()
        window.scene.addItem(self.layer)
        self.layer.packet_clicked.connect(self._on_packet_clicked)
        self.feed = PacketFeed(self.layer, self.resolve, self.colours)
        self.selected_packet = None
        self.selected_hop: int | None = None
        self._state_version = -1
        self._state_shown_at = 0.0
        self._obstacles: list | None = None  # caption obstacles of the picture being installed (built with it)
        self._charts_due = True
        self._charts_at = 0.0
        self._chart_part = 0
        self._rules_key = None
        self._own_edit = False
        self._listed_now: set = set()  # control-plane events _fill_events listed at the current time
        self._notes_at = 0.0
        # the default arrangement (not a restored one): the right column may take the canvas's spare width
        self._widen_due = 0 if getattr(window, "_layout_restored", True) else WIDEN_TICKS
        # panels
        self.rules = RulesPanel()
        self.trace = TracePanel()
        self.events = EventsPanel()
        self.placement = PlacementPanel()
        self.rules.node_chosen.connect(lambda _n: self.refresh_rules())
        self.events.event_activated.connect(self._on_event_activated)
        window.add_dock("live-trace", self.tr("Packet trace"), self.trace, Qt.DockWidgetArea.BottomDockWidgetArea,
                        tabify_with="problems" if "problems" in window.docks else None)
        window.add_dock("live-events", self.tr("Events"), self.events, Qt.DockWidgetArea.RightDockWidgetArea)
        window.add_dock("live-rules", self.tr("Rules"), self.rules, Qt.DockWidgetArea.RightDockWidgetArea,
                        tabify_with="live-events")
        window.add_dock("live-placement", self.tr("Placement"), self.placement,
                        Qt.DockWidgetArea.RightDockWidgetArea, tabify_with="live-rules")
        window.docks["live-events"].raise_()
        window.resizeDocks([window.docks["live-events"]], [400], Qt.Orientation.Horizontal)
        self.charts = None
        if charts:
            from desktop.live.charts import LiveCharts  # noqa: PLC0415  (pyqtgraph: after the first paint)

            self.charts = LiveCharts(self.colours)
            window.add_dock("live-charts", self.tr("Charts"), self.charts, Qt.DockWidgetArea.BottomDockWidgetArea,
                            tabify_with="live-trace")
            window.docks["live-charts"].raise_()
        window.resizeDocks([window.docks["live-trace"]], [max(220, int(window.height() * 0.33))],
                           Qt.Orientation.Vertical)
        QTimer.singleShot(0, self._raise_docks)  # after the window has laid out its tabs
        self.legend = LegendOverlay(window.view)
        if hasattr(window.scene, "theme_changed"):
            self.legend.set_theme(window.scene.renderer.theme)
            window.scene.theme_changed.connect(self.legend.set_theme)
            if self.charts is not None:  # the charts beside the canvas wear its theme too
                self.charts.set_theme(window.scene.renderer.theme)
                window.scene.theme_changed.connect(self.charts.set_theme)
        self.legend.show()
        window.view.installEventFilter(self)
        self._place_legend()
        self.controls = LiveControls(self)
        if hasattr(window.scene, "context_actions_provider"):
            window.scene.context_actions_provider = self.controls.context_actions
        window.selection_changed.connect(self._on_selection_changed)
        window.session.document_replaced.connect(self.rebuild)
        if hasattr(window.session, "document_changed"):
            window.session.document_changed.connect(self._on_document_changed)
        if hasattr(window.scene, "picture_changed"):
            window.scene.picture_changed.connect(self._on_picture_changed)
        self.rebuild()

    # -- the run ------------------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """A (new) document: a new run from t = 0, paused."""
        if self.driver is not None:
            self.driver.stop()
            self.driver.deleteLater()
            self.driver = None
        self.run = None
        self.feed.clear()
        self.events.clear()
        self.trace.clear()
        model = self.window.session.model
        if model is None:
            self.controls.set_enabled(False)
            self.window.statusBar().showMessage(self.tr("The scenario has errors: fix them to run it (Problems)."))
            return
        self.run = LiveRun(model, self.seed, document=self.window.session.document)
        self.driver = LiveDriver(self.run, self)
        d = self.driver
        d.frame_stepped.connect(self._on_frame)
        d.run_replaced.connect(self._on_run_replaced)
        d.event_revealed.connect(self._on_event_revealed)
        d.event_hidden.connect(self.events.remove_last)
        d.event_current.connect(self._on_event_current)
        d.painted.connect(self._on_paint)
        d.picture_prepared.connect(self._on_picture_prepared)
        d.watch_window(self.window)  # the worker lets this window's frames through
        if callable(getattr(self.window.scene, "live_preparer", None)):
            d.picture_source = self._picture_source
        d.text_refreshed.connect(self.refresh_text)
        d.time_changed.connect(self.controls.on_time_changed)
        d.playing_changed.connect(self.controls.on_playing_changed)
        d.playing_changed.connect(self._on_playing_changed)
        d.mode_changed.connect(lambda mode: self.events.set_packet_events(mode == "step"))
        self.events.set_packet_events(d.mode == "step")
        self.colours.reset(self.run.state)
        self.rules.set_nodes(list(self.run.state.nodes))
        self.controls.set_enabled(True)
        self.controls.sync_from_run()
        if self.charts is not None:
            self.charts.reset()
        self._state_version = -1
        self._fill_events()
        self.show_state(force=True)
        self.update_obstacles()
        self.refresh_text()
        d.start_display()
        self.rebuilt.emit()

    def _raise_docks(self) -> None:
        for name in ("live-charts", "live-events"):
            if name in self.window.docks:
                self.window.docks[name].raise_()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self.window.view and event.type() == QEvent.Type.Resize:
            self._place_legend()
        elif (obj is self.window.view and event.type() == QEvent.Type.ShortcutOverride
              and self._canvas_takes_arrow(event)):
            event.accept()  # the canvas nudges its selection: Step / Step back do not take the arrow
            return True  # (the view would ignore it again before its scene sees the key)
        return False

    def _canvas_takes_arrow(self, event) -> bool:
        """An arrow key (Shift allowed) while the canvas has a box selected that it can move: the canvas nudges
        it. Step (Right) and Step back (Left) own the arrows as window shortcuts and took them first, so a
        selected Service never moved by key (HG under Xvfb)."""
        arrows = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
        mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() not in arrows or mods != Qt.KeyboardModifier.NoModifier:
            return False
        scene = self.window.scene
        return any(it.flags() & it.GraphicsItemFlag.ItemIsMovable and getattr(it, "kind", "") != "pod"
                   and getattr(it, "doc_ref", None) is not None for it in scene.selectedItems())

    def _place_legend(self) -> None:
        """The legend is a strip under the canvas: the view keeps a bottom margin of its height."""
        view = self.window.view
        width = view.width()
        most = round(view.height() * LEGEND_MOST)
        if self.legend.width() != width or self.legend._cache is None or self.legend.most_height != most:
            self.legend.most_height = most
            self.legend.relayout(width)
        h = self.legend.height()
        margins = view.viewportMargins()
        if margins.bottom() != h:
            view.setViewportMargins(margins.left(), margins.top(), margins.right(), h)
        self.legend.move(0, view.height() - h)

    def _on_document_changed(self) -> None:
        """An edit while the run exists: the run carries on with the edited scenario."""
        model = self.window.session.model
        if self.run is None or model is None:
            if self.run is None and model is not None:
                self.rebuild()
            return
        if self._own_edit:
            self.run.base_model = model
            self.run.track(self.window.session.document)  # our Timeline: part of the source, not an edit
            # the canvas laid the changed document out again at its t = 0 look: give it the run's state back
            # (paused after a node failure, Save as timeline showed the failed nodes Ready with their old pods)
            self.show_state(force=True)
            return
        if model == self.run.base_model:
            # a move, a rename of nothing simulated: the run is unchanged, but the canvas laid the document out
            # again at its t = 0 look (a box dropped while playing brought back the pods of a failed node
            # until the cluster next changed; user test)
            self.show_state(force=True)
            return
        how = self.run.edit(model, self.window.session.document)
        if self.driver is not None:
            self.driver.pending = []
            self.driver.run_replaced.emit()
            self.driver.time_changed.emit(self.run.time)
        self.controls.sync_from_run()
        if how == "replayed" and self.run.time > 0:
            self.window.statusBar().showMessage(self.tr(
                "The edit was applied from t = 0 and the run replayed to now with the same live actions."), 8000)

    def resolve(self, ref: ObjectRef):
        """Where an object is on the canvas (a pod not drawn yet: its node; an internal client: its node)."""
        scene = self.window.scene
        anchor = getattr(scene, "anchor", None)
        p = anchor(ref) if anchor is not None else None
        if p is not None or self.run is None:
            return p
        state = self.run.state
        if ref.kind == "Pod":
            pod = state.pods.get((ref.namespace, ref.name))
            if pod is not None and pod.node and anchor is not None:
                return anchor(ObjectRef("Node", "", pod.node))
        if ref.kind == "Client":
            client = next((c for c in self.run.sim.model.clients if c.name == ref.name), None)
            if client is not None and client.node and anchor is not None:
                return anchor(ObjectRef("Node", "", client.node))
        if ref.kind == "LoadBalancer" and anchor is not None:
            return anchor(ObjectRef("Service", ref.namespace, ref.name))
        return None

    def show_state(self, force: bool = False) -> None:
        """Let the canvas show the running cluster (throttled: a re-layout is not free at 2,000 pods). While
        playing with the core in the worker, the worker builds the picture (``_picture_source``) and this
        does nothing unless forced."""
        if self.run is None:
            return
        if not force and self.driver is not None and self.driver.playing_threaded() and \
                self.driver.picture_source is not None:
            return
        state = self.run.state
        now = time.monotonic()
        # a kube-proxy sync changes no pod or node but what the nodes show (their lag behind the slices)
        version = (state.version, getattr(state, "proxy_views_version", 0))
        if not force and (version == self._state_version or now - self._state_shown_at < STATE_REFRESH_S):
            return
        self._state_version = version
        self._state_shown_at = now
        self.colours.update(state)
        set_styles = getattr(self.window.scene, "set_pod_styles", None)
        if set_styles is not None:  # pods wear the colour and shape of the packets that reach them
            set_styles(self.colours.index)
        apply = getattr(self.window.scene, "apply_cluster_state", None)
        if apply is not None:
            apply(state)

    def _picture_source(self):
        """For the driver's next worker job: (preparer, version shown) when the canvas is due a new picture
        (at most every STATE_REFRESH_S), else None."""
        if time.monotonic() - self._state_shown_at < STATE_REFRESH_S:
            return None
        scene = self.window.scene
        return scene.live_preparer(styles_for=self.colours.preview(), extras=obstacle_rects), self._state_version

    def _on_picture_prepared(self, prep) -> None:
        """A worker job built the canvas's picture of the cluster as its ticks left it (the run's state now):
        swap it in -- the GUI thread's share of a re-layout is a few ms, not the ~70 ms of building it."""
        if self.run is None or prep.version is None:
            return
        state = self.run.state
        version = self.run.state_version()
        if version != prep.version:
            return  # (cannot happen: the job's frames were the last to land) the next one shows it
        adopted = self.colours.adopt(prep.styles_for) if getattr(prep, "styles_for", None) is not None else False
        if not adopted:
            self.colours.update(state)
        self._obstacles = prep.extras
        try:
            shown = self.window.scene.apply_prepared(prep, state, None if adopted else self.colours.index)
        finally:
            self._obstacles = None
        if not shown:
            self.show_state(force=True)
            return
        self._state_version = version
        self._state_shown_at = time.monotonic()

    # -- driver signals ---------------------------------------------------------------------------------------
    def _on_frame(self, frame) -> None:
        d = self.driver
        self.controls.follow_run()  # a Timeline event or a lesson may have switched a mode
        self.feed.add_frame(frame, wall_now=self._anim_now(), speed=d.speed, step_mode=d.mode == "step")
        if not d.playing:
            self._run_animation_through_new_packets()
        listed, self._listed_now = self._listed_now, set()
        if d.mode == "realtime":
            evs = [e for e in frame_events(frame) if e.kind in ("control", "drop")] if frame.events else []
            if frame.events:
                self.events.add_events([e for e in evs if e.kind == "control" and e not in listed])
        for e in frame.events:
            if self.charts is not None and e.object.startswith("node/") and e.reason in ("NodeNotReady", "NodeReady"):
                self.charts.add_marker(e.time, f"{e.object[5:]} {e.reason[4:]}")
        if frame.events or getattr(frame, "changes", ()):
            self.show_state()
        self._charts_due = True

    def _fill_events(self) -> None:
        """The control-plane log so far (after a new run, a seek or an action re-ran it)."""
        from desktop.live.adapter import PacketEvent  # noqa: PLC0415

        self.events.clear()
        log = [PacketEvent(e.time, e.object, "control", f"{e.reason}: {e.message}", obj=e.object)
               for e in self.run.state.events[-2000:]]
        d = self.driver
        if d is not None and d.mode == "step":
            # step-by-step mode: the packet events shown so far stay listed (a step back re-simulated a tick);
            # control-plane events of the current tick not shown yet are still to come
            pending = set(d.pending)
            log = [e for e in log if e not in pending] + [e for e in d.revealed if e.kind != "control"]
            log.sort(key=lambda e: e.time)
        self.events.add_events(log)
        # an action's own events are in this log and also in the next tick's (the core hands out everything
        # since the previous tick): those listed at the current time are not listed again (HG saw them twice)
        now = self.run.time - 1e-9
        self._listed_now = {e for e in log if e.kind == "control" and e.time >= now}

    def _on_run_replaced(self) -> None:
        self.controls.follow_run(markers=False)  # a seek or a reset: the markers of that time are kept as they are
        self._fill_events()
        self.feed.clear()
        self.selected_packet = None
        self.trace.clear()
        if self.charts is not None:
            self.charts.clear_markers_after(self.run.time)
            self._charts_due = True
        self.show_state(force=True)
        self.refresh_text()

    def _on_event_current(self, ev) -> None:
        """Step-by-step mode stepped back: ``ev`` is the current event again (None: no event before)."""
        self.events.select_event(ev)
        if ev is None:
            self.selected_packet = None
            self.layer.select(None)
            self.trace.clear()
            return
        self._select_event(ev)

    def _on_event_revealed(self, ev) -> None:
        self.events.add_events([ev], select_last=True)
        self._select_event(ev)

    def _anim_now(self, wall: float | None = None) -> float:
        """The packets' animation clock: wall time that stands still while the simulation is paused, so
        packets in flight freeze where they are (and can be clicked and inspected) instead of flying on. A
        single step while paused runs the clock until that step's packets have arrived, then freezes it."""
        wall = time.monotonic() if wall is None else wall
        playing = self.driver is not None and self.driver.playing
        paused_at = getattr(self, "_anim_paused_at", None)
        lag = getattr(self, "_anim_lag", 0.0)
        until = getattr(self, "_anim_until", None)
        current = (wall if paused_at is None else paused_at) - lag
        if playing or (until is not None and current < until):
            if paused_at is not None:
                lag += wall - paused_at
                self._anim_lag, self._anim_paused_at = lag, None
            return wall - lag
        if paused_at is None:
            self._anim_paused_at = paused_at = wall
        return paused_at - lag

    def _on_playing_changed(self, playing: bool) -> None:
        """Paused: the packets stop where they are at this instant (not at the next paint tick, up to a frame
        or, on a loaded machine, much longer later)."""
        if not playing and self.driver is not None and self.driver.mode == "realtime":
            self.layer.set_clock(self._anim_now())

    def _run_animation_through_new_packets(self) -> None:
        layer = self.layer
        if layer.uid.size:
            import numpy as np  # noqa: PLC0415

            self._anim_until = float(np.max(layer.times[np.arange(layer.uid.size), layer.count - 1]))

    def _on_paint(self, wall: float) -> None:
        d = self.driver
        if d is None:
            return
        if d.mode == "realtime":
            self.layer.set_clock(self._anim_now(wall))
        self.layer.expire()
        self.feed.forget_gone()
        if getattr(d, "busy", False):
            # the core is stepping in the driver's worker thread: reading the run now would wait for it, so
            # charts, cluster state and node notes are left to a free frame (the packets moved above)
            self._follow()
            return
        if (self.charts is not None and self.charts.isVisible()
                # a page shown anew (its charts forced) is drawn also while paused: the second page opened
                # after a pause stayed empty until Play (HG)
                and (self._charts_due or self._chart_part or self.charts._last_t < 0)
                and wall - self._charts_at >= CHART_INTERVAL_S / 3):
            # one of the page's three charts per frame: each is redrawn ~10 times a second, and no frame pays
            # for all three. A cycle draws what is due when it starts; frames landing during it ask for the
            # next (clearing the flag at the cycle's end lost them: steps taken while paused mid-cycle left the
            # share bars undrawn)
            if self._chart_part == 0:
                self._charts_due = False
            self.charts.update_from(self.run, part=self._chart_part)
            self._chart_part = (self._chart_part + 1) % 3
            self._charts_at = wall
        if self._widen_due and self.window.isVisible():
            self._widen_due -= 1  # while the docks settle: the first paint ticks (~0.5 s)
            widen = getattr(self.window, "widen_side_column", None)
            if widen is not None:
                widen()
        self.show_state()  # also while paused: quick steps may have left the last state unshown (throttled)
        if wall - self._notes_at >= 0.25:
            self._notes_at = wall
            self.layer.set_labels(self.node_notes())
        self._follow()

    def _follow(self) -> None:
        """Keep the selected packet in view while it travels (pans only when it would leave the view)."""
        uid = self.layer.selected
        if uid is None or self.layer._hit_uid.size == 0:
            return
        hit = (self.layer._hit_uid == uid).nonzero()[0]
        if hit.size:
            x, y = self.layer._hit_pos[hit[0]]
            self.window.view.ensureVisible(float(x), float(y), 1.0, 1.0, 60, 60)

    def refresh_text(self) -> None:
        if self.run is None:
            return
        self.controls.refresh()
        self.refresh_rules()
        if self.charts is not None:
            self.charts.set_services(self.run.balanced_services(),
                                     prefer=ObjectRef("Service", "default", "web-clusterip"))
        pods = sorted(((p, i) for p, i in self.colours.index.items()
                       if (p.namespace, p.name) in self.run.state.pods), key=lambda x: x[1])
        if self.charts is not None and self.charts.service is not None:
            # the legend names the pods of the charted Service (the others keep their colours on the canvas)
            svc = self.charts.service
            spec = next((x for x in self.run.sim.model.services
                         if x.namespace == svc.namespace and x.name == svc.name), None)
            selector = dict(spec.selector or {}) if spec is not None else {}
            selected = {ObjectRef("Pod", p.namespace, p.name) for p in self.run.state.pods.values()
                        if selector and p.namespace == svc.namespace
                        and all(p.labels.get(k) == v for k, v in selector.items())}
            shown = set(self.charts._pods) | selected
            pods = [x for x in pods if x[0] in shown] or pods
        self.legend.set_pods([(p.name, i) for p, i in pods])
        self._place_legend()

    def node_notes(self) -> list[tuple[float, float, str, str]]:
        """What the class should see on a node that is not simply Ready: a machine that is down but not yet
        noticed ("down · NotReady in N s", the node-monitor grace period), a NotReady node whose pods will be
        evicted ("NotReady · evicting in N s", the taint's tolerationSeconds), a cordoned node."""
        if self.run is None:
            return []
        sim = self.run.sim
        now = sim.time
        timing = sim.timing
        lags = proxy_lags(sim.state)  # each node's kube-proxy behind the EndpointSlices (read fresh: it lasts ~1 s)
        out = []
        for name, node in sim.state.nodes.items():
            text, colour = None, "#D55E00"
            if not node.up and node.ready == "True":
                left = max(0.0, node.last_heartbeat + timing.node_monitor_grace_period - now)
                text = self.tr("down · NotReady in {0} s").format(math.ceil(left))
            elif node.ready != "True" and node.not_ready_since is not None:
                left = node.not_ready_since + timing.toleration_seconds - now
                text = (self.tr("NotReady · evicting in {0} s").format(math.ceil(left)) if left > 0
                        else self.tr("NotReady · pods evicted"))
            elif node.unschedulable:
                text, colour = self.tr("cordoned"), "#0072B2"
            lag = lags.get(name)
            if text is None and not lag:
                continue
            ref = ObjectRef("Node", "", name)
            item = getattr(self.window.scene, "item_for_ref", lambda _r: None)(ref)
            if item is not None:
                r = item.sceneBoundingRect()
                top, bottom, x = r.top(), r.bottom(), r.center().x()
            else:
                p = self.resolve(ref)
                if p is None:
                    continue
                top = bottom = p.y()
                x = p.x()
            if text is not None:
                out.append((x, top, text, colour))
            if lag:  # at the node's foot: the status note keeps its head
                out.append((x, bottom, lag.short(), "#A14F00"))
        return out

    def refresh_rules(self) -> None:
        if self.run is None or not self.rules.node:
            return
        try:
            ruleset = self.run.rules(self.rules.node)
        except Exception as exc:  # a mode without rule text (userspace) or a node gone
            self.rules.text.setPlainText(self.tr("No rules to show: {0}").format(exc))
            return
        view = self.run.state.proxy_views.get(self.rules.node)
        key = (self.rules.node, self.run.state.version, view.version if view else -1, self.run.proxy_mode(self.rules.node),
               id(self.selected_packet))
        if key == self._rules_key:
            return  # nothing this node programs changed (rendering thousands of rules is not free)
        self._rules_key = key
        self.rules.show_lag(proxy_lags(self.run.state).get(self.rules.node), refresh=False)
        ids = []
        if self.selected_packet is not None:
            ids = [h.rule_id for h in self.selected_packet.hops
                   if h.rule_id and h.where.kind == "Node" and h.where.name == self.rules.node]
        self.rules.show_rules(ruleset, ids)

    # -- selection ---------------------------------------------------------------------------------------------
    def _on_packet_clicked(self, uid: int) -> None:
        sample = self.feed.samples.get(uid)
        if sample is None:
            return
        self.select_packet(sample, uid)

    def select_packet(self, sample, uid: int | None = None, hop: int | None = None) -> None:
        self.selected_packet = sample
        self.selected_hop = hop
        if uid is not None:
            self.layer.select(uid)
        if hop is None:
            hop = next((i for i, h in enumerate(sample.hops) if hop_is_dnat(h) and h.where.kind == "Node"), None)
        self.trace.show_sample(sample, hop)
        decider = next((h.where.name for h in sample.hops if h.where.kind == "Node" and h.rule_id), None)
        if decider is not None:
            self.rules.set_node(decider)
        self.refresh_rules()
        self.window.docks["live-trace"].raise_()

    def _select_event(self, ev) -> None:
        if ev.packet is not None:
            sample = self.feed.samples.get(ev.packet)
            if sample is None and self.driver is not None and self.driver.last_frame is not None:
                f = self.driver.last_frame
                sample = dict(zip(f.uids, f.samples)).get(ev.packet)
            if sample is not None:
                self.layer.set_clock(ev.time)
                self.select_packet(sample, ev.packet, ev.hop)
        elif ev.obj:
            ref = _object_ref(ev.obj)
            if ref is not None:
                self.window.select_refs([ref])

    def _on_event_activated(self, ev) -> None:
        self._select_event(ev)

    def _on_selection_changed(self, refs: list) -> None:
        if self.run is None:
            return
        for ref in refs:
            if isinstance(ref, tuple) and not isinstance(ref, ObjectRef) and len(ref) == 2:
                ref = ObjectRef("Pod", ref[0], ref[1])
            if not isinstance(ref, ObjectRef):
                continue
            if ref.kind == "Node" and ref.name in self.run.state.nodes:
                self.rules.set_node(ref.name)
            elif ref.kind == "Pod":
                self.placement.show_placement(f"{ref.namespace}/{ref.name}", self.run.placement(ref))

    def _on_picture_changed(self) -> None:
        self.update_obstacles()
        self.layer.update()

    def update_obstacles(self) -> None:
        """Tell the packet layer where the canvas has text (``obstacle_rects``)."""
        if self._obstacles is not None:  # built with the picture being installed
            self.layer.set_obstacles(self._obstacles)
            return
        pic = getattr(self.window.scene, "picture", None)
        if pic is None:
            return
        self.layer.set_obstacles(obstacle_rects(pic))

    # -- actions ----------------------------------------------------------------------------------------------
    def apply(self, action: str, target: str = "", value=None) -> bool:
        """A live action; a refusal is shown to the user (nothing changes)."""
        if self.driver is None:
            return False
        try:
            self.driver.apply(action, target, value)
        except ValueError as exc:
            QMessageBox.warning(self.window, self.tr("Action refused"), str(exc))
            return False
        self.window.statusBar().showMessage(self.tr("t = {0} s: {1} {2} {3}").format(
            f"{self.run.time:g}", action, target, "" if value is None else value), 5000)
        return True

    def ask_replicas(self, target: str, current: int) -> None:
        n, ok = QInputDialog.getInt(self.window, self.tr("Set replicas"),
                                    self.tr("Replicas of {0}:").format(target), current, 0, 1000)
        if ok:
            self.apply("scale", target, n)

    def save_as_timeline(self) -> None:
        """Write the runtime actions into the scenario as a Timeline object (one undoable edit)."""
        if self.run is None:
            return
        obj = self.run.timeline_object(self._timeline_name())
        if not obj["spec"]["events"]:
            text = (self.tr("No new live actions since the last Save as timeline.") if self.run.actions
                    else self.tr("No live actions yet: fail a node or switch a mode first."))
            QMessageBox.information(self.window, self.tr("Save as timeline"), text)
            return
        editor = getattr(self.window, "editor", None)
        if editor is None:
            from desktop.editor.editor import Editor  # noqa: PLC0415

            editor = Editor(self.window.session, self)
        self._own_edit = True
        try:
            editor.add_objects([obj], self.tr("Save live actions as timeline"))
        finally:
            self._own_edit = False
        self.window.statusBar().showMessage(
            self.tr("Timeline {0} added with {1} events; save the file to keep it.").format(
                obj["metadata"]["name"], len(obj["spec"]["events"])), 8000)

    def _timeline_name(self) -> str:
        names = {r.name for r in self.window.session.document.refs() if r.kind == "Timeline"}
        name, k = "live-actions", 1
        while name in names:
            k += 1
            name = f"live-actions-{k}"
        return name

    def shutdown(self) -> None:
        if self.driver is not None:
            self.driver.stop()


def _object_ref(obj: str) -> ObjectRef | None:
    kind, _, rest = obj.partition("/")
    if kind == "node":
        return ObjectRef("Node", "", rest)
    if kind == "pod":
        ns, _, name = rest.partition("/")
        return ObjectRef("Pod", ns, name)
    kinds = {"deployment": "Deployment", "replicaset": "ReplicaSet", "statefulset": "StatefulSet",
             "daemonset": "DaemonSet", "service": "Service"}
    if kind in kinds:
        ns, _, name = rest.partition("/")
        return ObjectRef(kinds[kind], ns, name)
    return None
