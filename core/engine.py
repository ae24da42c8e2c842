"""The simulation engine: a simulated clock, one seeded numpy Generator, the control plane and the data plane.

``Simulation(model, seed)`` builds the running cluster at t=0; ``step(dt)`` advances the clock by ``dt``,
processing every timed event (timeline actions and control-plane timers) in time order inside
``[t, t + dt]``, then lets the data plane (if ``core.dataplane`` exists) route the interval's traffic.
Nothing here is global: several simulations can run side by side, and the same model and seed give the
same event log byte for byte.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import numpy as np

from core.control.controlplane import ControlPlane
from core.control.lifecycle import round_time
from core.control.scheduler import Placement
from core.model import ClusterModel, TimelineEvent, Timing
from core.state import ClusterEvent, ClusterState


@dataclass(frozen=True)
class Tick:
    """The result of one ``step``: immutable."""

    time: float  # the simulated time at the end of the step
    dt: float
    events: tuple[ClusterEvent, ...]  # events raised during this step
    state_version: int
    traffic: object | None = None  # what ``dataplane.route`` returned; None without a data plane


class Simulation:
    """One simulated cluster over time. The GUI and ``podpath run`` both drive this."""

    def __init__(self, model: ClusterModel, seed: int | None = None, *, timing: Timing | None = None,
                 dataplane: bool = True):
        self.model = model
        self.seed = int(model.simulation.seed if seed is None else seed)
        self.timing = timing if timing is not None else model.simulation.timing
        self.rng: np.random.Generator = np.random.default_rng(self.seed)
        self.control = ControlPlane(model, self.rng, self.timing)
        self.state: ClusterState = self.control.state
        for event in sorted(model.timeline, key=lambda e: e.at):
            self.schedule(event)
        self.dataplane: object | None = None
        if dataplane and importlib.util.find_spec("core.dataplane") is not None:
            from core.dataplane import DataPlane  # noqa: PLC0415  (optional layer, built in parallel)

            self.dataplane = DataPlane(self)

    @property
    def time(self) -> float:
        return self.state.time

    def schedule(self, event: TimelineEvent) -> None:
        """Add a timeline event at runtime (e.g. the GUI's "fail node"); raises ValueError if it is invalid.
        An event in the past fires at the start of the next step."""
        try:
            at = float(event.at)
        except (TypeError, ValueError):
            raise ValueError(f"timeline event time must be a number of seconds, got {event.at!r}") from None
        if not at >= 0:
            raise ValueError(f"timeline event time must be >= 0 seconds, got {event.at!r}")
        self.control.check_timeline_event(event)
        self.control.at(at, "timeline", event)

    def step(self, dt: float | None = None) -> Tick:
        """Advance the clock by ``dt`` seconds (default: the scenario's tick)."""
        dt = float(self.model.simulation.tick if dt is None else dt)
        if not dt >= 0:
            raise ValueError(f"step: dt must be >= 0 seconds, got {dt!r}")
        t0 = self.state.time
        t1 = round_time(t0 + dt)
        first = len(self.state.events)
        traffic = None
        plane = self.dataplane
        if plane is None:
            self.control.advance(t1)
        else:
            # Requests see the cluster as it is when they arrive: the interval is cut at every control-plane
            # event inside it, each piece routed with the state after the events before it. Events at t1
            # itself take effect for the next step's requests.
            parts = []
            t = t0
            self.control.advance(t0)  # events scheduled for "now" apply before any request
            if plane.active(t0, t1):  # type: ignore[attr-defined]
                while (nt := self.control.next_time()) is not None and nt < t1 - 1e-9:
                    if nt > t + 1e-12:
                        parts.append(plane.route(t, nt))  # type: ignore[attr-defined]
                        t = nt
                    self.control.advance(nt)
            parts.append(plane.route(t, t1))  # type: ignore[attr-defined]
            self.control.advance(t1)
            traffic = plane.finish_tick(parts)  # type: ignore[attr-defined]
        return Tick(t1, t1 - t0, tuple(self.state.events[first:]), self.state.version, traffic)

    def run(self, until: float) -> Tick:
        """Step with the scenario's tick until ``time >= until`` (the last step is shortened to land on
        ``until``); returns the last tick."""
        tick = self.model.simulation.tick
        if not tick > 0:
            raise ValueError(f"simulation tick must be > 0 seconds, got {tick!r}")
        last = None
        while last is None or self.state.time < until - 1e-9:
            last = self.step(min(tick, max(0.0, until - self.state.time)))
        return last

    def placement(self, pod_key) -> Placement | None:
        """Per-plugin, per-node scores of the last placement of ``pod_key`` (namespace, name), if kept."""
        return self.control.placements.get(tuple(pod_key))
