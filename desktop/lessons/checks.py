"""Checking a lesson's facts against a headless run: what a caption or a reveal claims is what the simulation gives.

No Qt and no simulation logic here: the scenario runs in ``core.engine.Simulation`` exactly as ``podpath run``
would run it, and this module only adds up each tick's traffic figures over a check's time window. A check
naming some Traffic runs the scenario with only that Traffic (the rest of the cluster and the timeline as in
the file), so a claim about "the static route" is not blurred by the Service's requests.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass

import numpy as np

from core.engine import Simulation
from core.model import ClusterModel
from desktop.lessons.model import Check, Lesson, Range


@dataclass
class Window:
    """Traffic added up over [t0, t1)."""

    sent: int
    delivered: int
    dropped: Counter
    by_node: Counter
    by_ip: Counter
    by_pod: Counter
    latency_p50: float | None


@dataclass(frozen=True)
class Outcome:
    step: int
    where: str
    check: Check
    failures: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


class _Run:
    """One headless run, tick by tick, kept so several windows can be added up."""

    def __init__(self, model: ClusterModel, traffic: tuple[str, ...], until: float):
        m = copy.deepcopy(model)
        if traffic:
            m.traffic = [t for t in m.traffic if t.name in traffic]
        sim = Simulation(m)
        self.ticks = []
        while sim.time < until - 1e-9:
            tick = sim.step(min(m.simulation.tick, until - sim.time))
            if tick.traffic is not None:
                self.ticks.append(tick.traffic)

    def window(self, t0: float, t1: float) -> Window:
        dropped: Counter = Counter()
        by_node: Counter = Counter()
        by_ip: Counter = Counter()
        by_pod: Counter = Counter()
        sent = delivered = 0
        lat = []
        for tr in self.ticks:
            if tr.t0 < t0 - 1e-9 or tr.t1 > t1 + 1e-9:
                continue
            sent += tr.sent
            delivered += tr.delivered
            dropped.update(tr.dropped)
            for (_svc, pod, ip, _port, node), n in tr.endpoint_counts.items():
                by_node[node] += n
                by_ip[ip] += n
                by_pod[pod] += n
            lat.append(tr.latencies_ms)
        lats = np.concatenate(lat) if lat else np.zeros(0)
        p50 = float(np.percentile(lats, 50)) if lats.size else None
        return Window(sent, delivered, dropped, by_node, by_ip, by_pod, p50)


def _judge(name: str, rng: Range | None, value: float | None, out: list[str]) -> None:
    if rng is None:
        return
    if value is None or not rng.holds(value):
        out.append(f"{name} is {value if value is not None else 'none'}, expected {rng.describe()}")


def judge(check: Check, w: Window) -> list[str]:
    """Every way the window differs from the check (empty when the fact holds)."""
    out: list[str] = []
    _judge("delivered", check.delivered, w.delivered, out)
    for reason, rng in check.dropped.items():
        _judge(f"dropped[{reason}]", rng, w.dropped.get(reason, 0), out)
    for node, rng in check.nodes.items():
        _judge(f"delivered by pods on {node}", rng, w.by_node.get(node, 0), out)
    for ip, rng in check.ips.items():
        _judge(f"delivered by {ip}", rng, w.by_ip.get(ip, 0), out)
    _judge("pods that answered", check.endpoints, len(w.by_pod), out)
    counts = list(w.by_pod.values())
    _judge("spread (max - min per pod)", check.spread, (max(counts) - min(counts)) if counts else None, out)
    _judge("median latency (ms)", check.latency_p50, w.latency_p50, out)
    return out


def evaluate(lesson: Lesson, model: ClusterModel) -> list[Outcome]:
    """Run the lesson's scenario headless (once per distinct Traffic selection) and judge every check."""
    checks = lesson.all_checks()
    until = max([c.t1 for _, _, c in checks] + [0.0])
    runs: dict[tuple[str, ...], _Run] = {}
    out = []
    for step, where, check in checks:
        key = tuple(sorted(check.traffic))
        if key not in runs:
            runs[key] = _Run(model, key, until)
        out.append(Outcome(step, where, check, tuple(judge(check, runs[key].window(check.t0, check.t1)))))
    return out
