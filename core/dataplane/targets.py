"""Where a Traffic target points: parse the target text, then resolve it against the cluster.

Target forms (``TrafficSpec.target`` and ``podpath route --to``):

* ``http://host[:port]/path`` -- an HTTP URL. A host that is an IP is routed as ``IP:port``; a host name
  is resolved as cluster DNS when it names a Service (``web.default.svc.cluster.local``), otherwise it is
  an Ingress host: DNS points it at the ingress controller's Service (its load-balancer IP, or its
  NodePort on the nodes).
* ``namespace/name:port`` -- a Service by reference (port number or port name).
* ``name[.namespace[.svc[.cluster.local]]][:port]`` -- a Service DNS name (in-cluster clients only).
* ``A.B.C.D:port`` -- a ClusterIP, a node IP with a nodePort, a load-balancer IP, an external IP, or a
  pod IP (a "static route" that bypasses Services).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.model import ClusterModel, IngressSpec, ServicePort, ServiceSpec


class TargetError(ValueError):
    """A target that cannot be parsed; the message says what forms are allowed."""


ALLOWED_FORMS = ("http://host[:port]/path, namespace/name:port, name.namespace.svc.cluster.local:port, "
                 "or IP:port")


@dataclass(frozen=True)
class ParsedTarget:
    kind: str  # "url" | "service_ref" | "dns" | "ip"
    host: str  # host name, DNS name, "namespace/name" or IP
    port: int | str | None  # None: default for the kind
    path: str = "/"
    text: str = ""


def _is_ip(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
        return True
    except ValueError:
        return False


def _split_port(text: str) -> tuple[str, int | str | None]:
    if ":" in text:
        host, _, port = text.rpartition(":")
        if not host or not port:
            raise TargetError(f"target {text!r}: empty host or port; allowed forms: {ALLOWED_FORMS}")
        if port.isdigit():
            if not 1 <= int(port) <= 65535:
                raise TargetError(f"target {text!r}: port {port} is not in 1-65535")
            return host, int(port)
        return host, port
    return text, None


def parse_target(text: str) -> ParsedTarget:
    text = text.strip()
    if not text:
        raise TargetError(f"empty target; allowed forms: {ALLOWED_FORMS}")
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetError(f"target {text!r}: only http:// and https:// URLs with a host are supported")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise TargetError(f"target {text!r}: bad port ({exc})") from exc
        path = parts.path or "/"
        if _is_ip(parts.hostname):
            return ParsedTarget("ip", parts.hostname, port, path, text)
        return ParsedTarget("url", parts.hostname.lower(), port, path, text)
    host, port = _split_port(text)
    if "/" in host:
        ns, _, name = host.partition("/")
        if not ns or not name or "/" in name:
            raise TargetError(f"target {text!r}: a Service reference is namespace/name:port")
        return ParsedTarget("service_ref", host, port, "/", text)
    if all(part.isdigit() for part in host.split(".")) and not _is_ip(host):
        raise TargetError(f"target {text!r}: {host} is not a valid IPv4 address")
    if _is_ip(host):
        if port is None or isinstance(port, str):
            raise TargetError(f"target {text!r}: an IP target needs a numeric port, e.g. {host}:80")
        return ParsedTarget("ip", host, port, "/", text)
    return ParsedTarget("dns", host.lower().rstrip("."), port, "/", text)


@dataclass(frozen=True)
class Resolution:
    """What a target means in the current cluster.

    kind:
      ``cluster_ip``   -> ``service``/``port`` through kube-proxy of the client's node
      ``node_port``    -> ``service``/``port`` through kube-proxy of ``node``
      ``load_balancer``-> the external L4 LB of ``service``, then a node's NodePort path
      ``external_ip``  -> ``service``/``port`` through kube-proxy of the node the IP is routed to
      ``headless``     -> DNS A records: the ready pod IPs of ``service``
      ``external_name``-> a CNAME out of the cluster (``external_name``)
      ``ingress``      -> ``controller`` Service, then host/path rules of ``ingresses``
      ``pod``          -> a pod IP directly (static route)
      ``unreachable``  -> ``reason`` (a drop reason) and ``detail``
    """

    kind: str
    service: ServiceSpec | None = None
    port: ServicePort | None = None
    node: str | None = None
    dst_ip: str = ""
    dst_port: int = 0
    host: str = ""
    path: str = "/"
    external_name: str = ""
    ingresses: tuple[IngressSpec, ...] = ()
    reason: str = ""
    detail: str = ""


CLUSTER_DOMAIN = "cluster.local"
DEFAULT_CLIENT_NAMESPACE = "default"  # PodPath's in-cluster clients run in the default namespace


def cluster_dns_names(host: str, client_namespace: str = DEFAULT_CLIENT_NAMESPACE) -> list[tuple[str, ...]]:
    """The cluster names ``host`` may resolve to from a pod of ``client_namespace``, in the order the
    resolver tries them: each is the labels before ``.svc.cluster.local`` -- (service, namespace) or
    (hostname, service, namespace). A pod's resolv.conf searches ``<ns>.svc.cluster.local``,
    ``svc.cluster.local`` and ``cluster.local`` (ndots:5), so ``reviews`` is ``reviews.<ns>.svc.cluster.local``;
    ``a.b`` is first ``a.b.<ns>.svc.cluster.local`` (pod ``a`` of headless Service ``b``), then
    ``a.b.svc.cluster.local`` (Service ``a`` in namespace ``b``); ``a.b.svc`` and the full
    ``....svc.cluster.local`` name themselves."""
    host = host.rstrip(".").lower()
    for suffix in (".svc." + CLUSTER_DOMAIN, ".svc"):
        if host.endswith(suffix):
            labels = tuple(host[: -len(suffix)].split("."))
            return [labels] if len(labels) in (2, 3) and all(labels) else []
    labels = tuple(host.split("."))
    if not all(labels):
        return []
    if len(labels) == 1:
        return [(labels[0], client_namespace)]
    if len(labels) == 2:
        return [(*labels, client_namespace), labels]
    return []


def pod_dns_identity(model: ClusterModel, pod) -> tuple[str, str]:
    """(hostname, subdomain) a pod is published under in its headless Service: a StatefulSet's pods are
    ``<pod name>.<spec.serviceName>``; other pods use ``spec.hostname`` / ``spec.subdomain``."""
    template = pod.template
    if pod.owner is not None and pod.owner[0] == "StatefulSet":
        for w in model.workloads:
            if (w.kind, w.namespace, w.name) == tuple(pod.owner):
                return pod.name, w.service_name
    return template.hostname, template.subdomain


def _service_from_dns(model: ClusterModel, host: str, client_namespace: str = DEFAULT_CLIENT_NAMESPACE
                      ) -> tuple[ServiceSpec | None, str]:
    """(Service, pod hostname or "") that a cluster DNS name names; (None, "") when none."""
    for labels in cluster_dns_names(host, client_namespace):
        hostname = ""
        if len(labels) == 3:
            hostname, name, ns = labels
        else:
            name, ns = labels
        for s in model.services:
            # only headless Services publish per-pod records (whether that pod exists is the data plane's
            # question: the record follows the EndpointSlice)
            if s.name == name and s.namespace == ns and (s.headless or not hostname):
                return s, hostname
    return None, ""


def _port_of(service: ServiceSpec, port: int | str | None) -> ServicePort | None:
    if not service.ports:
        return None
    if port is None:
        return service.ports[0]
    for p in service.ports:
        if (isinstance(port, int) and p.port == port) or (isinstance(port, str) and p.name == port):
            return p
    return None


def _by_service(service: ServiceSpec, port: int | str | None, text: str, hostname: str = "") -> Resolution:
    if service.type == "ExternalName":
        return Resolution("external_name", service=service, external_name=service.external_name or "")
    if service.headless:
        # DNS returns the pod IPs (with a hostname: that one pod's); the client dials them on the port it
        # asked for (no NAT, any port)
        sp = _port_of(service, port)
        dial = port if isinstance(port, int) else (sp.port if sp else 0)
        return Resolution("headless", service=service, port=sp, dst_port=int(dial), host=hostname)
    sp = _port_of(service, port)
    if sp is None:
        allowed = ", ".join(f"{p.port}" + (f" ({p.name})" if p.name else "") for p in service.ports) or "none"
        return Resolution("unreachable", service=service, reason="no_such_port",
                          detail=f"{text}: Service {service.namespace}/{service.name} has no port {port}; "
                                 f"its ports: {allowed}")
    return Resolution("cluster_ip", service=service, port=sp, dst_ip=service.cluster_ip or "",
                      dst_port=sp.port)


def resolve(model: ClusterModel, target: ParsedTarget, node_ips: dict[str, str], pod_ips: set[str],
            ingress_controller: IngressControllerInfo | None,
            host_ports: dict[tuple[str, int], tuple[str, int]] | None = None) -> Resolution:
    """Resolve ``target`` in ``model`` (``node_ips``: node name -> InternalIP; ``pod_ips``: live pod IPs;
    ``host_ports``: (node IP, port) -> (pod IP, container port) of the pods that take a port of their node --
    a ``hostPort`` (the CNI portmap plugin DNATs it to the pod) or any port of a ``hostNetwork`` pod, whose pod
    IP is the node's own)."""
    if target.kind == "service_ref":
        ns, name = target.host.split("/", 1)
        for s in model.services:
            if s.namespace == ns and s.name == name:
                return _by_service(s, target.port, target.text)
        return Resolution("unreachable", reason="nxdomain", detail=f"no Service {ns}/{name}")
    if target.kind == "dns":
        s, hostname = _service_from_dns(model, target.host)
        if s is None:
            return Resolution("unreachable", reason="nxdomain",
                              detail=f"{target.host}: no Service of that name (NXDOMAIN)")
        return _by_service(s, target.port, target.text, hostname)
    if target.kind == "url":
        # a host the cluster DNS answers (through the pod's search path) is that Service; only other names
        # are Ingress hosts that public DNS points at the ingress controller
        s, hostname = _service_from_dns(model, target.host)
        if s is not None:
            return _by_service(s, target.port, target.text, hostname)
        if ingress_controller is None or ingress_controller.service is None:
            return Resolution("unreachable", reason="no_ingress_controller", host=target.host, path=target.path,
                              detail=f"{target.host}: no Ingress controller runs in the cluster, "
                                     "so nothing answers for Ingress hosts")
        ctrl = ingress_controller.service
        want = int(target.port or 80)
        sp = next((p for p in ctrl.ports if p.port == want), None)
        if sp is None:
            return Resolution("unreachable", reason="refused", host=target.host, path=target.path,
                              detail=f"{target.host}:{want}: the ingress controller's Service "
                                     f"{ctrl.namespace}/{ctrl.name} has no port {want} (it has "
                                     + ", ".join(str(p.port) for p in ctrl.ports) + ")")
        return Resolution("ingress", service=ctrl, port=sp, host=target.host, path=target.path, dst_port=want,
                          ingresses=ingress_controller.ingresses)
    # IP:port
    ip, port = target.host, int(target.port or 0)
    for s in model.services:
        if s.type == "ExternalName" or s.headless:
            continue
        for sp in s.ports:
            if s.cluster_ip == ip and sp.port == port:
                return Resolution("cluster_ip", service=s, port=sp, dst_ip=ip, dst_port=port)
            if s.type == "LoadBalancer" and s.load_balancer_ip == ip and sp.port == port:
                return Resolution("load_balancer", service=s, port=sp, dst_ip=ip, dst_port=port)
            if ip in s.external_ips and sp.port == port:
                return Resolution("external_ip", service=s, port=sp, dst_ip=ip, dst_port=port)
    for node, nip in node_ips.items():
        if nip == ip:
            for s in model.services:
                for sp in s.ports:
                    if sp.node_port == port and s.type in ("NodePort", "LoadBalancer"):
                        return Resolution("node_port", service=s, port=sp, node=node, dst_ip=ip, dst_port=port)
            hp = (host_ports or {}).get((ip, port))
            if hp is not None:  # a hostNetwork pod listening there, or a hostPort mapped to a pod
                return Resolution("pod", node=node, dst_ip=hp[0], dst_port=hp[1], host=f"{ip}:{port}")
            return Resolution("unreachable", reason="refused", node=node, dst_ip=ip, dst_port=port,
                              detail=f"node {node} ({ip}) has nothing listening on port {port}")
    if ip in pod_ips:
        return Resolution("pod", dst_ip=ip, dst_port=port)
    try:
        in_pods = ipaddress.IPv4Address(ip) in ipaddress.IPv4Network(model.cluster.pod_subnet)
    except ValueError:
        in_pods = False
    if in_pods:
        # a pod IP that no live pod holds: a static route to a pod that is gone
        return Resolution("pod", dst_ip=ip, dst_port=port)
    return Resolution("unreachable", reason="no_route", dst_ip=ip, dst_port=port,
                      detail=f"{ip}:{port} is not a Service, node, load-balancer or pod address of this cluster")


@dataclass(frozen=True)
class IngressControllerInfo:
    """The ingress controller of a class: its Service and port, and the Ingresses it serves."""

    controller: str
    service: ServiceSpec | None
    port: ServicePort | None
    ingresses: tuple[IngressSpec, ...]


# controller name (IngressClass.spec.controller) -> image / label fragments that identify its pods
CONTROLLER_SIGNATURES = {
    "k8s.io/ingress-nginx": ("ingress-nginx", "nginx-ingress"),
    "traefik.io/ingress-controller": ("traefik",),
    "haproxy.org/ingress-controller": ("haproxy",),
}


def find_ingress_controller(model: ClusterModel) -> IngressControllerInfo | None:
    """The (first) ingress controller the scenario runs, matched by IngressClass controller name."""
    if not model.ingresses:
        return None
    classes = {c.name: c for c in model.ingress_classes}
    default = next((c for c in model.ingress_classes if c.is_default), None)
    for cls in ([default] if default else []) + list(model.ingress_classes):
        if cls is None:
            continue
        sig = CONTROLLER_SIGNATURES.get(cls.controller, (cls.controller.rsplit("/", 1)[-1],))
        served = tuple(i for i in model.ingresses
                       if (i.class_name == cls.name) or (i.class_name is None and cls is default)
                       or (i.class_name is not None and i.class_name not in classes and cls is default))
        ctrl_labels: list[dict[str, str]] = []
        for w in model.workloads:
            texts = [c.image for c in w.template.containers] + list(w.template.labels.values()) + [w.name]
            if any(any(s in t for s in sig) for t in texts):
                ctrl_labels.append(w.template.labels)
        if not ctrl_labels:
            continue
        svc, port = None, None
        for s in model.services:
            if not s.selector or s.type == "ExternalName" or s.headless:
                continue
            if any(all(lbl.get(k) == v for k, v in s.selector.items()) for lbl in ctrl_labels):
                # prefer an externally reachable Service with an http port
                http = next((p for p in s.ports if p.port == 80 or p.name == "http"), s.ports[0] if s.ports else None)
                if svc is None or (s.type in ("LoadBalancer", "NodePort") and svc.type == "ClusterIP"):
                    svc, port = s, http
        return IngressControllerInfo(cls.controller, svc, port, served)
    return None
