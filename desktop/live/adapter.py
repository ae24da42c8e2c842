"""The live view's one door into the core: a running Simulation, its samples, series, rules and actions.

Qt-free (tests and ``podpath snapshot`` use it without a window). Everything it shows comes from ``core``:
``Simulation.step`` (one scenario tick per step, the steps ``podpath run`` takes), ``seek``/checkpoints,
runtime actions (``Simulation.apply``), the data plane's packet samples (``core.dataplane.samples``), its
chart series (``core.series.ChartSeries``) and the rule sets with ids (``core.proxy.ruleset``). This module
only reshapes them for the view: packet hops into event-list lines, ObjectRefs into the keys the panels use.

Steps can run in a worker thread (``step_in_background``: the live driver does it while playing, so a 20 ms
core step at 2,000 pods does not hold up the 16 ms paint timer). The core objects are then the worker's until
the step is done: every accessor here (``sim``, ``state``, ``series``, ``rules`` ...) called from another thread
waits for it first, and every change (``seek``, ``apply``, ``edit`` ...) also marks the job's frames stale
(they describe a run that was replaced). The worker steps whole ticks exactly as ``step`` does, so the
states are those of a synchronous run; ``time`` does not wait (it is the time the job started from).

When the core in this checkout predates the live API (no ``Simulation.apply``/``seek``), the same behaviour
is obtained the slow way: runtime actions re-run the scenario with the action log appended to its timeline,
and seeking back re-runs from the start.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from core.engine import Simulation
from core.model import ClusterModel, ObjectRef, TimelineEvent
from core.state import ClusterEvent

EVENT_KINDS = ("dns", "conntrack", "dnat", "snat", "proxy", "drop", "delivered", "control")
PRESETS = ("realistic", "classroom")
ACTIONS = ("failNode", "recoverNode", "cordon", "uncordon", "drain", "deletePod", "scale", "setProxyMode",
           "setIPVSScheduler", "setScheduler", "setTimingPreset")


@dataclass(frozen=True)
class PacketEvent:
    """One line of the step-by-step event list: a packet hop worth telling, or a control-plane event."""

    time: float
    where: str  # "Node node-2", "Pod default/web-x", "LoadBalancer default/web-lb", "node/node-2" ...
    kind: str  # one of EVENT_KINDS
    text: str
    packet: int | None = None  # Frame.packet_ids index (the sample's uid)
    hop: int | None = None
    obj: str | None = None  # the object a control-plane event is about ("node/node-2", "pod/default/x")
    args: tuple = ()  # the values in ``text``, for a translated wording of the same line


@dataclass
class Frame:
    """What one step produced."""

    time: float
    dt: float
    events: tuple[ClusterEvent, ...]
    samples: list  # core.dataplane.samples.Sample
    uids: list[int]  # one per sample, unique in the run
    changes: tuple = ()
    sent: int = 0
    delivered: int = 0
    dropped: dict = field(default_factory=dict)

    def packet_events(self) -> list[PacketEvent]:
        return frame_events(self)


class FrameGate:
    """Lets a GUI's frames through a worker that steps the core: the core is mostly pure Python, so a frame
    painted while the worker runs waits for the GIL at every call into Qt and came late (at 2,000 pods, 10x:
    80 % of frames later than 33 ms). The GUI thread ``close()``s the gate as a frame starts (saying when the
    next one is due) and ``open()``s it when the window has painted the frame; the worker calls ``pause()``
    between pieces of its work (``Simulation.pause_point``): it waits while the gate is closed, and just
    before the next frame is due it sleeps until then, so that the frame's timer finds the GIL free. It waits
    at most ``max_wait`` seconds per frame: a GUI that never paints slows the simulation, never stops it.
    What is simulated does not depend on it."""

    LEAD = 0.0015  # seconds before a frame is due that the worker stops for it

    def __init__(self, max_wait: float = 0.012):
        self.max_wait = max_wait
        self._open = threading.Event()
        self._open.set()
        self._closed = 0  # how many times the gate was closed
        self._waited = -1  # the closing the worker last waited for
        self.due: float | None = None  # perf_counter() time the next frame is due (None: no frames)
        self._slept_for: float | None = None
        self.waits = 0  # (benchmark) times the worker waited, and for how long in all
        self.waited_s = 0.0

    def close(self, next_due: float | None = None) -> None:
        self._closed += 1
        self._open.clear()
        self.due = next_due

    def open(self) -> None:
        self._open.set()

    def is_open(self) -> bool:
        return self._open.is_set()

    def pause(self) -> None:
        t = time.perf_counter()
        if self._open.is_set():
            due = self.due
            if due is None or t < due - self.LEAD or self._slept_for == due:
                return
            self._slept_for = due  # once per frame: a frame late is not waited for again
            time.sleep(min(max(0.0, due - t) + 0.0003, self.max_wait))
            if self._open.is_set():  # (the frame's timer is late: the worker goes on)
                self.waits += 1
                self.waited_s += time.perf_counter() - t
                return
        closing = self._closed
        if self._waited == closing:
            return
        self._waited = closing
        self._open.wait(self.max_wait)
        self.waits += 1
        self.waited_s += time.perf_counter() - t


class StepJob:
    """Ticks stepped in the run's worker thread: ``frames`` grow as they are simulated; ``done()`` when the
    worker has stopped (all ``ticks`` stepped, ``cancel()`` asked it to stop after the current tick, or
    ``max_wall`` seconds went by: ``hit_wall``); ``error`` is what the core raised, if anything."""

    def __init__(self, ticks: int, max_wall: float | None, prepare: bool = False, picture=None):
        self.ticks = int(ticks)
        self.max_wall = max_wall
        self.prepare = prepare  # after the ticks, render the rules the panels asked for last (``LiveRun.rules``)
        # (preparer, version shown): after the ticks, if the cluster's version is no longer the one shown, the
        # canvas's picture of it is built here (``preparer(state, version)``), into ``prepared``
        self.picture = picture
        self.prepared = None
        self.prepare_error: BaseException | None = None
        self.frames: list[Frame] = []
        self.error: BaseException | None = None
        self.hit_wall = False
        self.stale = False  # the run was changed (seek, action, edit) after these ticks: do not show them
        self._cancel = threading.Event()
        self._done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)


def ref_text(ref: ObjectRef) -> str:
    return f"{ref.kind} {ref.namespace}/{ref.name}" if ref.namespace else f"{ref.kind} {ref.name}"


def is_address(text: str | None) -> bool:
    if not text:
        return False
    parts = text.split(":", 1)[0].split(".")
    return len(parts) == 4 and all(p.isdigit() for p in parts)


def _rewrites(hop) -> bool:
    return bool(hop.dst_after) and hop.dst_after != hop.dst and is_address(hop.dst_after)


def hop_is_dnat(hop) -> bool:
    """The kernel rewrote the destination here (kube-proxy's DNAT on a node, the load balancer's forward)."""
    return _rewrites(hop) and hop.where.kind not in ("Client", "Pod")


def hop_is_proxy(hop) -> bool:
    """A pod (the ingress controller) opened a new connection to the backend: a proxy, not a NAT."""
    return _rewrites(hop) and hop.where.kind == "Pod"


def hop_is_snat(hop) -> bool:
    return bool(hop.src_after) and hop.src_after != hop.src and hop.where.kind != "Pod"


def destination_pod(sample) -> ObjectRef | None:
    """The pod a sample was delivered to (or died trying to reach)."""
    for hop in reversed(sample.hops):
        if hop.where.kind == "Pod":
            return hop.where
    return None


def frame_events(frame: Frame) -> list[PacketEvent]:
    """Every packet hop and control-plane event of a frame as event-list lines, in time order."""
    out: list[PacketEvent] = []
    for e in frame.events:
        out.append(PacketEvent(e.time, e.object, "control", f"{e.reason}: {e.message}", obj=e.object))
    for uid, s in zip(frame.uids, frame.samples):
        if s.hops and not is_address(s.target) and is_address(s.hops[0].dst):
            host = s.target.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
            ip = s.hops[0].dst.rsplit(":", 1)[0]
            out.append(PacketEvent(s.time, ref_text(s.client), "dns", f"DNS answer {host} -> {ip}", uid, 0,
                                   args=(host, ip)))
        for i, h in enumerate(s.hops):
            t = s.time + h.enter_ns / 1e9
            where = ref_text(h.where)
            if h.rule.startswith("conntrack"):
                out.append(PacketEvent(t, where, "conntrack", h.rule, uid, i))
            if hop_is_dnat(h):
                out.append(PacketEvent(t, where, "dnat", f"DNAT {h.dst} -> {h.dst_after}", uid, i,
                                       args=(h.dst, h.dst_after)))
            if hop_is_snat(h):
                out.append(PacketEvent(t, where, "snat", f"SNAT/masquerade {h.src} -> {h.src_after}", uid, i,
                                       args=(h.src, h.src_after)))
            if hop_is_proxy(h):
                out.append(PacketEvent(t, where, "proxy", f"proxied {h.src_after} -> {h.dst_after}", uid, i,
                                       args=(h.src_after, h.dst_after)))
        if s.hops:
            last = s.hops[-1]
            t = s.time + last.leave_ns / 1e9
            if s.outcome == "delivered":
                out.append(PacketEvent(t, ref_text(last.where), "delivered", f"delivered ({s.latency_ms:.3f} ms)",
                                       uid, len(s.hops) - 1, args=(f"{s.latency_ms:.3f}",)))
            else:
                # the reason's code in args: the events panel words it (desktop.i18n.drop_reason_label)
                out.append(PacketEvent(t, ref_text(last.where), "drop", f"dropped: {s.outcome}", uid,
                                       len(s.hops) - 1, args=(s.outcome,)))
    out.sort(key=lambda e: (e.time, -1 if e.packet is None else e.packet, e.hop or 0))
    return out


class LiveRun:
    """A scenario running under the GUI: step, seek, actions, samples, series, rules."""

    def __init__(self, model: ClusterModel, seed: int | None = None, *, samples_per_second: float | None = None,
                 document=None):
        self.base_model = model
        self.document = document  # the scenario's Document: edits are then logged as manifests
        self.seed = int(model.simulation.seed if seed is None else seed)
        self.samples_per_second = samples_per_second
        self._fallback_actions: list[TimelineEvent] = []
        self._expected_cache: dict = {}
        self._rules_cache: dict = {}
        self._rules_wanted: list[tuple[str, str | None]] = []
        self._uids: dict[tuple[str, int], int] = {}  # (flow, request index) -> packet id, kept across seeks
        self._idle = threading.Event()  # no step in the worker: the core objects may be read
        self.gate = FrameGate()  # the worker pauses between pieces while the GUI paints a frame
        self._idle.set()
        self._job: StepJob | None = None  # the last background job, until ``take_job``
        self._executor: ThreadPoolExecutor | None = None
        self._worker_ident: int | None = None
        self._time_before = 0.0
        self._start()

    # -- construction ---------------------------------------------------------------------------------
    @property
    def tick(self) -> float:
        return float(self.base_model.simulation.tick)

    @property
    def live_api(self) -> bool:
        return hasattr(Simulation, "apply") and hasattr(Simulation, "seek")

    def _start(self) -> None:
        model = self.base_model
        if not self.live_api and self._fallback_actions:
            model = dataclasses.replace(model, timeline=list(model.timeline) + list(self._fallback_actions))
        self._sim = Simulation(model, self.seed)
        self.track(self.document)
        plane = self._sim.dataplane
        if plane is not None and self.samples_per_second is not None and hasattr(plane, "samples"):
            plane.samples.per_second = float(self.samples_per_second)

    # -- the worker -----------------------------------------------------------------------------------
    def _wait(self) -> None:
        """Called from any thread but the worker's: wait until the core objects are not being stepped."""
        if not self._idle.is_set() and threading.get_ident() != self._worker_ident:
            self._idle.wait()

    def _changing(self, *, future: bool = True) -> None:
        """The run is about to change under the frames of the last background job: they are stale.
        ``future``: a seek, an action, an edit or a reset may give an old state version other contents, so
        what is cached by version is dropped."""
        self._wait()
        if self._job is not None:
            self._job.stale = True
        if future:
            self._rules_cache.clear()
            self._expected_cache.clear()

    @property
    def busy(self) -> bool:
        """A background job is stepping the core now."""
        return not self._idle.is_set()

    def step_in_background(self, ticks: int, max_wall: float | None = None, *, prepare: bool = False,
                           picture=None) -> StepJob:
        """Step ``ticks`` whole ticks in the worker thread (as ``step`` would, one after the other). The caller
        polls ``job.done()`` and takes the frames with ``take_job``; until then the job is the run's.
        ``prepare``: then render the rules last asked for if they changed, so that the panels' next
        ``rules()`` finds them (a render takes ~0.25 s at 2,000 pods: better in the worker than in a frame).
        ``picture``: (preparer, version shown) -- the canvas's picture of the cluster after the ticks is built
        in the worker too when the cluster's ``state_version()`` is no longer the one shown (``job.prepared``)."""
        self._wait()
        if self._job is not None:
            raise RuntimeError("the last background job was not taken (take_job) yet")
        job = StepJob(max(0, int(ticks)), max_wall, prepare, picture)
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="podpath-step")
        self._job = job
        self._time_before = self._sim.time
        self._idle.clear()
        try:
            self._executor.submit(self._run_job, job)
        except BaseException:
            self._idle.set()
            job._done.set()
            raise
        return job

    def _run_job(self, job: StepJob) -> None:
        self._worker_ident = threading.get_ident()
        started = time.perf_counter()
        pause = self.gate.pause
        self._sim.pause_point = pause
        try:
            for _ in range(job.ticks):
                if job.cancelled():
                    break
                job.frames.append(self._step_frame())
                if job.max_wall is not None and len(job.frames) < job.ticks \
                        and time.perf_counter() - started > job.max_wall:
                    job.hit_wall = True
                    break
            if job.picture is not None and not job.cancelled():
                preparer, shown = job.picture
                version = self.state_version()
                if version != shown:
                    try:
                        job.prepared = preparer(self._sim.state, version, pause)
                    except Exception as exc:  # noqa: BLE001 (the GUI thread lays out itself, and raises there)
                        job.prepare_error = exc
            if job.prepare and not job.cancelled():
                self._prepare_rules(pause)
        except BaseException as exc:  # handed to the caller's thread (take_job's caller re-raises it)
            job.error = exc
        finally:
            if self._sim.pause_point is pause:  # (an action may have made a new Simulation: not in a job)
                self._sim.pause_point = None
            self._idle.set()
            job._done.set()

    def take_job(self, wait: bool = False) -> StepJob | None:
        """The last background job once it is done (``wait``: cancel it after its current tick and wait for
        it), and the run is free for the next. None when there is none (or it is still running)."""
        job = self._job
        if job is None:
            return None
        if not job.done():
            if not wait:
                return None
            job.cancel()
            job.wait()
        self._job = None
        return job

    def close(self) -> None:
        """Stop the worker thread (after its current tick); a later background step starts a new one."""
        job = self._job
        if job is not None:
            job.cancel()
            job.wait()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    # -- time -----------------------------------------------------------------------------------------
    @property
    def sim(self) -> Simulation:
        self._wait()
        return self._sim

    @property
    def time(self) -> float:
        """Simulated time now (while a background job runs: the time it started from; this does not wait)."""
        if not self._idle.is_set() and threading.get_ident() != self._worker_ident:
            return self._time_before
        return self._sim.time

    @property
    def state(self):
        return self.sim.state

    def state_version(self) -> tuple[int, int]:
        """What the canvas shows of the cluster changes with: its objects (``ClusterState.version``) and each
        node's kube-proxy view of them (a sync changes no pod or node, but what the nodes show)."""
        state = self._sim.state if threading.get_ident() == self._worker_ident else self.state
        return (state.version, getattr(state, "proxy_views_version", 0))

    @property
    def series(self):
        plane = self.sim.dataplane
        return getattr(plane, "series", None)

    def step(self) -> Frame:
        """Advance one scenario tick."""
        self._changing(future=False)
        return self._step_frame()

    def _step_frame(self) -> Frame:
        tick = self._sim.step(self.tick)
        traffic = tick.traffic
        samples = list(getattr(traffic, "samples", []) or []) if traffic is not None else []
        uids = [self.packet_uid(s) for s in samples]
        if traffic is None:
            return Frame(tick.time, tick.dt, tick.events, samples, uids, getattr(tick, "changes", ()))
        return Frame(tick.time, tick.dt, tick.events, samples, uids, getattr(tick, "changes", ()),
                     traffic.sent, traffic.delivered, dict(traffic.dropped))

    def packet_uid(self, sample) -> int:
        """A sampled request's id, the same every time the run passes it (a seek back and a re-step give the
        same packet the same id, so an event list kept across the seek still points at its packets):
        numbered in order of first sight by (flow, request index), small enough for a Qt ``int`` signal."""
        key = (sample.flow, int(sample.index))
        uid = self._uids.get(key)
        if uid is None:
            uid = self._uids[key] = len(self._uids) + 1
        return uid

    def run_to(self, t: float) -> list[Frame]:
        frames = []
        while self.time < t - 1e-9:
            frames.append(self.step())
        return frames

    def seek(self, t: float) -> None:
        """Stand at simulated time ``t`` (rounded down to a whole tick): through the core's checkpoints."""
        self._changing()
        t = max(0.0, math.floor(t / self.tick + 1e-7) * self.tick)
        t = round(t, 9)
        if abs(t - self.time) < 1e-9:
            return
        if self.live_api:
            if t < self.time:
                self.sim.seek(t)
            else:
                self.run_to(t)
            return
        if t < self.time:
            self._start()
        self.run_to(t)

    def step_back(self) -> None:
        if self.time > 1e-9:
            self.seek(self.time - self.tick)

    def reset(self) -> None:
        """Back to t = 0 with no runtime actions."""
        self._changing()
        self._fallback_actions.clear()
        self._start()

    # -- actions --------------------------------------------------------------------------------------
    def apply(self, action: str, target: str = "", value=None) -> TimelineEvent:
        """A runtime action now (recorded in the action log); raises ValueError naming what is wrong."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; allowed: {', '.join(ACTIONS)}")
        self._changing()
        now = round(self.time, 9)
        event = TimelineEvent(now, action, target, value)  # type: ignore[arg-type]
        if self.live_api:
            self.sim.apply(event)
            return event
        if action == "setTimingPreset":
            raise ValueError("setTimingPreset needs the core live API")
        self.sim.control.check_timeline_event(event)
        self._fallback_actions = [a for a in self._fallback_actions if a.at <= now] + [event]
        self._start()
        self.run_to(now)
        return event

    def track(self, document) -> None:
        """Make ``document`` the run's source (later edits are diffed against it and logged as manifests)."""
        self.document = document
        if document is None or not self.live_api:
            return
        try:
            from core.live.edits import track_document
        except ImportError:
            return
        track_document(self.sim, document)

    def edit(self, model: ClusterModel, document=None) -> str:
        """The scenario changed (an edit in the editor): carry on with it. Returns "live" when the core applied
        it at the current time (``Simulation.edit``), "replayed" when the run was re-simulated from t = 0 with
        the new scenario and the same runtime actions (the core cannot apply this edit live)."""
        self._changing()
        now = self.time
        # at t = 0 nothing has happened yet: the run starts afresh from the edited scenario (its pods Running
        # and Ready as a file's are when opened), instead of the controllers acting the edit out (an undone
        # scale-up left Terminating pods at 0:00.0, HG)
        if self.live_api and hasattr(self.sim, "edit") and now > 1e-9:
            try:
                if document is not None and getattr(self.sim, "document", None) is not None:
                    from core.live.edits import edit_document

                    edit_document(self.sim, document, seed=self.seed)
                    self.document = document
                else:
                    self.sim.edit(model)
                self.base_model = model
                return "live"
            except (ValueError, NotImplementedError, ImportError):
                pass
        # edits made live so far (applyObject / deleteObject) are part of ``model`` now, from t = 0: only the
        # runtime actions are replayed (replaying an edit through apply() was refused and left the run half-built)
        actions = [a for a in self.actions if a not in model.timeline and a.action in ACTIONS]
        self.base_model = model
        if document is not None:
            self.document = document  # later edits are diffed against this one
        self._fallback_actions = []
        self._start()
        for a in actions:
            if a.at > now + 1e-9:
                break
            self.run_to(a.at)
            self.apply(a.action, a.target, a.value)
        self.run_to(now)
        return "replayed"

    @property
    def actions(self) -> list[TimelineEvent]:
        """The runtime actions so far, as timeline events (what "Save as timeline" writes)."""
        if self.live_api:
            log = self.sim.actions
            if hasattr(log, "timeline_events"):
                return list(log.timeline_events())
            return [a.event for a in log if getattr(a, "event", None) is not None]
        return list(self._fallback_actions)

    def unsaved_actions(self) -> list[TimelineEvent]:
        """The runtime actions not in the scenario's Timelines yet (a second "Save as timeline" wrote the first
        one's events again, so a reload played every one of them twice: HG)."""
        saved = list(self.base_model.timeline)
        out = []
        for a in self.actions:
            if a in saved:
                saved.remove(a)  # each saved event accounts for one action
            else:
                out.append(a)
        return out

    def timeline_object(self, name: str = "live-actions") -> dict:
        """The runtime actions not saved yet as a Timeline object of the scenario format."""
        unsaved = self.unsaved_actions()
        if self.live_api:
            try:
                from core.live.actions import timeline_entries
            except ImportError:
                timeline_entries = None
            if timeline_entries is not None:
                return {"apiVersion": "podpath.dev/v1alpha1", "kind": "Timeline", "metadata": {"name": name},
                        "spec": {"events": timeline_entries(unsaved)}}
        events = []
        for a in unsaved:
            e: dict = {"at": _clean_number(a.at), "action": a.action}
            if a.target:
                e["target"] = a.target
            if a.value is not None:
                e["value"] = a.value
            events.append(e)
        return {"apiVersion": "podpath.dev/v1alpha1", "kind": "Timeline", "metadata": {"name": name},
                "spec": {"events": events}}

    # -- views of the state ---------------------------------------------------------------------------
    def proxy_mode(self, node: str | None = None) -> tuple[str, str]:
        """(mode, IPVS scheduler) of a node's kube-proxy as programmed (default: the desired config)."""
        state = self.sim.state
        cfg = state.proxy_config
        if node is not None and node in state.proxy_views:
            cfg = state.proxy_views[node].config
        return cfg.mode, cfg.ipvs_scheduler

    def rules(self, node: str, mode: str | None = None):
        """``core.proxy.ruleset.RuleSet`` of ``node`` now. Kept while nothing it is made of changed: at 2,000
        pods a node's iptables rules take ~0.25 s to render and parse, and the panels ask every second."""
        self._wait()
        wanted = (node, mode)
        if wanted in self._rules_wanted:
            self._rules_wanted.remove(wanted)
        self._rules_wanted = [wanted] + self._rules_wanted[:1]  # the panel's node, and the one before
        return self._rules_now(node, mode)

    def _rules_now(self, node: str, mode: str | None, pause=None):
        from core.proxy.ruleset import node_mode, parse_rules, render_for_node

        sim = self._sim
        state = sim.state
        view = state.proxy_views.get(node)
        key = (id(sim), id(sim.model), state.version, getattr(state, "proxy_views_version", 0),
               view.version if view is not None else -1, repr(view.config) if view is not None else None,
               repr(state.proxy_config))  # repr: the configs are mutable dataclasses
        cached = self._rules_cache.get((node, mode))
        if cached is not None and cached[0] == key:
            return cached[1]
        # (render_rules, in parts: the worker lets a GUI frame through between them -- ~150 ms in all at 2,000 pods)
        text = render_for_node(sim.model, state, node, mode)
        if pause is not None:
            pause()
        ruleset = parse_rules(text, mode or node_mode(state, node), node)
        if pause is not None:
            pause()
        if len(self._rules_cache) >= 16:
            self._rules_cache.clear()
        self._rules_cache[(node, mode)] = (key, ruleset)
        return ruleset

    def _prepare_rules(self, pause=None) -> None:
        """In the worker: bring the rules last asked for up to date (a failure is left for ``rules()`` to
        raise where it is asked)."""
        for node, mode in list(self._rules_wanted):
            try:
                self._rules_now(node, mode, pause).ip_index()  # (the panel ghosts the lines of stale endpoints with it)
            except Exception:  # noqa: BLE001, S112 (a node gone, a mode without rule text: asked again, it raises)
                continue

    def expected_shares(self, service: ObjectRef) -> dict[ObjectRef, float]:
        """Each pod's expected share of ``service``'s new connections in the current mode."""
        plane = self.sim.dataplane
        if plane is None:
            return {}
        views = self.sim.state.proxy_views
        cfg = self.sim.state.proxy_config
        # the data plane compiles a node's tables when it next routes after a sync, so what it has compiled is
        # part of the key too (a pod scaled up appeared in the bars without its expected mark)
        compiled = getattr(getattr(plane, "proxies", None), "_seen_version", {})
        key = (self.sim.state.version, sum(v.version for v in views.values()), cfg.mode, cfg.ipvs_scheduler,
               tuple((v.config.mode, v.config.ipvs_scheduler) for v in list(views.values())[:1]),
               len(compiled), sum(compiled.values()))
        cached = self._expected_cache.get(service)
        if cached is not None and cached[0] == key:
            return cached[1]
        out = self._expected_shares(plane, service)
        if out:  # nothing yet: the data plane compiles its tables on the first routed piece
            self._expected_cache[service] = (key, out)
        return out

    def _expected_shares(self, plane, service: ObjectRef) -> dict[ObjectRef, float]:
        if hasattr(plane, "expected_pod_shares"):
            return dict(plane.expected_pod_shares(service))
        reg = plane.registry
        by_ep = {f"{reg.ip[e]}:{reg.port[e]}": ObjectRef("Pod", *reg.pod[e]) for e in range(len(reg))}
        out: dict[ObjectRef, float] = {}
        for item in plane.services.items:
            if item.label.split(":", 1)[0] != f"{service.namespace}/{service.name}":
                continue
            for key, s in plane.expected_shares(item.label).items():
                pod = by_ep.get(key)
                if pod is not None:
                    out[pod] = out.get(pod, 0.0) + s
        total = sum(out.values())
        return {k: v / total for k, v in out.items()} if total else {}

    def balanced_services(self) -> list[ObjectRef]:
        """Services whose requests the series have counted, plus every Service with a selector."""
        seen = set(self.series.services()) if self.series is not None else set()
        for s in self.sim.model.services:
            if s.selector and s.type != "ExternalName" and s.cluster_ip != "None":
                seen.add(ObjectRef("Service", s.namespace, s.name))
        return sorted(seen, key=lambda r: (r.namespace, r.name))

    def placement(self, pod: ObjectRef):
        return self.sim.placement((pod.namespace, pod.name))


def _clean_number(x: float):
    r = round(float(x), 6)
    return int(r) if r == int(r) else r
