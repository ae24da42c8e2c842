"""The simulation engine: a simulated clock, the control plane and the data plane, steppable at any rate.

``Simulation(model, seed)`` builds the running cluster at t=0; ``step(dt)`` advances the clock by ``dt``.
Runs do not depend on how time is sliced: ``run(until)`` and any sequence of ``step`` calls reaching the
same time give the same events, counts and drops, because

* traffic is routed in fixed pieces: the quanta ``[k*Q, (k+1)*Q)`` (``Q = quantum``, 10 ms by default), cut
  at every control-plane timer and every runtime action -- never at a step boundary. A step routes the
  pieces that are complete by its end, so ``tick.traffic`` may end up to one quantum before ``tick.time``;
* the control plane draws from ``rng`` (scheduler ties, generated pod names) and each traffic flow from its
  own generator keyed by the seed and the flow (``core.dataplane.flows``), so the draws of one never shift
  the other's;
* runtime actions (``apply``, ``edit`` and the helpers ``fail_node`` ...) happen at the current time, after
  the control-plane timers due then; they are kept in ``actions`` and replay at the same place.

Checkpoints (``snapshot``/``restore``, ``seek``) live in ``core.live.checkpoints``; docs/live-api.md
describes the whole live API. Nothing here is global: several simulations can run side by side.
"""

from __future__ import annotations

import importlib.util
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.control.controlplane import ControlPlane
from core.control.lifecycle import EPS, round_time
from core.control.scheduler import Placement
from core.live.actions import ActionLog, LoggedAction
from core.live.checkpoints import CheckpointStore, Snapshot, restore_into, take_snapshot
from core.model import ClusterModel, TimelineEvent, Timing
from core.state import Change, ClusterEvent, ClusterState

QUANTUM = 0.01  # seconds: the data plane's fixed routing piece


@dataclass(frozen=True)
class Tick:
    """The result of one ``step``: immutable."""

    time: float  # the simulated time at the end of the step
    dt: float
    events: tuple[ClusterEvent, ...]  # kubectl-style events since the previous tick (actions' included)
    state_version: int
    traffic: object | None = None  # the TrafficTick routed in this step; None without a data plane
    changes: tuple[Change, ...] = ()  # typed changes since the previous tick


class Simulation:
    """One simulated cluster over time. The GUI, ``podpath run`` and ``podpath route`` all drive this."""

    def __init__(self, model: ClusterModel, seed: int | None = None, *, timing: Timing | None = None,
                 dataplane: bool = True, quantum: float = QUANTUM, checkpoint_interval: float | None = 5.0,
                 max_checkpoints: int = 64):
        if not (quantum > 0 and math.isfinite(quantum)):
            raise ValueError(f"quantum must be a positive number of seconds, got {quantum!r}")
        self.model = model
        self.seed = int(model.simulation.seed if seed is None else seed)
        self.quantum = float(quantum)
        self.rng: np.random.Generator = np.random.default_rng(self.seed)
        self.control = ControlPlane(model, self.rng, timing if timing is not None else model.simulation.timing)
        self.control.owner_sim = self
        # called between the pieces of a step (each routed piece, each control-plane timer): a caller stepping
        # in a thread of its own may block here to let another thread run (a GUI's frame: the core is mostly
        # pure Python and shares the GIL with it). It must not touch the simulation; the run is the same.
        self.pause_point: Callable[[], None] | None = None
        self.document = None  # the scenario Document, when known (core.live.edits.track_document)
        self.state: ClusterState = self.control.state
        for event in sorted(model.timeline, key=lambda e: e.at):
            self.schedule(event)
        self.dataplane: object | None = None
        if dataplane and importlib.util.find_spec("core.dataplane") is not None:
            from core.dataplane import DataPlane  # noqa: PLC0415  (optional layer)

            self.dataplane = DataPlane(self)
        self.traffic_time = 0.0  # traffic is routed up to here (<= time)
        self._parts: list = []  # pieces routed since the last tick (by actions between ticks)
        self._reported = len(self.state.events)  # events already handed out (t=0's are in state.events)
        self.state.changes.clear()  # the cluster as built is the starting picture, not a change
        self.actions = ActionLog()
        self._next_action = 0  # actions[:_next_action] are applied; the rest replay when time reaches them
        self.checkpoints = CheckpointStore(self, checkpoint_interval, max_checkpoints)
        self.checkpoints.maybe_take()

    @property
    def time(self) -> float:
        return self.state.time

    @property
    def timing(self) -> Timing:
        """The control plane's delays now (a ``setTimingPreset`` action changes them)."""
        return self.control.timing

    def apply_timeline_object(self, event: TimelineEvent) -> None:
        """A Timeline ``applyObject`` / ``deleteObject`` event: edit the tracked document, apply the result."""
        from core.live.edits import apply_timeline_object  # noqa: PLC0415

        apply_timeline_object(self, event)

    # ------------------------------------------------------------------------------------------ timeline
    def schedule(self, event: TimelineEvent) -> None:
        """Add a scenario timeline event (e.g. ``podpath run --fail``); raises ValueError if it is invalid.
        An event in the past fires at the start of the next step. Runtime actions use ``apply`` instead."""
        try:
            at = float(event.at)
        except (TypeError, ValueError):
            raise ValueError(f"timeline event time must be a number of seconds, got {event.at!r}") from None
        if not at >= 0:
            raise ValueError(f"timeline event time must be >= 0 seconds, got {event.at!r}")
        self.control.check_timeline_event(event)
        self.control.at(at, "timeline", event)

    # ------------------------------------------------------------------------------------------ stepping
    def step(self, dt: float | None = None) -> Tick:
        """Advance the clock by ``dt`` seconds (default: the scenario's tick)."""
        dt = float(self.model.simulation.tick if dt is None else dt)
        if not (dt >= 0 and math.isfinite(dt)):
            raise ValueError(f"step: dt must be a finite number of seconds >= 0, got {dt!r}")
        wall = time.perf_counter()
        t0 = self.state.time
        t1 = round_time(t0 + dt)
        self._advance(t1)
        tick = self._tick(t0, t1)
        self.checkpoints.stepped += time.perf_counter() - wall
        if self.pause_point is not None:  # (a checkpoint is one pickle: ~50 ms holding the GIL at 2,000 pods)
            self.pause_point()
        self.checkpoints.maybe_take()
        return tick

    def run(self, until: float) -> Tick:
        """Step with the scenario's tick until ``time >= until`` (the last step is shortened to land on
        ``until``); returns the last tick. The result does not depend on the tick."""
        tick = self.model.simulation.tick
        if not tick > 0:
            raise ValueError(f"simulation tick must be > 0 seconds, got {tick!r}")
        last = None
        while last is None or self.state.time < until - 1e-9:
            last = self.step(min(tick, max(0.0, until - self.state.time)))
        return last

    def _next_grid(self, t: float) -> float:
        return round_time((math.floor(t / self.quantum + 1e-7) + 1) * self.quantum)

    def _advance(self, t1: float) -> None:
        """Route complete pieces and run control-plane timers and logged actions, in time order, up to t1."""
        plane = self.dataplane
        control = self.control
        while True:
            nt = control.next_time()
            na = self.actions[self._next_action].at if self._next_action < len(self.actions) else None
            cut = min((t for t in (nt, na) if t is not None), default=None)
            active = plane is not None and plane.active(self.traffic_time, t1)  # type: ignore[attr-defined]
            if active:
                g = self._next_grid(self.traffic_time)
                cut = g if cut is None else min(cut, g)
            if cut is None or cut > t1 + EPS:
                break
            if active and cut > self.traffic_time + EPS:
                self._route_to(cut)
                if self.pause_point is not None:
                    self.pause_point()
            control.advance(cut)
            while self._next_action < len(self.actions) and self.actions[self._next_action].at <= cut + EPS:
                self._execute(self.actions[self._next_action])
                self._next_action += 1
        control.advance(t1)
        if plane is None or not plane.active(self.traffic_time, t1):  # type: ignore[attr-defined]
            # nothing can send before t1: nothing to route, the pieces restart from t1
            self.traffic_time = max(self.traffic_time, t1)

    def _route_to(self, t: float) -> None:
        """Route [traffic_time, t) as one piece (t is a quantum boundary, a timer or an action time)."""
        plane = self.dataplane
        if plane is not None and t > self.traffic_time + EPS:
            if plane.active(self.traffic_time, t):  # type: ignore[attr-defined]
                self._parts.append(plane.route(self.traffic_time, t))  # type: ignore[attr-defined]
            self.traffic_time = t

    def _tick(self, t0: float, t1: float) -> Tick:
        traffic = None
        plane = self.dataplane
        if plane is not None:
            parts, self._parts = self._parts, []
            if not parts:
                from core.dataplane.plane import TrafficTick  # noqa: PLC0415

                parts = [TrafficTick(self.traffic_time, self.traffic_time, 0, 0, {}, {}, np.zeros(0), 0)]
            traffic = plane.finish_tick(parts)  # type: ignore[attr-defined]
        events = tuple(self.state.events[self._reported:])
        self._reported = len(self.state.events)
        changes = tuple(self.state.changes)
        self.state.changes.clear()
        return Tick(t1, round_time(t1 - t0), events, self.state.version, traffic, changes)

    # ------------------------------------------------------------------------------------------ actions
    def apply(self, action: TimelineEvent) -> None:
        """Apply a runtime action now (its ``at`` is ignored: it happens at ``time``) and log it.

        Raises ValueError (nothing changes) when the action is invalid. Logged actions after ``time`` (left
        over from a ``seek`` back) are discarded first: a new action starts a new future."""
        from core.live.actions import check_action  # noqa: PLC0415

        now = self.state.time
        action = TimelineEvent(now, action.action, action.target, action.value)
        check_action(self, action)
        self._discard_future()
        entry = self.actions.append(now, action)
        self._apply_logged(entry)

    def edit(self, model: ClusterModel, *, objects: tuple = ()) -> None:
        """Apply a changed scenario (e.g. rebuilt from the edited Document) now, without restarting time.
        ``objects``: the changed manifests as (op, raw) pairs, kept for writing the Timeline."""
        from core.live.edits import check_edit  # noqa: PLC0415

        check_edit(self, model)
        self._discard_future()
        entry = self.actions.append(self.state.time, None, model=model, objects=tuple(objects))
        self._apply_logged(entry)

    def replay(self, actions) -> None:
        """Take over logged actions (e.g. another run's ``actions``): those not yet applied and at or after the
        current time replay when time reaches them, exactly where they happened."""
        self._discard_future()
        for entry in actions:
            if entry.at >= self.time - EPS:
                self.actions.append(entry.at, entry.event, model=entry.model, objects=entry.objects)

    def _apply_logged(self, entry: LoggedAction) -> None:
        self._route_to(entry.at)  # traffic before the action sees the cluster before it
        self._execute(entry)
        self._next_action = len(self.actions)

    def _execute(self, entry: LoggedAction) -> None:
        from core.live.actions import execute  # noqa: PLC0415

        execute(self, entry)

    def _discard_future(self) -> None:
        if self._next_action < len(self.actions):
            self.actions.truncate(self._next_action)
        self.checkpoints.discard_after(self.state.time)

    def fail_node(self, name: str) -> None:
        self.apply(TimelineEvent(self.time, "failNode", name))

    def recover_node(self, name: str) -> None:
        self.apply(TimelineEvent(self.time, "recoverNode", name))

    def cordon(self, name: str) -> None:
        self.apply(TimelineEvent(self.time, "cordon", name))

    def uncordon(self, name: str) -> None:
        self.apply(TimelineEvent(self.time, "uncordon", name))

    def drain(self, name: str) -> None:
        self.apply(TimelineEvent(self.time, "drain", name))

    def delete_pod(self, target: str) -> None:
        self.apply(TimelineEvent(self.time, "deletePod", target))

    def scale(self, target: str, replicas: int) -> None:
        self.apply(TimelineEvent(self.time, "scale", target, replicas))

    def set_proxy_mode(self, mode: str) -> None:
        self.apply(TimelineEvent(self.time, "setProxyMode", "", mode))

    def set_ipvs_scheduler(self, scheduler: str) -> None:
        self.apply(TimelineEvent(self.time, "setIPVSScheduler", "", scheduler))

    def set_scheduler(self, strategy: str) -> None:
        self.apply(TimelineEvent(self.time, "setScheduler", "", strategy))

    def set_timing_preset(self, preset: str) -> None:
        self.apply(TimelineEvent(self.time, "setTimingPreset", "", preset))  # type: ignore[arg-type]

    # ------------------------------------------------------------------------------------------ time travel
    def snapshot(self) -> Snapshot:
        """The whole simulated state now (not the action log or the checkpoints): cheap to keep, restorable
        any number of times."""
        return take_snapshot(self)

    def restore(self, snap: Snapshot) -> None:
        """Go back (or forward) to a snapshot of this simulation. Logged actions after it replay when time
        reaches them again (``apply`` or ``edit`` after the restore discards them)."""
        restore_into(self, snap)

    def seek(self, t: float) -> Tick | None:
        """Stand at simulated time ``t``: forward by stepping, backward from the latest checkpoint at or
        before ``t`` (at most one checkpoint interval of re-simulation). Returns the tick of the re-simulated
        stretch (None when ``t`` is now)."""
        t = float(t)
        if not (t >= 0 and math.isfinite(t)):
            raise ValueError(f"seek: time must be a finite number of seconds >= 0, got {t!r}")
        t = round_time(t)
        snap = self.checkpoints.latest_at(t)
        if t < self.time - EPS and snap is None:
            raise ValueError(f"seek: no checkpoint at or before {t:g} s")
        if snap is not None and (t < self.time - EPS or snap.time > self.time + EPS):
            self.restore(snap)  # back, or forward past a checkpoint kept from before a seek back
        if t > self.time + EPS:
            return self.step(t - self.time)
        return None

    def placement(self, pod_key) -> Placement | None:
        """Per-plugin, per-node scores of the last placement of ``pod_key`` (namespace, name), if kept."""
        return self.control.placements.get(tuple(pod_key))
