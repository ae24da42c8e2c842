"""The ``iptables-restore`` input a node's kube-proxy writes in iptables mode (domain.md a.1-a.8).

Rule text and order follow ``syncProxyRules`` / ``writeServiceToEndpointRules`` in k/k
``pkg/proxy/iptables/proxier.go``. kube-proxy walks Services in Go map order, so its raw output order is
random; PodPath prints the canonical order of kube-proxy's own test helper ``sortIPTablesRules``
(the form of every fixture in proxier_test.go, including domain.md a.4): tables filter then nat; in each
table KUBE-NODEPORTS, KUBE-SERVICES, then the other chains sorted by name; rules grouped by chain in the
order kube-proxy writes them, Services ordered by ``ns/name`` and the "must be the last rule" NodePort
jump last in nat KUBE-SERVICES.
"""

from __future__ import annotations

import ipaddress

from core.proxy import chains as ch
from core.proxy.render_common import (
    NodeRuleInput,
    RuleEndpoint,
    RuleServicePort,
    categorize_endpoints,
    ordered_services,
    validate_input,
)

MASQ_MARK = "0x4000"

KUBE_SERVICES = "KUBE-SERVICES"
KUBE_EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES"
KUBE_NODEPORTS = "KUBE-NODEPORTS"
KUBE_POSTROUTING = "KUBE-POSTROUTING"
KUBE_MARK_MASQ = "KUBE-MARK-MASQ"
KUBE_FORWARD = "KUBE-FORWARD"
KUBE_PROXY_FIREWALL = "KUBE-PROXY-FIREWALL"
KUBE_FIREWALL = "KUBE-FIREWALL"  # kubelet's chain; kube-proxy writes the localnet rule too
LOCALHOST_NODEPORT_NFACCT = "localhost_nps_accepted_pkts"  # metrics.LocalhostNodePortAcceptedNFAcctCounter


class _Table:
    """Chains and their rules for one table, in write order."""

    def __init__(self, name: str, chains: list[str]):
        self.name = name
        self.chains: list[str] = []
        self.rules: dict[str, list[str]] = {}
        for c in chains:
            self.declare(c)

    def declare(self, chain: str) -> None:
        if chain not in self.rules:
            self.chains.append(chain)
            self.rules[chain] = []

    def add(self, chain: str, *args: str) -> None:
        self.declare(chain)
        self.rules[chain].append(" ".join(("-A", chain) + args))

    def text(self) -> list[str]:
        def order(c: str) -> tuple[int, str]:
            return (0 if c == KUBE_NODEPORTS else 1 if c == KUBE_SERVICES else 2, c)

        chain_order = sorted(self.chains, key=order)
        lines = [f"*{self.name}"] + [f":{c} - [0:0]" for c in chain_order]
        for c in chain_order:
            lines.extend(self.rules[c])
        lines.append("COMMIT")
        return lines


def _q(text: str) -> str:
    """A comment argument as kube-proxy writes it: quoted when it contains a space."""
    return f'"{text}"' if " " in text else text


def render_iptables(inp: NodeRuleInput) -> str:
    """The full ``iptables-restore`` text (filter and nat tables) for ``inp.node``."""
    validate_input(inp)
    filt = _Table("filter", [KUBE_NODEPORTS, KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD,
                             KUBE_PROXY_FIREWALL])
    nat = _Table("nat", [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ])

    nat.add(KUBE_POSTROUTING, "-m", "mark", "!", "--mark", f"{MASQ_MARK}/{MASQ_MARK}", "-j", "RETURN")
    nat.add(KUBE_POSTROUTING, "-j", "MARK", "--xor-mark", MASQ_MARK)
    nat.add(KUBE_POSTROUTING, "-m", "comment", "--comment", '"kubernetes service traffic requiring SNAT"',
            "-j", "MASQUERADE")
    nat.add(KUBE_MARK_MASQ, "-j", "MARK", "--or-mark", MASQ_MARK)
    if inp.localhost_node_ports:  # the route_localnet hole (issue 90259) is closed only when opened
        filt.add(KUBE_FIREWALL, "-m", "comment", "--comment", '"block incoming localnet connections"',
                 "-d", "127.0.0.0/8", "!", "-s", "127.0.0.0/8", "-m", "conntrack", "!", "--ctstate",
                 "RELATED,ESTABLISHED,DNAT", "-j", "DROP")

    large = inp.large_cluster_mode
    node_ip = ipaddress.ip_address(inp.node_ips[0]) if inp.node_ips else None
    for svc, endpoints in ordered_services(inp):
        _write_service(inp, filt, nat, svc, endpoints, large, node_ip)

    nat.add(KUBE_SERVICES, "-m", "comment", "--comment",
            '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"',
            "-m", "addrtype", "--dst-type", "LOCAL",
            *(() if inp.localhost_node_ports else ("!", "-d", "127.0.0.0/8")), "-j", KUBE_NODEPORTS)
    filt.add(KUBE_FORWARD, "-m", "conntrack", "--ctstate", "INVALID", "-j", "DROP")
    filt.add(KUBE_FORWARD, "-m", "comment", "--comment", '"kubernetes forwarding rules"',
             "-m", "mark", "--mark", f"{MASQ_MARK}/{MASQ_MARK}", "-j", "ACCEPT")
    filt.add(KUBE_FORWARD, "-m", "comment", "--comment", '"kubernetes forwarding conntrack rule"',
             "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT")
    return "\n".join(filt.text() + nat.text()) + "\n"


def _write_service(inp: NodeRuleInput, filt: _Table, nat: _Table, svc: RuleServicePort,
                   endpoints: list[RuleEndpoint], large: bool, node_ip) -> None:
    spn, proto, port = svc.spn, svc.proto, str(svc.port)
    cluster, local, reachable, has_endpoints = categorize_endpoints(
        endpoints, inp.node, svc.internal_policy_local, svc.external_policy_local, svc.externally_accessible)
    cluster_chain = ch.svc_chain(spn, proto)
    local_chain = ch.svl_chain(spn, proto)
    ext_chain = ch.ext_chain(spn, proto)
    fw_chain = ch.fw_chain(spn, proto)
    uses_cluster_chain = bool(cluster) and svc.uses_cluster_endpoints
    uses_local_chain = bool(local) and svc.uses_local_endpoints

    internal_chain, has_internal = cluster_chain, has_endpoints
    if svc.internal_policy_local:
        internal_chain = local_chain
        has_internal = has_internal and bool(local)
    external_policy_chain, has_external = cluster_chain, has_endpoints
    if svc.external_policy_local:
        external_policy_chain = local_chain
        has_external = has_external and bool(local)
    uses_ext_chain = has_endpoints and svc.externally_accessible
    uses_fw = has_endpoints and bool(svc.load_balancer_ips) and bool(svc.load_balancer_source_ranges)
    lb_chain = fw_chain if uses_fw else ext_chain

    int_target = int_comment = ext_target = ext_comment = ""
    if not has_endpoints:
        int_target = ext_target = "REJECT"
        int_comment = ext_comment = f'"{spn} has no endpoints"'
    else:
        if not has_internal:
            int_target, int_comment = "DROP", f'"{spn} has no local endpoints"'
        if not has_external:
            ext_target, ext_comment = "DROP", f'"{spn} has no local endpoints"'
    match = ("-m", proto, "-p", proto)

    # ClusterIP
    if has_internal:
        nat.add(KUBE_SERVICES, "-m", "comment", "--comment", f'"{spn} cluster IP"', *match,
                "-d", svc.cluster_ip, "--dport", port, "-j", internal_chain)
    else:
        filt.add(KUBE_SERVICES, "-m", "comment", "--comment", int_comment, *match,
                 "-d", svc.cluster_ip, "--dport", port, "-j", int_target)
    # externalIPs
    for eip in svc.external_ips:
        if has_endpoints:
            nat.add(KUBE_SERVICES, "-m", "comment", "--comment", f'"{spn} external IP"', *match,
                    "-d", eip, "--dport", port, "-j", ext_chain)
        if not has_external:
            filt.add(KUBE_EXTERNAL_SERVICES, "-m", "comment", "--comment", ext_comment, *match,
                     "-d", eip, "--dport", port, "-j", ext_target)
    # LoadBalancer ingress IPs
    for lbip in svc.load_balancer_ips:
        if has_endpoints:
            nat.add(KUBE_SERVICES, "-m", "comment", "--comment", f'"{spn} loadbalancer IP"', *match,
                    "-d", lbip, "--dport", port, "-j", lb_chain)
        if uses_fw:
            filt.add(KUBE_PROXY_FIREWALL, "-m", "comment", "--comment", f'"{spn} traffic not accepted by {fw_chain}"',
                     *match, "-d", lbip, "--dport", port, "-j", "DROP")
    if not has_external:
        for lbip in svc.load_balancer_ips:
            filt.add(KUBE_EXTERNAL_SERVICES, "-m", "comment", "--comment", ext_comment, *match,
                     "-d", lbip, "--dport", port, "-j", ext_target)
    # NodePort
    if svc.node_port:
        if has_endpoints:
            if inp.localhost_node_ports:  # 127.0.0.1:<nodePort> works (route_localnet), counted by nfacct
                nat.add(KUBE_NODEPORTS, "-m", "comment", "--comment", _q(spn), *match, "-d", "127.0.0.0/8",
                        "--dport", str(svc.node_port), "-m", "nfacct", "--nfacct-name", LOCALHOST_NODEPORT_NFACCT,
                        "-j", ext_chain)
            nat.add(KUBE_NODEPORTS, "-m", "comment", "--comment", _q(spn), *match,
                    "--dport", str(svc.node_port), "-j", ext_chain)
        if not has_external:
            filt.add(KUBE_EXTERNAL_SERVICES, "-m", "comment", "--comment", ext_comment,
                     "-m", "addrtype", "--dst-type", "LOCAL", *match, "--dport", str(svc.node_port),
                     "-j", ext_target)
    # healthCheckNodePort
    if svc.health_check_node_port:
        filt.add(KUBE_NODEPORTS, "-m", "comment", "--comment", f'"{spn} health check node port"',
                 "-m", "tcp", "-p", "tcp", "--dport", str(svc.health_check_node_port), "-j", "ACCEPT")

    # internal traffic: masquerade off-cluster sources (or everything with --masquerade-all)
    if has_internal:
        args = ("-m", "comment", "--comment", f'"{spn} cluster IP"', *match, "-d", svc.cluster_ip,
                "--dport", port)
        if inp.masquerade_all:
            nat.add(internal_chain, *args, "-j", KUBE_MARK_MASQ)
        else:
            nat.add(internal_chain, *args, "!", "-s", inp.cluster_cidr, "-j", KUBE_MARK_MASQ)
    # external traffic
    if uses_ext_chain:
        nat.declare(ext_chain)
        if not svc.external_policy_local:
            nat.add(ext_chain, "-m", "comment", "--comment",
                    f'"masquerade traffic for {spn} external destinations"', "-j", KUBE_MARK_MASQ)
        else:
            nat.add(ext_chain, "-m", "comment", "--comment", f'"pod traffic for {spn} external destinations"',
                    "-s", inp.cluster_cidr, "-j", cluster_chain)
            nat.add(ext_chain, "-m", "comment", "--comment",
                    f'"masquerade LOCAL traffic for {spn} external destinations"',
                    "-m", "addrtype", "--src-type", "LOCAL", "-j", KUBE_MARK_MASQ)
            nat.add(ext_chain, "-m", "comment", "--comment",
                    f'"route LOCAL traffic for {spn} external destinations"',
                    "-m", "addrtype", "--src-type", "LOCAL", "-j", cluster_chain)
        if has_external:
            nat.add(ext_chain, "-j", external_policy_chain)
    # loadBalancerSourceRanges
    if uses_fw:
        nat.declare(fw_chain)
        args = ("-m", "comment", "--comment", f'"{spn} loadbalancer IP"')
        allow_from_node = False
        for cidr in svc.load_balancer_source_ranges:
            net = ipaddress.ip_network(cidr.strip(), strict=False)
            nat.add(fw_chain, *args, "-s", str(net), "-j", ext_chain)
            if node_ip is not None and node_ip.version == net.version and node_ip in net:
                allow_from_node = True
        if allow_from_node:
            for lbip in svc.load_balancer_ips:
                nat.add(fw_chain, *args, "-s", lbip, "-j", ext_chain)
        nat.add(fw_chain, "-m", "comment", "--comment",
                f'"other traffic to {spn} will be dropped by KUBE-PROXY-FIREWALL"')
    # policy chains
    if uses_cluster_chain:
        _write_service_to_endpoint_rules(nat, svc, cluster_chain, cluster, large)
    if uses_local_chain:
        _write_service_to_endpoint_rules(nat, svc, local_chain, local, large)
    # endpoint chains
    for ep in reachable:
        sep = ch.sep_chain(spn, proto, str(ep))
        comment = () if large else ("-m", "comment", "--comment", _q(spn))
        nat.add(sep, *comment, "-s", ep.ip, "-j", KUBE_MARK_MASQ)
        affinity = ("-m", "recent", "--name", sep, "--set") if svc.session_affinity_timeout else ()
        nat.add(sep, *comment, *affinity, *match, "-j", "DNAT", "--to-destination", str(ep))


def _write_service_to_endpoint_rules(nat: _Table, svc: RuleServicePort, chain: str,
                                     endpoints: list[RuleEndpoint], large: bool) -> None:
    """``writeServiceToEndpointRules``: affinity checks, then ``1/(n-i)`` statistic jumps."""
    nat.declare(chain)
    spn, proto = svc.spn, svc.proto

    def comment(ep: RuleEndpoint) -> tuple[str, ...]:
        return () if large else ("-m", "comment", "--comment", f'"{spn} -> {ep}"')

    if svc.session_affinity_timeout:
        for ep in endpoints:
            sep = ch.sep_chain(spn, proto, str(ep))
            nat.add(chain, *comment(ep), "-m", "recent", "--name", sep, "--rcheck", "--seconds",
                    str(svc.session_affinity_timeout), "--reap", "-j", sep)
    n = len(endpoints)
    for i, ep in enumerate(endpoints):
        sep = ch.sep_chain(spn, proto, str(ep))
        stat = ("-m", "statistic", "--mode", "random", "--probability", ch.compute_probability(n - i)) \
            if i < n - 1 else ()
        nat.add(chain, *comment(ep), *stat, "-j", sep)
