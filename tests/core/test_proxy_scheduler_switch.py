"""Issue 8 item 12: switching the IPVS scheduler keeps every real server's connection counters.

``ipvsadm -E -s NEW`` (kube-proxy's UpdateVirtualServer) rebinds the scheduler of a live virtual server:
the kernel keeps its destinations with their ``activeconns``/``inactconns``; only the scheduler's own data
(rr pointer, wrr mark, hash tables, lblc caches) starts afresh.
"""

import numpy as np

from core.model import TimelineEvent
from core.proxy import make_balancer
from tests.core.dataplane_fixtures import cluster, settled

A, B, C = "10.244.0.1:80", "10.244.0.2:80", "10.244.0.3:80"
RNG = np.random.default_rng(0)


def _pick(b, k):
    return [b.endpoint_keys[i] for i in b.pick(np.arange(k, dtype=np.uint32), np.full(k, 40000), 0.0, RNG)]


def test_switching_rr_to_lc_keeps_counters_and_lc_uses_them():
    b = make_balancer("ipvs", "rr")
    b.set_endpoints([C, B, A])  # kernel list [A, B, C]
    assert _pick(b, 4) == [A, B, C, A]  # active A=2, B=1, C=1
    b.release([1], "active_to_inactive")  # one of B's connections closes: B active 0, inactive 1
    b.set_scheduler("lc")
    assert b.scheduler == "lc" and b.endpoint_keys == [A, B, C]
    assert b.active.tolist() == [2, 0, 1] and b.inactive.tolist() == [0, 1, 0]
    # lc overhead = active*256 + inactive: A 512, B 1, C 256 -> B; then B 257 vs C 256 -> C
    assert _pick(b, 2) == [B, C]
    assert b.active.tolist() == [2, 1, 2]


def test_switching_scheduler_resets_only_the_schedulers_own_state():
    b = make_balancer("ipvs", "rr")
    b.set_endpoints([C, B, A])
    assert _pick(b, 2) == [A, B]  # rr pointer on B
    b.set_scheduler("lc")
    b.set_scheduler("rr")  # rr's init_service points at the list head again
    assert _pick(b, 1) == [A]
    assert b.active.tolist() == [2, 1, 0]


def test_setIPVSScheduler_in_a_running_cluster_keeps_each_nodes_counters():
    sim = settled(cluster(mode="ipvs", scheduler="rr", ingress=False))
    plane = sim.dataplane
    flow = plane.send("default/web:80", from_="node-1", requests=301, duration=0.3)
    while sim.time < flow.stop + 0.1:
        sim.step()
    before = sorted((r["node"], r["endpoint"], r["active"], r["inactive"]) for r in plane.connections()
                    if r["service"] == "default/web:http")
    # rr over three servers: 100, 100 and 101 connections, all closed (TIME_WAIT: inactive for 120 s)
    assert sorted(x[3] for x in before) == [100, 100, 101] and all(x[2] == 0 for x in before)
    sim.schedule(TimelineEvent(sim.time, "setIPVSScheduler", "", "lc"))
    sim.step()
    sim.step(1.5)  # kube-proxy's sync delay has passed on every node
    assert all(v.config.ipvs_scheduler == "lc" for v in sim.state.proxy_views.values())
    after = sorted((r["node"], r["endpoint"], r["active"], r["inactive"]) for r in plane.connections()
                   if r["service"] == "default/web:http")
    assert after == before
    # lc sends the next two connections to the two servers with 100 inactive entries, not the 101 one
    busiest = max(before, key=lambda x: x[3])[1]
    flow = plane.send("default/web:80", from_="node-1", requests=2, duration=0.002)
    while sim.time < flow.stop + 0.1:
        sim.step()
    rows = {r["endpoint"]: r["inactive"] for r in plane.connections() if r["service"] == "default/web:http"}
    assert rows[busiest] == 101 and sorted(rows.values()) == [101, 101, 101]
