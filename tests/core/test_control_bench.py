"""The control benchmark's code path at a tiny size, so the script never rots."""

import importlib.util
import io
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_control.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_control", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_control_runs_at_a_tiny_scale():
    bench = load_bench()
    out = io.StringIO()
    # 0.004 of the limits: 20 nodes, 600 pods, 40 Services
    results = bench.run_benchmark(0.004, out)
    text = out.getvalue()
    assert "cluster: 20 nodes, 600 pods, 40 Services" in text
    assert "node failure -> replacements Ready" in text and "1x pods" in text
    assert results["initial_placement_s"] > 0 and results["failure_recovery_s"] > 0


def test_build_cluster_shape():
    bench = load_bench()
    m = bench.build_cluster(9, 100, 7)
    assert len(m.nodes) == 9 and len(m.services) == 7
    # 100 replicas over 7 Deployments: 100 = 7*14 + 2 -> two of 15, five of 14
    assert sorted(w.replicas for w in m.workloads) == [14] * 5 + [15] * 2
