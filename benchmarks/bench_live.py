"""The live API's costs: per-step overhead on the demo, one control-plane event at scale, checkpoints.

    .venv/bin/python benchmarks/bench_live.py [--quick] [--rounds N] [--no-scale]

* Demo, per-step overhead of 50 ms steps: the same 10 simulated seconds (the scenario's own traffic) run
  once as 200 steps of 50 ms and once as one 10 s step. Both route exactly the same 10 ms pieces (runs do
  not depend on slicing), so the difference divided by 200 is what a step itself costs (the target is
  <= 0.2 ms). Checkpoints are on (the default, every 5 s) in both.
* At Kubernetes' limits (5,000 nodes, 150,000 pods, 10,000 Services; ``--quick``: 1/10), with a traffic
  flow routing every 10 ms piece: a baseline 50 ms step, then one control-plane event -- a pod deletion, or
  a node failure -- applied and the next 50 ms step; then the step in which every kube-proxy syncs the
  change (1 s later, minSyncPeriod) and, for the node failure, the steps in which the node is marked
  NotReady (classroom timing: 5 s) and its pods leave every Service. "Adds" = event step - baseline step,
  from pairs run back to back; the figure is the median over rounds (target <= 16 ms).
* Checkpoints: snapshot size and time, restore time, and seek back by one checkpoint interval (restore +
  re-simulation), on the demo and at scale.

Every figure is the median of interleaved pairs (or of repeated runs for single costs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_control import FULL_NODES, FULL_PODS, FULL_SERVICES, build_cluster  # noqa: E402
from core.engine import Simulation  # noqa: E402
from core.model import Timing  # noqa: E402
from core.scenario import load_model  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "resources" / "scenarios" / "demo.yaml"
STEP = 0.05


def _t(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def demo_overhead(rounds: int, seconds: float = 10.0) -> dict:
    model = load_model(DEMO)
    n = int(round(seconds / STEP))
    diffs, sliced, whole = [], [], []
    for r in range(rounds):
        def many(r=r):
            sim = Simulation(model, seed=r)
            for _ in range(n):
                sim.step(STEP)

        def one(r=r):
            Simulation(model, seed=r).step(seconds)

        # interleaved pair, order alternating; construction is in both and cancels out
        if r % 2:
            b, a = _t(one), _t(many)
        else:
            a, b = _t(many), _t(one)
        sliced.append(a / n)
        whole.append(b / n)
        diffs.append((a - b) / n)
    return {"steps": n, "step_ms": statistics.median(sliced) * 1e3, "one_step_share_ms": statistics.median(whole) * 1e3,
            "overhead_ms": statistics.median(diffs) * 1e3}


def checkpoint_costs(sim: Simulation, rounds: int, interval: float = 5.0) -> dict:
    """Snapshot and restore now; then the worst seek back: a checkpoint at T, ``interval`` s simulated in
    50 ms steps, and a seek to just before T + interval (restore + ``interval`` s of re-simulation)."""
    snaps, restores, seeks = [], [], []
    size = 0
    for _ in range(rounds):
        t_snap = time.perf_counter()
        snap = sim.snapshot()
        snaps.append(time.perf_counter() - t_snap)
        size = snap.size
        restores.append(_t(lambda: sim.restore(snap)))  # noqa: B023
    sim.checkpoints.interval = None  # only the checkpoint taken here
    start = sim.time
    sim.checkpoints.take()
    for _ in range(int(round(interval / STEP))):
        sim.step(STEP)
    end = sim.time
    for _ in range(rounds):
        seeks.append(_t(lambda: sim.seek(end - 1e-3)))  # noqa: B023
        sim.seek(end)
    return {"snapshot_ms": statistics.median(snaps) * 1e3, "snapshot_mb": size / 1e6,
            "restore_ms": statistics.median(restores) * 1e3, "seek_back_ms": statistics.median(seeks) * 1e3,
            "interval_s": end - start}


def scale_model(scale: float):
    nodes, pods, services = (max(3, int(FULL_NODES * scale)), max(10, int(FULL_PODS * scale)),
                             max(2, int(FULL_SERVICES * scale)))
    m = build_cluster(nodes, pods, services)
    for i, s in enumerate(m.services):
        s.cluster_ip = f"10.96.{i // 250}.{i % 250 + 1}"
    m.simulation.seed = 1
    m.simulation.timing = Timing.preset("classroom")
    return m


def scale_event_costs(scale: float, rounds: int, out) -> dict:
    t0 = time.perf_counter()
    model = scale_model(scale)
    sim = Simulation(model, seed=1, checkpoint_interval=None)
    sim.dataplane.send("default/app-0:80", from_="node-1", requests=10**9, duration=10**6)
    for _ in range(4):
        sim.step(STEP)
    out(f"  built {len(model.nodes):,} nodes, {len(sim.state.pods):,} pods, {len(model.services):,} Services "
        f"in {time.perf_counter() - t0:.1f} s")
    pods = sorted(k for k, p in sim.state.pods.items() if p.owner is not None)
    res: dict[str, list[float]] = {"pod_next": [], "pod_sync": [], "node_next": [], "node_worst": [], "base": []}
    for r in range(rounds):
        # pod deletion: baseline step, then the event and the next step, then the sync a second later
        base = _t(lambda: sim.step(STEP))
        key = pods[(r * 7919) % len(pods)]
        ev = _t(lambda: (sim.delete_pod("/".join(key)), sim.step(STEP)))  # noqa: B023
        res["base"].append(base)
        res["pod_next"].append(ev - base)
        later = []
        for _ in range(int(round((sim.control.proxy_delay() + 2 * STEP) / STEP))):
            later.append(_t(lambda: sim.step(STEP)))
            base2 = _t(lambda: sim.step(STEP))
            later[-1] -= base2
        res["pod_sync"].append(max(later))
        # node failure (classroom timing): the failure, then NotReady at the monitor run, evictions, syncs
        base = _t(lambda: sim.step(STEP))
        node = f"node-{(r * 37 + 5) % len(model.nodes)}"
        ev = _t(lambda: (sim.fail_node(node), sim.step(STEP)))  # noqa: B023
        res["node_next"].append(ev - base)
        worst = 0.0
        for _ in range(int(round(8.0 / STEP))):
            a = _t(lambda: sim.step(STEP))
            worst = max(worst, a - base)
        res["node_worst"].append(worst)
        sim.recover_node(node)
        for _ in range(int(round(3.0 / STEP))):
            sim.step(STEP)
    fig = {k: statistics.median(v) * 1e3 for k, v in res.items()}
    fig.update({f"ckpt_{k}": v for k, v in checkpoint_costs(sim, max(1, rounds // 2)).items()})
    fig["nodes"], fig["pods"] = len(model.nodes), len(sim.state.pods)
    return fig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1/10 scale and fewer rounds")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 9, --quick 3)")
    parser.add_argument("--no-scale", action="store_true", help="only the demo figures")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 9)
    out = print
    out("demo: 10 s of the scenario's traffic as 200 steps of 50 ms vs one step (paired, interleaved)")
    d = demo_overhead(rounds)
    out(f"  per 50 ms step: {d['step_ms']:.3f} ms; the same work in one step: {d['one_step_share_ms']:.3f} ms per "
        f"50 ms; overhead {d['overhead_ms']:.3f} ms per step (target <= 0.2 ms) -> "
        f"{'OK' if d['overhead_ms'] <= 0.2 else 'OVER'}")
    sim = Simulation(load_model(DEMO), seed=1, checkpoint_interval=5.0)
    for _ in range(200):
        sim.step(STEP)
    c = checkpoint_costs(sim, rounds)
    out(f"  checkpoints: snapshot {c['snapshot_ms']:.1f} ms, {c['snapshot_mb']:.2f} MB; restore {c['restore_ms']:.1f} ms;"
        f" seek back to just before the next checkpoint ({c['interval_s']:g} s of re-simulation) "
        f"{c['seek_back_ms']:.1f} ms")
    if not args.no_scale:
        scale = 0.1 if args.quick else 1.0
        out(f"scale {scale:g}: one control-plane event, paired with a baseline 50 ms step (median of {rounds})")
        f = scale_event_costs(scale, rounds, out)
        out(f"  baseline 50 ms step (traffic every 10 ms): {f['base']:.1f} ms")
        out(f"  pod deletion: +{f['pod_next']:.1f} ms on the next step, +{f['pod_sync']:.1f} ms on the kube-proxy "
            f"sync step (target <= 16) -> {'OK' if max(f['pod_next'], f['pod_sync']) <= 16 else 'OVER'}")
        out(f"  node failure: +{f['node_next']:.1f} ms on the next step, worst step of the following 8 s (NotReady, "
            f"syncs) +{f['node_worst']:.1f} ms (target <= 16) -> "
            f"{'OK' if max(f['node_next'], f['node_worst']) <= 16 else 'OVER'}")
        out(f"  checkpoints at {f['nodes']:,} nodes / {f['pods']:,} pods: snapshot {f['ckpt_snapshot_ms']:.0f} ms, "
            f"{f['ckpt_snapshot_mb']:.1f} MB; restore {f['ckpt_restore_ms']:.0f} ms; seek back "
            f"{f['ckpt_seek_back_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
