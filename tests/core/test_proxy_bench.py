"""The proxy benchmark's core runs at tiny sizes and reports every case with sane figures."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_proxy  # noqa: E402
import pytest  # noqa: E402


def test_run_bench_tiny():
    rows = bench_proxy.run_bench(n_ep=10, n_req=3000, batch=1000, ref_req=300, repeats=1)
    assert [r["case"] for r in rows] == ["iptables", "nftables", "userspace", "rr", "wrr", "lc", "wlc", "lblc",
                                         "lblcr", "sh", "dh", "sed", "nq", "mh"]
    for r in rows:
        assert r["ns"] > 0 and r["ref_ns"] > 0 and r["floor_ns"] > 0
        assert r["speedup"] == pytest.approx(r["ref_ns"] / r["ns"])
        assert r["target"] == (100.0 if r["case"] in bench_proxy.FAST_TARGET else 20.0)
    assert "floor_pass" in rows[0]


def test_main_prints_pass_and_miss(capsys, monkeypatch):
    rows = [
        {"case": "iptables", "ns": 20.0, "ref_ns": 4000.0, "speedup": 200.0, "floor_ns": 5.0, "vs_floor": 4.0,
         "target": 100.0, "pass": True, "floor_pass": False},
        {"case": "lc", "ns": 100.0, "ref_ns": 1000.0, "speedup": 10.0, "floor_ns": 5.0, "vs_floor": 20.0,
         "target": 20.0, "pass": False},
    ]
    monkeypatch.setattr(bench_proxy, "run_bench", lambda **kw: rows)
    assert bench_proxy.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "(<=3x: MISS)" in out  # 4x the floor
    assert "0/2 targets met; MISS: iptables, lc" in out
