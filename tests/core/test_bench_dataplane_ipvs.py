"""bench_dataplane's IPVS tick and its ``podpath route`` end-to-end run work at tiny sizes, with the
paired-median verdict."""

import importlib.util
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_dataplane.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_dataplane", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_ipvs_tick_at_a_tiny_size_reports_a_paired_median_verdict():
    bench = _bench()
    lines: list[str] = []
    for sched in ("rr", "lc"):
        result = bench.measure(6, 4, 3, 5_000, "ipvs", out=lines.append, scheduler=sched, repeats=3)
        assert result["delivered"] == 5_000 and result["mode"] == f"ipvs {sched}"
        assert result["pass"] == (result["ratio"] <= 20.0)
    assert sum(line.startswith("tick / floor = ") and "target <= 20x" in line for line in lines) == 2


def test_paired_takes_the_median_of_per_pair_ratios():
    bench = _bench()
    # pairs (2, 1), (9, 3), (4, 1): ratios 2, 3, 4 -> 3; medians of the columns 4 and 1
    assert bench.paired([2.0, 9.0, 4.0], [1.0, 3.0, 1.0]) == (4.0, 1.0, 3.0)
    assert np.isclose(bench.paired([1.0, 1.0], [1.0, 4.0])[2], 0.625)


def test_route_end_to_end_at_a_tiny_size():
    bench = _bench()
    lines: list[str] = []
    result = bench.measure_route(2_000, repeats=1, out=lines.append)
    assert result["run_s"] > 0 and result["floor_s"] > 0 and result["pass"] == (result["ratio"] <= 25.0)
    assert lines[0].startswith("route (iptables): 2,000 requests end to end")
