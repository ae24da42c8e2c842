"""IPVS schedulers pinned with hand-worked values from domain.md b.2-b.3."""

import numpy as np
import pytest

from core.proxy import make_balancer
from core.proxy.ipvs_hash import (
    MH_HASH1_KEY,
    dh_bucket,
    dh_bucket_legacy,
    hash_32,
    mh_table,
    sh_bucket,
)
from core.proxy.siphash import hsiphash, hsiphash_u32

A, B, C, D = "10.244.0.1:80", "10.244.0.2:80", "10.244.0.3:80", "10.244.0.4:80"
RNG = np.random.default_rng(0)


def picks(b, k, src=None, port=None):
    ip = np.arange(k, dtype=np.uint32) if src is None else np.asarray(src, dtype=np.uint32)
    pt = np.full(ip.size, 40000) if port is None else np.asarray(port)
    out = b.pick(ip, pt, 0.0, RNG)
    return [b.endpoint_keys[i] if i >= 0 else None for i in out]


def names(keys):
    return "".join({A: "A", B: "B", C: "C", D: "D", None: "-"}[k] for k in keys)


def test_kernel_list_is_reverse_insertion_order():
    b = make_balancer("ipvs", "rr")
    b.set_endpoints([C, B, A])  # each added at the head: [C] -> [B, C] -> [A, B, C]
    assert b.endpoint_keys == [A, B, C]


def test_wrr_432_gives_AABABCABC():
    # kube-proxy adds C(2), B(3), A(4) one by one; each add runs ip_vs_wrr_dest_changed:
    #   +C: di = 2, mw = 2 - (2-1) = 1, cw was 0 -> cw = mw = 1
    #   +B: di = gcd(2,3) = 1, mw = 3, cw = 1 kept (0 < 1 <= 3, di == 1)
    #   +A: di = 1, mw = 4, cw = 1 kept; list is A, B, C
    # so the first pass runs at cw = 1: A, B, C; then cw = 0 -> mw = 4 and the steady cycle starts:
    # cw=4: A | cw=3: A, B | cw=2: A, B, C | cw=1: A, B, C  -> AABABCABC, repeating
    b = make_balancer("ipvs", "wrr")
    b.set_endpoints([C, B, A], weights=[2, 3, 4])
    assert names(picks(b, 3)) == "ABC"
    assert names(picks(b, 9)) == "AABABCABC"
    assert names(picks(b, 9)) == "AABABCABC"
    assert b.expected_shares() == pytest.approx([4 / 9, 3 / 9, 2 / 9])


def test_wrr_resets_to_head_on_dest_change():
    b = make_balancer("ipvs", "wrr")
    b.set_endpoints([C, B, A], weights=[2, 3, 4])
    assert names(picks(b, 3 + 4)) == "ABC" + "AABA"  # see above; now cl = A, cw = 2
    # add D (weight 1) at the head: list D, A, B, C; dest_changed: cl = head, di = 1, mw = 4,
    # cw = 2 stays (0 < cw <= mw, di == 1). From the head at cw=2: A, B, C; cw=1: D, A, B, C;
    # cw=0 -> mw=4: A.  (Continuing from A without the reset would give B, C first.)
    b.set_endpoints([C, B, A, D], weights=[2, 3, 4, 1])
    assert b.endpoint_keys == [D, A, B, C]
    assert names(picks(b, 8)) == "ABCDABCA"


def test_rr_pointer_moves_to_previous_on_delete():
    b = make_balancer("ipvs", "rr")
    b.set_endpoints([C, B, A])
    assert names(picks(b, 2)) == "AB"  # pointer at B
    b.release(np.array([1]), "active_closed")  # B has no connections left -> deleted at once
    b.set_endpoints([C, A])
    # ip_vs_rr_del_dest: pointer was B -> previous entry A; next scan starts after A: C, then A
    assert b.endpoint_keys == [A, C]
    assert names(picks(b, 2)) == "CA"


def test_rr_add_keeps_pointer():
    b = make_balancer("ipvs", "rr")
    b.set_endpoints([C, B, A])
    assert names(picks(b, 2)) == "AB"
    b.set_endpoints([C, B, A, D])  # D at head: D, A, B, C; pointer still on B -> C, then wrap D, A
    assert names(picks(b, 3)) == "CDA"


def test_graceful_termination_quiesces_then_deletes():
    b = make_balancer("ipvs", "rr")
    b.set_endpoints([C, B, A])
    picks(b, 3)  # one active connection each
    b.set_endpoints([C, A])  # B still has a connection: weight 0, kept in the list
    assert b.endpoint_keys == [A, B, C]
    assert b.weight.tolist() == [1, 0, 1]
    assert "B" not in names(picks(b, 4))
    b.release(np.array([1]), "active_to_inactive")
    b.set_endpoints([C, A])  # still an inactive entry: kept
    assert B in b.endpoint_keys
    b.release(np.array([1]), "inactive_expired")
    b.set_endpoints([C, A])  # drained: deleted
    assert b.endpoint_keys == [A, C]


def test_lc_overhead_is_active_times_256_plus_inactive():
    b = make_balancer("ipvs", "lc")
    b.set_endpoints([B, A])  # list A, B
    assert names(picks(b, 2)) == "AB"  # both 0: strict '<' keeps A; then A=256 > B=0
    # make A: 0 active, 100 inactive (overhead 100) and B: 1 active (overhead 256)
    b.release(np.array([0]), "active_to_inactive")
    for _ in range(99):
        b.inactive[0] += 1  # 99 more TIME_WAIT entries on A
    # <<8: A = 100 < B = 256 -> A. (The old "<<5" comment would give B = 32 < 100 -> B.)
    assert names(picks(b, 1)) == "A"


def test_wlc_tie_keeps_earliest_and_weights_cross_multiply():
    # list A(w1), B(w2), all idle.
    # 1: A cand loh=0; B: 0*2 > 0*1? no -> A (A=256)
    # 2: A 256; B: 256*2 > 0*1 -> B (B=256)
    # 3: 256*2=512 > 256*1 -> B (B=512)
    # 4: 256*2=512 > 512*1? no (tie) -> A (A=512)
    # 5: 512*2 > 512 -> B (768); 6: 1024 > 768 -> B (1024); 7: 1024 > 1024 no -> A
    b = make_balancer("ipvs", "wlc")
    b.set_endpoints([B, A], weights=[2, 1])
    assert names(picks(b, 7)) == "ABBABBA"


def test_sed_uses_active_plus_one():
    # list A(w1), B(w2) idle: overhead = active + 1.
    # 1: A loh=1; B doh=1: 1*2 > 1*1 -> B      2: A 1; B 2: 1*2 > 2*1? no -> A
    # 3: A 2; B 2: 2*2 > 2*1 -> B              4: A 2; B 3: 4 > 3 -> B
    # 5: A 2; B 4: 4 > 4? no -> A
    b = make_balancer("ipvs", "sed")
    b.set_endpoints([B, A], weights=[2, 1])
    assert names(picks(b, 5)) == "BABBA"


def test_nq_returns_first_idle_dest_immediately():
    # list A(w1), B(w2) idle: A is idle -> A at once (sed would pick B); then B idle -> B;
    # then as sed with A=1, B=1: A loh 2, B 2: 2*2 > 2 -> B; B=2 -> 3: 4 > 3 -> B; B=3 -> 4: 4 > 4 no -> A
    b = make_balancer("ipvs", "nq")
    b.set_endpoints([B, A], weights=[2, 1])
    assert names(picks(b, 5)) == "ABBBA"


def test_dh_bucket_numbers():
    # 10.96.0.10 = 10*2^24 + 96*2^16 + 10 = 174063626
    # modern: 174063626 * 1640531527 (0x61C88647) = 285556866156936902; mod 2^32 = 4067770054;
    #         >> 24 = floor(4067770054 / 16777216) = 242 (domain.md b.3)
    # legacy: 174063626 * 2654435761 = 462040713543729386; & 255 = 234
    assert dh_bucket("10.96.0.10") == 242
    assert dh_bucket_legacy("10.96.0.10") == 234


def test_dh_routes_vip_to_bucket_owner_and_none_when_quiesced():
    b = make_balancer("ipvs", "dh", vip="10.96.0.10")
    b.set_endpoints([C, B, A])  # list A, B, C; bucket i -> dests[i % 3]; 242 = 80*3 + 2 -> C
    assert set(picks(b, 5)) == {C}
    b.set_endpoints([B, A])  # C has 5 connections: quiesced (weight 0) but still owns bucket 242
    assert picks(b, 3) == [None, None, None]
    b.pick(np.zeros(1, np.uint32), np.zeros(1, int), 0.0, RNG)
    assert "ICMP port unreachable" in b.describe_pick(0)


def test_sh_bucket_by_hand():
    # 10.244.1.5 = 10*2^24 + 244*2^16 + 1*2^8 + 5 = 183763205
    # 183763205 * 1640531527 = 301469331305064035; mod 2^32 = 1931273827; >> 24 = 115
    # 192.168.0.7 = 3232235527; * 1640531527 mod 2^32 = 185838577; >> 24 = 11
    assert hash_32(183763205, 8) == 115
    assert sh_bucket("10.244.1.5") == 115
    assert sh_bucket("192.168.0.7") == 11
    # 3 dests of weight 1: bucket i -> dests[i % 3]: 115 % 3 = 1 -> B, 11 % 3 = 2 -> C
    b = make_balancer("ipvs", "sh")
    b.set_endpoints([C, B, A])
    src = [183763205, 3232235527]
    assert picks(b, 2, src=src, port=[1111, 2222]) == [B, C]  # port not hashed without sh-port
    # with sh-port: 183763205 + 1111 = 183764316; * 1640531527 = 301471153935590532; mod 2^32 = 3495666820;
    # >> 24 = 208; 208 % 3 = 1 -> B
    assert sh_bucket("10.244.1.5", 1111) == 208
    bp = make_balancer("ipvs", "sh", sh_port=True)
    bp.set_endpoints([C, B, A])
    assert picks(bp, 1, src=[183763205], port=[1111]) == [B]


def test_sh_weight_takes_consecutive_buckets():
    from core.proxy.ipvs_hash import sh_table

    # weights 2, 1, 0: A A B C A A B C ... (weight 0 still takes one bucket per cycle)
    assert sh_table([2, 1, 0])[:8].tolist() == [0, 0, 1, 2, 0, 0, 1, 2]


def test_hsiphash_kernel_vectors():
    # linux lib/siphash_kunit.c (was lib/test_siphash.c), BITS_PER_LONG == 64:
    # test_key_hsiphash = {0x0706050403020100, 0x0f0e0d0c0b0a0908}, input bytes 0..len-1,
    # test_vectors_hsiphash[0] = 0x050fc4dc, [1] = 0x7d57ca93, [4] = 0x88d38328, [8] = 0x8d299a8e,
    # [15] = 0x2a519956
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)
    assert hsiphash(b"", key) == 0x050FC4DC
    assert hsiphash(bytes(range(1)), key) == 0x7D57CA93
    assert hsiphash(bytes(range(4)), key) == 0x88D38328
    assert hsiphash(bytes(range(8)), key) == 0x8D299A8E
    assert hsiphash(bytes(range(15)), key) == 0x2A519956
    # the u32 form mh uses: bytes 00 01 02 03 little-endian = 0x03020100
    assert hsiphash_u32(0x03020100, key) == 0x88D38328
    assert MH_HASH1_KEY == (2654435761, 2654435761)


def test_mh_table_balance_three_equal_dests():
    # M = 4093 = 3*1364 + 1: round robin claiming gives the first dest in list order one extra slot
    t = mh_table([A, B, C], [1, 1, 1])
    assert np.bincount(t).tolist() == [1365, 1364, 1364]


def test_mh_quiesced_dest_keeps_slots_and_returns_none():
    b = make_balancer("ipvs", "mh")
    b.set_endpoints([C, B, A])
    ip = np.arange(3000, dtype=np.uint32)
    first = b.pick(ip, np.full(3000, 5555), 0.0, RNG)
    b.set_endpoints([C, B])  # A has connections: weight 0, last_weight stays 1 -> same table
    again = b.pick(ip, np.full(3000, 5555), 0.0, RNG)
    assert np.array_equal(again[first != 0], first[first != 0])
    assert (again[first == 0] == -1).all()


def test_no_destination_when_all_weights_zero():
    for s in ("rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "dh", "mh", "lblc", "lblcr"):
        b = make_balancer("ipvs", s)
        b.set_endpoints([B, A], weights=[0, 0])
        assert picks(b, 3) == [None, None, None], s


def test_unknown_scheduler_is_a_clear_error():
    with pytest.raises(ValueError, match="allowed: rr, wrr"):
        make_balancer("ipvs", "fastest")
    assert make_balancer("ipvs", "").scheduler == "rr"


def test_lblc_keeps_cache_until_overloaded():
    # list A, B (w1). 1st: no entry -> wlc -> A. A: active 1 <= weight 1 -> A again (active 2).
    # 3rd: A active 2 > 1 and B has 0*2 < 1 -> overloaded -> wlc: A 512 vs B 0 -> B, cache = B.
    # 4th: B (1 <= 1). 5th: B active 2 > 1, but no dest has active*2 < 1 -> not overloaded: B, B, ...
    b = make_balancer("ipvs", "lblc", vip="10.96.0.20")
    b.set_endpoints([B, A])
    assert names(picks(b, 7)) == "AABBBBB"


def test_lblcr_grows_set_on_overload():
    # as lblc for the first 4 picks (set {A} -> overloaded -> add B: set B, A).
    # 5th: set_min over (B, A): B 512, A 512 -> B (first, strict compare); B active 2 > 1 but no dest
    # has active*2 < 1 -> not overloaded -> B (768). 6th: least starts at B loh=768; A: 768*1 > 512*1 -> A.
    b = make_balancer("ipvs", "lblcr", vip="10.96.0.20")
    b.set_endpoints([B, A])
    assert names(picks(b, 6)) == "AABBBA"


def test_persistence_affinity_and_timeout():
    b = make_balancer("ipvs", "rr", affinity_timeout=100)
    b.set_endpoints([C, B, A])
    ip = np.array([7, 8, 7, 9, 7], dtype=np.uint32)
    out = b.pick(ip, np.arange(5), 0.0, RNG)
    # first-time clients 7, 8, 9 run rr: A, B, C; repeats of 7 follow its template (A)
    assert [b.endpoint_keys[i] for i in out] == [A, B, A, C, A]
    assert b.describe_pick(2).startswith("IPVS persistent 100 template")
    out = b.pick(np.array([7], np.uint32), np.array([1]), 99.9, RNG)
    assert b.endpoint_keys[out[0]] == A  # 99.9 - 0 < 100
    out = b.pick(np.array([8], np.uint32), np.array([1]), 100.0, RNG)
    assert b.endpoint_keys[out[0]] == A  # 100 - 0 is not < 100: expired, rr continues after C -> A


def test_wrr_cw_rounded_to_gcd_grid_on_update():
    # +B(3): di = 3, mw = 3 - 2 = 1, cw 0 -> 1; +A(4): di = 1, mw = 4, cw = 1 kept. List A, B.
    # picks: cw=1: A, B | cw=0 -> 4: A | cw=3: A, B | cw=2: A   -> "ABAABA", state cl = A, cw = 2
    b = make_balancer("ipvs", "wrr")
    b.set_endpoints([B, A], weights=[3, 4])
    assert names(picks(b, 6)) == "ABAABA"
    # B's weight -> 2: di = gcd(4, 2) = 2, mw = 4 - 1 = 3, cw = 2 <= 3 and di > 1 -> cw = (2//2)*2 + 1 = 3
    # from the head at cw=3: A | cw=1: A, B | cw=-1 -> 3: A | cw=1: A, B   -> "AABAAB"
    # (keeping cw = 2 would start with A, B)
    b.set_endpoints([B, A], weights=[2, 4])
    assert names(picks(b, 6)) == "AABAAB"


def test_lblcr_expired_set_drops_most_loaded_member():
    # list A, B (w1). t=0, 10 picks: A, A, then A overloaded (2 > 1, B idle) -> wlc B, set (B, A);
    # then set_min alternates on equal load: picks end at A=5, B=5 (lastmod = 0 when B was inserted).
    b = make_balancer("ipvs", "lblcr", vip="10.96.0.20")
    b.set_endpoints([B, A])
    assert sorted(names(picks(b, 10))) == sorted("AAAAABBBBB")
    b.release(np.array([0, 0, 0, 0]), "active_closed")  # A=1, B=5
    # t=50000: entry used (lastuse = 50000, so the 24 h GC keeps it); set_min = A (256 < 1280) -> A=2.
    out = b.pick(np.zeros(1, np.uint32), np.zeros(1, np.int64), 50000.0, RNG)
    assert b.endpoint_keys[out[0]] == A
    # t=90000 > lastmod(0) + 86400: set_min = A (512 < 1280); 2 members, unmodified 24 h -> erase max B.
    # A is never overloaded (no dest has active*2 < 1), so every pick goes to A.
    # (Keeping B would share the picks once A reached B's 1280.)
    out = b.pick(np.zeros(20, np.uint32), np.zeros(20, np.int64), 90000.0, RNG)
    assert names([b.endpoint_keys[i] for i in out]) == "A" * 20


def test_lblc_batch_heap_path_equals_the_numpy_path():
    """The Python-int heap version of lblc's phases picks exactly what the per-phase numpy version picks
    (random weights including 0, counters and cache entries)."""
    from core.proxy.ipvs_sched import _lblc_batch_numpy, lblc_batch

    rng = np.random.default_rng(11)
    for _ in range(300):
        n = int(rng.integers(1, 9))
        weight = rng.integers(0, 5, size=n)
        active = rng.integers(0, 6, size=n)
        inactive = rng.integers(0, 300, size=n)
        cached = int(rng.integers(-1, n))
        k = int(rng.integers(0, 40))
        a1, a2 = active.copy(), active.copy()
        got = lblc_batch(cached, a1, inactive, weight, k)
        want = _lblc_batch_numpy(cached, a2, inactive, weight, k)
        assert got[0].tolist() == want[0].tolist() and got[1] == want[1]
        assert a1.tolist() == a2.tolist()


def test_lblcr_phase_stops_at_the_first_overloaded_pick():
    """Hand-worked: set members A (active 0) and B (active 3), non-member C; every weight 2.
    Overheads A 0, 256, 512, 768 then B 768 (tie: A is earlier in the list), so the merge is A A A A B A.
    is_overloaded(A) needs A.active > 2 AND some server with active*2 < 2 (i.e. active 0):
    * C busy (active 5): after A's first pick nobody is underloaded, so all six picks stand;
    * C idle (active 0): C stays underloaded, and A's 4th pick (active 3 > 2) ends the phase after 3 picks.
    """
    from core.proxy.ipvs_sched import lblcr_phase

    active = np.array([0, 3, 5])
    inactive = np.zeros(3, dtype=np.int64)
    weight = np.array([2, 2, 2])
    # A's overhead 0, 256, 512, 768 (ties with B at 768: A is earlier) then B and A alternate
    assert lblcr_phase([0, 1], active, inactive, weight, 6).tolist() == [0, 0, 0, 0, 1, 0]
    # with C underloaded (active 0 < weight/2) the overload rule stays live: A's 4th pick (active 3 > 2) stops
    active_c = np.array([0, 3, 0])
    assert lblcr_phase([0, 1], active_c, inactive, weight, 6).tolist() == [0, 0, 0]
