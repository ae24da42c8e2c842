"""iptables/nftables modes: probability strings, kernel quantisation, shares, chi-square against the rule walk."""

import numpy as np
import pytest

from core.proxy import iptables_probability_string, iptables_save_probability, make_balancer
from core.proxy.iptables import quantised_shares, statistic_stored_value
from core.proxy.nftables import numgen_shares
from core.proxy.reference import iptables_pick_one, iptables_stored, nftables_pick_one
from core.proxy.stats import chi2_gof, chi2_homogeneity, chi2_sf


@pytest.mark.parametrize(
    ("n", "text"),
    # "%0.10f" of 1/n: 1/6 = 0.1666666666|67 rounds up, 1/7 = 0.1428571428|57 rounds up
    [(2, "0.5000000000"), (3, "0.3333333333"), (4, "0.2500000000"), (5, "0.2000000000"),
     (6, "0.1666666667"), (7, "0.1428571429")],
)
def test_probability_strings(n, text):
    assert iptables_probability_string(n) == text


@pytest.mark.parametrize(
    ("p", "saved"),
    [
        # 2^31 * 0.3333333333 = 715827882.595 -> lround 715827883; /2^31 = 0.333333333489 -> %.11f
        ("0.3333333333", "0.33333333349"),
        # 2^31 * 0.5 = 1073741824 exactly
        ("0.5000000000", "0.50000000000"),
        # 2^31 * 0.2 = 429496729.6 -> 429496730; /2^31 = 0.2000000001863
        ("0.2000000000", "0.20000000019"),
        # 2^31 * 0.1666666667 = 357913941.405 -> 357913941; /2^31 = 0.16666666651
        ("0.1666666667", "0.16666666651"),
    ],
)
def test_iptables_save_rendering(p, saved):
    assert iptables_save_probability(p) == saved


def test_stored_values_by_hand():
    # lround(2147483648 * p), see test_iptables_save_rendering for the arithmetic
    assert statistic_stored_value("0.3333333333") == 715827883
    assert statistic_stored_value("0.5000000000") == 1073741824
    assert statistic_stored_value("0.2000000000") == 429496730


def test_bad_probability_input_is_a_clear_error():
    with pytest.raises(ValueError, match="probability"):
        iptables_save_probability("abc")
    with pytest.raises(ValueError, match=">= 1"):
        iptables_probability_string(0)


def test_quantised_shares_n3():
    # q0 = 715827883/2^31 = 0.333333333489; q1 = 0.5
    # share0 = q0; share1 = (1 - q0) * 0.5 = 0.333333333256; share2 = the same remainder
    s = quantised_shares(3)
    assert s == pytest.approx([0.333333333489, 0.333333333256, 0.333333333256], abs=5e-13)
    b = make_balancer("iptables")
    b.set_endpoints(["10.0.1.3:80", "10.0.1.1:80", "10.0.1.2:80"])
    assert b.expected_shares() == pytest.approx(s, abs=0)


def test_endpoints_sorted_as_strings():
    b = make_balancer("iptables")
    b.set_endpoints(["10.0.1.2:80", "10.0.1.10:80", "10.0.1.1:80"])
    # byEndpoint compares "ip:port" strings byte by byte: at the 9th byte "10.0.1.10:80" has '0' (0x30)
    # and "10.0.1.1:80" has ':' (0x3A), so .10 sorts first; '1' < '2' puts .1 before .2
    assert b.endpoint_keys == ["10.0.1.10:80", "10.0.1.1:80", "10.0.1.2:80"]


def test_describe_pick_shows_rule():
    b = make_balancer("iptables")
    b.set_endpoints(["10.0.1.1:80", "10.0.1.2:80", "10.0.1.3:80"])
    rng = np.random.default_rng(5)
    picks = b.pick(np.arange(200, dtype=np.uint32), np.full(200, 40000), 0.0, rng)
    i1 = int(np.flatnonzero(picks == 1)[0])
    i2 = int(np.flatnonzero(picks == 2)[0])
    assert b.describe_pick(i1) == "KUBE-SVC rule 2 -m statistic --mode random --probability 0.5000000000 -> 10.0.1.2:80"
    assert "always matches" in b.describe_pick(i2)


def test_chi2_sf_known_points():
    # chi-square(1) 95% point 3.841458820694124; chi-square(2) sf(x) = exp(-x/2) -> sf(2) = e^-1
    assert chi2_sf(3.841458820694124, 1) == pytest.approx(0.05, rel=1e-9)
    assert chi2_sf(2.0, 2) == pytest.approx(np.exp(-1), rel=1e-12)


def test_vectorised_chain_equals_rule_walk_chi_square():
    n = 5
    shares = quantised_shares(n)
    rng = np.random.default_rng(20240501)
    stored = iptables_stored(n)
    ref = np.bincount([iptables_pick_one(stored, rng) for _ in range(20000)], minlength=n)
    b = make_balancer("iptables")
    b.set_endpoints([f"10.0.0.{i}:80" for i in range(n)])
    vec = np.bincount(b.pick(np.zeros(200000, np.uint32), np.zeros(200000, int), 0.0, rng), minlength=n)
    assert chi2_gof(ref, shares)[1] > 0.01
    assert chi2_gof(vec, shares)[1] > 0.01
    assert chi2_homogeneity(ref, vec)[1] > 0.01


def test_nftables_numgen_shares_and_chi_square():
    # reciprocal_scale(u, 3) = (u*3) >> 32: endpoint 0 gets u < ceil(2^32/3) = 1431655766 values,
    # endpoint 1 gets ceil(2*2^32/3) - 1431655766 = 2863311531 - 1431655766 = 1431655765, endpoint 2 the
    # remaining 4294967296 - 2863311531 = 1431655765.
    assert numgen_shares(3) * 2**32 == pytest.approx([1431655766, 1431655765, 1431655765], abs=1e-3)
    rng = np.random.default_rng(7)
    ref = np.bincount([nftables_pick_one(3, rng) for _ in range(20000)], minlength=3)
    b = make_balancer("nftables")
    b.set_endpoints(["10.0.0.3:80", "10.0.0.1:80", "10.0.0.2:80"])
    vec = np.bincount(b.pick(np.zeros(100000, np.uint32), np.zeros(100000, int), 0.0, rng), minlength=3)
    assert chi2_gof(ref, numgen_shares(3))[1] > 0.01
    assert chi2_gof(vec, numgen_shares(3))[1] > 0.01
    b.pick(np.zeros(1, np.uint32), np.zeros(1, int), 0.0, rng)
    assert b.describe_pick(0).startswith("numgen random mod 3 -> ")


def test_no_endpoints_rejects():
    for mode in ("iptables", "nftables"):
        b = make_balancer(mode)
        b.set_endpoints([])
        out = b.pick(np.zeros(3, np.uint32), np.zeros(3, int), 0.0, np.random.default_rng(0))
        assert out.tolist() == [-1, -1, -1]


def test_bad_inputs_are_clear_errors():
    with pytest.raises(ValueError, match="allowed: iptables"):
        make_balancer("ebpf")
    b = make_balancer("iptables")
    with pytest.raises(ValueError, match="ip:port"):
        b.set_endpoints(["10.0.0.1"])
    with pytest.raises(ValueError, match="duplicate"):
        b.set_endpoints(["10.0.0.1:80", "10.0.0.1:80"])
    b.set_endpoints(["10.0.0.1:80"])
    with pytest.raises(ValueError, match="equal length"):
        b.pick(np.zeros(2, np.uint32), np.zeros(3, int), 0.0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="0..65535"):
        b.pick(np.zeros(1, np.uint32), np.array([70000]), 0.0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="release kind"):
        b.release(np.array([0]), "gone")
    with pytest.raises(ValueError, match="timeout"):
        make_balancer("iptables", affinity_timeout=0)
