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
from core.state import BigMap, Endpoint

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


def _to_int(x: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """Truncate non-negative floats to int64, into ``out`` when given."""
    if out is None:
        return x.astype(np.int64)
    np.copyto(out, x, casting="unsafe")
    return out


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
        # some Service needs per-node state or local endpoints: the single-table fast path is off
        self.any_special = bool(self.affinity.any() or self.internal_local.any())
        self.size = n

    def lookup(self, service: ServiceSpec, port: ServicePort) -> int:
        return self.by_key[(service.namespace, service.name, port.name)]


@dataclass
class EndpointRegistry:
    """Stable integer ids for endpoint addresses ``ip:port`` (ids are never reused within a run)."""

    ids: dict[tuple[str, int], int] = field(default_factory=BigMap)  # one per address: see BigMap
    ip: list[str] = field(default_factory=list)
    port: list[int] = field(default_factory=list)
    node: list[str] = field(default_factory=list)
    pod: list[tuple[str, str]] = field(default_factory=list)
    _node_idx: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    _ip_u32: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))

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

    def ip_u32(self) -> np.ndarray:
        """Every endpoint's IP as a uint32 array indexed by id (external names map to 0)."""
        if len(self._ip_u32) != len(self.ip):
            extra = [ip_to_u32(ip) if ip.count(".") == 3 and ip.replace(".", "").isdigit() else 0
                     for ip in self.ip[len(self._ip_u32):]]
            self._ip_u32 = np.concatenate([self._ip_u32, np.array(extra, dtype=np.uint32)])
        return self._ip_u32

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


def _cum_for(k: int, mode: str) -> list[float]:
    c = np.cumsum(iptables_shares(k)) if mode == "iptables" else np.arange(1, k + 1) / k
    c[-1] = 1.0
    return c.tolist()


def _compile_one(vs, slices, registry: EndpointRegistry, mode: str,
                 cum_cache: dict[int, list[float]]) -> tuple[list[int], list[float], bool]:
    """One virtual service's cluster endpoints in kube-proxy order: (endpoint ids, cumulative shares,
    has_any)."""
    eps_all = slices.get((vs.service.namespace, vs.service.name), ())
    with_port = [(e, p) for e in eps_all if (p := endpoint_port(e, vs.port)) is not None]
    cluster, _local, _reachable, has_any = categorize_endpoints([e for e, _ in with_port], "", False, False)
    chosen = {id(e) for e in cluster}
    ordered = kube_proxy_order([(e, p) for e, p in with_port if id(e) in chosen])
    k = len(ordered)
    if not k:
        return [], [], has_any
    c = cum_cache.get(k)
    if c is None:
        c = cum_cache[k] = _cum_for(k, mode)
    return [registry.id_for(e.ip, p, e.node, e.pod) for e, p in ordered], c, has_any


def _cum_cache_for(count: np.ndarray, mode: str, cache: dict[int, list[float]]) -> dict[int, list[float]]:
    """Cumulative shares for every list length present in ``count`` (what ``_mixture`` needs)."""
    out = {}
    for k in np.unique(count).tolist():
        if k > 0:
            out[k] = cache.get(k) or _cum_for(k, mode)
    return out


class ViewTable:
    """One compiled kube-proxy view: per virtual service, its cluster endpoints in kube-proxy order."""

    def __init__(self, services: ServiceIndex, slices: dict[tuple[str, str], tuple[Endpoint, ...]],
                 registry: EndpointRegistry, mode: str):
        self.mode = mode
        self.source = slices  # the view's slices this table was compiled from
        self._services = services
        of_key: dict[tuple[str, str], list[int]] = {}
        for item in services.items:
            of_key.setdefault((item.service.namespace, item.service.name), []).append(item.index)
        self._vs_of_key = of_key  # Service -> its virtual services (one per port), for ``updated``
        n = services.size
        self.offset = np.zeros(n, np.int64)
        self.count = np.zeros(n, np.int64)
        self.has_any = np.zeros(n, bool)
        flat: list[int] = []
        cum: list[float] = []
        cum_cache: dict[int, list[float]] = {}
        pos = 0
        for vs in services.items:
            eps_all = slices.get((vs.service.namespace, vs.service.name), ())
            with_port = [(e, p) for e in eps_all if (p := endpoint_port(e, vs.port)) is not None]
            cluster, _local, _reachable, has_any = categorize_endpoints(
                [e for e, _ in with_port], "", False, False)
            chosen = {id(e) for e in cluster}
            ordered = kube_proxy_order([(e, p) for e, p in with_port if id(e) in chosen])
            self.has_any[vs.index] = has_any
            self.offset[vs.index] = pos
            self.count[vs.index] = len(ordered)
            k = len(ordered)
            if k:
                c = cum_cache.get(k)
                if c is None:
                    c = np.cumsum(iptables_shares(k)) if mode == "iptables" else np.arange(1, k + 1) / k
                    c[-1] = 1.0
                    c = cum_cache[k] = c.tolist()
                cum.extend(c)
                flat.extend(registry.id_for(e.ip, p, e.node, e.pod) for e, p in ordered)
            pos += k
        # one sentinel -1 after the endpoints: services without endpoints point at it
        self.eids = np.array(flat + [-1], dtype=np.int64)
        # cumulative selection shares within each service's segment (the last is exactly 1.0)
        self.cum = np.array(cum + [1.0], dtype=np.float64)
        self.count_f = self.count.astype(np.float64)
        self.safe_offset = np.where(self.count > 0, self.offset, len(flat))
        # flat index of each service's last endpoint (an IPVS kernel list reads it backwards from here)
        self.last = self.safe_offset + self.count - 1
        self.all_nonempty = bool(np.all(self.count > 0))
        self._mixture(cum_cache)

    @classmethod
    def updated(cls, prev: ViewTable, services: ServiceIndex, slices: dict[tuple[str, str], tuple[Endpoint, ...]],
                registry: EndpointRegistry, mode: str) -> ViewTable:
        """The table for ``slices``, recompiling only the Services whose slice differs from ``prev.source``
        (a kube-proxy sync after one pod change touches one Service, not 10,000): the unchanged segments
        are spliced around the new ones with array concatenation. Falls back to a full compile when the
        mode or the Service index changed, or when many Services changed."""
        if prev.mode != mode or prev.count.size != services.size or getattr(prev, "_services", None) is not services:
            return cls(services, slices, registry, mode)
        old = prev.source
        if getattr(slices, "base", None) is old:  # a ViewSlices copied from the table's view: it lists its changes
            keys = slices.changed
        else:
            keys = {k for k, v in slices.items() if old.get(k) is not v}
            keys.update(k for k in old if k not in slices)
        of_key = prev._vs_of_key
        changed = sorted(v for k in keys for v in of_key.get(k, ()))
        if len(changed) > max(64, services.size // 8):
            return cls(services, slices, registry, mode)
        t = cls.__new__(cls)
        t.mode = mode
        t.source = slices
        t._services = services
        t._vs_of_key = of_key
        t.has_any = prev.has_any.copy()
        t.count = prev.count.copy()
        n_flat = int(prev.count.sum())
        e_parts: list[np.ndarray] = []
        c_parts: list[np.ndarray] = []
        cursor = 0
        cum_cache: dict[int, list[float]] = {}
        for v in changed:
            eids, cum, has_any = _compile_one(services.items[v], slices, registry, mode, cum_cache)
            lo = int(prev.offset[v])
            e_parts += [prev.eids[cursor:lo], np.asarray(eids, np.int64)]
            c_parts += [prev.cum[cursor:lo], np.asarray(cum, np.float64)]
            cursor = lo + int(prev.count[v])
            t.count[v] = len(eids)
            t.has_any[v] = has_any
        e_parts += [prev.eids[cursor:n_flat], np.array([-1], np.int64)]
        c_parts += [prev.cum[cursor:n_flat], np.array([1.0])]
        t.eids = np.concatenate(e_parts)
        t.cum = np.concatenate(c_parts)
        t.offset = np.zeros(services.size, np.int64)
        if services.size:
            np.cumsum(t.count[:-1], out=t.offset[1:])
        t._finish(_cum_cache_for(t.count, mode, cum_cache))
        return t

    def _finish(self, cum_cache: dict[int, list[float]]) -> None:
        self.count_f = self.count.astype(np.float64)
        flat_n = int(self.count.sum())
        self.safe_offset = np.where(self.count > 0, self.offset, flat_n)
        self.last = self.safe_offset + self.count - 1
        self.all_nonempty = bool(np.all(self.count > 0))
        self._mixture(cum_cache)

    def _mixture(self, cum_cache: dict[int, list[float]]) -> None:
        """Write each service's exact shares P as a mixture (1 - eps) * uniform + eps * Q.

        iptables' kernel-quantised shares are 1/n give or take ~1e-10, so with eps a little above
        max_i n * (1/n - P_i) every Q_i = (P_i - (1 - eps)/n) / eps is a valid distribution. A draw
        u < 1 - eps picks floor(u / (1 - eps) * n); the rare u >= 1 - eps (about one request in 10^8)
        picks from Q with (u - (1 - eps)) / eps. The result is exactly P, with one comparison per request
        instead of a boundary search.
        """
        eps = 0.0
        shares = {}
        for k, c in cum_cache.items():
            p = np.diff(np.r_[0.0, np.asarray(c)])
            shares[k] = p
            eps = max(eps, float(np.max(1.0 - k * p)))
        self.eps = eps * 1.5 + 1e-12 if self.mode == "iptables" else 0.0
        scale = (1.0 - 2.0 ** -52) / (1.0 - self.eps)  # keeps u * n * scale below n for u < 1 - eps
        self.count_scaled = self.count_f * scale
        self.q_cum: dict[int, np.ndarray] = {}
        if self.eps > 0:
            for k, p in shares.items():
                q = np.maximum(p - (1.0 - self.eps) / k, 0.0)
                self.q_cum[k] = np.cumsum(q / q.sum())

    def pick_flat(self, vs: np.ndarray, u: np.ndarray, work=None) -> tuple[np.ndarray, np.ndarray]:
        """Flat indices into ``eids`` (a service without endpoints reads the trailing -1) and positions
        within each service's list, for requests to ``vs`` given uniform draws ``u`` in [0, 1).

        Each endpoint is picked with its exact share: numgen's uniform 1/n, or the iptables statistic
        chain's kernel-quantised shares through the uniform-plus-correction mixture of ``_mixture``.
        O(1) per request. ``work(name, dtype)``, when given, lends reusable scratch arrays of the batch's
        length (the returned positions then live in one of them until the next batch).
        """
        def scratch(name, dtype):
            return None if work is None else work(name, dtype)

        if self.eps > 0:
            x = np.take(self.count_scaled, vs, out=scratch("x", np.float64), mode="clip")  # np.take beats fancy indexing; "clip" avoids the buffered bounds check an out= array gets (indices are valid)
            x *= u
            pos = _to_int(x, scratch("pos", np.int64))
            top = 1.0 - self.eps
            rare = np.flatnonzero(u >= top) if u.size and u.max() >= top else ()
            for i in rare:  # the rare correction branch (about one request in 10^8)
                i = int(i)
                v = int(vs[i])
                k = int(self.count[v])
                if k:
                    q = (u[i] - top) / self.eps
                    pos[i] = min(int(np.searchsorted(self.q_cum[k], q, side="right")), k - 1)
        else:
            # numgen: exactly uniform. u <= 1 - 2^-53, so u * n rounds below n for any n < 2^53
            x = np.take(self.count_f, vs, out=scratch("x", np.float64), mode="clip")
            x *= u
            pos = _to_int(x, scratch("pos", np.int64))
        flat = np.take(self.safe_offset, vs)
        flat += pos
        return flat, pos

    def pick_stateless(self, vs: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Endpoint ids and their positions within each service's list (-1 and -1 where the service has no
        endpoint); see ``pick_flat``."""
        flat, pos = self.pick_flat(vs, u)
        eid = self.eids[flat]
        if not self.all_nonempty:
            pos[eid < 0] = -1
        return eid, pos

    def latency_bins(self, f_vs: np.ndarray, f_pos: np.ndarray, mode: int, resolution: float) -> np.ndarray:
        """Per table entry: the latency histogram bin of a request to it with a cross-node hop and no SNAT
        -- the mode's decision (iptables: (position of the service + position of the endpoint + 3) rules
        walked), DNAT, and the hop -- cached per mode and resolution."""
        from core.dataplane import latency as L

        cache = self.__dict__.setdefault("_lat_bins", {})
        key = (mode, resolution)
        if key not in cache:
            if mode == 0:
                decision = (f_vs + f_pos + 3) * L.IPTABLES_PER_RULE
            else:
                decision = np.full(f_vs.size, L.NFTABLES_LOOKUP if mode == 1 else L.IPVS_LOOKUP)
            cache[key] = ((decision + L.NAT + L.CROSS_NODE) / resolution + 0.5).astype(np.int64)
        return cache[key]

    def flat_arrays(self, registry: EndpointRegistry, node_index: dict[str, int]) -> tuple[np.ndarray, ...]:
        """Per flat entry: node index, IP (uint32), service index and position -- so a batch reads one
        gather per attribute from this small table instead of chasing endpoint ids."""
        if getattr(self, "_flat", None) is None:
            e = np.maximum(self.eids, 0)
            # node indices in the narrowest type that holds them: a smaller table gathers faster
            node_type = np.int16 if len(node_index) < 2**15 - 1 else np.int32
            node = np.where(self.eids >= 0, registry.node_indices(node_index)[e], -1).astype(node_type)
            ip = np.where(self.eids >= 0, registry.ip_u32()[e], 0).astype(np.uint32)
            vs = np.repeat(np.arange(self.count.size), self.count)
            pos = np.arange(vs.size) - np.repeat(self.offset, self.count)
            self._flat = (node, ip, np.r_[vs, -1], np.r_[pos, -1])
        return self._flat
