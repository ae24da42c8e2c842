"""What packet samples and chart series cost: per GUI step on the demo, and per million-request piece.

    .venv/bin/python benchmarks/bench_live_data.py [--quick] [--pairs N]

* step: the demo (its own Traffic, no timeline) stepped at 50 ms; the same run with the sampler and the series
  feed switched off (no-ops) and on, interleaved in pairs; the figure is the median of the per-pair
  differences in ms per step (the cost the live-data hooks add to a frame).
* piece: one 1,000,000-request piece of a what-if flow (``--to default/web-clusterip:80``) captured from the
  data plane, then ``feed_series`` + ``ChartSeries.close`` and ``PacketSampler.record`` timed on it, each
  against the numpy floor for the same number of requests (``rng.integers`` + ``np.bincount``), interleaved;
  the verdict is the median of the per-pair ratios.

``--quick`` uses 100,000 requests and fewer steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import core.dataplane.plane as plane_module  # noqa: E402
from core.dataplane.samples import feed_series, record_connections  # noqa: E402
from core.engine import Simulation  # noqa: E402
from core.scenario import DEMO_SCENARIO, load_model  # noqa: E402
from core.series import ChartSeries  # noqa: E402


def _demo(mode: str = "iptables") -> Simulation:
    model = load_model(DEMO_SCENARIO)
    model.timeline = []
    model.proxy.mode = mode
    sim = Simulation(model)
    sim.run(10.0)
    return sim


def _noop(*_args) -> None:
    """Stands in for a hook (module level, so checkpoints can still pickle the simulation)."""


def step_cost(steps: int, hooks: bool) -> float:
    """Seconds per 50 ms step of the demo, with the live-data hooks on or replaced by no-ops."""
    sim = _demo()
    plane = sim.dataplane
    if hooks:
        plane_module.feed_series, plane_module.record_connections = feed_series, record_connections
    else:
        plane.samples.record = _noop
        plane_module.feed_series = _noop
        plane_module.record_connections = _noop
    t = time.perf_counter()
    for _ in range(steps):
        sim.step(0.05)
    elapsed = time.perf_counter() - t
    plane_module.feed_series, plane_module.record_connections = feed_series, record_connections
    return elapsed / steps


def capture_piece(requests: int):
    """One routed piece of ``requests`` what-if requests: (plane, flow, times, out)."""
    sim = _demo()
    plane = sim.dataplane
    plane.flows.clear()
    got = []
    record = plane.samples.record

    def keep(flow, times, out):
        if not got:
            got.append((flow, times, out))
        record(flow, times, out)

    plane.samples.record = keep
    # all inside one routing quantum (traffic is routed in fixed pieces of sim.quantum), so it is one piece
    quantum = float(getattr(sim, "quantum", 1.0))
    plane.send("default/web-clusterip:80", from_="node-1", requests=requests, duration=quantum / 2, addresses=50)
    sim.step(2 * quantum)
    plane.samples.record = record
    return (plane, *got[0])


def floor(n: int, rng: np.random.Generator) -> float:
    t = time.perf_counter()
    np.bincount(rng.integers(0, 64, size=n))
    return time.perf_counter() - t


def main(argv: list[str] | None = None, out=print) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--pairs", type=int, default=7)
    args = ap.parse_args(argv)
    n = 100_000 if args.quick else 1_000_000
    steps = 200 if args.quick else 1000
    rng = np.random.default_rng(0)

    diffs, on, off = [], [], []
    for _ in range(args.pairs):
        a, b = step_cost(steps, False), step_cost(steps, True)
        off.append(a)
        on.append(b)
        diffs.append(b - a)
    out(f"demo, 50 ms steps: {np.median(off) * 1e3:.3f} ms/step without samples+series, "
        f"{np.median(on) * 1e3:.3f} with; paired median difference {np.median(diffs) * 1e3:.3f} ms/step")

    plane, flow, times, out_arrays = capture_piece(n)
    r_series, r_sample = [], []
    for _ in range(args.pairs):
        f = floor(times.size, rng)
        series = ChartSeries()
        t = time.perf_counter()
        feed_series(series, plane, flow, times, out_arrays)
        series.close(float(times[-1]) + 1.0)
        r_series.append((time.perf_counter() - t) / f)
        plane.samples.take()
        f = floor(times.size, rng)
        t = time.perf_counter()
        plane.samples.record(flow, times, out_arrays)
        r_sample.append((time.perf_counter() - t) / f)
    out(f"{times.size:,}-request piece: series feed / floor = {np.median(r_series):.2f}x, "
        f"sampler / floor = {np.median(r_sample):.2f}x (medians of {args.pairs} interleaved pairs)")
    return {"step_diff_s": float(np.median(diffs)), "series_ratio": float(np.median(r_series)),
            "sampler_ratio": float(np.median(r_sample)), "requests": int(times.size)}


if __name__ == "__main__":
    main()
