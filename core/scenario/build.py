"""Document -> ClusterModel: validate every object, build the typed model, allocate addresses and ports.

Everything is reported at once; allocation follows domain.md d.1 through ``core.ipam``: user-chosen
ClusterIPs/nodePorts are reserved first (file order), then automatic ones come from the upper dynamic band
first, each at a slot derived from the object's identity salted with ``seed`` (or the Simulation's seed), so
adding, removing or editing one object never moves another one's address (``core.ipam.allocate_for``). The implicit
``default/kubernetes`` Service takes the range's first address (443 -> 6443).
"""

from __future__ import annotations

import copy
import ipaddress

from core.ipam import AllocationError, PodCIDRAllocator, PortAllocator, SequentialIPAllocator, ServiceCIDRAllocator
from core.model import ClusterModel, ServicePort, ServiceSpec, TimelineEvent
from core.scenario import build_config as cfg
from core.scenario import build_objects as bo
from core.scenario.checks import cross_checks
from core.scenario.document import Document
from core.scenario.errors import Diagnostic, ScenarioError, format_value
from core.scenario.kinds import CONFIG_KINDS, WORKLOAD_KINDS, object_ref, ref_label, root_definition
from core.scenario.limits import check_sizes
from core.scenario.validate import check_object, format_path, prune

LOAD_BALANCER_POOL = "203.0.113.0/24"  # TEST-NET-3, .10 and up, like MetalLB from its pool (slot by identity)
EXTERNAL_CLIENT_POOL = "198.51.100.0/24"  # TEST-NET-2, from .10


class Reporter:
    """Collects diagnostics with file:line:column taken from the document's marks."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.diagnostics: list[Diagnostic] = list(doc.load_diagnostics)
        self.bad: dict[int, list[tuple]] = {}  # entry index -> fields already reported as errors

    def for_entry(self, index: int):
        obj = ref_label(object_ref(self.doc.entries[index].raw))
        bad = self.bad.get(index, [])

        def report(path, message, value=None, severity="error", key=False):
            path = tuple(path)
            if any(path[:len(b)] == b for b in bad):
                return  # the field was left out of the build because of an error already reported
            line, col = self.doc.mark_of(index, path, key)
            self.diagnostics.append(Diagnostic(severity, message, self.doc.filename, line, col, obj,
                                               format_path(tuple(path)), value))
        return report

    def locator(self, index: int):
        return lambda path, key: self.doc.mark_of(index, path, key)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def _allocate(model: ClusterModel, rep: Reporter, where: dict[int, int], svc_index: dict[int, int],
              seed: int, network: dict[str, str]) -> None:
    """Fill every address and port: user-chosen ones reserved first, then each automatic one derived from its
    object's identity (``seed`` salts ClusterIPs and nodePorts, which the apiserver draws at random);
    ``svc_index`` maps service position -> entry index."""
    # nodes: InternalIPs then podCIDRs, explicit first
    try:
        node_ips = SequentialIPAllocator(network.get("nodeSubnet", model.cluster.node_subnet), 10)
    except (ValueError, AllocationError):
        node_ips = None  # the config checks already reported the bad subnet
    try:
        pod_cidrs = PodCIDRAllocator(model.cluster.pod_subnet, model.cluster.node_cidr_mask_size)
    except (ValueError, AllocationError):
        pod_cidrs = None  # reported by check_pod_cidr_mask; nodes keep their own podCIDRs, nothing is allocated
    for node in model.nodes:
        report = rep.for_entry(where[id(node)])
        if node.internal_ip and node_ips is not None:
            try:
                node_ips.occupy(node.internal_ip)
            except AllocationError as exc:
                report(("status", "addresses"), f"Invalid value: {format_value(node.internal_ip)}: {exc}",
                       node.internal_ip)
        if node.pod_cidr and pod_cidrs is not None:
            try:
                node.pod_cidr = pod_cidrs.occupy(node.pod_cidr)
            except (AllocationError, ValueError) as exc:
                report(("spec", "podCIDR"), f"Invalid value: {format_value(node.pod_cidr)}: {exc}", node.pod_cidr)
                node.pod_cidr = None
    for node in model.nodes:
        report = rep.for_entry(where[id(node)])
        try:
            if not node.internal_ip and node_ips is not None:
                node.internal_ip = node_ips.allocate_for(node.name)
            if not node.pod_cidr and pod_cidrs is not None:
                node.pod_cidr = pod_cidrs.allocate_for(node.name)
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
        # kube-apiserver: a nodePort is unique per (nodePort, protocol) inside one Service (validation), and
        # initNodePorts gives ports with the same number (53/TCP + 53/UDP) one shared nodePort
        mine: dict[int, set[str]] = {}  # nodePort -> protocols using it in this Service
        for k, p in enumerate(svc.ports):
            if p.node_port is not None:
                if p.protocol in mine.get(p.node_port, ()):
                    report(("spec", "ports", k, "nodePort"), f"Duplicate value: {p.node_port}", p.node_port)
                    continue
                if p.node_port not in mine:
                    try:
                        ports.allocate(p.node_port)
                    except AllocationError as exc:
                        report(("spec", "ports", k, "nodePort"), f"Invalid value: {p.node_port}: {exc}",
                               p.node_port)
                        pending_ports.append((svc, k, pos))
                        continue
                mine.setdefault(p.node_port, set()).add(p.protocol)
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
    # automatic ones: each derived from the Service's identity (core.ipam allocate_for), one Service after
    # the other in file order, so an object added at the end never takes an address another one had
    pending_by_svc: dict[int, list[int]] = {}
    for _svc, k, pos in pending_ports:
        pending_by_svc.setdefault(pos, []).append(k)
    for pos, svc in enumerate(model.services):
        report = rep.for_entry(svc_index[pos])
        ident = f"Service/{svc.namespace}/{svc.name}"
        try:
            if svc.cluster_ip is None and svc.type != "ExternalName":
                svc.cluster_ip = ips.allocate_for(ident, seed)
            if svc.type == "LoadBalancer" and not svc.load_balancer_ip:
                svc.load_balancer_ip = lb_pool.allocate_for(f"{svc.namespace}/{svc.name}")
        except AllocationError as exc:
            report(("spec",), str(exc))
        for k in pending_by_svc.get(pos, []):
            # a port with the same number that already has a nodePort (user-chosen or drawn just before)
            # shares it
            p = svc.ports[k]
            shared = next((q.node_port for q in svc.ports if q.port == p.port and q.node_port is not None
                           and q.protocol != p.protocol), None)
            try:
                new = list(svc.ports)
                new[k] = ServicePort(p.port, p.protocol, p.name, p.target_port, shared if shared is not None
                                     else ports.allocate_for(f"{ident}/nodePort/{p.protocol}/{p.name or p.port}",
                                                             seed))
                svc.ports = tuple(new)
            except AllocationError as exc:
                report(("spec", "ports", k, "nodePort"), str(exc))
        if svc.type == "LoadBalancer" and svc.external_traffic_policy == "Local" and svc.health_check_node_port is None:
            try:
                svc.health_check_node_port = ports.allocate_for(f"{ident}/healthCheckNodePort", seed)
            except AllocationError as exc:
                report(("spec", "healthCheckNodePort"), str(exc))
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
            c.ip = clients.allocate_for(c.name)


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
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, ArithmeticError, RecursionError):
        rep.diagnostics.append(Diagnostic("error", "could not build the scenario: a field has a value PodPath "
                                          "cannot use; fix the errors reported for it", doc.filename))
        model = ClusterModel()
    diags = sorted(rep.diagnostics, key=lambda x: (x.line, x.column))
    if any(x.is_error for x in diags):
        raise ScenarioError(diags)
    if any(e.action in ("applyObject", "deleteObject") for e in model.timeline):
        # a Timeline that edits the scenario (a saved live session) needs the objects it edits: a plain
        # copy (an editor's Document carries listeners, and a running simulation is pickled by checkpoints)
        model.source = Document(doc.filename, [copy.deepcopy(e) for e in doc.entries])
    return model, diags


_BUILD_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, ArithmeticError)


def _guarded(rep: Reporter, index: int, build, *args):
    """Run one object's builder; a value it cannot use becomes a located error instead of an exception."""
    try:
        return build(*args)
    except _BUILD_ERRORS:
        rep.for_entry(index)((), "could not build this object: a field has a value PodPath cannot use; fix the "
                             "errors reported for it")
        return None


def _build(doc: Document, rep: Reporter, seed: int | None) -> ClusterModel:
    model = ClusterModel()
    seen: dict[object, int] = {}
    by_kind: dict[str, list[tuple[int, dict]]] = {}
    for i, entry in enumerate(doc.entries):
        problems, bad = check_object(entry.raw, rep.locator(i), doc.filename)
        rep.diagnostics.extend(problems)
        rep.bad[i] = bad
        ref = object_ref(entry.raw)
        if ref.kind and ref.name:  # objects with only generateName get a fresh name each: never duplicates
            if ref in seen:
                what = f'{ref.kind} "{ref.name}"'
                line = doc.mark_of(seen[ref], ())[0]
                rep.for_entry(i)(("metadata", "name"), f"Duplicate value: {what} already exists"
                                 + (f" (line {line})" if line else ""), ref.name)
                continue
            seen[ref] = i
        raw = entry.raw
        if root_definition(raw.get("apiVersion"), raw.get("kind")) is not None:
            # best effort: every object is built, without the fields already in error, so that its value,
            # allocation and reference checks are reported in the same pass
            by_kind.setdefault(raw["kind"], []).append((i, prune(raw, bad)))
    if not doc.entries:
        rep.diagnostics.append(Diagnostic("warning", "no objects: the file holds no Kubernetes or PodPath objects",
                                          doc.filename))

    network: dict[str, str] = {}
    for kind in CONFIG_KINDS + ("Simulation",):
        for i, raw in by_kind.get(kind, []):
            _guarded(rep, i, cfg.apply_config, model, raw, rep.for_entry(i), network)
    cfg.check_pod_cidr_mask(model, rep, by_kind.get("ClusterConfiguration", []))

    where: dict[int, int] = {}

    def add(items: list, index: int, obj) -> None:
        if obj is not None:
            items.append(obj)
            where[id(obj)] = index

    for i, raw in by_kind.get("Node", []):
        add(model.nodes, i, _guarded(rep, i, bo.build_node, raw, rep.for_entry(i)))
    for i, raw in sorted(by_kind.get("Pod", []) + by_kind.get("IngressClass", [])
                         + [x for k in WORKLOAD_KINDS for x in by_kind.get(k, [])], key=lambda x: x[0]):
        kind = raw["kind"]
        report = rep.for_entry(i)
        if kind in WORKLOAD_KINDS:
            add(model.workloads, i, _guarded(rep, i, bo.build_workload, raw, report, len(model.nodes),
                                            model.simulation.timing.pod_startup))
        elif kind == "Pod":
            add(model.pods, i, _guarded(rep, i, bo.build_pod, raw, report, model.simulation.timing.pod_startup))
        else:
            add(model.ingress_classes, i, _guarded(rep, i, bo.build_ingress_class, raw, report))
    if (model.workloads or model.pods) and not model.nodes:
        first = min(where[id(x)] for x in [*model.workloads, *model.pods])
        rep.for_entry(first)((), "no Node objects in the scenario: every pod will stay Pending (add v1 Node "
                             "objects)", severity="warning")
    svc_index: dict[int, int] = {}
    for i, raw in by_kind.get("Service", []):
        svc = _guarded(rep, i, bo.build_service, raw, rep.for_entry(i))
        if svc is not None:
            svc_index[len(model.services)] = i
        add(model.services, i, svc)
    for i, raw in by_kind.get("Ingress", []):
        add(model.ingresses, i, _guarded(rep, i, bo.build_ingress, raw, rep.for_entry(i)))
    for i, raw in by_kind.get("Client", []):
        add(model.clients, i, _guarded(rep, i, bo.build_client, raw, rep.for_entry(i)))
    for i, raw in by_kind.get("Traffic", []):
        add(model.traffic, i, _guarded(rep, i, bo.build_traffic, raw, rep.for_entry(i)))
    events: list[tuple[TimelineEvent, int, int]] = []
    for i, raw in by_kind.get("Timeline", []):
        for k, ev in enumerate(_guarded(rep, i, cfg.build_timeline, raw, rep.for_entry(i)) or []):
            if ev is not None:
                events.append((ev, i, k))
    events.sort(key=lambda x: x[0].at)
    model.timeline = [e for e, _, _ in events]

    if not check_sizes(model, rep, where):
        return model  # too large to allocate or cross-check: the error says so, nothing else is worked out
    _allocate(model, rep, where, svc_index, int(model.simulation.seed if seed is None else seed), network)
    cross_checks(model, rep, where, events)
    return model
