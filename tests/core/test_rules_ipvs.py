"""``ipvsadm -Ln`` text against domain.md b.1 and b.4 (column padding worked out by hand)."""

import pytest

from core.proxy.render_common import NodeRuleInput, RuleEndpoint, RuleInputError, RuleServicePort
from core.proxy.render_ipvs import glibc_msort, kube_ipvs0_addresses, render_ipvs, virtual_servers

HEADER = ("IP Virtual Server version 1.2.1 (size=4096)\n"
          "Prot LocalAddress:Port Scheduler Flags\n"
          "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n")

# The b.4 example: default/kubernetes 443 with ClientIP affinity (10800 s) -> apiserver 192.168.0.10:6443,
# kube-dns 53/UDP -> 10.244.0.2:53.
KUBERNETES = RuleServicePort("default", "kubernetes", "https", "TCP", "10.96.0.1", 443, session_affinity_timeout=10800)
DNS = RuleServicePort("kube-system", "kube-dns", "dns", "UDP", "10.96.0.10", 53)


def _inp(*services, node_ips=("192.168.0.10",), scheduler="rr"):
    return NodeRuleInput("node1", node_ips, "10.244.0.0/16", False, tuple(services), ipvs_scheduler=scheduler)


def test_b4_example_with_exact_padding():
    inp = _inp((KUBERNETES, (RuleEndpoint("192.168.0.10", 6443, "node1"),)),
               (DNS, (RuleEndpoint("10.244.0.2", 53, "node1"),)))
    counts = {("10.96.0.1", 443, "192.168.0.10:6443"): (5, 19)}
    # dest line "  -> %-28s %-7s %-6d %-10u %-10u":
    #   "192.168.0.10:6443" is 17 chars -> 11 spaces of padding to 28; "Masq" + 3 spaces = 7; "1" + 5 = 6;
    #   "5" + 9 = 10; "19" + 8 = 10 (trailing padding kept).
    # TCP (6) sorts before UDP (17), so 10.96.0.1:443 comes first.
    expected = HEADER + (
        "TCP  10.96.0.1:443 rr persistent 10800\n"
        "  -> 192.168.0.10:6443" + " " * 11 + " Masq   " + " 1     " + " 5" + " " * 9 + " 19" + " " * 8 + "\n"
        "UDP  10.96.0.10:53 rr\n"
        "  -> 10.244.0.2:53" + " " * 15 + " Masq   " + " 1     " + " 0" + " " * 9 + " 0" + " " * 9 + "\n")
    assert render_ipvs(inp, counts) == expected


def test_nodeport_gets_one_virtual_server_per_node_ip_and_sorted_destinations():
    svc = RuleServicePort("default", "web", "", "TCP", "10.96.5.5", 80, node_port=30080, type="NodePort")
    eps = (RuleEndpoint("10.244.1.10", 8080, "n2"), RuleEndpoint("10.244.1.9", 8080, "n3"),
           RuleEndpoint("10.244.0.7", 8080, "node1"))
    out = render_ipvs(_inp((svc, eps), node_ips=("192.168.0.10", "192.168.1.10", "127.0.0.1"), scheduler="wlc"))
    dests = ("  -> 10.244.0.7:8080" + " " * 13 + " Masq    1      0          0         \n"
             "  -> 10.244.1.9:8080" + " " * 13 + " Masq    1      0          0         \n"
             "  -> 10.244.1.10:8080" + " " * 12 + " Masq    1      0          0         \n")
    # destinations by numeric address (.9 < .10, unlike iptables' string order); loopback gets no VS.
    # 10.96.5.5 vs 192.168.x: ntohl difference 0x0A600505 - 0xC0A8000A wraps past 2^31 to a positive int,
    # so libipvs puts the 192.168 node-port servers first.
    assert out == HEADER + ("TCP  192.168.0.10:30080 wlc\n" + dests + "TCP  192.168.1.10:30080 wlc\n" + dests
                            + "TCP  10.96.5.5:80 wlc\n" + dests)


def test_service_without_endpoints_keeps_empty_virtual_server():
    svc = RuleServicePort("default", "empty", "", "TCP", "10.96.0.20", 80)
    assert render_ipvs(_inp((svc, ()))) == HEADER + "TCP  10.96.0.20:80 rr\n"


def test_etp_local_uses_local_endpoints_or_falls_back_to_cluster():
    svc = RuleServicePort("default", "lb", "", "TCP", "10.96.0.30", 80, node_port=31000,
                          load_balancer_ips=("172.18.0.100",), external_policy_local=True, type="LoadBalancer")
    local, remote = RuleEndpoint("10.244.0.5", 80, "node1"), RuleEndpoint("10.244.1.5", 80, "n2")
    servers = {(vs.address, vs.port): vs.real_servers for vs in virtual_servers(_inp((svc, (local, remote))))}
    assert servers == {("10.96.0.30", 80): ("10.244.0.5:80", "10.244.1.5:80"),
                       ("172.18.0.100", 80): ("10.244.0.5:80",),
                       ("192.168.0.10", 31000): ("10.244.0.5:80",)}
    # no local endpoint: PR 97081 keeps the cluster endpoints as real servers
    servers = {(vs.address, vs.port): vs.real_servers for vs in virtual_servers(_inp((svc, (remote,))))}
    assert servers[("172.18.0.100", 80)] == ("10.244.1.5:80",)


def test_kube_ipvs0_binds_cluster_and_lb_ips():
    svc = RuleServicePort("default", "lb", "", "TCP", "10.96.0.30", 80, node_port=31000,
                          load_balancer_ips=("172.18.0.100",), external_ips=("192.168.0.10", "203.0.113.7"),
                          type="LoadBalancer")
    # 192.168.0.10 is already the node's address, so it is not added to the dummy interface
    assert kube_ipvs0_addresses(_inp((svc, ()))) == ["10.96.0.30/32", "172.18.0.100/32", "203.0.113.7/32"]


def test_glibc_msort_is_stable_merge_order():
    # comparator "everything equal": merge sort keeps input order
    assert glibc_msort([3, 1, 2], lambda a, b: 0) == [3, 1, 2]
    assert glibc_msort([5, 3, 9, 1], lambda a, b: a - b) == [1, 3, 5, 9]


def test_unknown_scheduler_is_rejected():
    with pytest.raises(RuleInputError, match="IPVS scheduler 'fo' is not one of rr, wrr"):
        render_ipvs(_inp((DNS, ()), scheduler="fo"))
