"""The IPVS store's compiled loops (``core.dataplane.ipvs_kernels``, through numba) decide exactly as its
numpy path: the same picks, rr pointers, activeconns/inactconns, expiries and pairs moved out to objects,
batch after batch; and whole ticks of a small IPVS cluster give the same outcomes, endpoints, latencies,
connection totals and metrics for every scheduler the store handles."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from core.dataplane import ipvs_kernels
from core.dataplane.ipvs_store import REPEATED, IpvsStore

pytestmark = pytest.mark.skipif(not ipvs_kernels.available(), reason="numba missing or PODPATH_JIT=0")

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_dataplane.py"


def _state(store: IpvsStore) -> list:
    rows = []
    for key, pid in zip(store.keys.tolist(), store.key_pid.tolist()):
        a, i, p = store.state_of(pid)
        rows.append((key, bool(store.p_out[pid]), a.tolist(), i.tolist(), p))
    return rows


def _expiries(store: IpvsStore) -> dict:
    """Pending expiries as {(time, width, cell): connections} (entries split and ordered differently)."""
    out: dict = {}
    for t, w, cells, mult in store.expiry:
        m = np.ones(cells.size, np.int64) if mult is None or mult is REPEATED else mult
        for c, k in zip(cells.tolist(), m.tolist()):
            out[(t, w, c)] = out.get((t, w, c), 0) + k
    return out


def _moved(moved) -> list:
    return sorted((t, p, sorted(c.tolist())) for t, p, c in moved)


@pytest.mark.parametrize("seed", range(24))
def test_compiled_store_equals_numpy_store_batch_by_batch(seed):
    rng = np.random.default_rng(seed)
    n_nodes, n_vs = 7, 6
    widths = rng.integers(0, 6, size=n_vs)  # some Services without endpoints
    if seed % 4 == 0:
        widths[:] = 4  # one list width: rows are pair ids
    node_sched = rng.integers(0, 3, size=n_nodes + 2).astype(np.int8)  # rr / lc / sed per node
    # the direct map covers 5 nodes: nodes 5.. are found through the sorted keys only
    jit, ref = IpvsStore(n_vs, 5), IpvsStore(n_vs, 5)
    ref.use_compiled = False
    for t in range(8):
        spread = int(rng.integers(1, 25))  # few pairs: many repeat within the batch
        pairs = rng.integers(0, n_nodes * n_vs, size=spread)
        k = int(rng.integers(1, 120))
        pick = pairs[rng.integers(0, spread, size=k)]
        node, vs = pick // n_vs, pick % n_vs
        if t == 5 and seed % 2:  # one pair asked many times in a row (the numpy path's per-pair merge)
            node[:], vs[:] = 1, int(np.argmax(widths))
        if seed % 3 == 0:
            sched = int(node_sched[0])  # one scheduler for the batch
        else:
            sched = node_sched[node]  # one per request: its node's
        a = jit.decide(node, vs, sched, widths, per_vs=True)
        b = ref.decide(node, vs, sched, widths, per_vs=True)
        assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist(), t
        if rng.random() < 0.7:  # some batches stay open: the next one reads their activeconns
            jit.close(t + 2.5)
            ref.close(t + 2.5)
        jit.expire(float(t))
        ref.expire(float(t))
        if rng.random() < 0.4 and jit.keys.size:
            p = jit.key_pid[int(rng.integers(0, jit.keys.size))]
            assert _moved(jit.take_out(np.array([p]))) == _moved(ref.take_out(np.array([p]))), t
        if t == 3:  # a checkpoint goes back and forth
            jit.restore(jit.snapshot())
        assert _state(jit) == _state(ref), t
        assert _expiries(jit) == _expiries(ref), t


def test_compiled_store_walks_sorted_keys_without_the_direct_map():
    store = IpvsStore(10, 20)
    assert store.dense is not None
    node, vs = np.array([3, 19, 3, 0]), np.array([2, 9, 2, 0])
    _handled, col = store.decide(node, vs, 0, np.full(11, 3), per_vs=True)
    assert store.dense is None  # the compiled path never reads it
    assert col.tolist() == [0, 0, 1, 0]  # rr from the list head; the pair (3, 2) twice
    assert store.opened[0][2] is REPEATED


def _bench():
    spec = importlib.util.spec_from_file_location("bench_dataplane", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_compiled_ticks_equal_numpy_ticks_on_a_small_cluster():
    from core.engine import Simulation

    bench = _bench()
    sim = Simulation(bench.scale_model(12, 20, 3, "ipvs"), 1)
    sim.dataplane.enabled = False
    sim.run(5.0)
    sim.dataplane.enabled = True
    digests = {}
    for sched in ("rr", "lc", "wlc", "sed", "nq"):
        stats: dict = {}
        a = bench.tick_digest(sim, sched, 4, 3000, compiled=True, stats=stats)
        b = bench.tick_digest(sim, sched, 4, 3000, compiled=False)
        assert a == b, sched
        assert stats["taken_out"] > 0  # the deleted pod's Service left the store on the nodes that used it
        digests[sched] = a
    # equal weights: wlc is lc and nq is sed; rr, lc and sed differ
    assert digests["wlc"] == digests["lc"] and digests["nq"] == digests["sed"]
    assert len({digests["rr"], digests["lc"], digests["sed"]}) == 3
