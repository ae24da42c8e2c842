"""nftables ruleset against domain.md c.1 (chain names, numgen vmap, service-ips and no-endpoint maps)."""

from core.proxy.render_common import NodeRuleInput, RuleEndpoint, RuleServicePort
from core.proxy.render_nftables import render_nftables

SVC1 = RuleServicePort("ns1", "svc1", "p80", "TCP", "172.30.0.41", 80)
EP1 = RuleEndpoint("10.180.0.1", 80, "node2")


def _inp(*services):
    return NodeRuleInput("node1", ("192.168.0.2",), "10.0.0.0/8", False, tuple(services), service_cidr="172.30.0.0/16")


def test_clusterip_service_block():
    out = render_nftables(_inp((SVC1, (EP1,)))).splitlines()
    t = "ip kube-proxy"
    svc, ep = "service-ULMVA6XW-ns1/svc1/tcp/p80", "endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"
    block = out[out.index("# ns1/svc1:p80") + 1:]
    assert block == [
        f"add chain {t} {svc}",
        f"add rule {t} {svc} ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade",
        f"add rule {t} {svc} numgen random mod 1 vmap {{ 0 : goto {ep} }}",
        f"add chain {t} {ep}",
        f"add rule {t} {ep} ip saddr 10.180.0.1 jump mark-for-masquerade",
        f"add rule {t} {ep} meta l4proto tcp dnat to 10.180.0.1:80",
        "",
        f"add element {t} cluster-ips {{ 172.30.0.41 }}",
        f"add element {t} service-ips {{ 172.30.0.41 . tcp . 80 : goto {svc} }}",
    ]
    # static dispatch: one vmap lookup (c.1), the node IP accepts NodePorts, the service CIDR is guarded
    assert f"add rule {t} services ip daddr . meta l4proto . th dport vmap @service-ips" in out
    assert f"add element {t} nodeport-ips {{ 192.168.0.2 }}" in out
    assert (f'add rule {t} cluster-ips-check ip daddr {{ 172.30.0.0/16 }} drop '
            'comment "Drop traffic to unallocated ClusterIPs"') in out
    assert out[0] == f'add table {t} {{ comment "rules for kube-proxy" ; }}'


def test_numgen_over_three_endpoints_in_string_order():
    eps = (RuleEndpoint("10.180.0.2", 80, "a"), RuleEndpoint("10.180.0.10", 80, "b"), EP1)
    line = next(x for x in render_nftables(_inp((SVC1, eps))).splitlines() if "numgen" in x)
    # string order: "10.180.0.10:80" < "10.180.0.1:80" (":" 0x3a sorts after "0" 0x30) < "10.180.0.2:80"
    head, middle, tail = line.split(" , ")
    assert head.startswith("add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 3 vmap { 0 : ")
    assert head.endswith("-ns1/svc1/tcp/p80__10.180.0.10/80")
    assert middle == "1 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"
    assert tail.startswith("2 : goto endpoint-") and tail.endswith("-ns1/svc1/tcp/p80__10.180.0.2/80 }")


def test_no_endpoints_reject_and_no_local_endpoints_drop():
    empty = RuleServicePort("ns6", "svc6", "p80", "TCP", "172.30.0.46", 80)
    local = RuleServicePort("ns2", "svc2", "p80", "TCP", "172.30.0.42", 80, node_port=3001,
                            load_balancer_ips=("1.2.3.4",), external_policy_local=True, type="LoadBalancer")
    out = render_nftables(_inp((empty, ()), (local, (RuleEndpoint("10.180.0.2", 80, "node2"),)))).splitlines()
    t = "ip kube-proxy"
    assert (f'add element {t} no-endpoint-services {{ 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : '
            "goto reject-chain }") in out
    assert f'add element {t} no-endpoint-services {{ 1.2.3.4 . tcp . 80 comment "ns2/svc2:p80" : drop }}' in out
    assert f'add element {t} no-endpoint-nodeports {{ tcp . 3001 comment "ns2/svc2:p80" : drop }}' in out
    # the external chain still short-circuits pod and local traffic (a.6), with no goto local-...
    ext = [x for x in out if x.startswith(f"add rule {t} external-")]
    assert len(ext) == 3 and 'comment "short-circuit pod traffic"' in ext[0]
    assert not any("local-" in x.split()[4] for x in out if x.startswith("add chain"))


def test_affinity_sets_and_updates():
    svc = RuleServicePort("ns1", "svc1", "p80", "TCP", "172.30.0.41", 80, session_affinity_timeout=10800)
    out = render_nftables(_inp((svc, (EP1,)))).splitlines()
    aff = "affinity-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"  # same base as the endpoint chain
    assert f"add set ip kube-proxy {aff} {{ type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }}" in out
    assert (f"add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip saddr @{aff} "
            "goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80") in out
    assert (f"add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 update @{aff} "
            "{ ip saddr }") in out
