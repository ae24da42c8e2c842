"""Document -> ClusterModel: validate every object, build the typed model, allocate addresses and ports.

Everything is reported at once; allocation follows domain.md d.1 through ``core.ipam``: user-chosen
ClusterIPs/nodePorts are reserved first (file order), then automatic ones are drawn at random (numpy
Generator seeded from ``seed`` or the Simulation's seed) from the upper dynamic band first. The implicit
``default/kubernetes`` Service takes the range's first address (443 -> 6443).
"""

from __future__ import annotations

import ipaddress

import numpy as np

from core.ipam import AllocationError, PodCIDRAllocator, PortAllocator, SequentialIPAllocator, ServiceCIDRAllocator
from core.model import ClusterModel, ServicePort, ServiceSpec, TimelineEvent
from core.scenario import build_config as cfg
from core.scenario import build_objects as bo
from core.scenario.checks import cross_checks
from core.scenario.document import Document
from core.scenario.errors import Diagnostic, ScenarioError, format_value
from core.scenario.kinds import CONFIG_KINDS, WORKLOAD_KINDS, object_ref, root_definition
from core.scenario.validate import format_path, validate_object

LOAD_BALANCER_POOL = "203.0.113.0/24"  # TEST-NET-3, handed out from .10 like MetalLB from its pool
EXTERNAL_CLIENT_POOL = "198.51.100.0/24"  # TEST-NET-2, from .10


class Reporter:
    """Collects diagnostics with file:line:column taken from the document's marks."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.diagnostics: list[Diagnostic] = list(doc.load_diagnostics)

    def for_entry(self, index: int):
        obj = str(object_ref(self.doc.entries[index].raw))

        def report(path, message, value=None, severity="error", key=False):
            line, col = self.doc.mark_of(index, tuple(path), key)
            self.diagnostics.append(Diagnostic(severity, message, self.doc.filename, line, col, obj,
                                               format_path(tuple(path)), value))
        return report

    def locator(self, index: int):
        return lambda path, key: self.doc.mark_of(index, path, key)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def _allocate(model: ClusterModel, rep: Reporter, where: dict[int, int], svc_index: dict[int, int],
              rng: np.random.Generator, network: dict[str, str]) -> None:
    """Fill every address and port in file order; ``svc_index`` maps service position -> entry index."""
    # nodes: InternalIPs then podCIDRs, explicit first
    try:
        node_ips = SequentialIPAllocator(network.get("nodeSubnet", model.cluster.node_subnet), 10)
        pod_cidrs = PodCIDRAllocator(model.cluster.pod_subnet, model.cluster.node_cidr_mask_size)
    except (ValueError, AllocationError):
        return  # the config checks already reported the bad subnet
    for node in model.nodes:
        report = rep.for_entry(where[id(node)])
        if node.internal_ip:
            try:
                node_ips.occupy(node.internal_ip)
            except AllocationError as exc:
                report(("status", "addresses"), f"Invalid value: {format_value(node.internal_ip)}: {exc}",
                       node.internal_ip)
        if node.pod_cidr:
            try:
                node.pod_cidr = pod_cidrs.occupy(node.pod_cidr)
            except (AllocationError, ValueError) as exc:
                report(("spec", "podCIDR"), f"Invalid value: {format_value(node.pod_cidr)}: {exc}", node.pod_cidr)
                node.pod_cidr = None
    for node in model.nodes:
        report = rep.for_entry(where[id(node)])
        try:
            if not node.internal_ip:
                node.internal_ip = node_ips.allocate_next()
            if not node.pod_cidr:
                node.pod_cidr = pod_cidrs.allocate_next()
        except AllocationError as exc:
            report((), str(exc))

    # services: ClusterIPs, NodePorts, health-check ports, LB IPs
    try:
        ips = ServiceCIDRAllocator(model.cluster.service_subnet)
        ports = PortAllocator(*model.cluster.node_port_range)
    except (ValueError, AllocationError):
        return
    user_kubernetes = any(s.namespace == "default" and s.name == "kubernetes" for s in model.services)
    if not user_kubernetes and ips.size > 0:
        ips.allocate(ips.kubernetes_ip)
    lb_pool = SequentialIPAllocator(network.get("loadBalancerPool", LOAD_BALANCER_POOL), 10)
    pending_ports: list[tuple[ServiceSpec, int, int]] = []
    for pos, svc in enumerate(model.services):
        report = rep.for_entry(svc_index[pos])
        if svc.cluster_ip not in (None, "None"):
            try:
                svc.cluster_ip = ips.allocate(svc.cluster_ip)
            except AllocationError as exc:
                report(("spec", "clusterIP"), f"Invalid value: {format_value(svc.cluster_ip)}: {exc}",
                       svc.cluster_ip)
                svc.cluster_ip = None
        wants_node_ports = svc.type == "NodePort" or (svc.type == "LoadBalancer"
                                                      and svc.allocate_load_balancer_node_ports)
        for k, p in enumerate(svc.ports):
            if p.node_port is not None:
                try:
                    ports.allocate(p.node_port)
                except AllocationError as exc:
                    report(("spec", "ports", k, "nodePort"), f"Invalid value: {p.node_port}: {exc}", p.node_port)
                    pending_ports.append((svc, k, pos))
            elif wants_node_ports:
                pending_ports.append((svc, k, pos))
        if svc.health_check_node_port is not None:
            if svc.type == "LoadBalancer" and svc.external_traffic_policy == "Local":
                try:
                    ports.allocate(svc.health_check_node_port)
                except AllocationError as exc:
                    report(("spec", "healthCheckNodePort"), f"Invalid value: {svc.health_check_node_port}: {exc}",
                           svc.health_check_node_port)
                    svc.health_check_node_port = None
            else:
                report(("spec", "healthCheckNodePort"), "Forbidden: may only be set when `type` is "
                       "'LoadBalancer' and `externalTrafficPolicy` is 'Local'", svc.health_check_node_port)
                svc.health_check_node_port = None
        if svc.load_balancer_ip:
            try:
                ipaddress.IPv4Address(svc.load_balancer_ip)
                lb_pool.occupy(svc.load_balancer_ip)
            except (ValueError, AllocationError) as exc:
                report(("spec", "loadBalancerIP"), f"Invalid value: {format_value(svc.load_balancer_ip)}: {exc}",
                       svc.load_balancer_ip)
                svc.load_balancer_ip = None
    for pos, svc in enumerate(model.services):
        report = rep.for_entry(svc_index[pos])
        try:
            if svc.cluster_ip is None and svc.type != "ExternalName":
                svc.cluster_ip = ips.allocate_next(rng)
            if svc.type == "LoadBalancer" and not svc.load_balancer_ip:
                svc.load_balancer_ip = lb_pool.allocate_next()
        except AllocationError as exc:
            report(("spec",), str(exc))
    for svc, k, pos in pending_ports:
        try:
            new = list(svc.ports)
            new[k] = ServicePort(new[k].port, new[k].protocol, new[k].name, new[k].target_port,
                                 ports.allocate_next(rng))
            svc.ports = tuple(new)
        except AllocationError as exc:
            rep.for_entry(svc_index[pos])(("spec", "ports", k, "nodePort"), str(exc))
    for pos, svc in enumerate(model.services):
        if svc.type == "LoadBalancer" and svc.external_traffic_policy == "Local" and svc.health_check_node_port is None:
            try:
                svc.health_check_node_port = ports.allocate_next(rng)
            except AllocationError as exc:
                rep.for_entry(svc_index[pos])(("spec", "healthCheckNodePort"), str(exc))
    if not user_kubernetes and ips.size > 0:
        model.services.insert(0, kubernetes_service(model, ips.kubernetes_ip))

    clients = SequentialIPAllocator(network.get("externalClientPool", EXTERNAL_CLIENT_POOL), 10)
    for c in model.clients:
        if c.location == "external" and c.ip:
            try:
                clients.occupy(c.ip)
            except AllocationError:
                pass
    for c in model.clients:
        if c.location == "external" and not c.ip:
            c.ip = clients.allocate_next()


def kubernetes_service(model: ClusterModel, ip: str) -> ServiceSpec:
    """The implicit ``default/kubernetes`` Service (apiserver 443 -> 6443), never saved nor exported.

    Its endpoints are the InternalIPs of nodes labelled ``node-role.kubernetes.io/control-plane``, or of the
    first node when none is labelled."""
    nodes = [n for n in model.nodes if "node-role.kubernetes.io/control-plane" in n.labels] or model.nodes[:1]
    return ServiceSpec("default", "kubernetes", "ClusterIP", ip, (ServicePort(443, "TCP", "https", 6443),), None,
                       implicit=True, static_endpoints=tuple(n.internal_ip for n in nodes if n.internal_ip))


def build_model(doc: Document, *, seed: int | None = None) -> tuple[ClusterModel, list[Diagnostic]]:
    """Validate and build; returns (model, warnings) or raises ScenarioError with every problem."""
    rep = Reporter(doc)
    try:
        model = _build(doc, rep, seed)
    except ScenarioError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, ArithmeticError, RecursionError) as exc:
        rep.diagnostics.append(Diagnostic("error", f"could not build the scenario: {type(exc).__name__}: {exc}",
                                          doc.filename))
        model = ClusterModel()
    diags = sorted(rep.diagnostics, key=lambda x: (x.line, x.column))
    if any(x.is_error for x in diags):
        raise ScenarioError(diags)
    return model, diags


def _build(doc: Document, rep: Reporter, seed: int | None) -> ClusterModel:
    model = ClusterModel()
    seen: dict[object, int] = {}
    valid: list[int] = []
    for i, entry in enumerate(doc.entries):
        problems = validate_object(entry.raw, rep.locator(i), doc.filename)
        rep.diagnostics.extend(problems)
        ref = object_ref(entry.raw)
        if ref in seen and ref.kind:
            report = rep.for_entry(i)
            what = f'{ref.kind} "{ref.name}"' if ref.name else ref.kind
            line = doc.mark_of(seen[ref], ())[0]
            report(("metadata", "name") if ref.name else ("kind",),
                   f"Duplicate value: {what} already exists" + (f" (line {line})" if line else ""), ref.name)
            continue
        seen[ref] = i
        if not any(p.is_error for p in problems):
            valid.append(i)
    by_kind: dict[str, list[int]] = {}
    for i in valid:
        raw = doc.entries[i].raw
        if root_definition(raw.get("apiVersion"), raw.get("kind")) is not None:
            by_kind.setdefault(raw["kind"], []).append(i)

    network: dict[str, str] = {}
    for kind in CONFIG_KINDS + ("Simulation",):
        for i in by_kind.get(kind, []):
            cfg.apply_config(model, doc.entries[i].raw, rep.for_entry(i), network)

    where: dict[int, int] = {}
    for i in by_kind.get("Node", []):
        node = bo.build_node(doc.entries[i].raw, rep.for_entry(i))
        model.nodes.append(node)
        where[id(node)] = i
    for i in valid:
        raw = doc.entries[i].raw
        kind = raw.get("kind")
        if root_definition(raw.get("apiVersion"), kind) is None:
            continue
        report = rep.for_entry(i)
        if kind in WORKLOAD_KINDS:
            w = bo.build_workload(raw, report, len(model.nodes))
            model.workloads.append(w)
            where[id(w)] = i
        elif kind == "Pod":
            p = bo.build_pod(raw, report)
            model.pods.append(p)
            where[id(p)] = i
        elif kind == "IngressClass":
            c = bo.build_ingress_class(raw, report)
            model.ingress_classes.append(c)
            where[id(c)] = i
    svc_index: dict[int, int] = {}
    for i in by_kind.get("Service", []):
        svc = bo.build_service(doc.entries[i].raw, rep.for_entry(i))
        svc_index[len(model.services)] = i
        model.services.append(svc)
        where[id(svc)] = i
    for i in by_kind.get("Ingress", []):
        ing = bo.build_ingress(doc.entries[i].raw, rep.for_entry(i))
        model.ingresses.append(ing)
        where[id(ing)] = i
    for i in by_kind.get("Client", []):
        c = bo.build_client(doc.entries[i].raw, rep.for_entry(i))
        model.clients.append(c)
        where[id(c)] = i
    for i in by_kind.get("Traffic", []):
        t = bo.build_traffic(doc.entries[i].raw, rep.for_entry(i))
        model.traffic.append(t)
        where[id(t)] = i
    events: list[tuple[TimelineEvent, int, int]] = []
    for i in by_kind.get("Timeline", []):
        for k, ev in enumerate(cfg.build_timeline(doc.entries[i].raw, rep.for_entry(i))):
            if ev is not None:
                events.append((ev, i, k))
    events.sort(key=lambda x: x[0].at)
    model.timeline = [e for e, _, _ in events]

    rng = np.random.default_rng(model.simulation.seed if seed is None else seed)
    _allocate(model, rep, where, svc_index, rng, network)
    cross_checks(model, rep, where, events)
    return model
