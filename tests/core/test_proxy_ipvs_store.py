"""The vectorised IPVS store picks exactly what one ``IpvsBalancer`` per (node, Service) picks.

Random batches over random (node, Service) pairs, with lists of different widths, several batches with
closes and expiries in between, for every scheduler the store handles (rr, lc, wlc, sed, nq); each pair's
reference is a fresh IpvsBalancer fed the same connections one batch at a time.
"""

import numpy as np
import pytest

from core.dataplane.ipvs_store import STORE_SCHEDULERS, IpvsStore
from core.proxy import make_balancer


def _keys(vs: int, w: int) -> list[str]:
    return [f"10.{vs}.0.{i + 1}:8080" for i in range(w)]  # kube-proxy order (sorted strings for w < 10)


@pytest.mark.parametrize("direct_map", [False, True])
@pytest.mark.parametrize("sched", sorted(STORE_SCHEDULERS))
def test_store_equals_one_balancer_per_pair(sched, direct_map):
    rng = np.random.default_rng(sum(map(ord, sched)))
    n_nodes, n_vs = 6, 5
    widths = np.array([3, 1, 0, 4, 3])  # Service 2 has no endpoints
    # the direct map covers 5 of the 6 nodes: node 5's pairs are found through the sorted keys
    store = IpvsStore(n_vs, n_nodes - 1 if direct_map else 0)
    assert (store.dense is not None) == direct_map
    refs = {}
    pending = []
    code = STORE_SCHEDULERS[sched]
    for batch in range(6):
        k = int(rng.integers(1, 60))
        node = rng.integers(0, n_nodes, size=k)
        vs = rng.integers(0, n_vs, size=k)
        if batch == 3:  # one pair gets a big batch: the per-pair merge path
            node[:] = 1
            vs[:] = 0
        handled, col = store.decide(node, vs, np.full(k, code, np.int8), widths[vs])
        assert handled.all()
        want = np.empty(k, np.int64)
        for i in range(k):  # arrival order, one connection at a time
            key = (int(node[i]), int(vs[i]))
            b = refs.get(key)
            if b is None:
                b = refs[key] = make_balancer("ipvs", sched)
                b.set_endpoints(_keys(key[1], int(widths[key[1]])))
            want[i] = b.pick(np.array([7], np.uint32), np.array([4000]), float(batch), rng)[0]
        assert col.tolist() == want.tolist(), batch
        # the tick closes: every opened connection goes inactive; entries expire two batches later
        store.close(expires_at=batch + 2)
        closed = [(int(node[i]), int(vs[i]), int(want[i])) for i in range(k) if want[i] >= 0]
        for nd, v, c in closed:
            refs[(nd, v)].release([c], "active_to_inactive")
        pending.append((batch + 2, closed))
        store.expire(batch + 1)
        while pending and pending[0][0] <= batch + 1:
            for nd, v, c in pending.pop(0)[1]:
                refs[(nd, v)].release([c], "inactive_expired")
        for key, b in refs.items():
            pid = int(store.key_pid[np.searchsorted(store.keys, key[0] * store.nv + key[1])])
            active, inactive, _ = store.state_of(pid)
            assert active.tolist() == b.active.tolist() and inactive.tolist() == b.inactive.tolist()


def test_store_counters_follow_close_and_expire():
    store = IpvsStore(1)
    handled, col = store.decide(np.zeros(4, np.int64), np.zeros(4, np.int64), np.zeros(4, np.int8),
                                np.full(4, 3))
    # rr over the kernel list [c, b, a] from the head: columns 0, 1, 2, 0
    assert col.tolist() == [0, 1, 2, 0]
    assert store.state_of(0)[0].tolist() == [2, 1, 1] and store.state_of(0)[2] == 0
    store.close(expires_at=120.0)
    assert store.state_of(0)[0].tolist() == [0, 0, 0] and store.state_of(0)[1].tolist() == [2, 1, 1]
    store.expire(119.0)
    assert store.state_of(0)[1].tolist() == [2, 1, 1]
    store.expire(120.0)
    assert store.state_of(0)[1].tolist() == [0, 0, 0]
    # lc on the same pair now: every overhead is 0 -> the list head; then 256 > 0 -> the next one
    handled, col = store.decide(np.zeros(2, np.int64), np.zeros(2, np.int64), np.ones(2, np.int8), np.full(2, 3))
    assert col.tolist() == [0, 1]


def _run(use_store: bool, sched: str, events):
    from core.model import TimelineEvent
    from tests.core.dataplane_fixtures import cluster, settled

    sim = settled(cluster(mode="ipvs", scheduler=sched, ingress=False))
    plane = sim.dataplane
    plane.proxies.use_store = use_store
    seen = []
    flows = [plane.send("default/web:80", from_=f"node-{i}", requests=1300, duration=130.0, addresses=7)
             for i in (1, 2, 3)]
    flows.append(plane.send("default/web-np:80", from_="node-2", requests=390, duration=130.0, addresses=3))
    for at, action, target, value in events:
        sim.schedule(TimelineEvent(sim.time + at, action, target, value))
    t_end = max(f.stop for f in flows) + 1.0
    while sim.time < t_end:
        sim.step(0.5)
        seen.append((round(sim.time, 6), sorted((r["node"], r["service"], r["endpoint"], r["active"], r["inactive"])
                                                for r in plane.connections())))
    return plane.metrics.endpoint_counts, dict(plane.metrics.dropped), seen, plane


@pytest.mark.parametrize("sched", ["rr", "lc"])
def test_store_and_objects_give_the_same_run(sched):
    """Endpoints change (a pod deleted, the Deployment scaled), the scheduler switches to one the store
    does not handle and back: the store's pairs move out to objects with their counters and the whole
    run -- endpoint counts, drops, every node's counters after every step, including the inactive entries
    that expire 120 s after a pair moved out -- equals the all-object run."""
    from tests.core.dataplane_fixtures import cluster, settled, web_pod_ips

    victim = sorted(web_pod_ips(settled(cluster(mode="ipvs", scheduler=sched, ingress=False))))[0]
    events = [(5.0, "deletePod", f"default/{victim}", None), (12.0, "scale", "default/web", 5),
              (18.0, "setIPVSScheduler", "", "wrr"), (24.0, "setIPVSScheduler", "", sched)]
    a = _run(True, sched, events)
    b = _run(False, sched, events)
    assert a[0] == b[0] and a[1] == b[1]
    assert a[2] == b[2]
    assert len(a[3].proxies.store.keys) > 0 and len(b[3].proxies.store.keys) == 0


def test_connection_totals_sum_the_rows_per_node_and_endpoint():
    """The array summary for charts equals summing ``connections()`` rows per (node, endpoint)."""
    from tests.core.dataplane_fixtures import cluster, settled

    for use_store in (True, False):
        sim = settled(cluster(mode="ipvs", scheduler="rr", ingress=False))
        plane = sim.dataplane
        plane.proxies.use_store = use_store
        for i in (1, 2):
            plane.send("default/web:80", from_=f"node-{i}", requests=50 * i + 1, duration=0.5, addresses=3)
        plane.send("default/web-np:80", from_="node-2", requests=7, duration=0.5)
        while sim.time < 11.5:
            sim.step()
        want: dict = {}
        for r in plane.connections():
            k = (r["node"], r["endpoint"])
            a, b = want.get(k, (0, 0))
            want[k] = (a + r["active"], b + r["inactive"])
        want = {k: v for k, v in want.items() if v != (0, 0)}
        node, eid, act, ina = plane.proxies.connection_totals()
        got = {(plane.node_names[n], plane.registry.key(e)): (a, b)
               for n, e, a, b in zip(node.tolist(), eid.tolist(), act.tolist(), ina.tolist())}
        assert got == want and sum(b for _a, b in got.values()) == 51 + 101 + 7


def test_snapshot_restore_replays_the_same_picks():
    rng = np.random.default_rng(3)
    store = IpvsStore(4, 5)
    width = np.array([3, 2, 4, 1])
    batches = [(rng.integers(0, 5, 40), rng.integers(0, 4, 40)) for _ in range(4)]
    for node, vs in batches[:2]:
        store.decide(node, vs, 1, width, per_vs=True)
        store.close(10.0)
    snap = store.snapshot()
    first = []
    for node, vs in batches[2:]:
        first.append(store.decide(node, vs, 1, width, per_vs=True)[1].tolist())
        store.close(11.0)
    store.expire(11.0)
    after = store.snapshot()
    store.restore(snap)
    again = []
    for node, vs in batches[2:]:
        again.append(store.decide(node, vs, 1, width, per_vs=True)[1].tolist())
        store.close(11.0)
    store.expire(11.0)
    assert again == first and store.keys.tolist() == after["keys"].tolist()
    assert {w: (r, a.tolist(), i.tolist()) for w, (r, a, i) in store.snapshot()["widths"].items()} == \
        {w: (r, a.tolist(), i.tolist()) for w, (r, a, i) in after["widths"].items()}


def test_pickled_store_leaves_the_direct_map_out_and_picks_the_same():
    import pickle

    rng = np.random.default_rng(4)
    store = IpvsStore(50, 400)  # a 400 x 51 direct map: 81,600 bytes
    store.use_compiled = False  # the numpy path keeps the map (the compiled one walks the sorted keys)
    width = rng.integers(1, 5, size=50)
    node, vs = rng.integers(0, 400, 300), rng.integers(0, 50, 300)
    store.decide(node, vs, 0, width, per_vs=True)
    store.close(5.0)
    blob = pickle.dumps(store)
    assert len(blob) < 40_000  # the map is not in it
    copy = pickle.loads(blob)
    assert copy.dense.size == store.dense.size and np.array_equal(copy.dense, store.dense)
    node2, vs2 = rng.integers(0, 400, 300), rng.integers(0, 50, 300)
    a = store.decide(node2, vs2, 0, width, per_vs=True)[1]
    b = copy.decide(node2, vs2, 0, width, per_vs=True)[1]
    assert a.tolist() == b.tolist()
