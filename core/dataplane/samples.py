"""Packet samples for animation: a fair, slice-independent sample of requests with structured hops.

Which requests are sampled depends only on ``(seed, flow, request index)``: a flow's requests (numbered from
0 since the flow started) are cut into blocks of ``B = max(1, round(flows x flow rate / per_second))`` and
request ``j * B + floor(u(seed, flow, j) * B)`` of block ``j`` is sampled, ``u`` being a 64-bit mix
(splitmix64) of the three mapped to ``[0, 1)`` -- every flow gets about the same number of samples per
simulated second, however busy it is, so a 5 req/s browser is animated as often as a 10,000 req/s batch job,
and a million-request step costs one hash per block, not per request. No random generator is drawn from, so
sampling never changes routing, and the samples of a run are the same whatever step sizes drove it (as long
as no step produces more than ``max_per_step`` samples: then the first ones of the step are kept).

A ``Sample`` has the request's arrival ``time``, its client, source address, target, ``outcome`` and
``latency_ns`` (integer nanoseconds), and ``hops``: where the packet was (``ObjectRef`` of a Client, a
``LoadBalancer`` -- the Service's external load balancer, named like the Service --, a Node, a Pod, or the
Service itself for an ExternalName hand-off), when it entered and left (``enter_ns``/``leave_ns`` from the
arrival; each hop starts where the previous one ended), its addresses before and after the hop, the id of the
rule that decided (``core.proxy.ruleset`` ids: look the text up with ``render_rules(...).line(rule_id)``),
a human description, and the outcome (``"forwarded"`` except on the last hop). Hop durations come from the
latency model (``core.dataplane.latency``) piece by piece; the last hop absorbs the sub-nanosecond rounding,
so ``sum(leave_ns - enter_ns) == latency_ns`` exactly. For a delivered request ``latency_ns`` is the
request's latency (rounded to the nanosecond); for a dropped one it is the time until the packet died.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass, field

import numpy as np

from core.dataplane import latency as L
from core.dataplane.outcomes import CODE_NAMES
from core.dataplane.tables import ViewTable, u32_to_ip
from core.model import ObjectRef
from core.proxy.chains import nft_chain_name, nft_service_base, sep_chain, service_port_name, svc_chain, svl_chain
from core.proxy.ruleset import ipvs_rule_id

_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _splitmix64(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _flow_base(seed: int, flow_key: str) -> np.uint64:
    return (np.uint64(seed & 0xFFFFFFFF) << np.uint64(32)) | np.uint64(zlib.crc32(flow_key.encode()))


def sample_uniforms(seed: int, flow_key: str, first: int, n: int) -> np.ndarray:
    """``u`` in [0, 1) for requests ``first .. first + n - 1`` of the flow keyed ``flow_key``."""
    with np.errstate(over="ignore"):
        x = _splitmix64(np.full(n, _flow_base(seed, flow_key), np.uint64)) + np.arange(first, first + n,
                                                                                        dtype=np.uint64)
    return (_splitmix64(x) >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def sampled_indices(seed: int, flow_key: str, first: int, n: int, block: int) -> np.ndarray:
    """The sampled request indices in ``first .. first + n - 1``: one per block of ``block`` consecutive
    indices, at offset ``u(seed, flow, block number) * block`` in it -- a function of (seed, flow, index) only,
    costing one hash per block rather than one per request."""
    if n <= 0:
        return np.zeros(0, np.int64)
    if block <= 1:
        return np.arange(first, first + n, dtype=np.int64)
    j0, j1 = first // block, (first + n - 1) // block
    if j1 - j0 < _FEW_BLOCKS:
        return np.array(_sampled_few(seed, flow_key, first, n, block, j0, j1), dtype=np.int64)
    u = sample_uniforms(seed, flow_key, j0, j1 - j0 + 1)
    k = np.arange(j0, j1 + 1, dtype=np.int64) * block + (u * block).astype(np.int64)
    return k[(k >= first) & (k < first + n)]


_FEW_BLOCKS = 8  # up to this many blocks (a GUI step's piece of a flow): plain integers, no array passes
_MASK64 = 0xFFFFFFFFFFFFFFFF


def _splitmix64_int(z: int) -> int:
    """``_splitmix64`` of one value, in Python integers (the same bits)."""
    z = (z + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


@functools.lru_cache(maxsize=1024)
def _mixed_base(seed: int, flow_key: str) -> int:
    return _splitmix64_int(int(_flow_base(seed, flow_key)))


def _sampled_few(seed: int, flow_key: str, first: int, n: int, block: int, j0: int, j1: int) -> list[int]:
    """``sampled_indices`` for blocks ``j0 .. j1`` (few) as a list: the same hashes and the same float
    arithmetic (``(z >> 11) * 2**-53`` is exact, ``int()`` truncates like ``astype(int64)``)."""
    base = _mixed_base(seed, flow_key)
    out = []
    for j in range(j0, j1 + 1):
        u = (_splitmix64_int((base + j) & _MASK64) >> 11) * (1.0 / (1 << 53))
        k = j * block + int(u * block)
        if first <= k < first + n:
            out.append(k)
    return out


def flow_key(flow) -> str:
    return f"{flow.name}/{flow.client.name}"


@dataclass(frozen=True)
class Hop:
    where: ObjectRef
    enter_ns: int  # from the request's arrival
    leave_ns: int
    src: str | None
    dst: str | None
    src_after: str | None
    dst_after: str | None
    rule_id: str | None
    rule: str
    outcome: str  # "forwarded", or on the last hop the request's outcome


@dataclass(frozen=True)
class Sample:
    time: float  # arrival, simulated seconds
    flow: str
    index: int  # the request's index within its flow
    client: ObjectRef
    src: str
    target: str
    outcome: str
    latency_ns: int
    hops: tuple[Hop, ...] = field(default_factory=tuple)

    @property
    def latency_ms(self) -> float:
        return self.latency_ns / 1e6


def _ns(ms: float) -> int:
    return int(round(ms * 1e6))


class PacketSampler:
    """Picks and describes samples; one per ``DataPlane`` (``plane.samples``). ``take()`` returns and
    forgets the samples collected since the last call (the engine's step)."""

    def __init__(self, plane, per_second: float = 20.0, max_per_step: int = 64):
        self.plane = plane
        self.per_second = float(per_second)
        self.max_per_step = int(max_per_step)
        self.seed = int(getattr(plane.sim, "seed", 0))
        self._new: list[Sample] = []

    def take(self) -> list[Sample]:
        new, self._new = self._new, []
        return new

    def probability(self, flow) -> float:
        """The share of the flow's requests sampled: ``1 / block(flow)``."""
        return 1.0 / self.block(flow)

    def block(self, flow) -> int:
        """One request in every ``block``: ``round(flows x rate / per_second)``, at least 1."""
        flows = max(1, len(self.plane.flows))
        return max(1, int(round(flows * max(float(flow.rate), 0.0) / self.per_second)))

    def record(self, flow, times: np.ndarray, out) -> None:
        """Called for every routed piece of every flow, before ``flow.sent`` counts the piece."""
        n = times.size
        room = self.max_per_step - len(self._new)
        if n == 0 or room <= 0 or self.per_second <= 0:
            return
        first, block = int(flow.sent), self.block(flow)
        if block > 1 and (first + n - 1) // block - first // block < _FEW_BLOCKS:  # most GUI pieces: no arrays
            picked = _sampled_few(self.seed, flow_key(flow), first, n, block, first // block, (first + n - 1) // block)
        else:
            picked = sampled_indices(self.seed, flow_key(flow), first, n, block).tolist()
        for k in picked[:room]:
            self._new.append(self.describe(flow, times, out, k - first))

    # ---------------------------------------------------------------------------------------- hops
    def describe(self, flow, times, out, i: int) -> Sample:
        src = f"{u32_to_ip(out.src_ip[i])}:{int(out.src_port[i])}"
        outcome = CODE_NAMES[int(out.outcome[i])]
        client = ObjectRef("Client", "", flow.client.name)
        parts = self._parts(flow, out, i, src, client, outcome)
        total = _ns(float(out.latency[i])) if outcome == "delivered" else sum(_ns(p[1]) for p in parts)
        hops: list[Hop] = []
        t = 0
        for k, (where, ms, s, d, sa, da, rid, text) in enumerate(parts):
            last = k == len(parts) - 1
            dur = total - t if last else _ns(ms)
            hops.append(Hop(where, t, t + dur, s, d, sa, da, rid, text, outcome if last else "forwarded"))
            t += dur
        return Sample(round(float(times[i]), 9), flow.name, int(flow.sent) + i, client, src, flow.target.text,
                      outcome, total, tuple(hops))

    def _pod(self, eid: int) -> ObjectRef:
        ns, name = self.plane.registry.pod[eid]
        return ObjectRef("Pod", ns, name)

    def _endpoint(self, eid: int) -> str | None:
        reg = self.plane.registry
        return f"{reg.ip[eid]}:{reg.port[eid]}" if eid >= 0 else None

    def _parts(self, flow, out, i, src, client, outcome) -> list[tuple]:
        """(where, ms, src, dst, src_after, dst_after, rule id, text) per hop, durations as ``_latency``
        adds them up."""
        plane = self.plane
        res = out.resolution
        ext = 0.0 if flow.internal else L.EXTERNAL
        client_node = plane.node_index.get(flow.client_node or "", -1)
        if res.kind == "unreachable" or (res.kind not in ("external_name", "pod", "headless") and res.service is None):
            return [(client, 0.0, src, flow.target.text, None, None, None, res.detail or outcome)]
        if res.kind == "external_name":
            if outcome != "delivered":
                return [(client, 0.0, src, flow.target.text, None, None, None, outcome)]
            name = f"{res.external_name}:{res.port.port if res.port else ''}"
            cname = (f"DNS CNAME {res.service.name}.{res.service.namespace}.svc -> {res.external_name} (no "
                     "kube-proxy rules; the request leaves the cluster)")
            return [(client, ext, src, flow.target.text, src, name, None, cname),
                    (res.service.ref, L.EXTERNAL, src, name, src, name, None, "external name answers")]
        eid = int(out.eid[i])
        if res.kind in ("pod", "headless"):
            dst = f"{res.dst_ip}:{res.dst_port}"
            if eid < 0 or outcome in ("client_down", "nxdomain"):
                return [(client, 0.0, src, dst, None, None, None, outcome)]
            ep_node = plane.registry.node[eid]
            same = plane.node_index.get(ep_node, -2) == client_node
            text = ("static route: straight to a pod IP, no Service" if res.kind == "pod" else
                    f"headless Service: DNS returned pod IPs; the client picked {self._endpoint(eid)}")
            return [(client, ext, src, self._endpoint(eid), src, self._endpoint(eid), None, text),
                    (self._pod(eid), float(L.hop_cost(same)), src, self._endpoint(eid), src, self._endpoint(eid),
                     None, f"deliver to pod {'/'.join(plane.registry.pod[eid])}")]
        # ---- Services (ClusterIP, NodePort, LoadBalancer, external IPs) and Ingress
        svc, port = res.service, res.port
        node_i = int(out.proxy_node[i])
        node_ip = plane.node_ip[node_i] if node_i >= 0 else ""
        if out.entry == "cluster_ip":
            entry_dst = f"{svc.cluster_ip}:{port.port}"
        elif out.entry == "lb_ip" or out.via_lb[i]:
            entry_dst = f"{svc.load_balancer_ip}:{port.port}"
        elif out.entry == "external_ip":
            entry_dst = f"{res.dst_ip}:{res.dst_port}"
        else:
            entry_dst = f"{node_ip}:{port.node_port}"
        cross = L.CROSS_NODE if (client_node >= 0 and node_i >= 0 and node_i != client_node) else 0.0
        to = ("to the Service's external load balancer" if out.via_lb[i] else
              "leaves the client" if node_i < 0 else f"routed to {plane.node_names[node_i]}")
        parts: list[tuple] = [(client, ext + cross, src, entry_dst, src, entry_dst, None, to)]
        if out.via_lb[i]:
            after = f"{node_ip}:{port.node_port}" if node_i >= 0 else None
            parts.append((ObjectRef("LoadBalancer", svc.namespace, svc.name), L.LOAD_BALANCER, src, entry_dst,
                          src if after else None, after,
                          None, "external L4 load balancer: 5-tuple hash over healthy nodes"))
            entry_dst = after or entry_dst
        if node_i < 0 or outcome in ("node_down", "client_down", "no_route", "not_in_source_ranges"):
            return parts
        node = ObjectRef("Node", "", plane.node_names[node_i])
        first = int(out.ctrl_eid[i]) if out.ctrl_eid[i] >= 0 else eid
        masq = bool(out.masq[i])
        src_after = f"{node_ip}:{int(out.src_port[i])}" if masq else src
        proxy_ms = float(plane.proxies.cost_one(out, i)) if out.vs[i] >= 0 else 0.0
        if out.retried[i]:
            proxy_ms += L.USERSPACE_RETRY
        rid, text = self._rule(out, i, res, node_i, first)
        parts.append((node, proxy_ms, src, entry_dst, src_after if first >= 0 else None, self._endpoint(first),
                      rid, text))
        if first < 0:
            return parts
        ep_node = plane.registry.node[first]
        same = plane.node_index.get(ep_node, -2) == node_i
        parts.append((self._pod(first), float(L.hop_cost(same)), src_after, self._endpoint(first), src_after,
                      self._endpoint(first), None, f"deliver to pod {'/'.join(plane.registry.pod[first])}"))
        if out.ctrl_eid[i] >= 0 and outcome in ("delivered", "timeout_dead_endpoint") and eid >= 0:
            ctrl_ip = plane.registry.ip[first]
            b_same = plane.registry.node[eid] == ep_node
            ctrl_src = f"{ctrl_ip}:{int(out.src_port[i])}"
            m = out.ingress_match
            parts.append((self._pod(first), L.INGRESS_PROXY, src_after, f"{res.host}{res.path}", ctrl_src,
                          self._endpoint(eid), None,
                          (m.describe() if m is not None else "no rule") + ": nginx proxies to the backend pod"))
            parts.append((self._pod(eid), float(L.hop_cost(b_same)), ctrl_src, self._endpoint(eid), ctrl_src,
                          self._endpoint(eid), None, f"deliver to pod {'/'.join(plane.registry.pod[eid])}"))
        return parts

    def _rule(self, out, i: int, res, node_i: int, eid: int) -> tuple[str | None, str]:
        """The id of the rule on the deciding node that chose the endpoint, and a one-line description."""
        svc, port = res.service, res.port
        proto = port.protocol
        spn = service_port_name(svc.namespace, svc.name, port.name)
        pos = int(out.rule_pos[i])
        ep = self._endpoint(eid)
        if pos == -2:
            return None, f"conntrack: established connection, NAT replayed -> {ep}"
        balancer = out.balancer[i]
        mode = balancer.mode if balancer is not None else self.plane.proxies.config(self.plane.node_names[node_i]).mode
        if eid < 0:
            return self._drop_rule(out, i, res, node_i, mode)
        local = not isinstance(balancer, ViewTable) and getattr(balancer, "category", "cluster") == "local"
        if mode == "iptables":
            chain = svl_chain(spn, proto) if local else svc_chain(spn, proto)
            sep = sep_chain(spn, proto, ep)
            return f"iptables/nat/{chain}/-j {sep}", f"{chain} -> {sep}: DNAT to {ep}"
        if mode == "nftables":
            chain = nft_chain_name("local" if local else "service",
                                   nft_service_base(svc.namespace, svc.name, proto, port.name))
            return f"nftables/{chain}/numgen random vmap", f"{chain}: numgen random -> dnat to {ep}"
        if mode == "ipvs":
            vip, vport = self._entry_address(out, i, res, node_i)
            return ipvs_rule_id(proto, vip, vport, ep), f"IPVS {proto} {vip}:{vport} -> {ep} (Masq)"
        return None, f"{mode}: -> {ep}"

    def _entry_address(self, out, i: int, res, node_i: int) -> tuple[str, int]:
        svc, port = res.service, res.port
        if out.entry == "cluster_ip":
            return svc.cluster_ip, port.port
        if out.entry == "lb_ip":
            return svc.load_balancer_ip, port.port
        if out.entry == "external_ip":
            return res.dst_ip, res.dst_port
        return self.plane.node_ip[node_i], port.node_port

    def _drop_rule(self, out, i: int, res, node_i: int, mode: str) -> tuple[str | None, str]:
        """The rule that refused or dropped a request no endpoint could take: kube-proxy's "has no endpoints"
        REJECT / "has no local endpoints" DROP, nftables' no-endpoint verdict maps, or an IPVS virtual server
        without real servers."""
        outcome = CODE_NAMES[int(out.outcome[i])]
        if outcome not in ("refused", "no_local_endpoints", "no_destination"):
            return None, f"no endpoint chosen: {outcome}"
        port = res.port
        proto = port.protocol.lower()
        vip, vport = self._entry_address(out, i, res, node_i)
        verdict = "DROP" if outcome == "no_local_endpoints" else "REJECT"
        if mode == "iptables":
            if out.entry == "cluster_ip":
                rid = f"iptables/filter/KUBE-SERVICES/-m {proto} -p {proto} -d {vip} --dport {vport} -j {verdict}"
            elif out.entry == "node_port":
                rid = (f"iptables/filter/KUBE-EXTERNAL-SERVICES/-m addrtype --dst-type LOCAL -m {proto} -p {proto} "
                       f"--dport {vport} -j {verdict}")
            else:
                rid = f"iptables/filter/KUBE-EXTERNAL-SERVICES/-m {proto} -p {proto} -d {vip} --dport {vport} -j {verdict}"
            return rid, f"{verdict}: the Service has no {'local ' if verdict == 'DROP' else ''}endpoints"
        if mode == "nftables":
            if out.entry == "node_port":
                return f"nftables/no-endpoint-nodeports/{proto} . {vport}", "no-endpoint-nodeports verdict"
            return f"nftables/no-endpoint-services/{vip} . {proto} . {vport}", "no-endpoint-services verdict"
        if mode == "ipvs":
            return ipvs_rule_id(port.protocol, vip, vport), "IPVS virtual server without a usable real server"
        return None, f"no endpoint chosen: {outcome}"


# -------------------------------------------------------------------------------------------- chart feed


def service_of_label(label: str) -> ObjectRef | None:
    """``ObjectRef`` of the Service in an endpoint label (``ns/name:port``, ``ns/name:port (headless)``,
    ``ns/name`` for ExternalName); None for a static route."""
    if not label or label.startswith("("):
        return None
    ns, _, rest = label.partition("/")
    return ObjectRef("Service", ns, rest.split(":", 1)[0].split(" ", 1)[0])


def feed_series(series, plane, flow, times: np.ndarray, out) -> None:
    """Add one routed piece of a flow to ``series`` (a ``core.series.ChartSeries``)."""
    if times.size == 0:
        return
    ctrl = out.ctrl_eid
    if ctrl.size and ctrl.max() >= 0:  # through an Ingress: the controller's Service picked a controller pod
        _feed_hops(series, plane, times, out, ctrl)
    if times.size <= 16:  # a GUI step's handful of requests: plain Python
        index: dict[int, int] = {}
        services_few: list[ObjectRef | None] = [None]
        pods_few: list[ObjectRef | None] = [None]
        keys_few = []
        # the same reference objects for an endpoint every time (ids are never reused in a run), which the
        # series' own lookup recognises by identity; kept on the series, so a restored one starts afresh
        refs = series.__dict__.get("_feed_refs")
        if refs is None:
            refs = series._feed_refs = {}
        for e, code in zip(out.eid.tolist(), out.outcome.tolist()):
            if code != 0 or e < 0:
                keys_few.append(0)
                continue
            if e not in index:
                index[e] = len(services_few)
                label = out.labels.get(e, "")
                pair = refs.get((e, label))
                if pair is None:
                    p = plane.registry.pod[e]
                    pair = refs[(e, label)] = (service_of_label(label), ObjectRef("Pod", *p) if p[0] else None)
                services_few.append(pair[0])
                pods_few.append(pair[1])
            keys_few.append(index[e])
        series.add(times, out.outcome, services_few, pods_few, np.array(keys_few), out.latency)
        return
    eid = out.eid
    ok = (out.outcome == 0) & (eid >= 0)
    keys = np.zeros(times.size, np.int64)
    services: list[ObjectRef | None] = [None]
    pods: list[ObjectRef | None] = [None]
    every = bool(ok.all())
    if every or np.any(ok):
        e_ok = eid if every else eid[ok]
        uniq = np.nonzero(np.bincount(e_ok))[0]  # O(n + endpoints), no sort of the requests
        index = np.zeros(int(uniq[-1]) + 1, np.int64)
        index[uniq] = np.arange(1, uniq.size + 1)
        if every:
            keys = index[e_ok]
        else:
            keys[ok] = index[e_ok]
        services += [service_of_label(out.labels.get(int(e), "")) for e in uniq.tolist()]
        pods += [ObjectRef("Pod", *plane.registry.pod[int(e)]) if plane.registry.pod[int(e)][0] else None
                 for e in uniq.tolist()]
    series.add(times, out.outcome, services, pods, keys, out.latency)


def _feed_hops(series, plane, times: np.ndarray, out, ctrl: np.ndarray) -> None:
    """The controller hop of requests that went through an Ingress, counted for the controller's Service
    (its label is the controller pod's endpoint label: ``ingress-nginx/ingress-nginx-controller:http``)."""
    uniq = np.unique(ctrl[ctrl >= 0]).tolist()
    services: list[ObjectRef | None] = [None]
    pods: list[ObjectRef | None] = [None]
    index = {}
    for e in uniq:
        p = plane.registry.pod[e]
        index[e] = len(services)
        services.append(service_of_label(out.labels.get(e, "")))
        pods.append(ObjectRef("Pod", *p) if p[0] else None)
    keys = np.zeros(ctrl.size, np.int64)
    for e, k in index.items():
        keys[ctrl == e] = k
    series.add_hops(times, services, pods, keys)


def record_connections(series, plane, t: float) -> None:
    """IPVS ActiveConn/InActConn per (node, pod) summed over the node's real servers of that pod, read at most
    every ``series.connections_every`` seconds (reading every node's counters is not free at scale)."""
    if t < series.connections_due:
        return
    series.connections_due = t + series.connections_every
    levels: dict[tuple[ObjectRef, ObjectRef], list[int]] = {}
    totals = getattr(plane.proxies, "connection_totals", None)
    if totals is not None:  # arrays (node index, endpoint id, active, inactive), zero rows left out
        node_i, eids, active, inactive = totals()
        rows = zip(node_i.tolist(), eids.tolist(), active.tolist(), inactive.tolist())
        entries = [(plane.node_names[n], plane.registry.pod[e], a, b) for n, e, a, b in rows]
    else:
        by_key = {f"{ip}:{port}": pod for ip, port, pod in zip(plane.registry.ip, plane.registry.port,
                                                                  plane.registry.pod)}
        entries = [(r["node"], by_key.get(r["endpoint"]), r["active"], r["inactive"]) for r in plane.connections()]
    for node, pod, a, b in entries:
        if pod is None or not pod[0]:
            continue
        acc = levels.setdefault((ObjectRef("Node", "", node), ObjectRef("Pod", *pod)), [0, 0])
        acc[0] += a
        acc[1] += b
    for key in series.connection_keys():
        levels.setdefault(key, [0, 0])  # no row any more: the counters fell to zero
    if levels:
        series.set_connections(t, {k: (a, b) for k, (a, b) in levels.items()})
