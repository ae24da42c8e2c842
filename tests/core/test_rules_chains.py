"""Chain-name hashing and endpoint categorisation against domain.md a.3, a.7 and c.1."""

import pytest

from core.proxy import chains as ch
from core.proxy.render_common import RuleEndpoint, categorize_endpoints


# domain.md a.3 worked examples: spn + proto [+ "ip:port"], concatenated without separators.
@pytest.mark.parametrize(("spn", "proto", "endpoint", "expected"), [
    ("ns1/svc1:p80", "tcp", None, "KUBE-SVC-XPGD46QRK7WJZT7O"),
    ("ns1/svc1", "tcp", None, "KUBE-SVC-AQI2S6QIMU7PVVRP"),
    ("ns1/svc1:p80", "tcp", "10.180.0.1:80", "KUBE-SEP-SXIVWICOYRO3J4NJ"),
    # one pod IP:port behind two services gets two SEP chains (a.3 last paragraph); the inputs are the
    # named port p80 of ns3/svc3 and ns5/svc5 (TestOverallIPTablesRules), endpoint 10.180.0.3:80.
    ("ns3/svc3:p80", "tcp", "10.180.0.3:80", "KUBE-SEP-OYPFS5VJICHGATKP"),
    ("ns5/svc5:p80", "tcp", "10.180.0.3:80", "KUBE-SEP-I77PXRDZVX7PMWMN"),
])
def test_iptables_chain_names_match_domain_examples(spn, proto, endpoint, expected):
    got = ch.svc_chain(spn, proto) if endpoint is None else ch.sep_chain(spn, proto, endpoint)
    assert got == expected


def test_one_hash_four_prefixes_for_unnamed_port():
    spn = ch.service_port_name("ns1", "svc1", "")
    assert spn == "ns1/svc1"
    assert ch.svl_chain(spn, "TCP") == "KUBE-SVL-AQI2S6QIMU7PVVRP"  # a.3: SVC and SVL share the hash
    assert ch.ext_chain(spn, "tcp") == "KUBE-EXT-AQI2S6QIMU7PVVRP"
    assert ch.fw_chain(spn, "tcp") == "KUBE-FW-AQI2S6QIMU7PVVRP"
    # KUBE-SEP- (9 chars) + 16 = 25 <= 28, the iptables chain-name limit
    assert len(ch.sep_chain(spn, "tcp", "10.0.1.1:80")) == 25


def test_named_port_service_port_name_and_ipv6_endpoint_string():
    assert ch.service_port_name("ns1", "svc1", "p80") == "ns1/svc1:p80"
    assert ch.endpoint_string("10.0.0.1", 80) == "10.0.0.1:80"
    assert ch.endpoint_string("fd00::1", 80) == "[fd00::1]:80"


# domain.md c.1: service-ULMVA6XW-ns1/svc1/tcp/p80 and endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
def test_nftables_chain_names_match_domain_examples():
    base = ch.nft_service_base("ns1", "svc1", "TCP", "p80")
    assert base == "ns1/svc1/tcp/p80"
    assert ch.nft_chain_name("service", base) == "service-ULMVA6XW-ns1/svc1/tcp/p80"
    ep = ch.nft_endpoint_base(base, "10.180.0.1", 80)
    assert ep == "ns1/svc1/tcp/p80__10.180.0.1/80"
    assert ch.nft_chain_name("endpoint", ep) == "endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"
    # local-/external-/firewall- share the service hash
    assert ch.nft_chain_name("external", base) == "external-ULMVA6XW-ns1/svc1/tcp/p80"
    # IPv6 ":" becomes "." in the readable part
    assert ch.nft_endpoint_base(base, "fd00::1", 80) == "ns1/svc1/tcp/p80__fd00..1/80"


def test_nft_names_longer_than_240_are_truncated_with_dots():
    name = "x" * 300
    out = ch.nft_hash_and_truncate(name)
    # 8 hash chars + "-" + (240 - 3) chars + "..." = 249
    assert len(out) == 8 + 1 + 240
    assert out.endswith("x...")


@pytest.mark.parametrize(("n", "expected"), [
    (1, "1.0000000000"), (2, "0.5000000000"), (3, "0.3333333333"), (4, "0.2500000000"),
    (5, "0.2000000000"), (6, "0.1666666667"), (7, "0.1428571429"),  # 1/7 = 0.142857142857... -> ...1429
])
def test_compute_probability(n, expected):
    assert ch.compute_probability(n) == expected


def test_compute_probability_rejects_zero():
    with pytest.raises(ValueError, match="at least one endpoint"):
        ch.compute_probability(0)


# --------------------------------------------------------------------------------------------
# CategorizeEndpoints (domain.md a.6/a.7)

A_LOCAL = RuleEndpoint("10.0.1.1", 80, "me")
B_REMOTE = RuleEndpoint("10.0.1.2", 80, "other")
C_TERM_LOCAL = RuleEndpoint("10.0.1.3", 80, "me", ready=False, serving=True, terminating=True)
D_TERM_REMOTE = RuleEndpoint("10.0.1.4", 80, "other", ready=False, serving=True, terminating=True)
E_DEAD = RuleEndpoint("10.0.1.5", 80, "other", ready=False, serving=False, terminating=True)


def test_cluster_policy_uses_ready_endpoints_only():
    cluster, local, reach, has_any = categorize_endpoints([A_LOCAL, B_REMOTE, C_TERM_LOCAL, E_DEAD], "me",
                                                          False, False)
    assert cluster == [A_LOCAL, B_REMOTE] and local == [] and reach == [A_LOCAL, B_REMOTE] and has_any


def test_cluster_falls_back_to_serving_terminating_when_nothing_ready():
    cluster, _, reach, has_any = categorize_endpoints([C_TERM_LOCAL, D_TERM_REMOTE, E_DEAD], "me", False, False)
    assert cluster == [C_TERM_LOCAL, D_TERM_REMOTE] and reach == cluster and has_any


def test_nothing_usable_means_no_endpoints():
    cluster, local, reach, has_any = categorize_endpoints([E_DEAD], "me", False, False)
    assert (cluster, local, reach, has_any) == ([], [], [], False)


def test_internal_local_only_uses_local_ready():
    cluster, local, reach, has_any = categorize_endpoints([A_LOCAL, B_REMOTE], "me", True, False)
    assert cluster == [] and local == [A_LOCAL] and reach == [A_LOCAL] and has_any


def test_internal_local_without_local_endpoint_still_has_any():
    cluster, local, reach, has_any = categorize_endpoints([B_REMOTE], "me", True, False)
    assert (cluster, local, reach, has_any) == ([], [], [], True)


def test_external_local_merges_when_local_falls_back_to_terminating():
    # ETP=Local on an externally reachable service: cluster = ready [B]; local has no ready endpoint so
    # falls back to the local serving+terminating C; all_reachable is the union {B, C}.
    cluster, local, reach, has_any = categorize_endpoints([B_REMOTE, C_TERM_LOCAL], "me", False, True)
    assert cluster == [B_REMOTE] and local == [C_TERM_LOCAL] and reach == [B_REMOTE, C_TERM_LOCAL] and has_any
