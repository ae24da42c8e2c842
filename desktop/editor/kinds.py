"""The registry of kinds: one table drives the palette, creation from the palette, connections and the inspector.

A palette entry (``PaletteKind``) has an id (carried alone in the drag's vendor MIME type), a label, an icon
shape, a template function giving the Kubernetes objects it creates under a unique name, and the kinds its
main object may connect to. ``FIELDS`` lists the inspector's form fields per Kubernetes kind. Nothing here
imports widgets: labels are marked for translation with ``QT_TRANSLATE_NOOP`` and translated where shown.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.model import ObjectRef
from core.scenario.kinds import CLUSTER_SCOPED, object_ref

MIME_KIND = "application/x-podpath-kind"
CTX = "Kinds"  # translation context of the labels below

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")
APP_IMAGE = "nginxinc/nginx-unprivileged:1.27"


def unique_name(base: str, taken: Iterable[str]) -> str:
    """``base`` if free, else ``base-2``, ``base-3`` … (Kubernetes names: lowercase, at most 63 characters).
    A numbered series goes on: beside node-1 … node-3 a new Node is node-4, not node (HG)."""
    taken = set(taken)
    numbered = [int(n[len(base) + 1:]) for n in taken
                if n.startswith(base + "-") and n[len(base) + 1:].isdigit() and not n[len(base) + 1:].startswith("0")]
    if base not in taken and not numbered:
        return base
    i = max([2, *(k + 1 for k in numbered)])
    while True:
        suffix = f"-{i}"
        name = base[:63 - len(suffix)] + suffix
        if name not in taken:
            return name
        i += 1


def names_of_kind(objects: Iterable[dict], kind: str, namespace: str) -> set[str]:
    out = set()
    for raw in objects:
        ref = object_ref(raw)
        if ref.kind == kind and (kind in CLUSTER_SCOPED or ref.namespace == namespace):
            out.add(ref.name)
    return out


def _container(name: str) -> dict:
    return {"name": name, "image": APP_IMAGE, "ports": [{"name": "http", "containerPort": 8080}],
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}


def _workload(kind: str, name: str, replicas: int | None) -> dict:
    spec: dict = {}
    if replicas is not None:
        spec["replicas"] = replicas
    if kind == "StatefulSet":
        spec["serviceName"] = name
    spec["selector"] = {"matchLabels": {"app": name}}
    spec["template"] = {"metadata": {"labels": {"app": name}}, "spec": {"containers": [_container(name)]}}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}


def _service(name: str, svc_type: str | None = None, headless: bool = False) -> dict:
    spec: dict = {}
    if svc_type:
        spec["type"] = svc_type
    if headless:
        spec["clusterIP"] = "None"
    if svc_type == "ExternalName":
        spec["externalName"] = "www.example.com"
    else:
        spec["ports"] = [{"name": "http", "port": 80, "targetPort": "http"}]
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


def _node(name: str, _objects: list[dict]) -> list[dict]:
    return [{"apiVersion": "v1", "kind": "Node",
             "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name,
                                                   "topology.kubernetes.io/zone": "zone-a"}},
             "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}}]


def _pod(name: str, _objects: list[dict]) -> list[dict]:
    return [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": name}},
             "spec": {"containers": [_container(name)]}}]


def _ingress(name: str, _objects: list[dict]) -> list[dict]:
    return [{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name},
             "spec": {"rules": []}}]


def _client(name: str, _objects: list[dict]) -> list[dict]:
    return [{"apiVersion": "podpath.dev/v1alpha1", "kind": "Client", "metadata": {"name": name},
             "spec": {"location": "external"}}]


def _ingress_controller(name: str, objects: list[dict]) -> list[dict]:
    """ingress-nginx as its bare-metal/cloud install has it: the controller Deployment, its LoadBalancer
    Service and an IngressClass (made the default when the scenario has none)."""
    labels = {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": name,
              "app.kubernetes.io/component": "controller"}
    has_default = any(o.get("kind") == "IngressClass" and ((o.get("metadata") or {}).get("annotations") or {})
                      .get("ingressclass.kubernetes.io/is-default-class") == "true" for o in objects)
    cls_name = unique_name("nginx" if name.startswith("ingress-nginx-controller") else name,
                           names_of_kind(objects, "IngressClass", ""))
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": {
        "replicas": 1, "selector": {"matchLabels": dict(labels)},
        "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": [{
            "name": "controller", "image": "registry.k8s.io/ingress-nginx/controller:v1.15.1",
            "args": ["/nginx-ingress-controller", "--controller-class=k8s.io/ingress-nginx",
                     f"--ingress-class={cls_name}"],
            "ports": [{"name": "http", "containerPort": 80}, {"name": "https", "containerPort": 443}],
            "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}}}]}}}}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": {
        "type": "LoadBalancer", "selector": dict(labels),
        "ports": [{"name": "http", "port": 80, "targetPort": "http"},
                  {"name": "https", "port": 443, "targetPort": "https"}]}}
    ingress_class: dict = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                           "metadata": {"name": cls_name}, "spec": {"controller": "k8s.io/ingress-nginx"}}
    if not has_default:
        ingress_class["metadata"]["annotations"] = {"ingressclass.kubernetes.io/is-default-class": "true"}
    return [deployment, service, ingress_class]


@dataclass(frozen=True)
class PaletteKind:
    """One palette entry. ``make(name, objects)`` returns the new objects (the first is the main one)."""

    id: str
    label: str  # source text, translated in context CTX
    tooltip: str
    kind: str  # Kubernetes kind of the main object
    shape: str  # icon: "node", "workload", "pod", "service", "ingress", "controller", "client"
    base_name: str
    make: Callable[[str, list[dict]], list[dict]]
    connects_to: tuple[str, ...] = ()  # Kubernetes kinds (or "LoadBalancer") a drag from it may end on

    def create(self, objects: list[dict], namespace: str = "default") -> list[dict]:
        """The new objects, named uniquely against ``objects`` (the document's)."""
        taken = names_of_kind(objects, self.kind, namespace)
        if self.id == "ingress-controller":  # its Service shares the name; and a controller of another
            # namespace (the demo's ingress-nginx/ingress-nginx-controller) must not be drawn with the same name:
            # two load balancers both 'LB ingress-nginx-controller' (HG)
            taken |= {object_ref(o).name for o in objects if object_ref(o).kind in ("Deployment", "Service")}
        return [copy.deepcopy(o) for o in self.make(unique_name(self.base_name, taken), objects)]


def _w(kind: str, replicas: int | None) -> Callable[[str, list[dict]], list[dict]]:
    return lambda name, _objects: [_workload(kind, name, replicas)]


def _s(svc_type: str | None, headless: bool = False) -> Callable[[str, list[dict]], list[dict]]:
    return lambda name, _objects: [_service(name, svc_type, headless)]


SERVICE_TARGETS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod")
CLIENT_TARGETS = ("Service", "Ingress", "Node", "LoadBalancer")

PALETTE: tuple[PaletteKind, ...] = (
    PaletteKind("node", QT_TRANSLATE_NOOP("Kinds", "Node"),
                QT_TRANSLATE_NOOP("Kinds", "A worker machine with its own IP and pod CIDR"),
                "Node", "node", "node", _node),
    PaletteKind("deployment", QT_TRANSLATE_NOOP("Kinds", "Deployment"),
                QT_TRANSLATE_NOOP("Kinds", "Stateless replicas of a pod template"),
                "Deployment", "workload", "web", _w("Deployment", 2)),
    PaletteKind("statefulset", QT_TRANSLATE_NOOP("Kinds", "StatefulSet"),
                QT_TRANSLATE_NOOP("Kinds", "Replicas with stable names (name-0, name-1, …)"),
                "StatefulSet", "workload", "db", _w("StatefulSet", 2)),
    PaletteKind("daemonset", QT_TRANSLATE_NOOP("Kinds", "DaemonSet"),
                QT_TRANSLATE_NOOP("Kinds", "One pod on every node"),
                "DaemonSet", "workload", "agent", _w("DaemonSet", None)),
    PaletteKind("pod", QT_TRANSLATE_NOOP("Kinds", "Pod"),
                QT_TRANSLATE_NOOP("Kinds", "A single pod; drop it on a node to pin it there"),
                "Pod", "pod", "pod", _pod),
    PaletteKind("service-clusterip", QT_TRANSLATE_NOOP("Kinds", "Service (ClusterIP)"),
                QT_TRANSLATE_NOOP("Kinds", "A virtual IP inside the cluster; drag it onto a workload to select its pods"),
                "Service", "service", "svc", _s(None), SERVICE_TARGETS),
    PaletteKind("service-nodeport", QT_TRANSLATE_NOOP("Kinds", "Service (NodePort)"),
                QT_TRANSLATE_NOOP("Kinds", "Reachable on a port (30000–32767) of every node"),
                "Service", "service", "svc-nodeport", _s("NodePort"), SERVICE_TARGETS),
    PaletteKind("service-loadbalancer", QT_TRANSLATE_NOOP("Kinds", "Service (LoadBalancer)"),
                QT_TRANSLATE_NOOP("Kinds", "An external load balancer in front of the node ports"),
                "Service", "service", "svc-lb", _s("LoadBalancer"), SERVICE_TARGETS),
    PaletteKind("service-headless", QT_TRANSLATE_NOOP("Kinds", "Service (headless)"),
                QT_TRANSLATE_NOOP("Kinds", "No virtual IP: DNS answers with the pod IPs"),
                "Service", "service", "svc-headless", _s(None, headless=True), SERVICE_TARGETS),
    PaletteKind("service-externalname", QT_TRANSLATE_NOOP("Kinds", "Service (ExternalName)"),
                QT_TRANSLATE_NOOP("Kinds", "A DNS alias (CNAME) for a name outside the cluster"),
                "Service", "service", "svc-external", _s("ExternalName")),
    PaletteKind("ingress", QT_TRANSLATE_NOOP("Kinds", "Ingress"),
                QT_TRANSLATE_NOOP("Kinds", "HTTP host and path rules; drag it onto a Service to add a rule"),
                "Ingress", "ingress", "ingress", _ingress, ("Service",)),
    PaletteKind("ingress-controller", QT_TRANSLATE_NOOP("Kinds", "Ingress controller"),
                QT_TRANSLATE_NOOP("Kinds", "ingress-nginx: a Deployment, its LoadBalancer Service and an IngressClass"),
                "Deployment", "controller", "ingress-nginx-controller", _ingress_controller),
    PaletteKind("client", QT_TRANSLATE_NOOP("Kinds", "Client"),
                QT_TRANSLATE_NOOP("Kinds", "Sends requests; drag it onto a Service, Ingress, node or load balancer"),
                "Client", "client", "client", _client, CLIENT_TARGETS),
)
BY_ID = {k.id: k for k in PALETTE}

# What a drag from an object of this kind may connect to (the first palette entry of the kind decides).
CONNECTIONS: dict[str, tuple[str, ...]] = {"Service": SERVICE_TARGETS, "Ingress": ("Service",),
                                           "Client": CLIENT_TARGETS}


def can_connect(source: ObjectRef, target_kind: str) -> bool:
    return target_kind in CONNECTIONS.get(source.kind, ())


# -- inspector form fields per kind --------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A form field: label, field path in the object, editor type ("text", "int", "float", "choice", "bool",
    "labels") and choices for "choice"."""

    label: str
    path: str
    type: str = "text"
    choices: tuple[str, ...] = ()
    default: str = ""  # what Kubernetes assumes when the field is absent (shown, not written)


_NAME = Field(QT_TRANSLATE_NOOP("Kinds", "Name"), "metadata.name")
_NS = Field(QT_TRANSLATE_NOOP("Kinds", "Namespace"), "metadata.namespace")
_LABELS = Field(QT_TRANSLATE_NOOP("Kinds", "Labels"), "metadata.labels", "labels")
_IMAGE = Field(QT_TRANSLATE_NOOP("Kinds", "Image"), "spec.template.spec.containers[0].image")
_PORT = Field(QT_TRANSLATE_NOOP("Kinds", "Container port"), "spec.template.spec.containers[0].ports[0].containerPort",
              "int")

FIELDS: dict[str, tuple[Field, ...]] = {
    "Node": (_NAME, Field(QT_TRANSLATE_NOOP("Kinds", "Zone"), 'metadata.labels["topology.kubernetes.io/zone"]'),
             Field(QT_TRANSLATE_NOOP("Kinds", "Unschedulable (cordoned)"), "spec.unschedulable", "bool"),
             Field(QT_TRANSLATE_NOOP("Kinds", "Pod CIDR"), "spec.podCIDR"),
             Field(QT_TRANSLATE_NOOP("Kinds", "CPU capacity"), "status.capacity.cpu"),
             Field(QT_TRANSLATE_NOOP("Kinds", "Memory capacity"), "status.capacity.memory"), _LABELS),
    "Deployment": (_NAME, _NS, Field(QT_TRANSLATE_NOOP("Kinds", "Replicas"), "spec.replicas", "int"),
                   Field(QT_TRANSLATE_NOOP("Kinds", "Selector"), "spec.selector.matchLabels", "labels"),
                   Field(QT_TRANSLATE_NOOP("Kinds", "Pod labels"), "spec.template.metadata.labels", "labels"),
                   _IMAGE, _PORT),
    "StatefulSet": (_NAME, _NS, Field(QT_TRANSLATE_NOOP("Kinds", "Replicas"), "spec.replicas", "int"),
                    Field(QT_TRANSLATE_NOOP("Kinds", "Service name"), "spec.serviceName"),
                    Field(QT_TRANSLATE_NOOP("Kinds", "Selector"), "spec.selector.matchLabels", "labels"),
                    Field(QT_TRANSLATE_NOOP("Kinds", "Pod labels"), "spec.template.metadata.labels", "labels"),
                    _IMAGE, _PORT),
    "DaemonSet": (_NAME, _NS, Field(QT_TRANSLATE_NOOP("Kinds", "Selector"), "spec.selector.matchLabels", "labels"),
                  Field(QT_TRANSLATE_NOOP("Kinds", "Pod labels"), "spec.template.metadata.labels", "labels"),
                  _IMAGE, _PORT),
    "Pod": (_NAME, _NS, _LABELS, Field(QT_TRANSLATE_NOOP("Kinds", "Node (pinned)"), "spec.nodeName"),
            Field(QT_TRANSLATE_NOOP("Kinds", "Image"), "spec.containers[0].image"),
            Field(QT_TRANSLATE_NOOP("Kinds", "Container port"), "spec.containers[0].ports[0].containerPort", "int")),
    "Service": (_NAME, _NS,
                Field(QT_TRANSLATE_NOOP("Kinds", "Type"), "spec.type", "choice",
                      ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"), default="ClusterIP"),
                Field(QT_TRANSLATE_NOOP("Kinds", "Cluster IP"), "spec.clusterIP"),
                Field(QT_TRANSLATE_NOOP("Kinds", "Selector"), "spec.selector", "labels"),
                Field(QT_TRANSLATE_NOOP("Kinds", "Port"), "spec.ports[0].port", "int"),
                Field(QT_TRANSLATE_NOOP("Kinds", "Target port"), "spec.ports[0].targetPort", "intstr"),
                Field(QT_TRANSLATE_NOOP("Kinds", "Node port"), "spec.ports[0].nodePort", "int"),
                Field(QT_TRANSLATE_NOOP("Kinds", "External traffic policy"), "spec.externalTrafficPolicy", "choice",
                      ("", "Cluster", "Local")),
                Field(QT_TRANSLATE_NOOP("Kinds", "Session affinity"), "spec.sessionAffinity", "choice",
                      ("", "None", "ClientIP")),
                Field(QT_TRANSLATE_NOOP("Kinds", "External name"), "spec.externalName")),
    "Ingress": (_NAME, _NS, Field(QT_TRANSLATE_NOOP("Kinds", "Ingress class"), "spec.ingressClassName")),
    "IngressClass": (_NAME, Field(QT_TRANSLATE_NOOP("Kinds", "Controller"), "spec.controller")),
    "Client": (_NAME, Field(QT_TRANSLATE_NOOP("Kinds", "Location"), "spec.location", "choice",
                            ("external", "internal")),
               Field(QT_TRANSLATE_NOOP("Kinds", "IP"), "spec.ip"),
               Field(QT_TRANSLATE_NOOP("Kinds", "Node (internal)"), "spec.node")),
    "Traffic": (_NAME, Field(QT_TRANSLATE_NOOP("Kinds", "Client"), "spec.client"),
                Field(QT_TRANSLATE_NOOP("Kinds", "Target"), "spec.target"),
                Field(QT_TRANSLATE_NOOP("Kinds", "Rate (requests/s)"), "spec.rate", "float"),
                Field(QT_TRANSLATE_NOOP("Kinds", "Connection"), "spec.connection", "choice", ("new", "keepalive")),
                Field(QT_TRANSLATE_NOOP("Kinds", "Requests per connection"), "spec.requestsPerConnection", "int")),
}


def fields_for(kind: str) -> tuple[Field, ...]:
    return FIELDS.get(kind, (_NAME,) if kind in CLUSTER_SCOPED else (_NAME, _NS))
