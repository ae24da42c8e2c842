"""Builders from one structurally valid raw object to its typed model object (core.model), with checks."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable

from core.model import (
    BarePodSpec,
    ClientSpec,
    Container,
    ContainerPort,
    IngressBackend,
    IngressClassSpec,
    IngressPath,
    IngressRule,
    IngressSpec,
    InitContainer,
    LabelSelector,
    NodeSpec,
    PodAffinityTerm,
    PodTemplate,
    PreferredTerm,
    Resources,
    ServicePort,
    ServiceSpec,
    Taint,
    Toleration,
    TrafficSpec,
    WorkloadSpec,
)
from core.scenario import names
from core.scenario.errors import format_value
from core.scenario.kinds import ANN_READINESS_DELAY
from core.scenario.limits import MAX_PODS, MAX_SECONDS, seconds_problem
from core.scenario.units import cpu_millicores, memory_bytes

PathKey = tuple[str | int, ...]
Report = Callable[..., None]  # report(path, message, value=None, severity="error", key=False)

DEFAULT_CAPACITY = Resources(4000, 8 * 1024**3, 110)
# the largest quantities PodPath counts with (int64 sums stay exact): a million CPUs, 1 PiB, 150,000 pods
RESOURCE_LIMITS = {"cpu": (10**9, "1000000 CPUs (1e9 millicores)"), "memory": (2**50, "1Pi of memory"),
                   "pods": (MAX_PODS, f"{MAX_PODS} pods")}


def d(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def lst(value: object) -> list:
    return value if isinstance(value, list) else []


def port_in_range(report: Report, path: PathKey, value: object) -> bool:
    if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 65535:
        report(path, f"Invalid value: {value}: must be between 1 and 65535, inclusive", value)
        return False
    return True


def check_name(report: Report, path: PathKey, value: str, check: Callable[[str], list[str]]) -> bool:
    """Report each of the apiserver's messages for ``value`` at ``path`` (one line each, as it does)."""
    problems = check(value)
    for message in problems:
        report(path, f"Invalid value: {format_value(value)}: {message}", value)
    return not problems


def check_port_name(report: Report, path: PathKey, value: str) -> bool:
    """A container port name or a targetPort name: IANA_SVC_NAME, at most 15 characters."""
    return check_name(report, path, value, names.port_name)


def resources_of(report: Report, path: PathKey, raw: dict, default: Resources) -> Resources:
    cpu, mem, pods = default.cpu_milli, default.memory_bytes, default.pods
    for key in ("cpu", "memory", "pods"):
        if raw.get(key) is None:
            continue
        try:
            value = cpu_millicores(raw[key]) if key == "cpu" else memory_bytes(raw[key])
        except ValueError as exc:
            report((*path, key), f"Invalid value: {format_value(raw[key])}: {exc}", raw[key])
            continue
        if value < 0:  # ValidateNonnegativeQuantity
            report((*path, key), f"Invalid value: {format_value(raw[key])}: must be greater than or equal to 0",
                   raw[key])
            continue
        if value > RESOURCE_LIMITS[key][0]:
            report((*path, key), f"Invalid value: {format_value(raw[key])}: PodPath simulates at most "
                   f"{RESOURCE_LIMITS[key][1]}", raw[key])
            continue
        if key == "cpu":
            cpu = value
        elif key == "memory":
            mem = value
        else:
            pods = value
    return Resources(cpu, mem, pods)


# ------------------------------------------------------------------------------------------------ nodes

def build_node(raw: dict, report: Report) -> NodeSpec:
    meta, spec, status = d(raw.get("metadata")), d(raw.get("spec")), d(raw.get("status"))
    name = str(meta.get("name") or "")
    labels = {str(k): str(v) for k, v in d(meta.get("labels")).items()}
    # the kubelet always sets these labels on its Node (only in the model: the file stays as written)
    for key, value in (("kubernetes.io/hostname", name), ("kubernetes.io/os", "linux"),
                       ("kubernetes.io/arch", "amd64")):
        labels.setdefault(key, value)
    internal_ip = None
    for i, addr in enumerate(lst(status.get("addresses"))):
        if d(addr).get("type") == "InternalIP" and isinstance(addr.get("address"), str):
            try:
                internal_ip = str(ipaddress.IPv4Address(addr["address"]))
            except ValueError:
                report(("status", "addresses", i, "address"), f"Invalid value: {format_value(addr['address'])}: "
                       "must be a valid IPv4 address", addr["address"])
            break
    pod_cidr = spec.get("podCIDR") or (lst(spec.get("podCIDRs")) or [None])[0]
    if isinstance(pod_cidr, str):
        try:
            pod_cidr = str(ipaddress.IPv4Network(pod_cidr, strict=True))
        except ValueError:
            path = ("spec", "podCIDR") if spec.get("podCIDR") else ("spec", "podCIDRs", 0)
            report(path, f"Invalid value: {format_value(pod_cidr)}: must be a valid IPv4 CIDR with no host bits "
                   "set (e.g. 10.244.1.0/24)", pod_cidr)
            pod_cidr = None
    taints = []
    for i, t in enumerate(lst(spec.get("taints"))):
        t = d(t)
        taints.append(Taint(str(t.get("key", "")), str(t.get("value") or ""), t.get("effect", "NoSchedule")))
        if not t.get("key"):
            report(("spec", "taints", i, "key"), "Required value")
    capacity = resources_of(report, ("status", "capacity"), d(status.get("capacity")), DEFAULT_CAPACITY)
    allocatable = resources_of(report, ("status", "allocatable"), d(status.get("allocatable")), capacity)
    images = tuple(str(n) for img in lst(status.get("images")) for n in lst(d(img).get("names")))
    return NodeSpec(name, labels, internal_ip, pod_cidr if isinstance(pod_cidr, str) else None,
                    bool(spec.get("unschedulable") or False), tuple(taints), capacity, allocatable, images)


# ------------------------------------------------------------------------------------------------ pods

def _expressions(raw: object) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    out = []
    for e in lst(d(raw).get("matchExpressions")):
        e = d(e)
        out.append((str(e.get("key", "")), str(e.get("operator", "")), tuple(str(v) for v in lst(e.get("values")))))
    return tuple(out)


DEFAULT_PROBE_PERIOD = 10  # probe periodSeconds default (core/v1 Probe)


def readiness_probe_delay(spec: dict, pod_startup: float) -> float:
    """Seconds from Running to the first passing readiness probe of the slowest container (0 without probes).

    The kubelet's probe worker for a container starts when the pod reaches its node (PodPath: ``pod_startup``
    seconds before Running) and probes at once, then every ``periodSeconds`` (default 10); a probe skips while the
    container has run fewer than ``initialDelaySeconds`` (default 0) whole seconds; and the kubelet also triggers
    a probe as soon as it sees the container running (pkg/kubelet/prober/worker.go ``run``/``doProbe``,
    prober_manager.go ``UpdatePodStatus``). PodPath's probes always pass, so a container with no initial delay is
    ready when it runs, and one with ``initialDelaySeconds`` D and ``periodSeconds`` P at the first tick
    ``k * P >= pod_startup + D`` after the pod reached its node: ``P * ceil((pod_startup + D) / P) - pod_startup``
    after Running (podinfo's D = 5, P = 10 with the 2 s start: 10 - 2 = 8 s)."""
    worst = 0.0
    for c in lst(spec.get("containers")):
        probe = d(d(c).get("readinessProbe"))
        if not probe:
            continue
        delay, period = probe.get("initialDelaySeconds"), probe.get("periodSeconds")
        delay = delay if isinstance(delay, int) and not isinstance(delay, bool) and delay > 0 else 0
        period = period if isinstance(period, int) and not isinstance(period, bool) and period > 0 \
            else DEFAULT_PROBE_PERIOD
        if delay:
            worst = max(worst, period * math.ceil((pod_startup + delay) / period) - pod_startup)
    return worst


def _init_containers(spec: dict, report: Report, base: PathKey) -> tuple[InitContainer, ...]:
    """Init containers as the scheduler counts them (their requests; ``restartPolicy: Always`` = a sidecar).
    PodPath does not run them (docs/kubernetes-model.md §10): they add no start-up time."""
    out = []
    for i, c in enumerate(lst(spec.get("initContainers"))):
        c = d(c)
        path = (*base, "spec", "initContainers", i, "resources", "requests")
        req = resources_of(report, path, d(d(c.get("resources")).get("requests")), Resources())
        out.append(InitContainer(str(c.get("name") or ""), Resources(req.cpu_milli, req.memory_bytes, 0),
                                 c.get("restartPolicy") == "Always"))
    return tuple(out)


def build_template(meta: dict, spec: dict, report: Report, base: PathKey, pod_startup: float = 2.0) -> PodTemplate:
    containers = []
    host_ports = []
    for ci, c in enumerate(lst(spec.get("containers"))):
        c = d(c)
        ports = []
        for pi, p in enumerate(lst(c.get("ports"))):
            p = d(p)
            ppath = (*base, "spec", "containers", ci, "ports", pi)
            cp = p.get("containerPort")
            if not isinstance(cp, int) or not port_in_range(report, (*ppath, "containerPort"), cp):
                continue
            if isinstance(p.get("name"), str):
                check_port_name(report, (*ppath, "name"), p["name"])
            host_port = None
            if isinstance(p.get("hostPort"), int) and port_in_range(report, (*ppath, "hostPort"), p["hostPort"]):
                host_ports.append(p["hostPort"])
                host_port = p["hostPort"]
            if spec.get("hostNetwork") is True:
                host_port = cp  # defaultHostNetworkPorts: hostPort = containerPort
            ports.append(ContainerPort(cp, str(p.get("name") or ""), str(p.get("protocol") or "TCP"), host_port))
        requests = resources_of(report, (*base, "spec", "containers", ci, "resources", "requests"),
                                d(d(c.get("resources")).get("requests")), Resources())
        containers.append(Container(str(c.get("name") or ""), str(c.get("image") or ""), tuple(ports),
                                    Resources(requests.cpu_milli, requests.memory_bytes, 0)))
    if not containers:
        report((*base, "spec", "containers"), "Required value: a pod needs at least one container")
    init_containers = _init_containers(spec, report, base)
    tolerations = []
    for t in lst(spec.get("tolerations")):
        t = d(t)
        secs = t.get("tolerationSeconds")
        tolerations.append(Toleration(str(t.get("key") or ""), t.get("operator") or "Equal",
                                      str(t.get("value") or ""), str(t.get("effect") or ""),
                                      float(secs) if isinstance(secs, int) else None))
    node_aff = d(d(spec.get("affinity")).get("nodeAffinity"))
    preferred = tuple(PreferredTerm(int(d(t).get("weight") or 0), _expressions(d(t).get("preference")))
                      for t in lst(node_aff.get("preferredDuringSchedulingIgnoredDuringExecution")))
    required = tuple(_expressions(t) for t in lst(d(node_aff.get("requiredDuringSchedulingIgnoredDuringExecution"))
                                                  .get("nodeSelectorTerms")))
    annotations = d(meta.get("annotations"))
    delay = 2.0
    if ANN_READINESS_DELAY in annotations:
        text = annotations[ANN_READINESS_DELAY]
        try:
            delay = float(text)
            if not 0 <= delay < 1e6:
                raise ValueError
        except (TypeError, ValueError):
            report((*base, "metadata", "annotations", ANN_READINESS_DELAY),
                   f"Invalid value: {format_value(text)}: must be a number of seconds >= 0, e.g. \"2.5\"", text)
            delay = 2.0
    else:
        delay = max(delay, readiness_probe_delay(spec, pod_startup))
    node_name = spec.get("nodeName")
    host_network = spec.get("hostNetwork") is True
    if host_network:  # defaultHostNetworkPorts: a hostNetwork pod's containerPorts are its hostPorts
        host_ports = sorted(set(host_ports) | {p.container_port for c in containers for p in c.ports})
    pod_aff = d(d(spec.get("affinity")).get("podAffinity"))
    pod_anti = d(d(spec.get("affinity")).get("podAntiAffinity"))
    aff_path = (*base, "spec", "affinity")
    return PodTemplate(
        labels={str(k): str(v) for k, v in d(meta.get("labels")).items()},
        containers=tuple(containers),
        node_selector={str(k): str(v) for k, v in d(spec.get("nodeSelector")).items()},
        tolerations=tuple(tolerations),
        node_name=node_name if isinstance(node_name, str) and node_name else None,
        preferred_node_affinity=preferred,
        required_node_affinity=required,
        readiness_delay=delay,
        host_ports=tuple(host_ports),
        host_network=host_network,
        hostname=str(spec.get("hostname") or ""),
        subdomain=str(spec.get("subdomain") or ""),
        required_pod_affinity=_pod_affinity_terms(
            pod_aff.get("requiredDuringSchedulingIgnoredDuringExecution"), report,
            (*aff_path, "podAffinity", "requiredDuringSchedulingIgnoredDuringExecution")),
        required_pod_anti_affinity=_pod_affinity_terms(
            pod_anti.get("requiredDuringSchedulingIgnoredDuringExecution"), report,
            (*aff_path, "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution")),
        init_containers=init_containers,
    )


def _label_selector(raw: object) -> LabelSelector | None:
    """A metav1.LabelSelector (None when absent)."""
    if not isinstance(raw, dict):
        return None
    return LabelSelector(tuple(sorted((str(k), str(v)) for k, v in d(raw.get("matchLabels")).items())),
                         _expressions(raw))


def _pod_affinity_terms(raw: object, report: Report, path: PathKey) -> tuple[PodAffinityTerm, ...]:
    """Required podAffinity / podAntiAffinity terms; topologyKey is required (validatePodAffinityTerm)."""
    out = []
    for i, t in enumerate(lst(raw)):
        t = d(t)
        key = t.get("topologyKey")
        if not isinstance(key, str) or not key:
            report((*path, i, "topologyKey"), "Required value: can not be empty")
            continue
        out.append(PodAffinityTerm(key, _label_selector(t.get("labelSelector")),
                                   tuple(str(n) for n in lst(t.get("namespaces"))),
                                   _label_selector(t.get("namespaceSelector"))))
    return tuple(out)



def build_workload(raw: dict, report: Report, node_count: int, pod_startup: float = 2.0) -> WorkloadSpec:
    meta, spec = d(raw.get("metadata")), d(raw.get("spec"))
    kind = str(raw.get("kind"))
    tmpl = d(spec.get("template"))
    template = build_template(d(tmpl.get("metadata")), d(tmpl.get("spec")), report, ("spec", "template"),
                              pod_startup)
    selector_raw = d(spec.get("selector"))
    selector = {str(k): str(v) for k, v in d(selector_raw.get("matchLabels")).items()}
    if selector_raw.get("matchExpressions"):
        report(("spec", "selector", "matchExpressions"), "PodPath approximates: only matchLabels are used, "
               "matchExpressions are ignored", severity="warning")
    if not selector and not selector_raw.get("matchExpressions"):
        report(("spec", "selector"), "Required value: a workload needs a non-empty selector")
    elif any(template.labels.get(k) != v for k, v in selector.items()):
        report(("spec", "template", "metadata", "labels"),
               f"Invalid value: {format_value(template.labels)}: `selector` does not match template `labels`",
               template.labels)
    replicas = spec.get("replicas")
    if kind == "DaemonSet":
        replicas = node_count
    elif replicas is None:
        replicas = 1
    elif replicas < 0:
        report(("spec", "replicas"), f"Invalid value: {replicas}: must be greater than or equal to 0", replicas)
        replicas = 0
    elif replicas > MAX_PODS:
        report(("spec", "replicas"), f"Invalid value: {replicas}: PodPath simulates at most {MAX_PODS:,} pods on "
               "one machine", replicas)
        replicas = 0
    ns = meta.get("namespace") or "default"
    service_name = spec.get("serviceName") if kind == "StatefulSet" else None
    return WorkloadSpec(kind, str(ns), str(meta.get("name") or ""), int(replicas), selector, template,
                        service_name=service_name if isinstance(service_name, str) else "")


def _ipv4(value, path: tuple, report: Report) -> str | None:
    """An optional IPv4 address field: normalised, or reported at ``path`` and dropped."""
    if value is None:
        return None
    try:
        return str(ipaddress.IPv4Address(value))
    except ValueError:
        report(path, f"Invalid value: {format_value(value)}: must be a valid IPv4 address", value)
        return None


def build_pod(raw: dict, report: Report, pod_startup: float = 2.0) -> BarePodSpec:
    meta, spec, status = d(raw.get("metadata")), d(raw.get("spec")), d(raw.get("status"))
    template = build_template(meta, spec, report, (), pod_startup)
    pod_ip = _ipv4(status.get("podIP"), ("status", "podIP"), report)
    return BarePodSpec(str(meta.get("namespace") or "default"), str(meta.get("name") or ""), template, pod_ip)


# ------------------------------------------------------------------------------------------------ services

def build_service(raw: dict, report: Report) -> ServiceSpec:
    meta, spec, status = d(raw.get("metadata")), d(raw.get("spec")), d(raw.get("status"))
    stype = spec.get("type") or "ClusterIP"
    ports = []
    seen_names: set[str] = set()
    raw_ports = lst(spec.get("ports"))
    for i, p in enumerate(raw_ports):
        p = d(p)
        path = ("spec", "ports", i)
        port = p.get("port")
        if not isinstance(port, int) or not port_in_range(report, (*path, "port"), port):
            continue
        name = p.get("name") or ""
        if len(raw_ports) > 1 and not name:
            report((*path, "name"), "Required value")
        elif name and name in seen_names:
            report((*path, "name"), f"Duplicate value: {format_value(name)}", name)
        elif name:  # Service port names are DNS-1123 labels (validateServicePort), not IANA_SVC_NAMEs
            check_name(report, (*path, "name"), name, names.dns1123_label)
        seen_names.add(name)
        target = p.get("targetPort")
        if isinstance(target, int):
            port_in_range(report, (*path, "targetPort"), target)
        elif isinstance(target, str):
            if target.isdigit():
                target = int(target)
                port_in_range(report, (*path, "targetPort"), target)
            else:
                check_port_name(report, (*path, "targetPort"), target)
        node_port = p.get("nodePort")
        if node_port is not None and stype not in ("NodePort", "LoadBalancer"):
            report((*path, "nodePort"), f"Forbidden: may not be used when `type` is '{stype}'", node_port)
            node_port = None
        ports.append(ServicePort(port, str(p.get("protocol") or "TCP"), name, target, node_port))
    cluster_ip = spec.get("clusterIP")
    if cluster_ip is None and lst(spec.get("clusterIPs")):
        cluster_ip = spec["clusterIPs"][0]
    if cluster_ip == "":
        cluster_ip = None
    if stype == "ExternalName":
        cluster_ip = None
        if not spec.get("externalName"):
            report(("spec", "externalName"), "Required value")
    elif cluster_ip == "None" and stype in ("NodePort", "LoadBalancer"):
        report(("spec", "clusterIP"), f"Invalid value: \"None\": may not be set to 'None' for {stype} services",
               "None")
    if not raw_ports and stype != "ExternalName" and cluster_ip != "None":
        report(("spec", "ports"), "Required value")
    timeout = d(d(spec.get("sessionAffinityConfig")).get("clientIP")).get("timeoutSeconds")
    if timeout is None:
        timeout = 10800
    elif not 0 < timeout <= 86400:
        report(("spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"),
               f"Invalid value: {timeout}: must be greater than 0 and less than 86400", timeout)
        timeout = 10800
    lb_ip = spec.get("loadBalancerIP") or d((lst(d(status.get("loadBalancer")).get("ingress")) or [{}])[0]).get("ip")
    selector = spec.get("selector")
    source_ranges = []
    for i, cidr in enumerate(lst(spec.get("loadBalancerSourceRanges"))):
        # ValidateService: values may be space-padded (a historical accident), each must be a CIDR
        try:
            source_ranges.append(str(ipaddress.ip_network(str(cidr).strip(), strict=False)))
        except ValueError:
            report(("spec", "loadBalancerSourceRanges", i), f"Invalid value: {format_value(cidr)}: must be a "
                   "valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)", cidr)
    if source_ranges and stype != "LoadBalancer":
        report(("spec", "loadBalancerSourceRanges"), "Forbidden: may only be used when `type` is 'LoadBalancer'")
    return ServiceSpec(
        namespace=str(meta.get("namespace") or "default"), name=str(meta.get("name") or ""), type=stype,
        cluster_ip=cluster_ip, ports=tuple(ports),
        selector={str(k): str(v) for k, v in selector.items()} if isinstance(selector, dict) and selector else None,
        session_affinity=spec.get("sessionAffinity") or "None", affinity_timeout=int(timeout),
        external_traffic_policy=spec.get("externalTrafficPolicy") or "Cluster",
        internal_traffic_policy=spec.get("internalTrafficPolicy") or "Cluster",
        allocate_load_balancer_node_ports=spec.get("allocateLoadBalancerNodePorts") is not False,
        external_name=spec.get("externalName") if stype == "ExternalName" else None,
        load_balancer_ip=lb_ip if isinstance(lb_ip, str) and stype == "LoadBalancer" else None,
        external_ips=tuple(str(x) for x in lst(spec.get("externalIPs"))),
        publish_not_ready_addresses=bool(spec.get("publishNotReadyAddresses") or False),
        health_check_node_port=spec.get("healthCheckNodePort"),
        load_balancer_source_ranges=tuple(source_ranges) if stype == "LoadBalancer" else (),
    )


# ------------------------------------------------------------------------------------------------ ingress

def _backend(raw: dict, report: Report, path: PathKey) -> IngressBackend | None:
    svc = d(raw.get("service"))
    if not svc:
        if raw.get("resource"):
            report((*path, "resource"), "PodPath approximates: resource backends are kept but not simulated",
                   severity="warning")
        else:
            report((*path, "service"), "Required value: a backend needs a service (or a resource)")
        return None
    port = d(svc.get("port"))
    value = port.get("number") if port.get("number") is not None else port.get("name")
    if value is None:
        report((*path, "service", "port"), "Required value: port.number or port.name")
        return None
    if port.get("number") is not None and port.get("name") is not None:
        report((*path, "service", "port"), "Invalid value: cannot set both port name & port number")
    return IngressBackend(str(svc.get("name") or ""), value)


REGEX_CHARS = re.compile(r"[()$^|*+?\[\]{}\\]")


def build_ingress(raw: dict, report: Report) -> IngressSpec:
    meta, spec = d(raw.get("metadata")), d(raw.get("spec"))
    annotations = d(meta.get("annotations"))
    rules = []
    for ri, r in enumerate(lst(spec.get("rules"))):
        r = d(r)
        paths = []
        for pi, p in enumerate(lst(d(r.get("http")).get("paths"))):
            p = d(p)
            path = ("spec", "rules", ri, "http", "paths", pi)
            text = p.get("path") or "/"
            ptype = p.get("pathType") or "ImplementationSpecific"
            if ptype in ("Exact", "Prefix") and not text.startswith("/"):
                report((*path, "path"), f"Invalid value: {format_value(text)}: must be an absolute path", text)
                continue
            if ptype == "ImplementationSpecific":
                report((*path, "pathType"), "PodPath approximates: ImplementationSpecific is controller-defined; "
                       "PodPath matches it as Prefix", ptype, severity="warning")
            if REGEX_CHARS.search(text) or annotations.get("nginx.ingress.kubernetes.io/use-regex") == "true":
                report((*path, "path"), f"PodPath approximates: {format_value(text)} looks like a regular "
                       f"expression (an ingress-nginx extension); PodPath matches it literally as {ptype}", text,
                       severity="warning")
            backend = _backend(d(p.get("backend")), report, (*path, "backend"))
            if backend is not None:
                paths.append(IngressPath(text, ptype, backend))
        host = r.get("host") or None
        rules.append(IngressRule(host, tuple(paths)))
    default = None
    if spec.get("defaultBackend") is not None:
        default = _backend(d(spec["defaultBackend"]), report, ("spec", "defaultBackend"))
    class_name = spec.get("ingressClassName") or annotations.get("kubernetes.io/ingress.class") or None
    return IngressSpec(str(meta.get("namespace") or "default"), str(meta.get("name") or ""),
                       class_name if isinstance(class_name, str) else None, tuple(rules), default)


def build_ingress_class(raw: dict, report: Report) -> IngressClassSpec:
    meta, spec = d(raw.get("metadata")), d(raw.get("spec"))
    controller = spec.get("controller")
    if not controller:
        report(("spec", "controller"), "Required value")
    default = str(d(meta.get("annotations")).get("ingressclass.kubernetes.io/is-default-class", "")).lower() == "true"
    return IngressClassSpec(str(meta.get("name") or ""), str(controller or ""), default)


# ------------------------------------------------------------------------------------------------ PodPath kinds

def build_client(raw: dict, report: Report) -> ClientSpec:
    meta, spec = d(raw.get("metadata")), d(raw.get("spec"))
    location = spec.get("location") or "external"
    ip = _ipv4(spec.get("ip"), ("spec", "ip"), report)
    node = spec.get("node")
    if location == "external" and node:
        report(("spec", "node"), "Forbidden: only an internal client runs on a node", node)
    return ClientSpec(str(meta.get("name") or ""), location, ip, node or None)


def build_traffic(raw: dict, report: Report) -> TrafficSpec:
    from core.scenario.targets import parse_target  # noqa: PLC0415

    meta, spec = d(raw.get("metadata")), d(raw.get("spec"))
    target = str(spec.get("target") or "")
    http_path = spec.get("path")
    try:
        parsed = parse_target(target)
    except ValueError as exc:
        report(("spec", "target"), f"Invalid value: {format_value(target)}: {exc}", target)
        parsed = None
    if http_path is None:
        http_path = parsed.path if parsed and parsed.path else "/"
    rate = spec.get("rate", 10.0)
    if not 0 < rate <= 1e6:
        report(("spec", "rate"), f"Invalid value: {format_value(rate)}: must be greater than 0 (requests per "
               "second, at most 1000000)", rate)
        rate = 10.0
    connection = spec.get("connection") or "new"
    per_conn = spec.get("requestsPerConnection")
    if per_conn is None:
        per_conn = 100 if connection == "keepalive" else 1
    elif not 1 <= per_conn <= 1_000_000:
        report(("spec", "requestsPerConnection"), f"Invalid value: {per_conn}: must be between 1 and 1000000",
               per_conn)
        per_conn = 1
    start = float(spec.get("start") or 0.0)
    stop = spec.get("stop")
    if seconds_problem(start):
        report(("spec", "start"), f"Invalid value: {format_value(start)}: {seconds_problem(start)}", start)
        start = 0.0
    if stop is not None and seconds_problem(stop) and not (isinstance(stop, (int, float)) and stop > MAX_SECONDS):
        report(("spec", "stop"), f"Invalid value: {format_value(stop)}: {seconds_problem(stop)}", stop)
        stop = None
    elif stop is not None and stop <= start:
        report(("spec", "stop"), f"Invalid value: {format_value(stop)}: must be after start ({start:g} s)", stop)
        stop = None
    return TrafficSpec(str(meta.get("name") or ""), str(spec.get("client") or ""), target, float(rate), connection,
                       int(per_conn), start, float(stop) if stop is not None else None, str(http_path))
