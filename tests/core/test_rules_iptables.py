"""iptables-restore text against domain.md a.2-a.8 (the a.4 fixture byte for byte)."""

import re

import pytest

from core.proxy import chains as ch
from core.proxy.render_common import NodeRuleInput, RuleEndpoint, RuleInputError, RuleServicePort
from core.proxy.render_iptables import render_iptables

# domain.md a.4, quoted exactly (TestInternalTrafficPolicyE2E, "internalTrafficPolicy is cluster").
A4_EXPECTED = """\
*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-3JOIVZTXZZRGORX4 - [0:0]
:KUBE-SEP-IO5XOSKPAXIFQXAJ - [0:0]
:KUBE-SEP-XGJFVO3L2O5SRFNT - [0:0]
:KUBE-SVC-AQI2S6QIMU7PVVRP - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVC-AQI2S6QIMU7PVVRP
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -s 10.0.1.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -s 10.0.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.2:80
-A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -s 10.0.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.3:80
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-3JOIVZTXZZRGORX4
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IO5XOSKPAXIFQXAJ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.3:80" -j KUBE-SEP-XGJFVO3L2O5SRFNT
COMMIT
"""

SVC1 = RuleServicePort("ns1", "svc1", "", "TCP", "172.30.1.1", 80)
EP1 = RuleEndpoint("10.0.1.1", 80, "node1")  # this node
EP2 = RuleEndpoint("10.0.1.2", 80, "host1")
EP3 = RuleEndpoint("10.0.1.3", 80, "host2")


def _inp(*services, masquerade_all=False, node="node1"):
    return NodeRuleInput(node, ("192.168.0.2",), "10.0.0.0/8", masquerade_all, tuple(services))


def _chain(text, name):
    return [line for line in text.splitlines() if line.startswith(f"-A {name} ")]


def _declared(text):
    return [line[1:].split()[0] for line in text.splitlines() if line.startswith(":")]


def test_a4_full_rule_set_byte_for_byte():
    # endpoints given out of order: the renderer sorts them by "ip:port"
    assert render_iptables(_inp((SVC1, (EP3, EP1, EP2)))) == A4_EXPECTED


def test_itp_local_with_local_endpoint_uses_svl_with_one_rule():
    svc = RuleServicePort("ns1", "svc1", "", "TCP", "172.30.1.1", 80, internal_policy_local=True)
    out = render_iptables(_inp((svc, (EP1, EP2, EP3))))
    assert ('-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 '
            "--dport 80 -j KUBE-SVL-AQI2S6QIMU7PVVRP") in out
    assert _chain(out, "KUBE-SVL-AQI2S6QIMU7PVVRP") == [
        '-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 '
        "--dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ",
        '-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -j KUBE-SEP-3JOIVZTXZZRGORX4',
    ]
    # only the local endpoint's SEP chain exists, and no KUBE-SVC chain (not externally accessible)
    assert [c for c in _declared(out) if c.startswith(("KUBE-SEP-", "KUBE-SVC-"))] == ["KUBE-SEP-3JOIVZTXZZRGORX4"]


def test_itp_local_without_local_endpoint_drops_in_filter():
    svc = RuleServicePort("ns1", "svc1", "", "TCP", "172.30.1.1", 80, internal_policy_local=True)
    out = render_iptables(_inp((svc, (EP2, EP3))))
    assert ("-A KUBE-SERVICES -m comment --comment \"ns1/svc1 has no local endpoints\" -m tcp -p tcp "
            "-d 172.30.1.1 --dport 80 -j DROP") in out.splitlines()
    nat = out.split("*nat\n")[1]
    assert "ns1/svc1" not in nat and "KUBE-SEP-" not in nat


def test_zero_endpoints_reject():
    out = render_iptables(_inp((SVC1, ())))
    assert ('-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no endpoints" -m tcp -p tcp -d 172.30.1.1 '
            "--dport 80 -j REJECT") in out.splitlines()
    assert "KUBE-SVC-" not in out


def test_not_ready_not_serving_endpoints_count_as_none_but_terminating_serving_are_used():
    dead = RuleEndpoint("10.0.1.1", 80, "node1", ready=False, serving=False, terminating=True)
    assert "has no endpoints" in render_iptables(_inp((SVC1, (dead,))))
    draining = RuleEndpoint("10.0.1.2", 80, "host1", ready=False, serving=True, terminating=True)
    out = render_iptables(_inp((SVC1, (dead, draining))))
    assert _chain(out, "KUBE-SVC-AQI2S6QIMU7PVVRP")[1] == (
        '-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -j KUBE-SEP-IO5XOSKPAXIFQXAJ')


def test_masquerade_all_marks_every_cluster_ip_packet():
    out = render_iptables(_inp((SVC1, (EP1,)), masquerade_all=True))
    assert _chain(out, "KUBE-SVC-AQI2S6QIMU7PVVRP")[0] == (
        '-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 '
        "--dport 80 -j KUBE-MARK-MASQ")


def test_lexicographic_endpoint_order():
    # "10.0.1.10:80" < "10.0.1.2:80" as strings (a.2), so .10 gets the first (1/2) rule
    eps = (RuleEndpoint("10.0.1.2", 80, "a"), RuleEndpoint("10.0.1.10", 80, "b"))
    rules = _chain(render_iptables(_inp((SVC1, eps))), "KUBE-SVC-AQI2S6QIMU7PVVRP")
    assert "10.0.1.10:80\" -m statistic --mode random --probability 0.5000000000" in rules[1]
    assert rules[2].startswith('-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -j ')


# P(k) = 1/k with %0.10f; rule i of n gets P(n-i), the last rule none (a.2).
@pytest.mark.parametrize(("n", "expected"), [
    (2, ["0.5000000000"]),
    (3, ["0.3333333333", "0.5000000000"]),
    (4, ["0.2500000000", "0.3333333333", "0.5000000000"]),
    (5, ["0.2000000000", "0.2500000000", "0.3333333333", "0.5000000000"]),
    (6, ["0.1666666667", "0.2000000000", "0.2500000000", "0.3333333333", "0.5000000000"]),
    (7, ["0.1428571429", "0.1666666667", "0.2000000000", "0.2500000000", "0.3333333333", "0.5000000000"]),
])
def test_probability_strings(n, expected):
    eps = tuple(RuleEndpoint(f"10.1.0.{i + 1}", 8080, f"n{i}") for i in range(n))
    rules = _chain(render_iptables(_inp((SVC1, eps))), "KUBE-SVC-AQI2S6QIMU7PVVRP")[1:]
    assert len(rules) == n
    assert [re.search(r"--probability (\S+)", r).group(1) for r in rules[:-1]] == expected
    assert "statistic" not in rules[-1]


def test_client_ip_affinity_rules():
    svc = RuleServicePort("ns1", "svc1", "", "TCP", "172.30.1.1", 80, session_affinity_timeout=10800)
    out = render_iptables(_inp((svc, (EP1, EP2))))
    sep1, sep2 = "KUBE-SEP-3JOIVZTXZZRGORX4", "KUBE-SEP-IO5XOSKPAXIFQXAJ"
    assert _chain(out, "KUBE-SVC-AQI2S6QIMU7PVVRP")[1:] == [
        f'-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m recent --name {sep1} '
        f"--rcheck --seconds 10800 --reap -j {sep1}",
        f'-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m recent --name {sep2} '
        f"--rcheck --seconds 10800 --reap -j {sep2}",
        f'-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random '
        f"--probability 0.5000000000 -j {sep1}",
        f'-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -j {sep2}',
    ]
    assert _chain(out, sep1)[1] == (f"-A {sep1} -m comment --comment ns1/svc1 -m recent --name {sep1} --set "
                                    "-m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80")


def test_nodeport_loadbalancer_etp_local_with_local_endpoint():
    # LoadBalancer ns2/svc2:p80, ETP=Local, nodePort 3001, LB IP 1.2.3.4 with sourceRanges 203.0.113.0/25,
    # healthCheckNodePort 30000; one local endpoint (node1) and one remote.
    svc = RuleServicePort("ns2", "svc2", "p80", "TCP", "172.30.0.42", 80, node_port=3001,
                          load_balancer_ips=("1.2.3.4",), external_policy_local=True,
                          health_check_node_port=30000, type="LoadBalancer",
                          load_balancer_source_ranges=("203.0.113.0/25",))
    local_ep, remote_ep = RuleEndpoint("10.180.0.2", 80, "node1"), RuleEndpoint("10.180.0.9", 80, "node2")
    out = render_iptables(_inp((svc, (remote_ep, local_ep))))
    spn = "ns2/svc2:p80"
    svc_c, svl, ext, fw = (ch.svc_chain(spn, "tcp"), ch.svl_chain(spn, "tcp"), ch.ext_chain(spn, "tcp"),
                           ch.fw_chain(spn, "tcp"))
    sep_local = ch.sep_chain(spn, "tcp", "10.180.0.2:80")
    lines = out.splitlines()
    # filter: health check port always accepted; LB firewall drop; no "no local endpoints" DROPs
    assert ('-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp '
            "--dport 30000 -j ACCEPT") in lines
    assert (f'-A KUBE-PROXY-FIREWALL -m comment --comment "ns2/svc2:p80 traffic not accepted by {fw}" '
            "-m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP") in lines
    assert "has no local endpoints" not in out
    # nat entry points
    assert (f'-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 '
            f"--dport 80 -j {fw}") in lines
    assert f"-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j {ext}" in lines
    # a.6 ETP=Local shape: pods short-circuit to SVC, node-local traffic masqueraded to SVC, rest to SVL
    assert _chain(out, ext) == [
        f'-A {ext} -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j {svc_c}',
        f'-A {ext} -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" '
        "-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
        f'-A {ext} -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" '
        f"-m addrtype --src-type LOCAL -j {svc_c}",
        f"-A {ext} -j {svl}",
    ]
    assert _chain(out, fw) == [
        f'-A {fw} -m comment --comment "ns2/svc2:p80 loadbalancer IP" -s 203.0.113.0/25 -j {ext}',
        f'-A {fw} -m comment --comment "other traffic to ns2/svc2:p80 will be dropped by KUBE-PROXY-FIREWALL"',
    ]
    # SVL holds only the local endpoint, SVC both (n=2 -> 0.5)
    assert _chain(out, svl) == [f'-A {svl} -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j {sep_local}']
    assert len(_chain(out, svc_c)) == 3 and "--probability 0.5000000000" in _chain(out, svc_c)[1]


def test_etp_local_without_local_endpoint_drops_external_destinations():
    svc = RuleServicePort("ns2", "svc2", "p80", "TCP", "172.30.0.42", 80, node_port=3001,
                          load_balancer_ips=("1.2.3.4",), external_ips=("192.168.99.22",),
                          external_policy_local=True, type="LoadBalancer")
    out = render_iptables(_inp((svc, (RuleEndpoint("10.180.0.2", 80, "node2"),))))
    drop = '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" '
    assert [line for line in out.splitlines() if line.startswith(drop)] == [
        drop + "-m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP",
        drop + "-m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP",
        drop + "-m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP",
    ]
    ext = ch.ext_chain("ns2/svc2:p80", "tcp")
    assert len(_chain(out, ext)) == 3  # short-circuit rules only, no jump to an SVL chain
    assert "KUBE-SVL-" not in out


def test_nodeport_etp_cluster_masquerades_then_jumps_to_svc():
    svc = RuleServicePort("ns3", "svc3", "p80", "TCP", "172.30.0.43", 80, node_port=3003, type="NodePort")
    out = render_iptables(_inp((svc, (RuleEndpoint("10.180.0.3", 80, "node2"),))))
    ext = ch.ext_chain("ns3/svc3:p80", "tcp")
    assert _chain(out, ext) == [
        f'-A {ext} -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" '
        "-j KUBE-MARK-MASQ",
        f"-A {ext} -j {ch.svc_chain('ns3/svc3:p80', 'tcp')}",
    ]


def _many(n):
    return tuple(RuleEndpoint(f"10.{i // 65536}.{(i // 256) % 256}.{i % 256}", 80, "x") for i in range(n))


def test_large_cluster_mode_drops_endpoint_comments_above_1000():
    small = render_iptables(_inp((SVC1, _many(1000))))
    big = render_iptables(_inp((SVC1, _many(1001))))
    sep_small = [line for line in small.splitlines() if line.startswith("-A KUBE-SEP-")]
    sep_big = [line for line in big.splitlines() if line.startswith("-A KUBE-SEP-")]
    assert len(sep_small) == 2000 and all("--comment ns1/svc1 " in line for line in sep_small)
    assert len(sep_big) == 2002 and not any("--comment" in line for line in sep_big)
    svc_big = _chain(big, "KUBE-SVC-AQI2S6QIMU7PVVRP")
    # the masquerade rule keeps its comment; the 1001 endpoint jumps lose theirs
    assert "--comment" in svc_big[0] and not any("--comment" in line for line in svc_big[1:])
    assert svc_big[1].startswith("-A KUBE-SVC-AQI2S6QIMU7PVVRP -m statistic --mode random --probability 0.0009990010")


def test_bad_input_is_a_clear_error():
    bad = RuleServicePort("ns1", "svc1", "", "ICMP", "172.30.1.1", 80)
    with pytest.raises(RuleInputError, match="protocol 'ICMP' is not one of TCP, UDP, SCTP"):
        render_iptables(_inp((bad, ())))
    with pytest.raises(RuleInputError, match="clusterIP 'nope' is not an IP address"):
        render_iptables(_inp((RuleServicePort("ns1", "svc1", "", "TCP", "nope", 80), ())))
