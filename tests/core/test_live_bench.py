"""benchmarks/bench_live.py keeps running (at a tiny size; the figures themselves live in the benchmark)."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_live.py"


def test_bench_live_runs_at_a_tiny_size():
    spec = importlib.util.spec_from_file_location("bench_live", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    d = bench.demo_overhead(1, seconds=0.5)
    assert d["steps"] == 10 and d["step_ms"] > 0
    f = bench.scale_event_costs(0.002, 1, lambda *_: None)
    assert f["nodes"] == 10 and f["pods"] >= 290
    assert f["ckpt_snapshot_mb"] > 0 and f["ckpt_seek_back_ms"] > 0 and abs(f["ckpt_interval_s"] - 5.0) < 1e-9
