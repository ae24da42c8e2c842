"""The per-step bookkeeping made cheaper keeps its answers: Metrics' per-endpoint series as one column store
(checked against the one-ring-per-key version it replaced), snapshots without a per-object hook."""

import random

import numpy as np

from core.metrics import Metrics, RingBuffer


class _RingPerKey:
    """The replaced implementation, kept here as the reference: one RingBuffer per key."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.throughput = RingBuffer(capacity, 3)
        self.endpoint_series: dict = {}
        self.drop_series: dict = {}

    def _new(self):
        buf = RingBuffer(self.capacity, 1)
        for t_prev in self.throughput.data()[0][:-1]:
            buf.append(float(t_prev), 0)
        return buf

    def record_tick(self, t, sent, delivered, dropped, counts, drops):
        self.throughput.append(t, (sent, delivered, dropped))
        for series, values in ((self.endpoint_series, counts), (self.drop_series, drops)):
            for key in values:
                if key not in series:
                    series[key] = self._new()
            for key, buf in series.items():
                buf.append(t, values.get(key, 0))
        if self.throughput._n % max(1, self.capacity // 4) == 0 and self.throughput._n >= self.capacity:
            for series in (self.endpoint_series, self.drop_series):
                for key in [k for k, buf in series.items() if not np.any(buf._v)]:
                    del series[key]


def test_metrics_column_store_matches_one_ring_per_key():
    rnd = random.Random(3)
    for capacity in (1, 5, 8, 64):
        new, ref = Metrics(series_capacity=capacity), _RingPerKey(capacity)
        keys = [("svc", f"pod-{i}", f"10.0.0.{i}", 80, "node-1") for i in range(40)]
        for tick in range(300):
            live = keys[(tick // 20) % 30:(tick // 20) % 30 + rnd.randint(0, 10)]  # churn: keys come and go
            counts = {k: rnd.randint(1, 5) for k in live if rnd.random() < 0.6}
            drops = {r: rnd.randint(1, 3) for r in ("node_down", "timeout") if rnd.random() < 0.2}
            args = (tick * 0.05, sum(counts.values()) + 1, sum(counts.values()), 1)
            new.record_tick(*args, counts, drops)
            ref.record_tick(*args, counts, drops)
            for mine, theirs in ((new.endpoint_series, ref.endpoint_series), (new.drop_series, ref.drop_series)):
                assert list(mine) == list(theirs)  # same keys, same order
                for k in theirs:
                    t1, v1 = mine[k].data()
                    t2, v2 = theirs[k].data()
                    assert np.array_equal(t1, t2) and np.array_equal(v1, v2) and v1.dtype == v2.dtype, (capacity, tick, k)
        assert np.array_equal(new.throughput.data()[1], ref.throughput.data()[1])
        if capacity <= 64:
            assert len(ref.endpoint_series) < len({k for k in keys}) - 5  # idle keys were forgotten


def test_sampled_indices_few_blocks_in_integers_match_the_array_path():
    from core.dataplane import samples as S

    rnd = random.Random(5)
    for _ in range(3000):
        seed, key = rnd.randrange(2**32), f"flow-{rnd.randrange(50)}/client"
        block = rnd.choice([2, 3, 7, 50, 1000, 2**40])
        first, n = rnd.randrange(10**12) if rnd.random() < 0.3 else rnd.randrange(5000), rnd.randint(1, 40)
        j0, j1 = first // block, (first + n - 1) // block
        u = S.sample_uniforms(seed, key, j0, j1 - j0 + 1)  # the array path, written out
        k = np.arange(j0, j1 + 1, dtype=np.int64) * block + (u * block).astype(np.int64)
        want = k[(k >= first) & (k < first + n)].tolist()
        assert S._sampled_few(seed, key, first, n, block, j0, j1) == want
        assert S.sampled_indices(seed, key, first, n, block).tolist() == want


def _same_state(a, b):
    caches = {"_memo", "_feed_refs"}  # identity-keyed lookups, not kept in snapshots (rebuilt on demand)
    assert a.__dict__.keys() - caches == b.__dict__.keys() - caches
    for k, v in a.__dict__.items():
        if k in caches:
            continue
        w = b.__dict__[k]
        if hasattr(v, "a"):  # a ring
            assert np.array_equal(v.a, w.a, equal_nan=True) and v.a.dtype == w.a.dtype, k
            assert v.fill == w.fill or (v.fill != v.fill and w.fill != w.fill), k  # nan fill
        elif isinstance(v, np.ndarray):
            assert np.array_equal(v, w, equal_nan=True), k
        else:
            assert v == w, k


def test_chart_series_pickle_keeps_only_written_rows_and_restores_both_copies():
    import pickle

    from core.model import ObjectRef
    from core.series import ChartSeries

    rnd = np.random.default_rng(2)
    svc = ObjectRef("Service", "default", "web")
    pods = [ObjectRef("Pod", "default", f"web-{i}") for i in range(5)]
    node = ObjectRef("Node", "", "node-1")
    for bins_run in (0, 7, 30, 95):  # before any bin, part of the ring, just wrapped, wrapped three times
        s = ChartSeries(resolution=0.1, capacity=30)
        for b in range(bins_run):
            n = int(rnd.integers(0, 40))
            times = np.sort(rnd.uniform(b * 0.1, (b + 1) * 0.1, n))
            keys = rnd.integers(0, 6, n)
            outcome = np.where(rnd.random(n) < 0.9, 0, 3)
            s.add(times, outcome, [None, *[svc] * 5], [None, *pods], keys, rnd.uniform(0.1, 2.0, n))
            s.close((b + 1) * 0.1)
            s.set_connections((b + 1) * 0.1, {(node, pods[b % 5]): (b, 2 * b)})
        data = pickle.dumps(s)
        back = pickle.loads(data)
        _same_state(s, back)
        if bins_run == 7:
            assert len(data) < s.nbytes() / 3  # rows not yet written and the second copy are not stored
        assert np.array_equal(back.jain(svc, 1.0)[1], s.jain(svc, 1.0)[1], equal_nan=True)
        for b in range(bins_run, bins_run + 40):  # both go on alike (the restored one rebuilds its lookups)
            times = np.array([b * 0.1 + 0.01, b * 0.1 + 0.05])
            for series in (s, back):
                series.add(times, np.array([0, 0]), [None, svc], [None, pods[b % 5]], np.array([1, 1]),
                           np.array([0.5, 1.5]))
                series.close((b + 1) * 0.1)
        _same_state(s, back)


def test_big_maps_stay_tracked_so_young_collections_do_not_rescan_them():
    # a dict of atomic keys and values is untracked by a full collection and re-tracked into the youngest
    # generation by the next fresh tuple key; BigMap never is (it stays in the oldest generation)
    import gc

    from core.state import BigMap

    plain, big = {}, BigMap()
    for m in (plain, big):
        for i in range(100):
            m[("default", f"pod-{i}")] = f"10.0.0.{i}"
    gc.collect()
    assert not gc.is_tracked(plain) and gc.is_tracked(big)
    for m in (plain, big):
        m[("default", "".join(["new-", "pod"]))] = "10.0.1.1"  # a fresh (tracked) tuple key
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert id(plain) in young and id(big) not in young
    assert big == plain and repr(big) == repr(plain)  # otherwise just a dict


def test_proxy_sync_skipping_unchanged_views_matches_a_full_pass():
    # state-only changes (pods starting, a node failing, evictions) skip NodeProxies' per-node pass; what
    # the data plane then holds must be what a full pass over every node computes at the same moment
    from core.engine import Simulation
    from core.model import TimelineEvent, Timing
    from core.scenario import load_model

    sim = Simulation(load_model("resources/scenarios/demo.yaml"), seed=3, checkpoint_interval=None,
                     timing=Timing.preset("classroom"))  # NotReady 5 s after the failure, evictions after
    sim.schedule(TimelineEvent(1.0, "failNode", "node-2"))
    sim.schedule(TimelineEvent(9.0, "setProxyMode", "", "ipvs"))
    victim = sorted(k for k, p in sim.state.pods.items() if p.owner is not None)[0]
    sim.schedule(TimelineEvent(2.0, "deletePod", "/".join(victim)))
    px = sim.dataplane.proxies
    calls = {"ips": 0, "arrays": 0}
    for name in calls:
        method = getattr(px, f"_node_{name}")
        setattr(px, f"_node_{name}", lambda *a, _m=method, _n=name: (calls.__setitem__(_n, calls[_n] + 1), _m(*a))[1])
    for _ in range(240):
        sim.step(0.05)
        assert sim.dataplane.proxies is px
        px.sync()  # what the next routed piece does first (views synced at the step's end are adopted here)
        held = (px.node_mode.copy(), px.node_masq_all.copy(), [px.table_list[t] if t >= 0 else None for t in px.node_table],
                px.node_ip_u32.copy(), px.node_store_sched.copy(), list(px.node_sched_name), px.every_node_store)
        counted = dict(calls)
        px._stamp = None
        px.__dict__.pop("_cfgs_seen", None)  # and no per-node array kept from before: everything recomputed
        px.__dict__.pop("_tabs_seen", None)
        px.sync()
        calls.update(counted)  # the forced full pass is not counted
        full = (px.node_mode, px.node_masq_all, [px.table_list[t] if t >= 0 else None for t in px.node_table],
                px.node_ip_u32, px.node_store_sched, px.node_sched_name, px.every_node_store)
        for what, a, b in zip("mode masq tables ips sched names store".split(), held, full):
            assert (np.array_equal(a, b) if isinstance(a, np.ndarray) else
                    all(x is y for x, y in zip(a, b)) if isinstance(a, list) and a and not isinstance(a[0], str)
                    else a == b), (what, sim.time, a, b)
    assert calls["ips"] - calls["arrays"] >= 3  # the short cut was taken


def test_snapshots_leave_garbage_collection_as_they_found_it():
    import gc

    from core.engine import Simulation
    from core.scenario import load_model

    sim = Simulation(load_model("resources/scenarios/demo.yaml"), seed=1, checkpoint_interval=None)
    sim.step(1.0)
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            snap = sim.snapshot()
            sim.restore(snap)
            assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_view_slices_list_exactly_the_keys_that_differ_from_their_base():
    import pickle

    from core.engine import Simulation
    from core.model import TimelineEvent, Timing
    from core.scenario import load_model
    from core.state import ViewSlices

    sim = Simulation(load_model("resources/scenarios/demo.yaml"), seed=5, checkpoint_interval=None,
                     timing=Timing.preset("classroom"))
    sim.schedule(TimelineEvent(0.5, "failNode", "node-1"))
    sim.schedule(TimelineEvent(9.0, "recoverNode", "node-1"))
    checked = 0
    for _ in range(60):
        sim.step(0.25)
        for view in sim.state.proxy_views.values():
            sl = view.slices
            if isinstance(sl, ViewSlices) and sl.base is not None:
                base = sl.base
                diff = {k for k, v in sl.items() if base.get(k) is not v} | {k for k in base if k not in sl}
                assert sl.changed == diff
                assert not isinstance(base, ViewSlices) or base.base is None  # one step of history
                checked += 1
    assert checked > 0
    back = pickle.loads(pickle.dumps(sl))
    assert back == sl and back.base is None and back.changed == set()


def test_scheduler_node_table_pickles_owner_counts_sparse_and_restores_them_dense():
    import pickle

    from core.engine import Simulation
    from core.scenario import load_model

    sim = Simulation(load_model("resources/scenarios/demo.yaml"), seed=1, checkpoint_interval=None)
    sim.step(1.0)
    tab = sim.control.scheduler.table
    assert tab.owner_counts and any(np.count_nonzero(a) < a.size for a in tab.owner_counts.values())
    back = pickle.loads(pickle.dumps(tab))
    assert list(back.owner_counts) == list(tab.owner_counts)
    for owner, arr in tab.owner_counts.items():
        assert back.owner_counts[owner].dtype == arr.dtype and np.array_equal(back.owner_counts[owner], arr)
    assert "_owner_counts_sparse" not in back.__dict__ and "owner_counts" in tab.__dict__


def test_metrics_column_store_pickles_written_part_and_widens_for_huge_counts():
    import pickle

    m = Metrics(series_capacity=50)
    keys = [("svc", f"pod-{i}", "10.0.0.1", 80, "node-1") for i in range(20)]
    for tick in range(30):
        m.record_tick(tick * 0.1, 3, 3, 0, {keys[tick % 20]: 3, keys[(tick * 7) % 20]: 1}, {"timeout": 1})
    back = pickle.loads(pickle.dumps(m))
    assert list(back.endpoint_series) == list(m.endpoint_series)
    for k in m.endpoint_series:
        assert all(np.array_equal(a, b) for a, b in zip(back.endpoint_series[k].data(), m.endpoint_series[k].data()))
    big = 2**31 + 5
    for x in (m, back):
        x.record_tick(3.0, big, big, 0, {keys[0]: big}, {})
        assert x.endpoint_series[keys[0]].data()[1][-1, 0] == float(big)
        assert x.endpoint_series[keys[1]].data()[1][-1, 0] == 0.0
