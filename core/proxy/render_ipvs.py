"""``ipvsadm -Ln`` as it would print on a node whose kube-proxy runs in IPVS mode (domain.md b.1, b.4).

Virtual servers (k/k ``pkg/proxy/ipvs/proxier.go``): one per (ClusterIP, port), (externalIP, port),
(LB ingress IP, port) and (each node IP, nodePort), all with the configured scheduler, forwarding Masq,
weight 1 per real server, ``persistent <timeout>`` for ClientIP affinity. Real servers (``syncEndpoint``):
the cluster endpoints, or with ITP=Local (ClusterIP) / ETP=Local (the others) the local ones -- falling back
to the cluster endpoints when the node has none (kubernetes PR 97081). A service without usable
endpoints still has its virtual server, with no real servers.

Display (``ipvsadm.c`` ``list_all`` / ``print_service_entry``, libipvs ``ipvs_cmp_services`` /
``ipvs_cmp_dests``): services sorted by (protocol number, address, port) and destinations by (address,
port), where the address comparison is libipvs' ``int r = ntohl(a) - ntohl(b)``: a 32-bit wrapping
subtraction, so two addresses 2^31 or more apart compare "backwards" (e.g. 192.168.0.2 sorts before
10.96.0.1). The sort is glibc's merge sort (``msort``), reproduced here so the wrap gives the same order.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from core.proxy.chains import endpoint_string
from core.proxy.render_common import (
    NodeRuleInput,
    RuleEndpoint,
    RuleInputError,
    RuleServicePort,
    categorize_endpoints,
    ordered_services,
    validate_input,
)

IPVS_VERSION = "1.2.1"
IPVS_CONN_TAB_SIZE = 4096
IPVS_SCHEDULERS = ("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "sh", "dh", "sed", "nq", "mh")
_PROTO_NUMBER = {"tcp": 6, "udp": 17, "sctp": 132}
_PROTO_LABEL = {"tcp": "TCP", "udp": "UDP", "sctp": "SCTP"}

ConnCounts = Mapping[tuple[str, int, str], tuple[int, int]]


@dataclass(frozen=True)
class VirtualServer:
    """One IPVS virtual server and its real servers (``ip:port`` strings), as kube-proxy programs it."""

    protocol: str  # "tcp" | "udp" | "sctp"
    address: str
    port: int
    scheduler: str
    persistent_timeout: int | None
    real_servers: tuple[str, ...]
    service: str  # spn of the Service port it implements, e.g. "ns1/svc1:p80"
    kind: str  # "cluster IP" | "external IP" | "loadbalancer IP" | "node port"


def virtual_servers(inp: NodeRuleInput) -> list[VirtualServer]:
    """Every virtual server this node's kube-proxy creates, in Service order (not display order)."""
    validate_input(inp)
    scheduler = inp.ipvs_scheduler or "rr"
    if scheduler not in IPVS_SCHEDULERS:
        raise RuleInputError(f"IPVS scheduler {scheduler!r} is not one of {', '.join(IPVS_SCHEDULERS)}")
    out: list[VirtualServer] = []
    for svc, endpoints in ordered_services(inp):
        internal = _real_servers(svc, endpoints, inp.node, svc.internal_policy_local)
        external = _real_servers(svc, endpoints, inp.node, svc.external_policy_local)
        targets: list[tuple[str, int, tuple[str, ...], str]] = [(svc.cluster_ip, svc.port, internal, "cluster IP")]
        targets += [(ip, svc.port, external, "external IP") for ip in svc.external_ips]
        targets += [(ip, svc.port, external, "loadbalancer IP") for ip in svc.load_balancer_ips]
        if svc.node_port:
            targets += [(ip, svc.node_port, external, "node port") for ip in inp.node_ips
                        if not ipaddress.ip_address(ip).is_loopback]
        for addr, port, rs, kind in targets:
            out.append(VirtualServer(svc.proto, addr, port, scheduler, svc.session_affinity_timeout, rs,
                                     svc.spn, kind))
    return out


def _real_servers(svc: RuleServicePort, endpoints: list[RuleEndpoint], node: str,
                  only_node_local: bool) -> tuple[str, ...]:
    cluster, local, _, _ = categorize_endpoints(endpoints, node, svc.internal_policy_local,
                                                svc.external_policy_local, svc.externally_accessible)
    chosen = (local or cluster) if only_node_local else cluster
    return tuple(sorted({str(ep) for ep in chosen}))


def kube_ipvs0_addresses(inp: NodeRuleInput) -> list[str]:
    """The /32 (or /128) addresses kube-proxy binds to the dummy ``kube-ipvs0`` interface: every ClusterIP,
    externalIP that is not already a node address, and LB ingress IP (sorted, unique)."""
    local = set(inp.node_ips)
    addrs: set[str] = set()
    for svc, _ in inp.services:
        addrs.add(svc.cluster_ip)
        addrs.update(ip for ip in svc.external_ips if ip not in local)
        addrs.update(svc.load_balancer_ips)
    ordered = sorted(addrs, key=lambda a: (ipaddress.ip_address(a).version, int(ipaddress.ip_address(a))))
    return [f"{a}/{32 if ipaddress.ip_address(a).version == 4 else 128}" for a in ordered]


# --------------------------------------------------------------------------------------------
# ipvsadm display order


def _wrap_cmp(a: int, b: int) -> int:
    """C ``int r = (u32)a - (u32)b``: the difference wrapped to a signed 32-bit int."""
    r = (a - b) & 0xFFFFFFFF
    return r - 0x1_0000_0000 if r >= 0x8000_0000 else r


def _addr_cmp(a: str, b: str) -> int:
    ia, ib = ipaddress.ip_address(a), ipaddress.ip_address(b)
    if ia.version == 6 and ib.version == 6:
        wa, wb = int(ia).to_bytes(16, "big"), int(ib).to_bytes(16, "big")
        for i in range(0, 16, 4):
            r = _wrap_cmp(int.from_bytes(wa[i:i + 4], "big"), int.from_bytes(wb[i:i + 4], "big"))
            if r:
                return r
        return 0
    if ia.version != ib.version:  # ipvs_cmp_services compares af first (AF_INET 2 < AF_INET6 10)
        return ia.version - ib.version
    return _wrap_cmp(int(ia), int(ib))


def _cmp_services(a: VirtualServer, b: VirtualServer) -> int:
    ia, ib = ipaddress.ip_address(a.address), ipaddress.ip_address(b.address)
    if ia.version != ib.version:
        return ia.version - ib.version
    r = _PROTO_NUMBER[a.protocol] - _PROTO_NUMBER[b.protocol]
    if r:
        return r
    r = _addr_cmp(a.address, b.address)
    return r if r else a.port - b.port


def _cmp_dests(a: str, b: str) -> int:
    (ha, pa), (hb, pb) = _split(a), _split(b)
    r = _addr_cmp(ha, hb)
    return r if r else pa - pb


def _split(hostport: str) -> tuple[str, int]:
    host, _, port = hostport.rpartition(":")
    return host.strip("[]"), int(port)


T = TypeVar("T")


def glibc_msort(items: Sequence[T], cmp: Callable[[T, T], int]) -> list[T]:
    """glibc ``qsort``'s merge sort (``msort_with_tmp``): split ``n1 = n/2``, sort both halves, merge
    taking the left element while ``cmp(left, right) <= 0``. Deterministic even for the non-transitive
    comparators of libipvs."""
    items = list(items)
    if len(items) <= 1:
        return items
    n1 = len(items) // 2
    left, right = glibc_msort(items[:n1], cmp), glibc_msort(items[n1:], cmp)
    out: list[T] = []
    i = j = 0
    while i < len(left) and j < len(right):
        if cmp(left[i], right[j]) <= 0:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    return out + left[i:] + right[j:]


# --------------------------------------------------------------------------------------------
# text


def render_ipvs(inp: NodeRuleInput, conn_counts: ConnCounts | None = None) -> str:
    """``ipvsadm -Ln`` for ``inp.node``. ``conn_counts`` maps ``(vip, port, "ip:port")`` to
    ``(ActiveConn, InActConn)``; missing entries are 0."""
    counts = conn_counts or {}
    lines = [f"IP Virtual Server version {IPVS_VERSION} (size={IPVS_CONN_TAB_SIZE})",
             "Prot LocalAddress:Port Scheduler Flags",
             "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn"]
    for vs in glibc_msort(virtual_servers(inp), _cmp_services):
        vname = endpoint_string(vs.address, vs.port)
        svc_name = f"{_PROTO_LABEL[vs.protocol]}  {vname}"
        if ":" not in vs.address:
            svc_name = svc_name[:33]
        line = f"{svc_name} {vs.scheduler}"
        if vs.persistent_timeout is not None:
            line += f" persistent {vs.persistent_timeout}"
        lines.append(line)
        for rs in glibc_msort(vs.real_servers, _cmp_dests):
            active, inactive = counts.get((vs.address, vs.port, rs), (0, 0))
            dname = rs if ":" in _split(rs)[0] else rs[:28]
            lines.append(f"  -> {dname:<28} {'Masq':<7} {1:<6d} {int(active):<10d} {int(inactive):<10d}")
    fw = source_range_ipset_entries(inp)
    if fw:
        lines.append("")
        lines.append("# ipset save: loadBalancerSourceRanges (iptables KUBE-LOAD-BALANCER -> KUBE-FIREWALL for "
                     "KUBE-LOAD-BALANCER-FW, which RETURNs the SOURCE-CIDR / SOURCE-IP matches and drops the rest)")
        lines.extend(f"add {name} {entry}" for name, entry in fw)
    return "\n".join(lines) + "\n"


def source_range_ipset_entries(inp: NodeRuleInput) -> list[tuple[str, str]]:
    """The ipset members IPVS-mode kube-proxy keeps for loadBalancerSourceRanges (k/k pkg/proxy/ipvs/proxier.go):
    ``KUBE-LOAD-BALANCER-FW`` gets ``lbIP,proto:port`` (hash:ip,port), ``KUBE-LOAD-BALANCER-SOURCE-CIDR`` one
    ``lbIP,proto:port,cidr`` per range (hash:ip,port,net), and when a range holds this node's IP,
    ``KUBE-LOAD-BALANCER-SOURCE-IP`` gets ``lbIP,proto:port,lbIP`` (hash:ip,port,ip) so the node's own requests
    to the VIP pass. Entry text is ipset's ``Entry.String()``. Sorted by set, then entry."""
    node_ip = ipaddress.ip_address(inp.node_ips[0]) if inp.node_ips else None
    out: set[tuple[str, str]] = set()
    for svc, _ in inp.services:
        if not svc.load_balancer_source_ranges:
            continue
        for lbip in svc.load_balancer_ips:
            base = f"{lbip},{svc.proto}:{svc.port}"
            out.add(("KUBE-LOAD-BALANCER-FW", base))
            allow_from_node = False
            for cidr in svc.load_balancer_source_ranges:
                net = ipaddress.ip_network(cidr.strip(), strict=False)
                out.add(("KUBE-LOAD-BALANCER-SOURCE-CIDR", f"{base},{net}"))
                allow_from_node |= node_ip is not None and node_ip.version == net.version and node_ip in net
            if allow_from_node:
                out.add(("KUBE-LOAD-BALANCER-SOURCE-IP", f"{base},{lbip}"))
    return sorted(out)
