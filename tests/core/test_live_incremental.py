"""The incremental paths behind a fast step after one control-plane event give exactly what a full
recompute gives: the data plane's liveness per endpoint and each node's compiled kube-proxy table."""

import sys
from pathlib import Path

import numpy as np

from core.dataplane.tables import ViewTable
from core.engine import Simulation

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.bench_control import build_cluster  # noqa: E402


def small_cluster():
    m = build_cluster(12, 120, 20)
    for i, s in enumerate(m.services):
        s.cluster_ip = f"10.96.0.{i + 10}"
    m.simulation.seed = 3
    return m


def full_alive(plane):
    state = plane.sim.state
    live = {}
    for p in state.pods.values():
        if p.ip and p.phase == "Running" and p.node and state.nodes[p.node].up:
            live[p.ip] = p.key
    node_up = {n.ip: n.up for n in state.nodes.values()}
    return np.array([live.get(ip) == pod or node_up.get(ip, False)
                     for ip, pod in zip(plane.registry.ip, plane.registry.pod)], bool)


def assert_same_table(a: ViewTable, b: ViewTable):
    for name in ("eids", "cum", "offset", "count", "has_any", "safe_offset", "last"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.all_nonempty == b.all_nonempty and a.eps == b.eps


def test_incremental_liveness_and_tables_match_a_full_recompute():
    sim = Simulation(small_cluster(), checkpoint_interval=None)
    plane = sim.dataplane
    plane.send("default/app-0:80", from_="node-1", requests=10**6, duration=10**4)
    sim.step(0.5)
    pods = sorted(sim.state.pods)
    actions = [lambda: sim.delete_pod("/".join(pods[3])), lambda: sim.fail_node("node-4"),
               lambda: sim.delete_pod("/".join(pods[50])), lambda: sim.recover_node("node-4"),
               lambda: sim.drain("node-7"), lambda: sim.scale("default/app-5", 12)]
    compared = 0
    for act in actions:
        act()
        for _ in range(30):
            sim.step(0.5)
            plane.proxies.sync()  # the step ends with the control plane; the data plane catches up here
            plane._refresh_alive()
            plane._extend_alive()
            assert np.array_equal(plane._alive, full_alive(plane))
            for node, table in plane.proxies.tables.items():
                view = sim.state.proxy_views[node]
                fresh = ViewTable(plane.services, view.slices, plane.registry, view.config.mode)
                assert_same_table(table, fresh)
                compared += 1
    assert compared > 1000
    assert any(not a for a in plane._alive)  # the failure and deletions did make endpoints dead
