"""The scale benchmark's own code runs (at a tiny size) so that it never rots between measurements."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_dataplane.py"


def test_bench_dataplane_measures_at_a_tiny_size():
    spec = importlib.util.spec_from_file_location("bench_dataplane", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    lines: list[str] = []
    result = bench.measure(6, 4, 3, 20_000, "iptables", out=lines.append)
    # 4 Services x 3 replicas on 6 nodes: every request finds a Ready endpoint
    assert result["delivered"] == 20_000 and result["tables"] == 1
    assert result["tick_s"] > 0 and result["floor_s"] > 0
    assert any(line.startswith("tick / floor = ") for line in lines)
