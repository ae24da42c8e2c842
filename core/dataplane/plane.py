"""The data plane: every request of a tick routed the way kube-proxy and the kernel would, as arrays.

``DataPlane(sim).route(t0, t1)`` generates the tick's requests for every flow, resolves each flow's target
(ClusterIP, NodePort, load balancer, Ingress, headless DNS, ExternalName, static pod IP), runs the
kube-proxy stage of the node that decides (per-node state: each node programs its own view, lagging by its
sync delay), checks whether the chosen pod is really alive, and records outcomes, endpoint counts, latency
and -- for the first requests of a run -- a hop-by-hop trace with every address rewrite.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from core.dataplane import latency as L
from core.dataplane.batch import BatchResult, route_batch
from core.dataplane.flows import EPHEMERAL_PORTS, PLANE_STREAM, Flow, flow_from_traffic, flow_rng
from core.dataplane.ingress import match_request
from core.dataplane.outcomes import CODE_NAMES, DROP_REASONS, OUTCOME_CODES
from core.dataplane.proxystage import NodeProxies, ProxyResult
from core.dataplane.samples import PacketSampler, feed_series, record_connections
from core.dataplane.tables import EndpointRegistry, ServiceIndex, ip_to_u32
from core.dataplane.targets import (
    Resolution,
    TargetError,
    find_ingress_controller,
    parse_target,
    pod_dns_identity,
    resolve,
)
from core.dataplane.trace import TraceBuilder
from core.metrics import Metrics
from core.model import ClientSpec, TrafficSpec
from core.series import ChartSeries
from core.state import BigMap

LB_HEALTH_INTERVAL = 5.0  # s between the external load balancer's health checks of each node
LB_UNHEALTHY_THRESHOLD = 2  # consecutive failed checks before a node is taken out


@dataclass
class TrafficTick:
    """What the data plane did in one tick (arrays are per request, in arrival order)."""

    t0: float
    t1: float
    sent: int
    delivered: int
    dropped: dict[str, int]
    endpoint_counts: dict[tuple, int]  # (service label, pod ns/name, ip, port, node) -> delivered
    latencies_ms: np.ndarray
    new_connections: int
    traces: list[dict] = field(default_factory=list)
    samples: list = field(default_factory=list)  # core.dataplane.samples.Sample, for animation

    @classmethod
    def merge(cls, parts: list[TrafficTick]) -> TrafficTick:
        dropped: Counter = Counter()
        counts: Counter = Counter()
        for p in parts:
            dropped.update(p.dropped)
            counts.update(p.endpoint_counts)
        return cls(parts[0].t0, parts[-1].t1, sum(p.sent for p in parts), sum(p.delivered for p in parts),
                   dict(dropped), dict(counts), np.concatenate([p.latencies_ms for p in parts]),
                   sum(p.new_connections for p in parts), [t for p in parts for t in p.traces],
                   [s for p in parts for s in p.samples])


class DataPlane:
    """Routes traffic through the simulated cluster; one per ``Simulation`` (reads ``sim.state``)."""

    def __init__(self, sim, *, flows_from_model: bool = True, trace_limit: int = 0):
        self.sim = sim
        self.model = sim.model
        # the data plane's own stream (route_batch); each flow routes with its own (see flows.flow_rng)
        self._own_rng: np.random.Generator = np.random.default_rng(
            np.random.SeedSequence(sim.seed, spawn_key=(PLANE_STREAM,)))
        self.rng: np.random.Generator = self._own_rng
        self.now = 0.0  # start of the piece being routed (kube-proxy syncs and balancers read it)
        self.services = ServiceIndex(self.model)
        self.registry = EndpointRegistry()
        self.proxies = NodeProxies(self)
        self.metrics = Metrics()
        self.flows: list[Flow] = []
        self.trace = TraceBuilder(self, trace_limit)
        self.samples = PacketSampler(self)  # packet samples for animation (slice-independent)
        # chart series over fixed time bins (the desktop's charts); None turns them off for headless reports
        self.series: ChartSeries | None = ChartSeries()
        self.node_names = [n.name for n in self.model.nodes]
        self.node_index = {n: i for i, n in enumerate(self.node_names)}
        self._resolution_cache: dict[int, tuple[int, Resolution]] = {}
        self._alive_version = -1
        self._ingress = find_ingress_controller(self.model)
        self._ingress_rr: dict[tuple[str, str, str], int] = {}  # (controller pod ns, name, backend) -> pointer
        # (node, service index or -1 for kube-proxy's healthz) -> (last check, consecutive failures)
        self._lb_health: dict[tuple[str, int], tuple[float | None, int]] = {}
        self.cluster_cidr = ipaddress.IPv4Network(self.model.proxy.cluster_cidr or self.model.cluster.pod_subnet)
        self.enabled = True  # False: ticks pass with no traffic (e.g. while the cluster settles)
        self.budget: int | None = None  # total requests still allowed in this run (None: unlimited)
        if flows_from_model:
            clients = {c.name: c for c in self.model.clients}
            for spec in self.model.traffic:
                client = clients.get(spec.client) or ClientSpec(spec.client)
                self.add_flow(spec, client)

    # ---------------------------------------------------------------------------------------- flows
    def add_flow(self, spec: TrafficSpec, client: ClientSpec, *, addresses: int = 1,
                 budget: int | None = None) -> Flow:
        pod_cidr = None
        taken: set[int] = set()
        if client.location == "internal":
            node = self.sim.state.nodes.get(client.node or "")
            if node is None:
                raise TargetError(f"client {client.name}: unknown node {client.node!r}; nodes: "
                                  + ", ".join(self.node_names))
            pod_cidr = node.pod_cidr
            taken = {ip_to_u32(p.ip) for p in self.sim.state.pods.values() if p.node == node.name and p.ip}
        flow = flow_from_traffic(spec, client, pod_cidr, addresses, taken)
        flow.budget = budget
        key = flow.stream_key()
        same = sum(f.stream_key() == key for f in self.flows)  # identical flows get distinct streams
        flow.rng = flow_rng(self.sim.seed, key, same, 1)
        flow.arrival_rng = flow_rng(self.sim.seed, key, same, 0)
        self.flows.append(flow)
        return flow

    # ---------------------------------------------------------------------------------------- state
    def _refresh_alive(self) -> None:
        """Per endpoint id and per IP: is a running pod there, on a node that is up?

        Incremental: the control plane lists the pods whose IP or phase changed (``dirty_pods``); nodes whose
        ``up`` flipped bring their pods in; only the endpoint ids of those pods (and of those node IPs) are
        recomputed. The first call, or a state this plane has not followed (a restored snapshot keeps both in
        step, a replaced control plane does not), rebuilds everything."""
        state = self.sim.state
        if self._alive_version == state.version and len(self._alive) == len(self.registry):
            return
        control = getattr(self.sim, "control", None)
        node_up = np.array([state.nodes[n].up if n in state.nodes else False for n in self.node_names], bool)
        if control is None or getattr(self, "_alive_control", None) is not control or self._alive_version < 0:
            self._rebuild_alive(control, node_up)
        else:
            dirty = control.dirty_pods
            control.dirty_pods = set()
            for i in np.nonzero(node_up != self.node_up)[0].tolist():
                dirty.update(control.pods_on_node.get(self.node_names[i], ()))
                self._dirty_node_ips.add(self.node_ip[i])
            self.node_up = node_up
            self._update_alive(dirty)
        self._alive_version = state.version

    def _pod_alive_ip(self, pod) -> str | None:
        if pod is None or not pod.ip or pod.phase != "Running" or pod.node is None:
            return None
        node = self.sim.state.nodes.get(pod.node)
        return pod.ip if node is not None and node.up else None

    def _rebuild_alive(self, control, node_up: np.ndarray) -> None:
        state = self.sim.state
        pods_by_ip: dict[str, tuple] = BigMap()  # one entry per running pod: see BigMap
        ip_of_pod: dict[tuple, str] = BigMap()
        for pod in state.pods.values():
            ip = self._pod_alive_ip(pod)
            if ip is not None:
                pods_by_ip[ip] = pod.key
                ip_of_pod[pod.key] = ip
        self.live_pod_ips = pods_by_ip
        self._ip_of_pod = ip_of_pod
        if control is not None:
            control.dirty_pods = set()
        self._alive_control = control
        self.node_up = node_up
        self.node_ip = [state.nodes[n].ip if n in state.nodes else "" for n in self.node_names]
        self._node_ip_up = {n.ip: n.up for n in state.nodes.values()}
        self._dirty_node_ips: set[str] = set()
        self._eids_of_pod: dict[tuple, list[int]] = {}
        self._eids_of_ip: dict[str, list[int]] = {}
        self._alive = np.zeros(0, bool)
        self._indexed = 0
        self._extend_alive()

    def _eid_alive(self, e: int) -> bool:
        ip, pod = self.registry.ip[e], self.registry.pod[e]
        # every endpoint lives with its pod (hostNetwork pods share their node's IP); an endpoint that is no pod
        # (the apiserver behind default/kubernetes, on a node's address) lives with its node
        if pod in self._ip_of_pod:
            return True
        return (pod[1].startswith("kube-apiserver-") and pod not in self.sim.state.pods
                and self._node_ip_up.get(ip, False))

    def _extend_alive(self) -> None:
        """Index and evaluate endpoint ids registered since the last refresh."""
        n = len(self.registry)
        if self._indexed >= n:
            return
        reg_ip, reg_pod = self.registry.ip, self.registry.pod
        for e in range(self._indexed, n):
            self._eids_of_pod.setdefault(reg_pod[e], []).append(e)
            self._eids_of_ip.setdefault(reg_ip[e], []).append(e)
        extra = np.array([self._eid_alive(e) for e in range(self._indexed, n)], dtype=bool)
        self._alive = np.concatenate([self._alive, extra])
        self._indexed = n

    def _update_alive(self, dirty: set) -> None:
        state = self.sim.state
        pods = state.pods
        touched: set[int] = set()
        for key in dirty:
            old = self._ip_of_pod.pop(key, None)
            if old is not None and self.live_pod_ips.get(old) == key:
                del self.live_pod_ips[old]
                touched.update(self._eids_of_ip.get(old, ()))
            ip = self._pod_alive_ip(pods.get(key))
            if ip is not None:
                self.live_pod_ips[ip] = key
                self._ip_of_pod[key] = ip
                touched.update(self._eids_of_ip.get(ip, ()))
            touched.update(self._eids_of_pod.get(key, ()))
        if self._dirty_node_ips:
            self._node_ip_up = {n.ip: n.up for n in state.nodes.values()}
            for ip in self._dirty_node_ips:
                touched.update(self._eids_of_ip.get(ip, ()))
            self._dirty_node_ips = set()
        if touched:
            alive = self._alive.copy()  # a new array: readers holding the old one keep a consistent view
            for e in touched:
                alive[e] = self._eid_alive(e)
            self._alive = alive
        self._extend_alive()

    def _host_port_maps(self) -> tuple[dict, dict]:
        """Running pods (on up nodes) that own ports of their node, cached per state version:
        (pod IP, port) -> pod key of hostNetwork pods (they share their node's IP), and (node IP, port) ->
        (pod IP, container port) for every hostNetwork port and every hostPort (the CNI portmap DNAT)."""
        state = self.sim.state
        cached = getattr(self, "_hp_cache", None)
        if cached is not None and cached[0] == state.version:
            return cached[1], cached[2]
        by_port: dict[tuple[str, int], tuple[str, str]] = {}
        host_ports: dict[tuple[str, int], tuple[str, int]] = {}
        if getattr(self, "_any_host_ports", None) is None:
            templates = [w.template for w in self.model.workloads] + [p.template for p in self.model.pods]
            self._any_host_ports = any(t.host_network or t.host_ports for t in templates)
        if self._any_host_ports:
            for pod in state.pods.values():
                if not pod.ip or pod.phase != "Running" or pod.node is None or not pod.template.host_ports:
                    continue
                node = state.nodes.get(pod.node)
                if node is None or not node.up:
                    continue
                for c in pod.template.containers:
                    for cp in c.ports:
                        if pod.template.host_network:
                            by_port[(pod.ip, cp.container_port)] = pod.key
                        if cp.host_port:
                            host_ports[(node.ip, cp.host_port)] = (pod.ip, cp.container_port)
        self._hp_cache = (state.version, by_port, host_ports)
        return by_port, host_ports

    def _alive_padded(self) -> np.ndarray:
        """Liveness by endpoint id with one trailing False, so that id -1 reads False."""
        if len(self._alive) < len(self.registry):
            self._extend_alive()
        if getattr(self, "_alive_pad_src", None) is not self._alive:
            self._alive_pad = np.append(self._alive, False)
            self._alive_pad_src = self._alive
        return self._alive_pad

    def alive(self, eids: np.ndarray) -> np.ndarray:
        if len(self._alive) < len(self.registry):
            self._extend_alive()
        out = np.zeros(eids.shape, bool)
        ok = eids >= 0
        out[ok] = self._alive[eids[ok]]
        return out

    def resolution(self, flow: Flow) -> Resolution:
        state = self.sim.state
        cached = self._resolution_cache.get(id(flow))
        if cached and cached[0] == state.version:
            return cached[1]
        node_ips = {n: s.ip for n, s in state.nodes.items()}
        res = resolve(self.model, flow.target, node_ips, self.live_pod_ips, self._ingress,  # type: ignore[arg-type]
                      self._host_port_maps()[1])
        self._resolution_cache[id(flow)] = (state.version, res)
        return res

    def lb_nodes(self, vs: int, now: float) -> np.ndarray:
        """Node indices the external L4 load balancer currently sends this Service's traffic to.

        It health-checks every node every ``LB_HEALTH_INTERVAL`` s and drops a node after
        ``LB_UNHEALTHY_THRESHOLD`` failures (kube-proxy's healthz stops answering when the node dies).
        With externalTrafficPolicy Local it checks ``healthCheckNodePort``, which answers only on nodes
        with a local ready endpoint.
        """
        healthy = []
        local = bool(self.services.external_local[vs])
        for i, name in enumerate(self.node_names):
            key = (name, vs if local else -1)
            last, fails = self._lb_health.get(key, (None, 0))
            if last is None or now - last >= LB_HEALTH_INTERVAL:
                # kube-proxy's healthz answers while the node is up; with ETP=Local the LB probes
                # healthCheckNodePort, which reports the node's local *ready* endpoints (terminating
                # ones fail the check, KEP-1669). The LB has been probing since before the traffic began,
                # so a node that fails its first probe here is already out.
                ok = bool(self.node_up[i]) and (not local or self.proxies.has_local_ready_endpoint(i, vs))
                fails = 0 if ok else (LB_UNHEALTHY_THRESHOLD if last is None else fails + 1)
                self._lb_health[key] = (now, fails)
            if fails < LB_UNHEALTHY_THRESHOLD:
                healthy.append(i)
        return np.array(healthy, dtype=np.int64)

    # ---------------------------------------------------------------------------------------- route
    def route(self, t0: float, t1: float) -> TrafficTick:
        """Route every request arriving in [t0, t1)."""
        if not self.enabled:
            return TrafficTick(t0, t1, 0, 0, {}, {}, np.zeros(0), 0)
        self.now = t0
        self._refresh_alive()
        self.proxies.sync()
        self.proxies.expire(t1)
        tick = TrafficTick(t0, t1, 0, 0, {}, {}, np.zeros(0), 0)
        dropped: Counter = Counter()
        counts: Counter = Counter()
        lat_parts = []
        for flow in self.flows:
            self.rng = flow.rng  # every draw for this flow's requests comes from its own stream
            try:
                times = flow.arrivals(t0, t1, flow.arrival_rng)
                if self.budget is not None:
                    times = times[: max(self.budget, 0)]
                    self.budget -= times.size
                if times.size == 0:
                    continue
                out = self._route_flow(flow, times, t1)
            finally:
                self.rng = self._own_rng
            tick.sent += times.size
            if times.size <= _SMALL:  # a GUI piece: the same tallies, in the same order, in plain Python
                tick.new_connections += sum(out.new_conn.tolist())
                per: dict[int, int] = {}
                bad: dict[int, int] = {}
                for code, e in zip(out.outcome.tolist(), out.eid.tolist()):
                    if code == 0:
                        per[e] = per.get(e, 0) + 1
                    else:
                        bad[code] = bad.get(code, 0) + 1
                tick.delivered += sum(per.values())
                for code in sorted(bad):
                    dropped[CODE_NAMES[code]] += bad[code]
                per_items = [(e, per[e]) for e in sorted(per)]
            else:
                tick.new_connections += int(out.new_conn.sum())
                codes = np.bincount(out.outcome, minlength=len(OUTCOME_CODES))
                tick.delivered += int(codes[0])
                for code in np.nonzero(codes[1:])[0] + 1:
                    dropped[CODE_NAMES[int(code)]] += int(codes[code])
                per_items = []
                if codes[0]:
                    per_eid = np.bincount(out.eid[out.outcome == 0])  # endpoint ids are small: no sort
                    eids = np.flatnonzero(per_eid)
                    per_items = list(zip(eids.tolist(), per_eid[eids].tolist()))
            if per_items:
                for e, c in per_items:
                    label = out.labels.get(e, "")
                    counts[(label, "/".join(self.registry.pod[e]), self.registry.ip[e], self.registry.port[e],
                            self.registry.node[e])] += c
                lat_parts.append(out.latency[out.outcome == 0])
            self.trace.record(flow, times, out)
            self.samples.record(flow, times, out)
            if self.series is not None:
                feed_series(self.series, self, flow, times, out)
            flow.sent += times.size
        tick.dropped = dict(dropped)
        tick.endpoint_counts = dict(counts)
        tick.latencies_ms = np.concatenate(lat_parts) if lat_parts else np.zeros(0)
        tick.traces = self.trace.take_new()
        tick.samples = self.samples.take()
        if self.series is not None:
            self.series.close(t1)
        self.proxies.close_tick(t1)
        m = self.metrics
        m.sent += tick.sent
        m.delivered += tick.delivered
        m.new_connections += tick.new_connections
        m.dropped.update(dropped)
        m.endpoint_counts.update(counts)
        m.latency.add(tick.latencies_ms)
        return tick

    def active(self, t0: float, t1: float) -> bool:
        """Whether any flow may send in [t0, t1) (the engine only cuts ticks at events when one can)."""
        return self.enabled and any(f.start < t1 and (f.stop is None or f.stop > t0)
                                    and (f.budget is None or f.budget > 0) for f in self.flows)

    def finish_tick(self, parts: list[TrafficTick]) -> TrafficTick:
        """Merge the pieces of one engine step into its tick and add one row to every chart series."""
        tick = parts[0] if len(parts) == 1 else TrafficTick.merge(parts)
        self.metrics.record_tick(tick.t1, tick.sent, tick.delivered, tick.sent - tick.delivered,
                                 tick.endpoint_counts, tick.dropped)
        if self.series is not None:
            record_connections(self.series, self, tick.t1)
        return tick

    # ---------------------------------------------------------------------------------------- charts
    def connections(self) -> list[dict]:
        """IPVS connection counters per node and real server (what ``ipvsadm -Ln`` shows on each node)."""
        return self.proxies.connection_rows()

    def expected_shares(self, service_label: str, node: str | None = None) -> dict[str, float]:
        """The share of new connections each endpoint (``ip:port``) should get in the current mode, as seen by
        ``node``'s kube-proxy (default: the first node that is up -- a failed node's kube-proxy no longer
        syncs, so its rules keep the pods of before the failure): iptables' kernel-quantised statistic chain,
        nftables' uniform numgen; stateful IPVS schedulers and userspace round robin even out to uniform."""
        if node is None:
            up = np.flatnonzero(self.node_up)
            node_i = int(up[0]) if up.size else 0
        else:
            node_i = self.node_index.get(node, 0)
        table = self.proxies.tables.get(self.node_names[node_i])
        vs = next((v.index for v in self.services.items if v.label == service_label), None)
        if table is None or vs is None or table.count[vs] == 0:
            return {}
        lo, k = int(table.offset[vs]), int(table.count[vs])
        cum = np.r_[0.0, table.cum[lo:lo + k]]
        if self.proxies.config(self.node_names[node_i]).mode not in ("iptables", "nftables"):
            cum = np.arange(k + 1) / k
        return {self.registry.key(int(e)): float(s) for e, s in zip(table.eids[lo:lo + k], np.diff(cum))}

    def _route_flow(self, flow: Flow, times: np.ndarray, now: float) -> FlowResult:
        n = times.size
        res = self.resolution(flow)
        out = FlowResult.empty(n, res)
        client_rng = flow.arrival_rng  # the client's choices: the same whatever the cluster does
        addr_idx = (client_rng.integers(len(flow.addresses), size=n) if len(flow.addresses) > 1
                    else np.zeros(n, np.int64))
        out.addr = addr_idx
        out.src_ip = flow.addresses[addr_idx]
        # --- connections: which requests open a new one (keep-alive reuses the address's open one)
        new_conn, conn_first = _connections(flow, addr_idx)
        out.new_conn = new_conn
        out.src_port = client_rng.integers(EPHEMERAL_PORTS[0], EPHEMERAL_PORTS[1], size=n)
        prior = ~new_conn & (conn_first < 0)  # riding a connection opened in an earlier tick
        later = ~new_conn & (conn_first >= 0)  # riding a connection opened earlier in this tick
        if flow.keepalive:
            out.src_port[later] = out.src_port[conn_first[later]]
            out.src_port[prior] = flow.conn_port[addr_idx[prior]]
        if flow.internal and not self.node_up[self.node_index[flow.client_node]]:
            out.outcome[:] = OUTCOME_CODES["client_down"]
            return out
        if res.kind == "unreachable":
            out.outcome[:] = OUTCOME_CODES[res.reason]
            return out
        if not flow.internal and flow.target.kind == "dns" or (
                not flow.internal and flow.target.kind == "url" and res.kind != "ingress"):
            # cluster DNS (*.svc.cluster.local) answers only inside the cluster
            out.outcome[:] = OUTCOME_CODES["nxdomain"]
            return out
        if res.kind == "external_name":
            out.outcome[:] = 0
            out.eid[:] = self.registry.id_for(res.external_name, int(flow.target.port or 0) if isinstance(
                flow.target.port, int) else 0, "", ("", res.external_name))
            out.labels = {int(out.eid[0]): f"{res.service.namespace}/{res.service.name}"}
            out.latency[:] = L.EXTERNAL * (1 if flow.internal else 2)
            return out
        if res.kind in ("pod", "headless"):
            self._direct(flow, res, out)
            return out
        # --- new connections: entry point, then the deciding node's kube-proxy, then is the pod there?
        self._entry_and_proxy(flow, res, out, new_conn, now)
        self._check_delivery(out, new_conn, now)
        # --- requests on an open keep-alive connection follow conntrack to their endpoint
        if np.any(later):
            f = conn_first[later]
            for arr in (out.eid, out.proxy_node, out.vs, out.masq, out.via_lb, out.outcome, out.retried):
                arr[later] = arr[f]
            out.rule_pos[later] = -2
        if np.any(prior):
            a = addr_idx[prior]
            out.eid[prior] = flow.conn_eid[a]
            out.proxy_node[prior] = flow.conn_node[a]
            out.vs[prior] = flow.conn_vs[a]
            out.masq[prior] = flow.conn_masq[a]
            out.via_lb[prior] = flow.conn_lb[a]
            out.rule_pos[prior] = -2
            out.labels.update({int(e): self.services.items[int(v)].label
                               for e, v in zip(out.eid[prior].tolist(), out.vs[prior].tolist()) if v >= 0})
            # the connection's NAT state lives on the node it entered through: if that node died, it is gone
            entry_down = prior & (out.proxy_node >= 0) & ~self.node_up[np.maximum(out.proxy_node, 0)]
            out.outcome[entry_down] = OUTCOME_CODES["node_down"]
            self._check_delivery(out, prior & ~entry_down, now, retry=False)
        # connections to dead endpoints are gone: the next request opens a new one
        self._update_connections(flow, out, addr_idx, new_conn)
        if res.kind == "ingress":
            self._ingress_stage(flow, res, out)
        self._latency(flow, res, out)
        return out

    def _check_delivery(self, out: FlowResult, mask: np.ndarray, now: float, retry: bool = True) -> None:
        """Requests in ``mask`` whose chosen pod is gone time out (userspace mode retries new ones)."""
        dead = mask & (out.eid >= 0) & (out.outcome == 0) & ~self.alive(out.eid)
        if np.any(dead):
            if retry:
                dead &= ~self.proxies.retry_userspace(out, dead, now)
            out.outcome[dead] = OUTCOME_CODES["timeout_dead_endpoint"]

    # ---------------------------------------------------------------------------------------- stages
    def _direct(self, flow: Flow, res: Resolution, out: FlowResult) -> None:
        """Headless DNS (a ready pod IP per connection) or a static route straight to one pod IP."""
        n = out.outcome.size
        if res.kind == "headless":
            sl = self.sim.state.slices.get((res.service.namespace, res.service.name))
            eps = [e for e in (sl.endpoints if sl else ()) if e.ready or res.service.publish_not_ready_addresses]
            if res.host:  # <hostname>.<service>.<ns>.svc.cluster.local: that pod's A record only
                pods = self.sim.state.pods
                eps = [e for e in eps if e.pod in pods
                       and pod_dns_identity(self.model, pods[e.pod]) == (res.host, res.service.name)]
            if not eps:
                out.outcome[:] = OUTCOME_CODES["nxdomain"]
                return
            # no NAT: the client dials each pod on the port it asked for (domain.md d.1)
            eids = np.array([self.registry.id_for(e.ip, res.dst_port, e.node, e.pod) for e in eps])
            out.eid[:] = eids[self.rng.integers(len(eids), size=n)]
            out.labels = {int(e): f"{res.service.namespace}/{res.service.name}:{res.dst_port} (headless)" for e in eids}
            deaf = np.array([not _listens(self.sim.state.pods.get(e.pod), res.dst_port) for e in eps])
            if deaf.any():
                out.outcome[np.isin(out.eid, eids[deaf])] = OUTCOME_CODES["refused"]
        else:
            pod = self._host_port_maps()[0].get((res.dst_ip, res.dst_port)) or self.live_pod_ips.get(res.dst_ip)
            if pod is None:
                out.outcome[:] = OUTCOME_CODES["static_route_dead"]
                return
            p = self.sim.state.pods[pod]
            out.eid[:] = self.registry.id_for(res.dst_ip, res.dst_port, p.node or "", pod)
            out.labels = {int(out.eid[0]): "(static route)"}
            if not _listens(p, res.dst_port):
                out.outcome[:] = OUTCOME_CODES["refused"]
        alive = self.alive(out.eid)
        out.outcome[~alive & (out.outcome == 0)] = OUTCOME_CODES["static_route_dead" if res.kind == "pod"
                                                                 else "timeout_dead_endpoint"]
        client_node = self.node_index.get(flow.client_node or "", -1)
        ep_nodes = self.registry.node_indices(self.node_index)[out.eid]
        out.latency[:] = (L.EXTERNAL if not flow.internal else 0.0) + L.hop_cost(ep_nodes == client_node)

    def _entry_and_proxy(self, flow: Flow, res: Resolution, out: FlowResult, mask: np.ndarray,
                         now: float) -> None:
        """Pick the node whose kube-proxy decides, then run that node's kube-proxy stage."""
        idx = np.nonzero(mask)[0]
        svc = res.service
        # which kube-proxy chain the packet enters: KUBE-EXT for NodePorts, LB IPs and external IPs
        # (and the Service in front of an ingress controller when it is reached that way)
        if res.kind == "ingress":
            if svc.type == "LoadBalancer" and svc.load_balancer_ip:
                external_entry = True
            elif svc.type in ("NodePort", "LoadBalancer") and res.port.node_port:
                external_entry = True
            elif flow.internal:
                external_entry = False  # a ClusterIP-only controller: in-cluster clients reach its ClusterIP
            else:
                out.outcome[idx] = OUTCOME_CODES["no_route"]  # nothing exposes the controller outside
                return
        else:
            external_entry = res.kind in ("node_port", "load_balancer", "external_ip")
        # set even when no request opens a connection: the requests of a tick that all ride open keep-alive
        # connections are traced with it too (it was left "", and a ClusterIP hop read "192.168.0.12:None")
        out.entry = _entry_kind(flow, res, external_entry)
        if idx.size == 0:
            return
        vs = self.services.lookup(res.service, res.port)
        out.vs[idx] = vs
        client_node = self.node_index.get(flow.client_node or "", -1)
        lb_dst = svc.type == "LoadBalancer" and bool(svc.load_balancer_ip) and (
            res.kind == "load_balancer" or (res.kind == "ingress" and external_entry))
        if res.kind == "cluster_ip" or (res.kind == "ingress" and not external_entry):
            if not flow.internal:
                out.outcome[idx] = OUTCOME_CODES["no_route"]
                return
            node = np.full(idx.size, client_node, np.int64)
        elif res.kind == "node_port":
            node = np.full(idx.size, self.node_index[res.node], np.int64)
        elif flow.internal and (res.kind in ("load_balancer", "external_ip")
                                or (res.kind == "ingress" and svc.type == "LoadBalancer" and svc.load_balancer_ip)):
            # a pod's own node matches the LB IP / external IP in KUBE-SERVICES (domain.md a.1): no detour
            node = np.full(idx.size, client_node, np.int64)
        elif res.kind == "external_ip":
            # the network routes an external IP to one node (the first that is up)
            ups = np.nonzero(self.node_up)[0]
            node = np.full(idx.size, ups[0] if ups.size else 0, np.int64)
        elif svc.type == "LoadBalancer" and svc.load_balancer_ip:
            healthy = self.lb_nodes(vs, now)
            out.via_lb[idx] = True
            if svc.load_balancer_source_ranges:
                # the cloud provider programs the load balancer's own firewall from loadBalancerSourceRanges
                # (kube-proxy's KUBE-FW chain does the same for VIP-like balancers that keep dst = LB IP)
                denied = ~source_in_ranges(out.src_ip[idx], svc.load_balancer_source_ranges)
                out.outcome[idx[denied]] = OUTCOME_CODES["not_in_source_ranges"]
                idx = idx[~denied]
                if idx.size == 0:
                    return
            if healthy.size == 0:
                out.outcome[idx] = OUTCOME_CODES["no_healthy_nodes"]
                return
            node = healthy[self.rng.integers(healthy.size, size=idx.size)]
        else:
            # an Ingress host on a NodePort controller: DNS round robin over every node's address
            node = self.rng.integers(len(self.node_names), size=idx.size)
        out.proxy_node[idx] = node
        down = ~self.node_up[node]
        out.outcome[idx[down]] = OUTCOME_CODES["node_down"]
        live = idx[~down]
        if lb_dst and flow.internal and svc.load_balancer_source_ranges:
            # a pod dialling the LB IP is caught on its own node: KUBE-SERVICES -> KUBE-FW-<hash> (IPVS: ipset
            # KUBE-LOAD-BALANCER-SOURCE-CIDR; nftables: the firewall-ips map) accepts only the source ranges
            denied = ~source_in_ranges(out.src_ip[live], svc.load_balancer_source_ranges)
            out.outcome[live[denied]] = OUTCOME_CODES["not_in_source_ranges"]
            live = live[~denied]
        if live.size == 0:
            return
        result: ProxyResult = self.proxies.decide(out.proxy_node[live], np.full(live.size, vs, np.int64),
                                                  out.src_ip[live], out.src_port[live], external_entry, now)
        out.eid[live] = result.eid
        out.outcome[live] = np.where(result.outcome == 0, out.outcome[live], result.outcome)
        out.rule_pos[live] = result.position
        out.masq[live] = result.masq
        out.balancer.assign(live, result)
        out.pick_i[live] = result.pick_i
        label = self.services.items[vs].label
        out.labels.update({e: label for e in _distinct_ids(result.eid)})

    def _update_connections(self, flow: Flow, out: FlowResult, addr_idx: np.ndarray, new_conn: np.ndarray) -> None:
        if not flow.keepalive:
            return
        # the last request of each address in this batch leaves its connection state behind
        last = np.zeros(len(flow.addresses), np.int64) - 1
        last[addr_idx] = np.arange(addr_idx.size)  # later indices overwrite earlier ones
        has = last >= 0
        li = last[has]
        ok = out.outcome[li] == 0
        flow.conn_eid[has] = np.where(ok, out.eid[li], -1)
        flow.conn_node[has] = out.proxy_node[li]
        flow.conn_vs[has] = out.vs[li]
        flow.conn_masq[has] = out.masq[li]
        flow.conn_lb[has] = out.via_lb[li]
        flow.conn_port[has] = out.src_port[li]

    def _ingress_stage(self, flow: Flow, res: Resolution, out: FlowResult) -> None:
        """The controller pod terminates HTTP, matches host and path, and proxies to a backend pod."""
        at_ctrl = out.outcome == 0
        if not np.any(at_ctrl):
            return
        match = match_request(list(res.ingresses), res.host, res.path)
        out.ingress_match = match
        if match is None:
            out.outcome[at_ctrl] = OUTCOME_CODES["http_404"]
            return
        ns = match.ingress[0]
        svc = next((s for s in self.model.services if s.namespace == ns and s.name == match.backend.service_name),
                   None)
        port = None
        if svc is not None:
            port = next((p for p in svc.ports if p.port == match.backend.port or p.name == match.backend.port), None)
        if svc is None or port is None:
            out.outcome[at_ctrl] = OUTCOME_CODES["http_404"]  # ingress-nginx answers 503/404 without a backend
            return
        sl = self.sim.state.slices.get((svc.namespace, svc.name))
        eps = sorted([e for e in (sl.endpoints if sl else ()) if e.ready], key=lambda e: e.ip)
        if not eps:
            out.outcome[at_ctrl] = OUTCOME_CODES["refused"]  # 503: no upstream
            return
        eids = np.array([self.registry.id_for(e.ip, _port_for(e, port), e.node, e.pod) for e in eps])
        ctrl = out.eid.copy()
        out.ctrl_eid[at_ctrl] = ctrl[at_ctrl]
        # round robin per controller pod over the backend's ready endpoints (ingress-nginx's default)
        idx = np.nonzero(at_ctrl)[0]
        for c in np.unique(ctrl[idx]).tolist():
            sel = idx[ctrl[idx] == c]
            key = (self.registry.pod[c][0], self.registry.pod[c][1], f"{svc.namespace}/{svc.name}")
            ptr = self._ingress_rr.get(key, 0)
            out.eid[sel] = eids[(ptr + np.arange(sel.size)) % eids.size]
            self._ingress_rr[key] = (ptr + sel.size) % eids.size
        label = f"{svc.namespace}/{svc.name}:{port.name or port.port}"
        out.labels.update({int(e): label for e in eids})
        dead = at_ctrl & ~self.alive(out.eid)
        out.outcome[dead] = OUTCOME_CODES["timeout_dead_endpoint"]

    def _latency(self, flow: Flow, res: Resolution, out: FlowResult) -> None:
        # the same sums in the same order as adding np.where(mask, cost, 0.0) per stage (x + 0.0 == x):
        # only the requests a stage applies to are touched
        lat = np.zeros(out.outcome.size)
        if not flow.internal:
            lat += L.EXTERNAL
        if out.via_lb.any():
            lat[out.via_lb] += L.LOAD_BALANCER
        has_node = out.proxy_node >= 0
        client_node = self.node_index.get(flow.client_node or "", -1)
        if client_node >= 0:
            # pod -> its node's kube-proxy is local; to another node's NodePort it crosses the network
            cross = has_node & (out.proxy_node != client_node)
            if cross.any():
                lat[cross] += L.CROSS_NODE
        mode_cost = self.proxies.cost(out) + L.NAT
        if out.masq.any():
            mode_cost[out.masq] += L.NAT
        lat += mode_cost
        no_ctrl = not (out.ctrl_eid >= 0).any()
        first = out.eid if no_ctrl else np.where(out.ctrl_eid >= 0, out.ctrl_eid, out.eid)
        okf = first >= 0
        node_of = self.registry.node_indices(self.node_index)
        if okf.all():
            ep_nodes = np.take(node_of, first)
        else:
            ep_nodes = np.full(out.eid.shape, -1)
            ep_nodes[okf] = node_of[first[okf]]
        lat += L.hop_cost(ep_nodes == out.proxy_node)
        if out.retried.any():
            lat[out.retried] += L.USERSPACE_RETRY
        if res.kind == "ingress":
            backend = out.ctrl_eid >= 0
            b_nodes = np.full(out.eid.shape, -1)
            b_nodes[backend] = self.registry.node_indices(self.node_index)[out.eid[backend]]
            lat += np.where(backend, L.INGRESS_PROXY + L.hop_cost(b_nodes == ep_nodes), 0.0)
        out.latency = lat

    # ---------------------------------------------------------------------------------------- batches
    def route_batch(self, node_idx: np.ndarray, vs: np.ndarray, src_ip: np.ndarray, src_port: np.ndarray,
                    now: float | None = None) -> BatchResult:
        """Route a batch of new connections from pods to ClusterIPs across any number of Services
        (see ``core.dataplane.batch``)."""
        return route_batch(self, node_idx, vs, src_ip, src_port, now)

    # ---------------------------------------------------------------------------------------- what-if
    def send(self, target: str, *, from_: str | None = None, requests: int = 1000, duration: float = 10.0,
             addresses: int = 1, keepalive: int = 1, start: float | None = None) -> Flow:
        """Add a what-if flow (``podpath route --to``): ``requests`` spread evenly over ``duration`` s."""
        parse_target(target)  # raises TargetError with the allowed forms
        start = self.sim.time if start is None else start
        clients = {c.name: c for c in self.model.clients}
        if from_ in clients:
            client = clients[from_]
        else:
            if not self.node_names:
                raise TargetError("the scenario has no Node objects: there is no pod to send from "
                                  "(add v1 Node objects, or --from an external Client)")
            node = from_ if from_ is not None else self.node_names[0]
            if node not in self.node_index:
                raise TargetError(f"--from {from_!r}: not a node or client; nodes: {', '.join(self.node_names)}; "
                                  f"clients: {', '.join(clients) or 'none'}")
            client = ClientSpec(f"pod-on-{node}", "internal", None, node)
        # at least a microsecond: a huge rate must not make the window vanish in floating point
        duration = max(float(duration), 1e-6)
        spec = TrafficSpec(f"what-if {target}", client.name, target, rate=requests / duration,
                           connection="keepalive" if keepalive > 1 else "new", requests_per_connection=keepalive,
                           start=start, stop=start + duration)
        return self.add_flow(spec, client, addresses=addresses, budget=requests)


def _entry_kind(flow: Flow, res: Resolution, external_entry: bool) -> str:
    """Which rule of KUBE-SERVICES a flow's packets match first (for traces): its ClusterIP, a load-balancer
    IP (matched on a pod's own node, or reached through the external LB and a NodePort), a NodePort, or
    an external IP."""
    svc = res.service
    if res.kind == "cluster_ip" or not external_entry:
        return "cluster_ip"
    if res.kind == "external_ip":
        return "external_ip"
    has_lb = svc is not None and svc.type == "LoadBalancer" and bool(svc.load_balancer_ip)
    if res.kind in ("load_balancer", "ingress") and has_lb:
        return "lb_ip" if flow.internal else "node_port"  # outside: the external LB sends to a NodePort
    return "node_port"


def source_in_ranges(src: np.ndarray, ranges: tuple[str, ...]) -> np.ndarray:
    """Per uint32 IPv4 source address: inside one of the CIDRs ``ranges`` (IPv6 ranges never match)."""
    ok = np.zeros(src.shape, dtype=bool)
    for cidr in ranges:
        net = ipaddress.ip_network(cidr, strict=False)
        if net.version != 4:
            continue
        mask = np.uint32(int(net.netmask))
        ok |= (src.astype(np.uint32) & mask) == np.uint32(int(net.network_address))
    return ok


def _distinct_ids(eid: np.ndarray) -> list[int]:
    """The distinct non-negative endpoint ids of ``eid``, ascending (a bincount: ids are small)."""
    if eid.size <= _SMALL:
        return sorted({e for e in eid.tolist() if e >= 0})
    ok = eid[eid >= 0] if eid.size and int(eid.min()) < 0 else eid
    return np.flatnonzero(np.bincount(ok)).tolist() if ok.size else []


class Deciders:
    """Per request, the balancer or table that decided (None: none), as an index into a short list: the
    few requests that are traced or sampled look theirs up (``deciders[i]``); nothing builds an object
    array per request."""

    def __init__(self, n: int) -> None:
        self.index = np.full(n, -1, np.int32) if n > _SMALL else _minus_one_i32(n).copy()
        self.objects: list = []

    def __getitem__(self, i):
        k = int(self.index[i])
        return None if k < 0 else self.objects[k]

    def assign(self, where: np.ndarray, result: ProxyResult) -> None:
        base = len(self.objects)
        self.objects.extend(result.deciders)
        d = result.decider
        self.index[where] = d + base if d.size == 0 or int(d.min()) >= 0 else np.where(d >= 0, d + base, -1)


_I32: dict[int, np.ndarray] = {}


def _minus_one_i32(n: int) -> np.ndarray:
    a = _I32.get(n)
    if a is None:
        a = _I32[n] = np.full(n, -1, np.int32)
        a.flags.writeable = False
    return a


def _listens(pod, port: int) -> bool:
    """Whether a pod accepts connections on ``port``: one of its declared container ports, or -- when it
    declares none (declarations are informational in Kubernetes) -- any port."""
    if pod is None:
        return True
    declared = [p.container_port for c in pod.template.containers for p in c.ports]
    return not declared or port in declared


def _port_for(ep, port) -> int:
    for name, number, _proto in ep.ports:
        if name == port.name:
            return number
    t = port.effective_target_port
    return t if isinstance(t, int) else port.port


def _connections(flow: Flow, addr_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which requests open a new connection, and the index of the request that opened each request's
    connection (itself for a new one; -1 when the connection was opened in an earlier tick).

    Keep-alive: per source address, requests continue the open connection until it has carried
    ``requests_per_connection`` requests, then a new one opens. Vectorised with a stable sort by address.
    """
    n = addr_idx.size
    if not flow.keepalive:
        return np.ones(n, bool), np.arange(n)
    r = flow.requests_per_connection
    order = np.argsort(addr_idx, kind="stable")
    a_sorted = addr_idx[order]
    starts = np.r_[0, np.nonzero(np.diff(a_sorted))[0] + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, n]))
    rank = np.arange(n) - group_start  # 0-based position of the request among its address's requests
    left = flow.conn_left[a_sorted]  # requests still allowed on the open connection
    open_ok = flow.conn_eid[a_sorted] >= 0
    left = np.where(open_ok, left, 0)
    beyond = rank - left  # <0: rides the open connection; >=0: k-th request after it is used up
    is_new_sorted = (beyond >= 0) & (beyond % r == 0)
    first_sorted = np.where(beyond < 0, -1, order[np.clip(group_start + left + (beyond // r) * r, 0, n - 1)])
    new = np.zeros(n, bool)
    new[order] = is_new_sorted
    first = np.empty(n, np.int64)
    first[order] = first_sorted
    # requests left on each address's connection after this batch
    cnt = np.bincount(addr_idx, minlength=len(flow.addresses))
    had = np.where(flow.conn_eid >= 0, flow.conn_left, 0)
    rem = cnt - had
    flow.conn_left = np.where(cnt == 0, flow.conn_left,
                              np.where(rem <= 0, had - cnt, (r - rem % r) % r))
    return new, first


@dataclass
class FlowResult:
    """Per-request arrays of one flow in one tick."""

    outcome: np.ndarray
    eid: np.ndarray
    proxy_node: np.ndarray
    vs: np.ndarray
    rule_pos: np.ndarray  # position of the chosen endpoint in its chain; -2 conntrack; -1 none
    masq: np.ndarray
    via_lb: np.ndarray
    balancer: Deciders  # per request: the balancer or table that decided, or None
    ctrl_eid: np.ndarray  # ingress: the controller pod's endpoint id
    retried: np.ndarray  # userspace mode retried another backend after a failed connect
    pick_i: np.ndarray  # index within the deciding balancer's last batch
    latency: np.ndarray
    new_conn: np.ndarray
    src_ip: np.ndarray
    src_port: np.ndarray
    addr: np.ndarray
    resolution: Resolution
    labels: dict = field(default_factory=dict)
    ingress_match: object = None
    entry: str = ""  # how the packets met kube-proxy: cluster_ip | lb_ip | node_port | external_ip

    @classmethod
    def empty(cls, n: int, res: Resolution) -> FlowResult:
        if n <= _SMALL:  # a GUI piece's few requests: copies of cached prototypes (a C call each, no np.full)
            p = _prototypes(n)
            return cls(p[0].copy(), p[1].copy(), p[1].copy(), p[1].copy(), p[1].copy(), p[2].copy(), p[2].copy(),
                       Deciders(n), p[1].copy(), p[2].copy(), p[1].copy(), p[3].copy(), p[4].copy(),
                       p[5].copy(), p[0].copy(), p[0].copy(), res)
        return cls(np.zeros(n, np.int64), np.full(n, -1, np.int64), np.full(n, -1, np.int64),
                   np.full(n, -1, np.int64), np.full(n, -1, np.int64), np.zeros(n, bool), np.zeros(n, bool),
                   Deciders(n), np.full(n, -1, np.int64), np.zeros(n, bool), np.full(n, -1, np.int64),
                   np.zeros(n), np.ones(n, bool),
                   np.zeros(n, np.uint32), np.zeros(n, np.int64), np.zeros(n, np.int64), res)


_SMALL = 32
_PROTOS: dict[int, tuple[np.ndarray, ...]] = {}


def _prototypes(n: int) -> tuple[np.ndarray, ...]:
    """Read-only arrays of length ``n``: int64 zeros, int64 -1, bool False, float zeros, bool True, uint32 zeros."""
    p = _PROTOS.get(n)
    if p is None:
        p = _PROTOS[n] = (np.zeros(n, np.int64), np.full(n, -1, np.int64), np.zeros(n, bool), np.zeros(n),
                          np.ones(n, bool), np.zeros(n, np.uint32))
        for a in p:
            a.flags.writeable = False  # copies are writeable; the prototypes never change
    return p


__all__ = ["DataPlane", "TrafficTick", "BatchResult", "DROP_REASONS", "OUTCOME_CODES"]
