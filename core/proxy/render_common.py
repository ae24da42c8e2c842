"""Input to the rule renderers: one node's services and endpoints as plain data, plus kube-proxy's
endpoint categorisation (``CategorizeEndpoints``) shared with the data plane.

``node_rule_input(model, state, node)`` turns the typed model and the node's ``ProxyView`` into a
``NodeRuleInput``; the renderers (``render_iptables``, ``render_ipvs``, ``render_nftables``) only read
that, so they can be tested on hand-built inputs.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from core.model import ClusterModel
from core.proxy.chains import endpoint_string, service_port_name

# kube-proxy largeClusterEndpointsThreshold: above this many endpoints the per-endpoint comments go.
LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000

SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer")
PROTOCOLS = ("TCP", "UDP", "SCTP")


class RuleInputError(ValueError):
    """The input cannot be rendered; the message names the offending object and what is allowed."""


@dataclass(frozen=True)
class RuleEndpoint:
    """One endpoint of one service port, with EndpointSlice conditions as kube-proxy reads them."""

    ip: str
    port: int
    node: str
    ready: bool = True
    serving: bool = True
    terminating: bool = False

    def __str__(self) -> str:
        return endpoint_string(self.ip, self.port)


@dataclass(frozen=True)
class RuleServicePort:
    """One port of one Service, as kube-proxy's ``servicePortInfo`` sees it."""

    namespace: str
    name: str
    port_name: str
    protocol: str
    cluster_ip: str
    port: int
    node_port: int | None = None
    load_balancer_ips: tuple[str, ...] = ()
    external_ips: tuple[str, ...] = ()
    session_affinity_timeout: int | None = None  # None: sessionAffinity None; else ClientIP timeout
    external_policy_local: bool = False  # ETP=Local on a NodePort/LoadBalancer Service
    internal_policy_local: bool = False
    health_check_node_port: int | None = None
    type: str = "ClusterIP"
    load_balancer_source_ranges: tuple[str, ...] = ()

    @property
    def spn(self) -> str:
        """``ServicePortName.String()``: ``ns/name`` or ``ns/name:port``."""
        return service_port_name(self.namespace, self.name, self.port_name)

    @property
    def proto(self) -> str:
        return self.protocol.lower()

    @property
    def externally_accessible(self) -> bool:
        return bool(self.node_port) or bool(self.load_balancer_ips) or bool(self.external_ips)

    @property
    def uses_cluster_endpoints(self) -> bool:
        return not self.internal_policy_local or self.externally_accessible

    @property
    def uses_local_endpoints(self) -> bool:
        return self.internal_policy_local or (self.external_policy_local and self.externally_accessible)


@dataclass(frozen=True)
class NodeRuleInput:
    """Everything one node's kube-proxy needs to write its rules."""

    node: str
    node_ips: tuple[str, ...]
    cluster_cidr: str
    masquerade_all: bool
    services: tuple[tuple[RuleServicePort, tuple[RuleEndpoint, ...]], ...]
    ipvs_scheduler: str = "rr"
    service_cidr: str = "10.96.0.0/12"
    # iptables.localhostNodePorts (default true): NodePorts answer on 127.0.0.1 (IPv4, route_localnet=1)
    localhost_node_ports: bool = True

    @property
    def total_endpoints(self) -> int:
        return sum(len(eps) for _, eps in self.services)

    @property
    def large_cluster_mode(self) -> bool:
        """kube-proxy's ``largeClusterMode``: more than 1000 endpoints over all service ports."""
        return self.total_endpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD


# --------------------------------------------------------------------------------------------
# endpoint categorisation

E = TypeVar("E")


def _is_local(ep: Any, node: str) -> bool:
    return getattr(ep, "node", None) == node


def categorize_endpoints(
    endpoints: Sequence[E],
    node: str,
    internal_local: bool,
    external_local: bool,
    externally_accessible: bool | None = None,
) -> tuple[list[E], list[E], list[E], bool]:
    """kube-proxy's ``CategorizeEndpoints`` (k/k pkg/proxy/topology.go; domain.md a.6, a.7).

    ``endpoints`` are any objects with ``node``, ``ready``, ``serving`` and ``terminating`` attributes
    (``RuleEndpoint`` or ``core.state.Endpoint``). ``external_local`` is ETP=Local on a NodePort or
    LoadBalancer Service; ``externally_accessible`` (nodePort, LB IPs or externalIPs present) defaults to
    ``external_local``. Returns ``(cluster, local, all_reachable, has_any)`` in input order:

    * cluster: the Ready endpoints, or if none, the serving & terminating ones -- only when the Service
      uses cluster endpoints (``!ITP=Local || externally accessible``);
    * local: this node's Ready endpoints, or if none, its serving & terminating ones -- only when the
      Service uses local endpoints (``ITP=Local || (ETP=Local && externally accessible)``);
    * all_reachable: every endpoint some chain of this node can reach (the union when a fallback is used);
    * has_any: some endpoint anywhere is Ready or serving & terminating.
    """
    if externally_accessible is None:
        externally_accessible = external_local
    uses_cluster = not internal_local or externally_accessible
    uses_local = internal_local or (external_local and externally_accessible)

    cluster: list[E] = []
    local: list[E] = []
    has_any = False
    if uses_cluster:
        cluster = [ep for ep in endpoints if ep.ready]  # type: ignore[attr-defined]
        if not cluster:
            cluster = [ep for ep in endpoints if ep.serving and ep.terminating]  # type: ignore[attr-defined]
        has_any = bool(cluster)
    if not uses_local:
        return cluster, local, list(cluster), has_any

    local_ready = local_serving_terminating = False
    for ep in endpoints:
        if ep.ready:  # type: ignore[attr-defined]
            has_any = True
            local_ready = local_ready or _is_local(ep, node)
        elif ep.serving and ep.terminating:  # type: ignore[attr-defined]
            has_any = True
            local_serving_terminating = local_serving_terminating or _is_local(ep, node)
    use_serving_terminating = False
    if local_ready:
        local = [ep for ep in endpoints if _is_local(ep, node) and ep.ready]  # type: ignore[attr-defined]
    elif local_serving_terminating:
        use_serving_terminating = True
        local = [ep for ep in endpoints
                 if _is_local(ep, node) and ep.serving and ep.terminating]  # type: ignore[attr-defined]
    if not uses_cluster:
        return cluster, local, list(local), has_any
    if not use_serving_terminating:
        # local holds only Ready endpoints, all of which are in cluster already.
        return cluster, local, list(cluster), has_any
    # The fallback is in use: merge (kube-proxy uses a map keyed by "ip:port"; we keep input order).
    merged: dict[Any, E] = {}
    for ep in list(cluster) + list(local):
        merged[str(ep) if isinstance(ep, RuleEndpoint) else id(ep)] = ep
    return cluster, local, list(merged.values()), has_any


# --------------------------------------------------------------------------------------------
# ordering helpers shared by the renderers


def sort_endpoints(endpoints: Iterable[RuleEndpoint]) -> list[RuleEndpoint]:
    """Endpoint order inside a chain: ``byEndpoint``, a plain string sort on ``"ip:port"`` (a.2),
    after dropping duplicates (a non-terminating copy of an ``ip:port`` wins)."""
    chosen: dict[str, RuleEndpoint] = {}
    for ep in endpoints:
        key = str(ep)
        if key not in chosen or (chosen[key].terminating and not ep.terminating):
            chosen[key] = ep
    return [chosen[k] for k in sorted(chosen)]


def ordered_services(inp: NodeRuleInput) -> list[tuple[RuleServicePort, list[RuleEndpoint]]]:
    """Service ports in output order -- by ``ns/name`` then by port name string, the order the
    kube-proxy test helper ``sortIPTablesRules`` gives -- each with its sorted endpoints."""
    items = [(svc, sort_endpoints(eps)) for svc, eps in inp.services]
    items.sort(key=lambda item: (f"{item[0].namespace}/{item[0].name}", item[0].spn, item[0].proto))
    return items


def validate_input(inp: NodeRuleInput) -> None:
    """Check the fields the renderers rely on; raise ``RuleInputError`` naming what is wrong."""
    try:
        ipaddress.ip_network(inp.cluster_cidr, strict=False)
    except ValueError as exc:
        raise RuleInputError(f"clusterCIDR {inp.cluster_cidr!r} is not a CIDR (e.g. 10.244.0.0/16)") from exc
    for ip in inp.node_ips:
        _check_ip(ip, f"node {inp.node} IP")
    for svc, eps in inp.services:
        where = f"service port {svc.spn}"
        if svc.protocol.upper() not in PROTOCOLS:
            raise RuleInputError(f"{where}: protocol {svc.protocol!r} is not one of {', '.join(PROTOCOLS)}")
        _check_ip(svc.cluster_ip, f"{where} clusterIP")
        _check_port(svc.port, f"{where} port")
        if svc.node_port is not None:
            _check_port(svc.node_port, f"{where} nodePort")
        for ip in svc.load_balancer_ips + svc.external_ips:
            _check_ip(ip, f"{where} external/LB IP")
        for cidr in svc.load_balancer_source_ranges:
            try:
                ipaddress.ip_network(cidr.strip(), strict=False)
            except ValueError as exc:
                raise RuleInputError(f"{where}: loadBalancerSourceRange {cidr!r} is not a CIDR") from exc
        if svc.session_affinity_timeout is not None and not 0 < svc.session_affinity_timeout <= 86400:
            raise RuleInputError(f"{where}: session affinity timeout {svc.session_affinity_timeout} "
                                 "must be in 1..86400 seconds")
        for ep in eps:
            _check_ip(ep.ip, f"{where} endpoint")
            _check_port(ep.port, f"{where} endpoint {ep.ip} port")


def _check_ip(ip: str, what: str) -> None:
    try:
        ipaddress.ip_address(ip)
    except ValueError as exc:
        raise RuleInputError(f"{what} {ip!r} is not an IP address") from exc


def _check_port(port: int, what: str) -> None:
    if not isinstance(port, int) or not 1 <= port <= 65535:
        raise RuleInputError(f"{what} {port!r} must be an integer in 1..65535")


# --------------------------------------------------------------------------------------------
# model + state -> input


def node_rule_input(model: ClusterModel, state: Any, node: str) -> NodeRuleInput:
    """What ``node``'s kube-proxy programs, from the typed model and the node's ``ProxyView``.

    ``state`` is a ``core.state.ClusterState``. Headless and ExternalName Services get no rules; a Service
    without an allocated ClusterIP is an error. Endpoints come from ``state.proxy_views[node].slices``
    (what this kube-proxy last synced), each Service port matched to the endpoint port of the same name
    and protocol (EndpointSlice port matching).
    """
    if node not in state.nodes:
        raise RuleInputError(f"unknown node {node!r}; nodes: {', '.join(sorted(state.nodes)) or '(none)'}")
    view = state.proxy_views.get(node)
    config = view.config if view is not None else state.proxy_config
    slices = view.slices if view is not None else {}
    node_state = state.nodes[node]
    node_ips = (node_state.ip,) if node_state.ip else ()
    cluster_cidr = config.cluster_cidr or model.cluster.pod_subnet

    services: list[tuple[RuleServicePort, tuple[RuleEndpoint, ...]]] = []
    for svc in model.services:
        if svc.type == "ExternalName" or svc.headless:
            continue
        if not svc.cluster_ip:
            raise RuleInputError(f"Service {svc.namespace}/{svc.name} has no ClusterIP allocated; "
                                 "load the scenario with core.scenario.load_model so addresses are assigned")
        if svc.type not in SERVICE_TYPES:
            raise RuleInputError(f"Service {svc.namespace}/{svc.name}: type {svc.type!r} is not one of "
                                 f"{', '.join(SERVICE_TYPES + ('ExternalName',))}")
        external_local = svc.type in ("NodePort", "LoadBalancer") and svc.external_traffic_policy == "Local"
        lb_ips = (svc.load_balancer_ip,) if svc.type == "LoadBalancer" and svc.load_balancer_ip else ()
        hcnp = svc.health_check_node_port if svc.type == "LoadBalancer" and external_local else None
        endpoints = slices.get((svc.namespace, svc.name), ())
        for sp in svc.ports:
            rule_port = RuleServicePort(
                namespace=svc.namespace, name=svc.name, port_name=sp.name, protocol=sp.protocol.upper(),
                cluster_ip=svc.cluster_ip, port=sp.port,
                node_port=sp.node_port if svc.type in ("NodePort", "LoadBalancer") else None,
                load_balancer_ips=lb_ips, external_ips=tuple(svc.external_ips),
                session_affinity_timeout=svc.affinity_timeout if svc.session_affinity == "ClientIP" else None,
                external_policy_local=external_local,
                internal_policy_local=svc.internal_traffic_policy == "Local",
                health_check_node_port=hcnp, type=svc.type,
                load_balancer_source_ranges=svc.load_balancer_source_ranges if lb_ips else ())
            rule_eps: list[RuleEndpoint] = []
            for ep in endpoints:
                for port_name, number, protocol in ep.ports:
                    if port_name == sp.name and protocol.upper() == sp.protocol.upper():
                        rule_eps.append(RuleEndpoint(ep.ip, int(number), ep.node, ep.ready, ep.serving,
                                                     ep.terminating))
                        break
            services.append((rule_port, tuple(rule_eps)))
    return NodeRuleInput(node=node, node_ips=node_ips, cluster_cidr=cluster_cidr,
                         masquerade_all=config.masquerade_all, services=tuple(services),
                         ipvs_scheduler=config.ipvs_scheduler or "rr",
                         service_cidr=model.cluster.service_subnet,
                         localhost_node_ports=config.localhost_node_ports)
