"""The IPVS store's direct-map path (no sort of the batch) decides exactly as its sorted path.

Random sequences of batches -- one scheduler family per batch (rr, lc, sed), lists of different widths
(some empty), pairs hit once or many times (the per-pair rounds and the big-group merge), batches decided
before the previous one closed (activeconns non-zero), closes, expiries and pairs taken out to objects --
go to two stores, one forced onto the sorted reference path; picks, handled flags, every pair's counters
and rr pointer, and the pending expiries must be equal after every batch. A third check feeds the same
connections one at a time to one ``IpvsBalancer`` per pair (``core.proxy``).
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.dataplane.ipvs_store import IpvsStore, _argmin_rows
from core.proxy import make_balancer

N_NODES, N_VS = 5, 6
CODES = {"rr": 0, "lc": 1, "sed": 2}


def _state(store: IpvsStore) -> list:
    rows = []
    for key, pid in zip(store.keys.tolist(), store.key_pid.tolist()):
        a, i, p = store.state_of(pid)
        rows.append((key, bool(store.p_out[pid]), a.tolist(), i.tolist(), p))
    return rows


def _expiries(store: IpvsStore) -> dict:
    """Pending expiries as {(time, width, cell): connections} (how they are split into entries may differ)."""
    out: dict = {}
    for t, w, cells, mult in store.expiry:
        m = np.ones(cells.size, np.int64) if mult is None or isinstance(mult, str) else mult  # str: REPEATED
        for c, k in zip(cells.tolist(), m.tolist()):
            out[(t, w, c)] = out.get((t, w, c), 0) + k
    return out


batch = st.tuples(
    st.sampled_from(sorted(CODES)),
    st.integers(1, 90),  # requests
    st.integers(1, 30),  # distinct pairs the batch draws from (few: pairs repeat)
    st.booleans(),  # close the tick after the batch
    st.booleans(),  # take one pair out after the batch
    st.integers(0, 2**32 - 1),
)


@settings(max_examples=60, deadline=None)
@given(widths=st.lists(st.integers(0, 5), min_size=N_VS, max_size=N_VS), batches=st.lists(batch, min_size=1,
                                                                                           max_size=7))
def test_direct_path_equals_sorted_path(widths, batches):
    widths = np.array(widths)
    direct, ref = IpvsStore(N_VS, N_NODES), IpvsStore(N_VS, N_NODES)
    direct.use_compiled = False  # the numpy direct path (test_ipvs_store_compiled covers the compiled one)
    ref.force_sorted = True
    for t, (sched, k, spread, close, take, seed) in enumerate(batches):
        rng = np.random.default_rng(seed)
        pairs = rng.integers(0, N_NODES * N_VS, size=spread)
        pick = pairs[rng.integers(0, spread, size=k)]
        node, vs = pick // N_VS, pick % N_VS
        code = CODES[sched]
        sched_arg = code if seed % 2 else np.full(k, code, np.int8)  # one int, or one code per request
        a = direct.decide(node, vs, sched_arg, widths, per_vs=True)
        b = ref.decide(node, vs, sched_arg, widths[vs])
        assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist(), t
        if close:
            direct.close(t + 3.0)
            ref.close(t + 3.0)
        direct.expire(float(t))
        ref.expire(float(t))
        if take and direct.keys.size:
            p = int(direct.key_pid[seed % direct.keys.size])
            moved_a, moved_b = direct.take_out(np.array([p])), ref.take_out(np.array([p]))
            assert sorted((t_, q, sorted(c.tolist())) for t_, q, c in moved_a) == sorted(
                (t_, q, sorted(c.tolist())) for t_, q, c in moved_b)
        assert _state(direct) == _state(ref), t
        assert _expiries(direct) == _expiries(ref), t


@settings(max_examples=40, deadline=None)
@given(sched=st.sampled_from(["rr", "lc", "wlc", "sed", "nq"]), seeds=st.lists(st.integers(0, 2**31), min_size=1,
                                                                              max_size=5))
def test_direct_path_equals_one_balancer_per_pair(sched, seeds):
    widths = np.array([3, 1, 0, 4, 2, 5])
    store = IpvsStore(N_VS, N_NODES)
    code = {"rr": 0, "lc": 1, "wlc": 1, "sed": 2, "nq": 2}[sched]
    refs: dict = {}
    open_: list = []
    for t, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        k = int(rng.integers(1, 80))
        node = rng.integers(0, N_NODES, size=k)
        vs = rng.integers(0, N_VS, size=k)
        handled, col = store.decide(node, vs, code, widths, per_vs=True)
        assert handled.all()
        want = []
        for i in range(k):
            key = (int(node[i]), int(vs[i]))
            if key not in refs:
                refs[key] = make_balancer("ipvs", sched)
                refs[key].set_endpoints([f"10.{key[1]}.0.{j + 1}:80" for j in range(int(widths[key[1]]))])
            want.append(int(refs[key].pick(np.array([1], np.uint32), np.array([1000]), float(t), rng)[0]))
        assert col.tolist() == want
        open_.extend((int(node[i]), int(vs[i]), want[i]) for i in range(k) if want[i] >= 0)
        if seed % 3:  # close the tick (some batches stay open: the next one sees activeconns)
            store.close(t + 100.0)
            for nd, v, c in open_:
                refs[(nd, v)].release([c], "active_to_inactive")
            open_.clear()
        for key, b in refs.items():
            pid = int(store.key_pid[np.searchsorted(store.keys, key[0] * store.nv + key[1])])
            active, inactive, _ = store.state_of(pid)
            assert active.tolist() == b.active.tolist() and inactive.tolist() == b.inactive.tolist()


def test_direct_path_big_batch_has_rare_repeats():
    """A batch over many pairs (the benchmark's shape): mostly one request per pair, some pairs twice or
    more; both paths agree on picks and on every counter."""
    rng = np.random.default_rng(5)
    n_nodes, n_vs, k = 300, 400, 50_000
    widths = rng.integers(1, 8, size=n_vs)
    for code in (0, 1):
        direct, ref = IpvsStore(n_vs, n_nodes), IpvsStore(n_vs, n_nodes)
        ref.force_sorted = True
        for t in range(3):
            node, vs = rng.integers(0, n_nodes, size=k), rng.integers(0, n_vs, size=k)
            a = direct.decide(node, vs, code, widths, per_vs=True)
            b = ref.decide(node, vs, code, widths, per_vs=True)
            assert np.array_equal(a[1], b[1])
            direct.close(t + 120.0)
            ref.close(t + 120.0)
        assert _state(direct) == _state(ref)


def test_argmin_rows_packs_value_and_column():
    rng = np.random.default_rng(1)
    for w, hi in ((1, 5), (3, 4), (15, 3), (15, 1 << 29), (40, 2)):
        mat = rng.integers(0, hi, size=(9000, w)).astype(np.int32)
        rows = rng.integers(0, 9000, size=20_000)
        assert np.array_equal(_argmin_rows(mat, rows), mat[rows].argmin(axis=1))
    # ties: the earliest column
    mat = np.array([[2, 1, 1], [0, 0, 0], [5, 5, 4]], np.int32)
    assert _argmin_rows(mat, np.tile(np.arange(3), 2000)).tolist()[:3] == [1, 0, 2]


def test_one_list_width_rows_follow_pair_ids():
    """With one list width the direct path reads a pair's counter row as its pair id: rows are allocated in
    pair order, through creation, snapshot and restore."""
    store = IpvsStore(4, 3)
    rng = np.random.default_rng(2)
    for t in range(3):
        node, vs = rng.integers(0, 3, size=40), rng.integers(0, 4, size=40)
        store.decide(node, vs, 1, np.full(4, 3), per_vs=True)
        store.close(t + 1.0)
        snap = store.snapshot()
        store.restore(snap)
        assert len(store.widths) == 1
        assert store.p_row[: store.n].tolist() == list(range(store.n))


def test_argmin_rows_every_packing_and_the_dense_pass():
    """``_argmin_rows`` is ``take(...).argmin(axis=1)`` (earliest column on ties) whether it gathers the rows or
    reduces every used row front to back, for counters packed in int16, int32 and int64, with spare rows."""
    rng = np.random.default_rng(7)
    for w, top in ((15, 3), (15, 1 << 12), (7, 1 << 20), (15, 1 << 30), (1, 5), (130, 9)):
        used = 9000
        mat = np.zeros((used + 1234, w), np.int32)  # capacity beyond the used rows, as _Width keeps it
        mat[:used] = rng.integers(0, top, size=(used, w))
        mat[used:] = -1  # never read: a read would win every argmin
        for size in (5000, 20000, 4500):  # dense pass (>= half the used rows) and the gather
            rows = rng.integers(0, used, size=size)
            want = np.take(mat, rows, axis=0).argmin(axis=1)
            assert np.array_equal(_argmin_rows(mat, rows, used), want)
            assert np.array_equal(_argmin_rows(mat, rows), want)
