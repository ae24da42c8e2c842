"""The compiled view table's O(1) stateless pick equals the exact cumulative-share search."""

import numpy as np

from core.dataplane.tables import EndpointRegistry, ServiceIndex, ViewTable, iptables_shares
from core.model import ClusterModel, ServicePort, ServiceSpec
from core.state import Endpoint


def _table(sizes, mode):
    model = ClusterModel()
    slices = {}
    for s, k in enumerate(sizes):
        model.services.append(ServiceSpec("ns", f"s{s}", "ClusterIP", f"10.96.1.{s + 1}",
                                          (ServicePort(80, "TCP", "", 8080),), {"app": f"a{s}"}))
        slices[("ns", f"s{s}")] = tuple(Endpoint(f"10.244.{s}.{i + 2}", "n1", ("ns", f"p{s}-{i}"), True, True, False,
                                                 (("", 8080, "TCP"),)) for i in range(k))
    return ViewTable(ServiceIndex(model), slices, EndpointRegistry(), mode)


def test_iptables_shares_are_the_kernel_quantised_ones():
    # n=3: stored values lround(2^31 * 0.3333333333) = 715827882 and lround(2^31 * 0.5) = 2^30;
    # shares 715827882/2^31 = 0.333333333489..., then (1 - that) * 0.5 twice (domain.md a.2)
    s = iptables_shares(3)
    assert abs(s[0] - 0.333333333489) < 1e-12
    assert abs(s[1] - 0.333333333256) < 1e-12 and abs(s[2] - 0.333333333256) < 1e-12
    assert abs(s.sum() - 1.0) < 1e-15


def test_iptables_mixture_reproduces_the_quantised_shares_exactly():
    sizes = [1, 2, 3, 7, 0, 10, 100]
    t = _table(sizes, "iptables")
    assert 0 < t.eps < 1e-6
    for k in {k for k in sizes if k > 1}:
        # P_i = (1 - eps)/n + eps * Q_i, with the kernel-quantised P of domain.md a.2
        q = np.diff(np.r_[0.0, t.q_cum[k]])
        implied = (1.0 - t.eps) / k + t.eps * q
        assert np.abs(implied - iptables_shares(k)).max() < 1e-15
    # any draw u < 1 - eps picks floor(u / (1 - eps) * n); u >= 1 - eps picks from Q
    rng = np.random.default_rng(5)
    vs = rng.integers(len(sizes), size=20000)
    u = rng.random(vs.size)
    u[:50] = 1.0 - rng.random(50) * t.eps  # force the rare branch
    eid, pos = t.pick_stateless(vs, u)
    for i in range(vs.size):
        k = sizes[vs[i]]
        if k == 0:
            assert eid[i] == -1 and pos[i] == -1
        elif u[i] < 1 - t.eps:
            assert pos[i] == min(int(u[i] / (1 - t.eps) * k), k - 1)
        assert eid[i] == (t.eids[t.offset[vs[i]] + pos[i]] if k else -1)
        assert 0 <= pos[i] < k or k == 0


def test_iptables_picks_follow_the_statistic_chain_chi_square():
    from core.metrics import chi_square

    t = _table([3, 7], "iptables")
    rng = np.random.default_rng(11)
    for v, k in ((0, 3), (1, 7)):
        _eid, pos = t.pick_stateless(np.full(200000, v), rng.random(200000))
        _stat, _dof, p = chi_square(np.bincount(pos, minlength=k), iptables_shares(k))
        assert p > 0.01


def test_numgen_pick_is_floor_u_n_even_at_the_edges():
    sizes = [1, 2, 3, 7, 10, 100]
    t = _table(sizes, "nftables")
    vs, u = [], []
    for v, k in enumerate(sizes):
        for j in range(k + 1):
            for x in (j / k, np.nextafter(j / k, 0), np.nextafter(j / k, 1)):
                if 0 <= x < 1:
                    vs.append(v)
                    u.append(x)
        vs.append(v)
        u.append(np.nextafter(1.0, 0))
    vs, u = np.array(vs), np.array(u)
    _eid, pos = t.pick_stateless(vs, u)
    want = np.minimum(np.floor(u * np.array(sizes)[vs]).astype(int), np.array(sizes)[vs] - 1)
    assert (pos == want).all()


def test_kube_proxy_order_is_lexicographic_ip_port():
    # "10.244.0.10:8080" < "10.244.0.2:8080" as strings (domain.md a.2, byEndpoint)
    model = ClusterModel(services=[ServiceSpec("ns", "s", "ClusterIP", "10.96.1.1", (ServicePort(80, "TCP", "", 8080),),
                                               {"a": "b"})])
    eps = tuple(Endpoint(f"10.244.0.{i}", "n", ("ns", f"p{i}"), True, True, False, (("", 8080, "TCP"),))
                for i in (2, 10, 3))
    reg = EndpointRegistry()
    t = ViewTable(ServiceIndex(model), {("ns", "s"): eps}, reg, "iptables")
    assert [reg.ip[e] for e in t.eids[:3]] == ["10.244.0.10", "10.244.0.2", "10.244.0.3"]


def test_chi_square_and_fairness_by_hand():
    from core.metrics import chi_square, jain_index

    # observed 10/20/30 against even shares: expected 20 each, stat = (100 + 0 + 100) / 20 = 10, dof 2,
    # p = exp(-10/2) = 0.006737947 (the chi-square(2) survival function is exp(-x/2))
    stat, dof, p = chi_square(np.array([10, 20, 30]), np.array([1, 1, 1]) / 3)
    assert stat == 10.0 and dof == 2 and abs(p - np.exp(-5)) < 1e-12
    # Jain: (10+20+30)^2 / (3 * (100+400+900)) = 3600 / 4200
    assert jain_index(np.array([10, 20, 30])) == 3600 / 4200
