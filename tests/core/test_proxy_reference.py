"""Vectorised balancers == plain-Python per-connection references, through endpoint churn and releases."""

import numpy as np
import pytest

from core.proxy import make_balancer
from core.proxy.reference import RefIpvs, RefUserspace

POOL = [f"10.244.{i // 5}.{10 + i}:8080" for i in range(12)]
WEIGHTED = {"wrr", "wlc", "sed", "nq", "sh", "mh", "lblc", "lblcr"}
VIP = 0x0A60000A  # 10.96.0.10


def _endpoint_rounds(rng, weighted):
    """A sequence of endpoint sets: grow, shrink, re-add (exercises add-at-head, quiesce, trash)."""
    rounds = []
    for size in (4, 7, 3, 9, 5, 1, 6):
        keys = list(rng.choice(POOL, size=size, replace=False))
        weights = rng.integers(0, 5, size=size).tolist() if weighted else None
        rounds.append((keys, weights))
    return rounds


def _release_some(rng, b, ref):
    """End a random part of the connections, by key, in both implementations."""
    for i, key in enumerate(list(b.endpoint_keys)):
        a = int(b.active[i])
        closing = int(rng.integers(0, a + 1)) if a else 0
        to_inactive = int(rng.integers(0, closing + 1))
        for kind, cnt in (("active_to_inactive", to_inactive), ("active_closed", closing - to_inactive)):
            if cnt:
                b.release(np.full(cnt, i), kind)
                for _ in range(cnt):
                    ref.release(key, kind)
        expire = int(rng.integers(0, int(b.inactive[i]) + 1))
        if expire:
            b.release(np.full(expire, i), "inactive_expired")
            for _ in range(expire):
                ref.release(key, "inactive_expired")


@pytest.mark.parametrize("scheduler", ["rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "dh", "mh", "lblc", "lblcr"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ipvs_vectorised_equals_reference(scheduler, seed):
    rng = np.random.default_rng(seed)
    weighted = scheduler in WEIGHTED and seed != 1
    b = make_balancer("ipvs", scheduler, vip=VIP, sh_port=(seed == 3))
    ref = RefIpvs(scheduler, sh_port=(seed == 3), vip=VIP)
    now = 0.0
    for keys, weights in _endpoint_rounds(rng, weighted):
        b.set_endpoints(keys, weights, now=now)
        ref.sync(keys, weights)
        assert b.endpoint_keys == [d.key for d in ref.dests]
        for _ in range(3):
            k = int(rng.integers(0, 60))
            src = rng.integers(0, 2**32, size=k, dtype=np.uint64).astype(np.uint32)
            port = rng.integers(1024, 65536, size=k)
            got = b.pick(src, port, now, rng)
            want = [ref.connect(int(s), int(p), now) for s, p in zip(src, port)]
            assert [b.endpoint_keys[i] if i >= 0 else None for i in got] == want
            assert b.active.tolist() == [d.active for d in ref.dests]
            _release_some(rng, b, ref)
            now += 1.0


@pytest.mark.parametrize("scheduler", ["lc", "wlc", "sed", "nq", "lblcr"])
def test_least_schedulers_large_batches(scheduler):
    """Big batches over many dests with unequal starting loads: the merge must match k greedy steps."""
    rng = np.random.default_rng(11)
    keys = POOL[:10]
    weights = [1, 2, 3, 1, 5, 2, 1, 4, 3, 2]
    b = make_balancer("ipvs", scheduler, vip=VIP)
    ref = RefIpvs(scheduler, vip=VIP)
    b.set_endpoints(keys, weights)
    ref.sync(keys, weights)
    for _ in range(4):
        src = np.zeros(500, dtype=np.uint32)
        got = b.pick(src, np.zeros(500, dtype=np.int64), 0.0, rng)
        want = [ref.connect(0, 0, 0.0) for _ in range(500)]
        assert [b.endpoint_keys[i] for i in got] == want
        _release_some(rng, b, ref)


def test_lblcr_set_expiry_removes_most_loaded_member():
    rng = np.random.default_rng(4)
    b = make_balancer("ipvs", "lblcr", vip=VIP)
    ref = RefIpvs("lblcr", vip=VIP)
    keys = POOL[:4]
    b.set_endpoints(keys)
    ref.sync(keys)
    for now in (0.0, 10.0, 50000.0, 90000.0, 90001.0, 200000.0, 300000.0):
        got = b.pick(np.zeros(40, np.uint32), np.zeros(40, np.int64), now, rng)
        want = [ref.connect(0, 0, now) for _ in range(40)]
        assert [b.endpoint_keys[i] for i in got] == want
        _release_some(rng, b, ref)


def test_userspace_equals_reference_with_fixed_shuffle_and_retries():
    rng = np.random.default_rng(9)
    b = make_balancer("userspace")
    ref = RefUserspace()
    for keys in (POOL[:5], POOL[2:9], POOL[:3]):
        b.set_endpoints(keys)
        b.shuffle(rng)
        ref.set_endpoints([b.endpoint_keys[i] for i in b.rr_order])
        for _ in range(4):
            alive = rng.random(len(keys)) < 0.6
            k = int(rng.integers(1, 40))
            got = b.pick(np.arange(k, dtype=np.uint32), np.zeros(k, np.int64), 0.0, rng, alive=alive)
            live = dict(zip(b.endpoint_keys, alive.tolist()))
            want = [ref.connect(i, 0.0, live) for i in range(k)]
            assert [b.endpoint_keys[i] if i >= 0 else None for i in got] == want


def test_userspace_affinity_equals_reference():
    rng = np.random.default_rng(3)
    b = make_balancer("userspace", affinity_timeout=30)
    ref = RefUserspace(affinity_timeout=30)
    b.set_endpoints(POOL[:4])
    b.shuffle(rng)
    ref.set_endpoints([b.endpoint_keys[i] for i in b.rr_order])
    for now in (0.0, 10.0, 25.0, 39.0, 70.0):
        ips = rng.integers(0, 6, size=12).astype(np.uint32)
        got = b.pick(ips, np.zeros(12, np.int64), now, rng)
        want = [ref.connect(int(i), now) for i in ips]
        assert [b.endpoint_keys[i] for i in got] == want


def test_least_merge_equals_greedy_loop_on_random_costs():
    from core.proxy.ipvs_sched import _least_merge_exact_loop, least_merge

    rng = np.random.default_rng(17)
    for trial in range(200):
        m = int(rng.integers(1, 12))
        base = rng.integers(0, 3000, size=m) * (256 if trial % 2 else 1)
        w = rng.integers(1, 7, size=m)
        step = 256 if trial % 2 else 1
        k = int(rng.integers(0, 300))
        assert least_merge(base, step, w, k).tolist() == _least_merge_exact_loop(base, step, w, k).tolist()
    # weights whose lcm would overflow int64 scaling take the exact loop
    big = np.array([65521, 65519, 65497, 65479, 65449], dtype=np.int64)
    base = np.array([10**9, 2 * 10**9, 5, 7, 10**12], dtype=np.int64)
    assert least_merge(base, 256, big, 50).tolist() == _least_merge_exact_loop(base, 256, big, 50).tolist()


def test_iptables_uniform_mixture_is_exactly_the_quantised_shares():
    """The O(1) pick: (1 - eps) * uniform + eps * Q adds up to the chain's quantised shares P, and a draw
    below 1 - eps lands on floor(u * n / (1 - eps))."""
    from core.proxy.iptables import quantised_shares, uniform_mixture

    for n in (2, 3, 7, 100, 1000):
        p = quantised_shares(n)
        eps, q_cum = uniform_mixture(p)
        q = np.diff(np.r_[0.0, q_cum])
        assert 0 < eps < 1e-6 and np.all(q >= 0) and q_cum[-1] == pytest.approx(1.0)
        assert np.allclose((1 - eps) / n + eps * q, p, rtol=0, atol=1e-15)
        b = make_balancer("iptables")
        b.set_endpoints([f"10.0.{i // 250}.{i % 250}:80" for i in range(n)])
        got = b.pick(np.zeros(50000, np.uint32), np.zeros(50000, np.int64), 0.0, np.random.default_rng(n))
        u = np.random.default_rng(n).random(50000)
        assert u.max() < 1 - eps  # the correction branch is one draw in ~10^8
        assert np.array_equal(got, np.floor(u * n / (1 - eps)).astype(np.int64))


def test_iptables_mixture_correction_branch_picks_from_q():
    from core.proxy.iptables import quantised_shares, uniform_mixture

    n = 3
    eps, q_cum = uniform_mixture(quantised_shares(n))
    top = 1 - eps
    # draws in the correction band map through Q's cumulative shares: (u - top) / eps
    u = np.array([top, top + eps * (q_cum[0] + q_cum[1]) / 2, 1 - 1e-17, 0.0])

    class Draws:
        def random(self, k):
            return u[:k]

    b = make_balancer("iptables")
    b.set_endpoints(["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"])
    got = b.pick(np.zeros(4, np.uint32), np.zeros(4, np.int64), 0.0, Draws())
    want = [int(np.searchsorted(q_cum, (x - top) / eps, side="right")) for x in u[:3]] + [0]
    assert got.tolist() == [min(w, n - 1) for w in want]
