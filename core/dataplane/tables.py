"""Compiled routing tables: the cluster's virtual services and endpoints as index arrays.

``ServiceIndex`` numbers every virtual service (Service port with a ClusterIP) once per model.
``EndpointRegistry`` gives every endpoint address ``ip:port`` a stable integer id with its node and pod,
so every stage of the data plane works on integer arrays. ``ViewTable`` compiles one kube-proxy view
(the endpoints a node programs) into flat arrays: per virtual service an offset and count into one flat
endpoint array in kube-proxy's order (``"ip:port"`` strings sorted, domain.md a.2), plus the cumulative
selection shares of the stateless modes, so that a batch of requests over thousands of Services is one
``np.searchsorted``. Nodes whose views hold the same slices share one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.model import ClusterModel, ServicePort, ServiceSpec
from core.proxy.render_common import categorize_endpoints
from core.state import Endpoint

try:  # the kernel-quantised iptables shares live with the iptables balancer
    from core.proxy.iptables import quantised_shares as _iptables_shares
except ImportError:  # pragma: no cover - only while the proxy package is incomplete
    _iptables_shares = None


def iptables_shares(n: int) -> np.ndarray:
    """Exact selection shares of an n-endpoint iptables statistic chain (domain.md a.2)."""
    if _iptables_shares is not None:
        return np.asarray(_iptables_shares(n), dtype=np.float64)
    stored = np.array([round(0x80000000 * float(f"{1.0 / (n - i):0.10f}")) for i in range(n - 1)] + [0x80000000],
                      dtype=np.float64) / 0x80000000
    stay = np.concatenate(([1.0], np.cumprod(1.0 - stored[:-1])))
    return stored * stay


def ip_to_u32(ip: str) -> int:
    a, b, c, d = (int(x) for x in ip.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def u32_to_ip(v: int) -> str:
    v = int(v)
    return f"{v >> 24 & 255}.{v >> 16 & 255}.{v >> 8 & 255}.{v & 255}"


@dataclass
class VirtualService:
    index: int
    service: ServiceSpec
    port: ServicePort

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.service.namespace, self.service.name, self.port.name)

    @property
    def label(self) -> str:
        return f"{self.service.namespace}/{self.service.name}:{self.port.name or self.port.port}"

    @property
    def spn(self) -> str:
        """kube-proxy's ServicePortName string: ``ns/name`` plus ``:portName`` when the port is named."""
        base = f"{self.service.namespace}/{self.service.name}"
        return f"{base}:{self.port.name}" if self.port.name else base


class ServiceIndex:
    """Every virtual service (non-headless, non-ExternalName Service port) of a model, numbered once."""

    def __init__(self, model: ClusterModel):
        self.items: list[VirtualService] = []
        self.by_key: dict[tuple[str, str, str], int] = {}
        for svc in model.services:
            if svc.type == "ExternalName" or svc.headless:
                continue
            for p in svc.ports:
                vs = VirtualService(len(self.items), svc, p)
                self.by_key[vs.key] = vs.index
                self.items.append(vs)
        n = len(self.items)
        self.internal_local = np.array([v.service.internal_traffic_policy == "Local" for v in self.items], bool)
        self.external_local = np.array([v.service.external_traffic_policy == "Local"
                                        and v.service.type in ("NodePort", "LoadBalancer") for v in self.items], bool)
        self.affinity = np.array([v.service.session_affinity == "ClientIP" for v in self.items], bool)
        self.size = n

    def lookup(self, service: ServiceSpec, port: ServicePort) -> int:
        return self.by_key[(service.namespace, service.name, port.name)]


@dataclass
class EndpointRegistry:
    """Stable integer ids for endpoint addresses ``ip:port`` (ids are never reused within a run)."""

    ids: dict[tuple[str, int], int] = field(default_factory=dict)
    ip: list[str] = field(default_factory=list)
    port: list[int] = field(default_factory=list)
    node: list[str] = field(default_factory=list)
    pod: list[tuple[str, str]] = field(default_factory=list)
    _node_idx: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def id_for(self, ip: str, port: int, node: str, pod: tuple[str, str]) -> int:
        key = (ip, port)
        eid = self.ids.get(key)
        if eid is None or self.pod[eid] != pod:
            eid = len(self.ip)
            self.ids[key] = eid
            self.ip.append(ip)
            self.port.append(port)
            self.node.append(node)
            self.pod.append(pod)
        return eid

    def __len__(self) -> int:
        return len(self.ip)

    def key(self, eid: int) -> str:
        return f"{self.ip[eid]}:{self.port[eid]}"

    def node_indices(self, node_index: dict[str, int]) -> np.ndarray:
        if len(self._node_idx) != len(self.ip):
            extra = [node_index.get(n, -1) for n in self.node[len(self._node_idx):]]
            self._node_idx = np.concatenate([self._node_idx, np.array(extra, dtype=np.int64)])
        return self._node_idx


def endpoint_port(ep: Endpoint, port: ServicePort) -> int | None:
    """The resolved target port of ``ep`` for service port ``port`` (by port name), or None."""
    for name, number, _proto in ep.ports:
        if name == port.name:
            return number
    if not ep.ports and isinstance(port.effective_target_port, int):
        return port.effective_target_port
    return None


def kube_proxy_order(eps: list[tuple[Endpoint, int]]) -> list[tuple[Endpoint, int]]:
    """kube-proxy's endpoint order: lexicographic on the ``"ip:port"`` string (byEndpoint)."""
    return sorted(eps, key=lambda e: f"{e[0].ip}:{e[1]}")


class ViewTable:
    """One compiled kube-proxy view: per virtual service, its cluster endpoints in kube-proxy order."""

    def __init__(self, services: ServiceIndex, slices: dict[tuple[str, str], tuple[Endpoint, ...]],
                 registry: EndpointRegistry, mode: str):
        self.mode = mode
        n = services.size
        self.offset = np.zeros(n, np.int64)
        self.count = np.zeros(n, np.int64)
        self.has_any = np.zeros(n, bool)
        self.usable: list[list[tuple[Endpoint, int]]] = []  # per vs: (endpoint, target port), all reachable
        flat: list[int] = []
        cum: list[float] = []
        pos = 0
        for vs in services.items:
            eps_all = slices.get((vs.service.namespace, vs.service.name), ())
            with_port = [(e, p) for e in eps_all if (p := endpoint_port(e, vs.port)) is not None]
            cluster, _local, reachable, has_any = categorize_endpoints(
                [e for e, _ in with_port], "", False, False)
            chosen = {id(e) for e in cluster}
            ordered = kube_proxy_order([(e, p) for e, p in with_port if id(e) in chosen])
            self.usable.append(kube_proxy_order([(e, p) for e, p in with_port
                                                 if id(e) in {id(x) for x in reachable}]))
            self.has_any[vs.index] = has_any
            self.offset[vs.index] = pos
            self.count[vs.index] = len(ordered)
            k = len(ordered)
            if k:
                shares = iptables_shares(k) if mode == "iptables" else np.full(k, 1.0 / k)
                c = np.cumsum(shares)
                c[-1] = 1.0
                cum.extend((vs.index + c).tolist())
                flat.extend(registry.id_for(e.ip, p, e.node, e.pod) for e, p in ordered)
            pos += k
        self.eids = np.array(flat, dtype=np.int64)
        # cumulative shares offset by the service index: one searchsorted serves every service at once
        self.cum = np.array(cum, dtype=np.float64)

    def pick_stateless(self, vs: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Endpoint ids and their positions within each service's list, for requests to ``vs`` given
        uniform draws ``u`` in [0, 1); id and position are -1 where the service has no endpoint."""
        eid = np.full(vs.shape, -1, dtype=np.int64)
        pos = np.full(vs.shape, -1, dtype=np.int64)
        ok = self.count[vs] > 0
        if np.any(ok):
            v = vs[ok]
            flat = np.searchsorted(self.cum, v + u[ok], side="right")
            # guard the top edge of a service's segment against float rounding
            flat = np.minimum(flat, self.offset[v] + self.count[v] - 1)
            eid[ok] = self.eids[flat]
            pos[ok] = flat - self.offset[v]
        return eid, pos
