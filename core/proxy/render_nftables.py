"""The nftables ruleset a node's kube-proxy programs in nftables mode, as ``nft -f`` input (domain.md c.1).

Structure and text follow k/k ``pkg/proxy/nftables/proxier.go`` (``setupNFTables`` and
``syncProxyRules``) and the expected dumps in its proxier_test.go (``TestOverallNFTablesRules``): one
table ``ip kube-proxy``; dispatch through the ``service-ips`` / ``service-nodeports`` verdict maps;
``numgen random mod N vmap { ... }`` load balancing over endpoints in ``"ip:port"`` order; no-endpoint
verdicts (``goto reject-chain`` or ``drop``) through ``no-endpoint-services`` / ``no-endpoint-nodeports``.
The static part comes first, then one block per Service port (ordered by ``ns/name``), introduced by a
``# ns/name:port`` comment line. IPv4 only, like the rest of PodPath.
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

TABLE = "ip kube-proxy"
MASQ_MARK = "0x4000"


def _base_rules(inp: NodeRuleInput) -> list[str]:
    t = TABLE
    lines = [
        f'add table {t} {{ comment "rules for kube-proxy" ; }}',
        "",
        f'add set {t} cluster-ips {{ type ipv4_addr ; comment "Active ClusterIPs" ; }}',
        f'add set {t} nodeport-ips {{ type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }}',
        "",
        f"add map {t} firewall-ips {{ type ipv4_addr . inet_proto . inet_service : verdict ; "
        'comment "destinations that are subject to LoadBalancerSourceRanges" ; }',
        f"add map {t} no-endpoint-nodeports {{ type inet_proto . inet_service : verdict ; "
        'comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }',
        f"add map {t} no-endpoint-services {{ type ipv4_addr . inet_proto . inet_service : verdict ; "
        'comment "vmap to drop or reject packets to services with no endpoints" ; }',
        f"add map {t} service-ips {{ type ipv4_addr . inet_proto . inet_service : verdict ; "
        'comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }',
        f"add map {t} service-nodeports {{ type inet_proto . inet_service : verdict ; "
        'comment "NodePort traffic" ; }',
        "",
        f"add chain {t} cluster-ips-check",
        f"add chain {t} filter-prerouting-pre-dnat {{ type filter hook prerouting priority -110 ; }}",
        f"add chain {t} filter-output-pre-dnat {{ type filter hook output priority -110 ; }}",
        f"add chain {t} filter-forward {{ type filter hook forward priority 0 ; }}",
        f"add chain {t} filter-input {{ type filter hook input priority 0 ; }}",
        f"add chain {t} filter-output {{ type filter hook output priority 0 ; }}",
        f"add chain {t} firewall-check",
        f"add chain {t} mark-for-masquerade",
        f"add chain {t} masquerading",
        f"add chain {t} nat-output {{ type nat hook output priority -100 ; }}",
        f"add chain {t} nat-postrouting {{ type nat hook postrouting priority 100 ; }}",
        f"add chain {t} nat-prerouting {{ type nat hook prerouting priority -100 ; }}",
        f"add chain {t} nodeport-endpoints-check",
        f'add chain {t} reject-chain {{ comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }}',
        f"add chain {t} services",
        f"add chain {t} service-endpoints-check",
        "",
        f'add rule {t} cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"',
        f"add rule {t} cluster-ips-check ip daddr {{ {inp.service_cidr} }} drop "
        'comment "Drop traffic to unallocated ClusterIPs"',
        f"add rule {t} filter-prerouting-pre-dnat ct state new jump firewall-check",
        f"add rule {t} filter-forward ct state new jump service-endpoints-check",
        f"add rule {t} filter-forward ct state new jump cluster-ips-check",
        f"add rule {t} filter-input ct state new jump nodeport-endpoints-check",
        f"add rule {t} filter-input ct state new jump service-endpoints-check",
        f"add rule {t} filter-output ct state new jump service-endpoints-check",
        f"add rule {t} filter-output-pre-dnat ct state new jump firewall-check",
        f"add rule {t} filter-output ct state new jump cluster-ips-check",
        f"add rule {t} firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips",
        f"add rule {t} mark-for-masquerade mark set mark or {MASQ_MARK}",
        f"add rule {t} masquerading mark and {MASQ_MARK} == 0 return",
        f"add rule {t} masquerading mark set mark xor {MASQ_MARK}",
        f"add rule {t} masquerading masquerade fully-random",
        f"add rule {t} nat-output jump services",
        f"add rule {t} nat-postrouting jump masquerading",
        f"add rule {t} nat-prerouting jump services",
        f"add rule {t} nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports",
        f"add rule {t} reject-chain reject",
        f"add rule {t} services ip daddr . meta l4proto . th dport vmap @service-ips",
        f"add rule {t} services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports",
        f"add rule {t} service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services",
    ]
    lines.append("")
    for ip in inp.node_ips:
        if not ipaddress.ip_address(ip).is_loopback:
            lines.append(f"add element {t} nodeport-ips {{ {ip} }}")
    return lines


def render_nftables(inp: NodeRuleInput) -> str:
    """The whole ``nft -f`` ruleset for ``inp.node``."""
    validate_input(inp)
    lines = _base_rules(inp)
    for svc, endpoints in ordered_services(inp):
        lines.append("")
        lines.append(f"# {svc.spn}")
        lines.extend(_service_block(inp, svc, endpoints))
    return "\n".join(lines) + "\n"


def _service_block(inp: NodeRuleInput, svc: RuleServicePort, endpoints: list[RuleEndpoint]) -> list[str]:
    t = TABLE
    proto, port, spn = svc.proto, svc.port, svc.spn
    base = ch.nft_service_base(svc.namespace, svc.name, proto, svc.port_name)
    cluster_chain = ch.nft_chain_name("service", base)
    local_chain = ch.nft_chain_name("local", base)
    ext_chain = ch.nft_chain_name("external", base)
    fw_chain = ch.nft_chain_name("firewall", base)

    def ep_base(ep: RuleEndpoint) -> str:
        return ch.nft_endpoint_base(base, ep.ip, ep.port)

    cluster, local, reachable, has_endpoints = categorize_endpoints(
        endpoints, inp.node, svc.internal_policy_local, svc.external_policy_local, svc.externally_accessible)
    uses_cluster_chain = bool(cluster) and svc.uses_cluster_endpoints
    uses_local_chain = bool(local) and svc.uses_local_endpoints
    internal_chain, has_internal = cluster_chain, has_endpoints
    if svc.internal_policy_local:
        internal_chain, has_internal = local_chain, has_endpoints and bool(local)
    external_policy_chain, has_external = cluster_chain, has_endpoints
    if svc.external_policy_local:
        external_policy_chain, has_external = local_chain, has_endpoints and bool(local)
    uses_ext_chain = has_endpoints and svc.externally_accessible
    uses_fw = bool(svc.load_balancer_ips) and bool(svc.load_balancer_source_ranges)
    if not has_endpoints:
        int_verdict = ext_verdict = "goto reject-chain"
    else:
        int_verdict = "" if has_internal else "drop"
        ext_verdict = "" if has_external else "drop"
    affinity = svc.session_affinity_timeout

    out: list[str] = []
    rule = out.append
    # affinity sets, then the policy chains
    if affinity:
        for ep in reachable:
            rule(f"add set {t} {ch.nft_chain_name('affinity', ep_base(ep))} "
                 f"{{ type ipv4_addr ; flags dynamic,timeout ; timeout {affinity}s ; }}")
    for chain, eps, used in ((cluster_chain, cluster, uses_cluster_chain), (local_chain, local, uses_local_chain)):
        if not used:
            continue
        rule(f"add chain {t} {chain}")
        if has_internal and chain == internal_chain:
            masq = "" if inp.masquerade_all else f" ip saddr != {inp.cluster_cidr}"
            rule(f"add rule {t} {chain} ip daddr {svc.cluster_ip} {proto} dport {port}{masq} jump mark-for-masquerade")
        if affinity:
            for ep in eps:
                eb = ep_base(ep)
                rule(f"add rule {t} {chain} ip saddr @{ch.nft_chain_name('affinity', eb)} "
                     f"goto {ch.nft_chain_name('endpoint', eb)}")
        targets = " , ".join(f"{i} : goto {ch.nft_chain_name('endpoint', ep_base(ep))}" for i, ep in enumerate(eps))
        rule(f"add rule {t} {chain} numgen random mod {len(eps)} vmap {{ {targets} }}")
    # the external chain
    if uses_ext_chain:
        rule(f"add chain {t} {ext_chain}")
        if not svc.external_policy_local:
            rule(f"add rule {t} {ext_chain} jump mark-for-masquerade")
        else:
            rule(f'add rule {t} {ext_chain} ip saddr {inp.cluster_cidr} goto {cluster_chain} '
                 'comment "short-circuit pod traffic"')
            rule(f'add rule {t} {ext_chain} fib saddr type local jump mark-for-masquerade '
                 'comment "masquerade local traffic"')
            rule(f'add rule {t} {ext_chain} fib saddr type local goto {cluster_chain} '
                 'comment "short-circuit local traffic"')
        if has_external:
            rule(f"add rule {t} {ext_chain} goto {external_policy_chain}")
    # endpoint chains
    for ep in reachable:
        eb = ep_base(ep)
        chain = ch.nft_chain_name("endpoint", eb)
        rule(f"add chain {t} {chain}")
        rule(f"add rule {t} {chain} ip saddr {ep.ip} jump mark-for-masquerade")
        if affinity:
            rule(f"add rule {t} {chain} update @{ch.nft_chain_name('affinity', eb)} {{ ip saddr }}")
        rule(f"add rule {t} {chain} meta l4proto {proto} dnat to {ep}")
    # firewall chain (loadBalancerSourceRanges)
    if uses_fw:
        sources = [str(ipaddress.ip_network(c.strip(), strict=False)) for c in svc.load_balancer_source_ranges]
        node_ip = ipaddress.ip_address(inp.node_ips[0]) if inp.node_ips else None
        if node_ip is not None and any(node_ip in ipaddress.ip_network(s) for s in sources):
            sources += list(svc.load_balancer_ips)
        rule(f"add chain {t} {fw_chain}")
        rule(f"add rule {t} {fw_chain} ip saddr != {{ {', '.join(sources)} }} drop")

    # map elements
    elems: list[str] = [f"add element {t} cluster-ips {{ {svc.cluster_ip} }}"]
    no_ep: list[str] = []
    key = f"{proto} . {port}"
    if has_internal:
        elems.append(f"add element {t} service-ips {{ {svc.cluster_ip} . {key} : goto {internal_chain} }}")
    else:
        no_ep.append(f'add element {t} no-endpoint-services {{ {svc.cluster_ip} . {key} comment "{spn}" : {int_verdict} }}')
    for ip in svc.external_ips + svc.load_balancer_ips:
        if has_endpoints:
            elems.append(f"add element {t} service-ips {{ {ip} . {key} : goto {ext_chain} }}")
        if not has_external:
            no_ep.append(f'add element {t} no-endpoint-services {{ {ip} . {key} comment "{spn}" : {ext_verdict} }}')
    if svc.node_port:
        np_key = f"{proto} . {svc.node_port}"
        if has_endpoints:
            elems.append(f"add element {t} service-nodeports {{ {np_key} : goto {ext_chain} }}")
        if not has_external:
            no_ep.append(f'add element {t} no-endpoint-nodeports {{ {np_key} comment "{spn}" : {ext_verdict} }}')
    if uses_fw:
        for ip in svc.load_balancer_ips:
            elems.append(f'add element {t} firewall-ips {{ {ip} . {key} comment "{spn}" : goto {fw_chain} }}')
    if out:
        out.append("")
    out.extend(elems)
    if no_ep:
        out.append("")
        out.extend(no_ep)
    return out
