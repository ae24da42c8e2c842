"""Batched IPVS schedulers (lblcr heaps and phases, mh hashing) equal the one-connection-at-a-time kernel."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.proxy import make_balancer
from core.proxy.ipvs import LBLC_EXPIRATION
from core.proxy.ipvs_sched import LBLCR_LONG, LBLCR_SMALL, _lblcr_batch_numpy, lblcr_batch

VIP = 0x0A60000A


def _random_case(rng, n, wmax):
    weight = rng.integers(0, wmax + 1, size=n)
    weight[rng.random(n) < 0.2] = 0
    active = rng.integers(0, max(2, 2 * wmax), size=n)
    active[rng.random(n) < 0.3] = 0  # idle servers: the overload rule is live
    inactive = rng.integers(0, 600, size=n)
    m = int(rng.integers(0, n + 1))
    members = rng.permutation(n)[:m].tolist()
    members = [d if rng.random() > 0.15 else -1 for d in members]  # -1: a deleted member of the set
    return weight, active, inactive, members


def test_lblcr_batch_heaps_equal_the_numpy_phases():
    """Random sets (deleted members, weight-0 members), counters and batch sizes: the Python-int heap
    version picks exactly what the per-phase numpy version picks, joins the same dests in the same order
    and leaves the same counters. Weights up to 300 make set phases longer than LBLCR_LONG steps (handed
    to numpy phases) and batches longer than LBLCR_SMALL end calm in one merge."""
    rng = np.random.default_rng(23)
    long_phase = calm = 0
    for trial in range(400):
        n = int(rng.integers(1, 10))
        weight, active, inactive, members = _random_case(rng, n, 300 if trial % 3 == 0 else 4)
        k = int(rng.integers(0, 700 if trial % 2 else 40))
        a1, a2 = active.copy(), active.copy()
        got, got_joined = lblcr_batch(members, a1, inactive, weight, k)
        want, want_joined = _lblcr_batch_numpy(members, a2, inactive, weight, k)
        assert got.tolist() == want.tolist(), trial
        assert got_joined == want_joined, trial
        assert a1.tolist() == a2.tolist(), trial
        if k > LBLCR_SMALL and not (active * 2 < weight).any():
            calm += 1
        runs = np.diff(np.flatnonzero(np.r_[True, got[1:] != got[:-1], True]))
        long_phase += int(weight.max(initial=0) > 2 * LBLCR_LONG and runs.size and runs.max() > LBLCR_LONG)
    assert calm > 10 and long_phase > 5  # both fast paths were exercised


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weights=st.lists(st.integers(0, 6), min_size=1, max_size=7), seed=st.integers(0, 2**32 - 1),
       sizes=st.lists(st.integers(0, 90), min_size=1, max_size=5))
def test_lblcr_batch_equals_one_by_one(weights, seed, sizes):
    """One balancer takes each batch whole, another one connection at a time (same times, same releases in
    between, times that cross the 24 h set expiry): same picks, same counters, same replica sets."""
    rng = np.random.default_rng(seed)
    keys = [f"10.244.0.{i + 1}:80" for i in range(len(weights))]
    whole = make_balancer("ipvs", "lblcr", vip=VIP)
    single = make_balancer("ipvs", "lblcr", vip=VIP)
    for b in (whole, single):
        b.set_endpoints(keys, weights)
    now = 0.0
    for k in sizes:
        got = whole.pick(np.zeros(k, np.uint32), np.zeros(k, np.int64), now, rng)
        want = [int(single.pick(np.zeros(1, np.uint32), np.zeros(1, np.int64), now, rng)[0]) for _ in range(k)]
        assert got.tolist() == want
        assert whole.active.tolist() == single.active.tolist()
        ew, es = whole.lblcr_cache.get(VIP), single.lblcr_cache.get(VIP)
        assert (ew is None) == (es is None)
        if ew is not None:
            assert (ew.members, ew.lastmod, ew.lastuse) == (es.members, es.lastmod, es.lastuse)
        # the same releases on both: some connections end, some inactive entries expire
        for i in range(len(keys)):
            close = int(rng.integers(0, int(whole.active[i]) + 1))
            expire = int(rng.integers(0, int(whole.inactive[i]) + 1))
            for b in (whole, single):
                if close:
                    b.release(np.full(close, i), "active_to_inactive")
                if expire:
                    b.release(np.full(expire, i), "inactive_expired")
        now += float(rng.choice([1.0, LBLC_EXPIRATION / 2, LBLC_EXPIRATION + 1.0]))


def test_mh_buckets_equal_the_scalar_hash_for_every_table_size():
    """mh_lookup_array (fused SipHash lanes, multiply-shift modulo) == ``hsiphash(saddr + port) % M`` per
    connection, for u32 sums that wrap, port 0 (no mh-port flag) and every IPVS table prime (with and
    without a 32-bit multiply-shift)."""
    from core.proxy.ipvs_hash import MH_HASH1_KEY, MH_PRIMES, _mod_magic, mh_hash, mh_lookup_array

    rng = np.random.default_rng(8)
    src = np.r_[rng.integers(0, 2**32, size=400, dtype=np.uint64), [0, 2**32 - 1, 2**32 - 5]].astype(np.uint32)
    port = np.r_[rng.integers(0, 65536, size=400), [0, 65535, 5]]
    assert any(_mod_magic(p) is None for p in MH_PRIMES) and any(_mod_magic(p) for p in MH_PRIMES)
    for size in MH_PRIMES:
        got = mh_lookup_array(src, port, size)
        want = [mh_hash(int(s), int(p), MH_HASH1_KEY) % size for s, p in zip(src, port)]
        assert got.tolist() == want, size
        assert mh_lookup_array(src, 0, size).tolist() == [mh_hash(int(s), 0, MH_HASH1_KEY) % size for s in src]


def test_mod_magic_is_exact_on_every_u32():
    """``x // d == (x * m) >> s`` can only fail first at the largest remainder (x = q*d + d - 1, where the
    rounding error of m is largest) or at exact multiples: check both for every quotient up to 2^32."""
    from core.proxy.ipvs_hash import MH_PRIMES, _mod_magic

    for d in MH_PRIMES:
        magic = _mod_magic(d)
        if magic is None:
            continue
        m, s = magic
        q = np.arange(0, (2**32 - 1) // d + 1, dtype=np.uint64)
        for x in (q * np.uint64(d), q * np.uint64(d) + np.uint64(d - 1)):
            x = x[x < 2**32]
            assert np.array_equal((x * np.uint64(m)) >> np.uint64(s), x // np.uint64(d)), d


def test_hsiphash_lanes_equal_the_scalar_and_the_kernel_vector():
    """The vectorised hsiphash (five rows of 1-d passes, first round folded into the key constants, last
    round cut to the low 32 bits) == the scalar SipHash-1-3 for any key, and hits linux
    lib/siphash_kunit.c's 4-byte vector: key {0x0706050403020100, 0x0f0e0d0c0b0a0908}, bytes 00 01 02 03
    -> 0x88d38328 (64-bit kernel)."""
    from core.proxy.ipvs_hash import MH_HASH1_KEY, MH_HASH2_KEY
    from core.proxy.siphash import hsiphash_u32, hsiphash_u32_array

    kunit = (0x0706050403020100, 0x0F0E0D0C0B0A0908)
    assert hsiphash_u32_array(np.array([0x03020100], dtype=np.uint32), kunit).tolist() == [0x88D38328]
    rng = np.random.default_rng(20)
    vals = np.r_[rng.integers(0, 2**32, size=300, dtype=np.uint64), [0, 1, 2**31, 2**32 - 1]].astype(np.uint32)
    for key in (kunit, MH_HASH1_KEY, MH_HASH2_KEY, (2**64 - 1, 0)):
        got = hsiphash_u32_array(vals, key)
        assert got.dtype == np.uint32
        assert got.tolist() == [hsiphash_u32(int(v), key) for v in vals], key
