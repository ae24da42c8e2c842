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


def test_o1_pick_matches_searchsorted_everywhere_including_boundaries():
    sizes = [1, 2, 3, 7, 0, 10, 100]
    for mode in ("iptables", "nftables"):
        t = _table(sizes, mode)
        rng = np.random.default_rng(5)
        vs = rng.integers(len(sizes), size=20000)
        u = rng.random(vs.size)
        # add the exact boundaries and their neighbours, where floor(u * n) is most likely wrong
        extra_vs, extra_u = [], []
        for v, k in enumerate(sizes):
            if k == 0:
                continue
            cum = t.cum[t.offset[v]: t.offset[v] + k]
            for c in cum[:-1]:
                for x in (np.nextafter(c, 0), c, np.nextafter(c, 1), (np.searchsorted(cum, c) + 1) / k):
                    extra_vs.append(v)
                    extra_u.append(min(x, np.nextafter(1.0, 0)))
        vs = np.r_[vs, extra_vs].astype(np.int64)
        u = np.r_[u, extra_u]
        eid, pos = t.pick_stateless(vs, u)
        for i in range(vs.size):
            k = sizes[vs[i]]
            if k == 0:
                assert eid[i] == -1 and pos[i] == -1
                continue
            cum = t.cum[t.offset[vs[i]]: t.offset[vs[i]] + k]
            if mode == "iptables":  # the statistic chain: the exact kernel-quantised cumulative shares
                want = min(int(np.searchsorted(cum, u[i], side="right")), k - 1)
            else:  # numgen random mod n: a uniform integer
                want = min(int(np.floor(u[i] * k)), k - 1)
            assert pos[i] == want, (mode, vs[i], u[i])
            assert eid[i] == t.eids[t.offset[vs[i]] + want]


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
