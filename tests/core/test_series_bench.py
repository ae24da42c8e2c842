"""benchmarks/bench_live_data.py runs at a tiny size, so it does not rot between measurements."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_live_data.py"


def test_bench_live_data_runs_at_a_tiny_size():
    spec = importlib.util.spec_from_file_location("bench_live_data", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.step_cost(5, True) > 0 and bench.step_cost(5, False) > 0
    plane, flow, times, out = bench.capture_piece(2000)
    # the what-if sends exactly 2000 requests inside one routing quantum: one piece
    assert times.size == 2000 and flow.name == "what-if default/web-clusterip:80"
    assert (out.outcome == 0).all()
