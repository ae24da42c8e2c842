"""Control-plane benchmark at Kubernetes' documented limits: 5,000 nodes, 150,000 pods, 10,000 Services.

Prints: time to initial placement, one steady-state control-plane step, a full node-failure recovery
(fail a node, run until its pods' replacements are Ready), and the step time at 1/8, 1/4, 1/2 and 1x the
pods (nodes fixed) with the ratios, which should grow no worse than linearly.

    .venv/bin/python benchmarks/bench_control.py            # full size (several minutes)
    .venv/bin/python benchmarks/bench_control.py --quick    # 1/10 scale, well under a minute
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.engine import Simulation  # noqa: E402
from core.model import (  # noqa: E402
    ClusterModel,
    Container,
    ContainerPort,
    NodeSpec,
    PodTemplate,
    Resources,
    ServicePort,
    ServiceSpec,
    TimelineEvent,
    Timing,
    WorkloadSpec,
)

FULL_NODES, FULL_PODS, FULL_SERVICES = 5000, 150_000, 10_000


def build_cluster(nodes: int, pods: int, services: int) -> ClusterModel:
    """``nodes`` nodes in 3 zones (16 CPU, 64 GiB, 110 pods each, a /22 podCIDR each so that 5,000 fit in a
    /8), ``services`` Deployments each exposed by one Service, ``pods`` replicas spread over them."""
    m = ClusterModel()
    m.cluster.pod_subnet = "10.0.0.0/8"
    m.cluster.node_cidr_mask_size = 22
    m.cluster.node_subnet = "172.16.0.0/16"
    res = Resources(16000, 64 << 30, 110)
    m.nodes = [NodeSpec(f"node-{i}", labels={"topology.kubernetes.io/zone": f"zone-{i % 3}"},
                        capacity=res, allocatable=res) for i in range(nodes)]
    services = max(1, services)
    base, extra = divmod(pods, services)
    for s in range(services):
        labels = {"app": f"app-{s}"}
        tpl = PodTemplate(labels=labels, containers=(
            Container("app", ports=(ContainerPort(8080, "http"),), requests=Resources(100, 128 << 20)),))
        m.workloads.append(WorkloadSpec("Deployment", "default", f"app-{s}", base + (s < extra), labels, tpl))
        m.services.append(ServiceSpec("default", f"app-{s}", ports=(ServicePort(80, target_port="http"),),
                                      selector=labels))
    m.simulation.timing = Timing()
    return m


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def steady_step(sim: Simulation, n: int = 50, rounds: int = 5) -> float:
    """Median over ``rounds`` of the mean wall time of ``n`` quiet 0.1 s steps."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(n):
            sim.step(0.1)
        times.append((time.perf_counter() - t0) / n)
    return statistics.median(times)


def busy_step(sim: Simulation, deletions: int = 10, rounds: int = 5) -> float:
    """Median over ``rounds`` of the wall time of the steps that delete ``deletions`` pods, create and place
    replacements, republish their Services' EndpointSlices and sync every kube-proxy (1.1 s simulated)."""
    times = []
    for _ in range(rounds):
        keys = sorted(k for k, p in sim.state.pods.items() if not p.terminating)[:deletions]
        t = sim.time
        for k in keys:
            sim.schedule(TimelineEvent(t + 0.05, "deletePod", f"{k[0]}/{k[1]}"))
        t0 = time.perf_counter()
        sim.step(0.1)
        sim.step(1.0)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def failure_recovery(sim: Simulation) -> tuple[float, float, int]:
    """Fail node-0 now; run (1 s steps) until every replacement of its pods is Ready.
    Returns (wall seconds, simulated seconds, pods moved)."""
    victims = [k for k, p in sim.state.pods.items() if p.node == "node-0" and not p.terminating]
    owners = {sim.state.pods[k].owner for k in victims}
    t_fail = sim.time
    sim.schedule(TimelineEvent(t_fail, "failNode", "node-0"))
    timing = sim.timing
    horizon = (timing.node_monitor_grace_period + timing.node_monitor_period + timing.toleration_seconds
               + timing.pod_startup + 30.0)

    def done() -> bool:
        if any(not sim.state.pods[k].terminating for k in victims if k in sim.state.pods):
            return False
        live = [p for p in sim.state.pods.values() if p.owner in owners and not p.terminating]
        return all(p.ready for p in live) and sum(p.node == "node-0" for p in live) == 0

    t0 = time.perf_counter()
    while sim.time < t_fail + horizon:
        sim.step(1.0)
        if sim.time > t_fail + timing.node_monitor_grace_period and done():
            break
    wall = time.perf_counter() - t0
    if not done():
        raise RuntimeError("replacements did not become Ready within the horizon")
    return wall, sim.time - t_fail, len(victims)


def run_benchmark(scale: float = 1.0, out: TextIO = sys.stdout) -> dict[str, float]:
    nodes = max(3, int(FULL_NODES * scale))
    pods = max(8, int(FULL_PODS * scale))
    services = max(1, int(FULL_SERVICES * scale))
    out.write(f"cluster: {nodes} nodes, {pods} pods, {services} Services (scale {scale:g})\n")
    results: dict[str, float] = {}
    model = build_cluster(nodes, pods, services)
    t_place, sim = timed(lambda: Simulation(model, seed=1, dataplane=False))
    placed = sum(p.node is not None for p in sim.state.pods.values())
    results["initial_placement_s"] = t_place
    out.write(f"initial placement: {t_place:.2f} s for {placed} pods ({t_place / max(1, placed) * 1e6:.0f} us/pod)\n")
    results["steady_step_ms"] = steady_step(sim) * 1e3
    out.write(f"steady-state step (0.1 s simulated): {results['steady_step_ms']:.3f} ms\n")
    wall, simulated, moved = failure_recovery(sim)
    results["failure_recovery_s"] = wall
    out.write(f"node failure -> replacements Ready: {wall:.2f} s wall for {simulated:.0f} s simulated, "
              f"{moved} pods moved\n")
    out.write("step time vs pods (nodes fixed):\n")
    rows = []
    for frac in (0.125, 0.25, 0.5, 1.0):
        m = build_cluster(nodes, max(8, int(pods * frac)), max(1, int(services * frac)))
        s = Simulation(m, seed=1, dataplane=False)
        steady = steady_step(s)
        busy = busy_step(s)
        rows.append((frac, steady, busy))
    base_steady, base_busy = rows[0][1], rows[0][2]
    for frac, steady, busy in rows:
        out.write(f"  {frac:>5g}x pods: steady {steady * 1e3:8.3f} ms (x{steady / base_steady:5.2f})   "
                  f"busy {busy * 1e3:8.2f} ms (x{busy / base_busy:5.2f})   pods x{frac / 0.125:g}\n")
        results[f"steady_ms_{frac:g}"] = steady * 1e3
        results[f"busy_ms_{frac:g}"] = busy * 1e3
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1/10 scale (500 nodes, 15,000 pods)")
    parser.add_argument("--scale", type=float, default=None, help="fraction of the documented limits")
    args = parser.parse_args(argv)
    scale = args.scale if args.scale is not None else (0.1 if args.quick else 1.0)
    if not 0 < scale <= 1:
        parser.error(f"--scale must be in (0, 1], got {scale}")
    t0 = time.perf_counter()
    run_benchmark(scale)
    print(f"total: {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
