"""Typed model of the Kubernetes objects PodPath understands, built from a scenario document.

The scenario layer (``core.scenario``) parses YAML into raw objects, validates them and builds these
dataclasses. Everything downstream -- allocation, the control plane, the data plane, the CLI and the
desktop -- reads this model, never the raw YAML. Identities are ``ObjectRef(kind, namespace, name)``.

Units: CPU in millicores (int), memory in bytes (int), time in seconds (float).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# --------------------------------------------------------------------------------------------
# identity


@dataclass(frozen=True, order=True)
class ObjectRef:
    """Stable identity of an object in a scenario: kind / namespace / name.

    Cluster-scoped kinds (Node, IngressClass, configuration kinds) use namespace ``""``.
    """

    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        if self.namespace:
            return f"{self.kind} {self.namespace}/{self.name}"
        return f"{self.kind} {self.name}"


# --------------------------------------------------------------------------------------------
# nodes

TaintEffect = Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]


@dataclass(frozen=True)
class Taint:
    key: str
    value: str = ""
    effect: TaintEffect = "NoSchedule"


@dataclass(frozen=True)
class Toleration:
    key: str = ""  # "" with operator Exists tolerates everything
    operator: Literal["Equal", "Exists"] = "Equal"
    value: str = ""
    effect: str = ""  # "" matches every effect
    toleration_seconds: float | None = None

    def tolerates(self, taint: Taint) -> bool:
        """Kubernetes' ToleratesTaint (k8s.io/api core/v1 toleration.go)."""
        if self.effect and self.effect != taint.effect:
            return False
        if self.key and self.key != taint.key:
            return False
        if self.operator == "Exists":
            return True
        return self.value == taint.value


@dataclass(frozen=True)
class Resources:
    cpu_milli: int = 0
    memory_bytes: int = 0
    pods: int = 0


@dataclass
class NodeSpec:
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    internal_ip: str | None = None  # None -> allocated from ClusterConfig.node_subnet
    pod_cidr: str | None = None  # None -> allocated from ClusterConfig.pod_subnet
    unschedulable: bool = False
    taints: tuple[Taint, ...] = ()
    capacity: Resources = field(default_factory=lambda: Resources(4000, 8 * 1024**3, 110))
    allocatable: Resources = field(default_factory=lambda: Resources(4000, 8 * 1024**3, 110))
    image_names: tuple[str, ...] = ()  # images already on the node (ImageLocality)

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef("Node", "", self.name)

    @property
    def zone(self) -> str | None:
        return self.labels.get("topology.kubernetes.io/zone")


# --------------------------------------------------------------------------------------------
# workloads


@dataclass(frozen=True)
class ContainerPort:
    container_port: int
    name: str = ""
    protocol: str = "TCP"
    host_port: int | None = None  # the node port the CNI portmap plugin maps to it (hostNetwork: containerPort)


@dataclass(frozen=True)
class Container:
    name: str
    image: str = ""
    ports: tuple[ContainerPort, ...] = ()
    requests: Resources = field(default_factory=Resources)  # pods field unused


@dataclass(frozen=True)
class InitContainer:
    """An init container as the scheduler counts it (PodPath does not run it): its requests, and whether it
    is a sidecar (``restartPolicy: Always``, keeps running beside the app containers)."""

    name: str
    requests: Resources = field(default_factory=Resources)
    sidecar: bool = False


@dataclass(frozen=True)
class PreferredTerm:
    """One preferredDuringSchedulingIgnoredDuringExecution node-affinity term (matchExpressions only)."""

    weight: int
    match_expressions: tuple[tuple[str, str, tuple[str, ...]], ...]  # (key, operator, values)


@dataclass(frozen=True)
class LabelSelector:
    """A metav1.LabelSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist), ANDed.
    An empty selector matches everything; a missing one (``None`` where it is optional) matches nothing."""

    match_labels: tuple[tuple[str, str], ...] = ()
    match_expressions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class PodAffinityTerm:
    """One requiredDuringSchedulingIgnoredDuringExecution podAffinity / podAntiAffinity term.

    ``label_selector`` None matches no pod. Namespaces: ``namespaces`` empty and no ``namespace_selector``
    mean the namespace of the pod that carries the term; an empty ``namespace_selector`` means every
    namespace (a namespace's only label PodPath knows is ``kubernetes.io/metadata.name``).
    """

    topology_key: str
    label_selector: LabelSelector | None = None
    namespaces: tuple[str, ...] = ()
    namespace_selector: LabelSelector | None = None


@dataclass(frozen=True)
class PodTemplate:
    labels: dict[str, str] = field(default_factory=dict)
    containers: tuple[Container, ...] = ()
    node_selector: dict[str, str] = field(default_factory=dict)
    tolerations: tuple[Toleration, ...] = ()
    node_name: str | None = None
    preferred_node_affinity: tuple[PreferredTerm, ...] = ()
    # required node affinity, same encoding; every term ORed, expressions ANDed
    required_node_affinity: tuple[tuple[tuple[str, str, tuple[str, ...]], ...], ...] = ()
    readiness_delay: float = 2.0  # seconds from Running to Ready (annotation podpath.dev/readiness-delay)
    host_ports: tuple[int, ...] = ()
    host_network: bool = False  # spec.hostNetwork: the pod uses its node's IP and ports
    hostname: str = ""  # spec.hostname (DNS: <hostname>.<subdomain>.<ns>.svc.cluster.local)
    subdomain: str = ""  # spec.subdomain (a headless Service's name)
    required_pod_affinity: tuple[PodAffinityTerm, ...] = ()
    required_pod_anti_affinity: tuple[PodAffinityTerm, ...] = ()
    # left out of repr(): hash_text() adds it only when there are init containers, so the pod-template-hash
    # (ReplicaSet and pod names, hence the seeded pod IPs) of every template without them stays what it was
    init_containers: tuple[InitContainer, ...] = field(default=(), repr=False)

    def hash_text(self) -> str:
        """The text the ReplicaSet's pod-template-hash is taken from: every field that shapes the pods."""
        text = repr(self)
        return f"{text}+init_containers={self.init_containers!r}" if self.init_containers else text

    def pod_requests(self, default_cpu: int = 0, default_memory: int = 0) -> tuple[int, int]:
        """(milli-CPU, memory bytes) the scheduler charges for this pod: kube's ``resourcehelper.PodRequests``.

        The app containers' sum plus every sidecar's (init containers with ``restartPolicy: Always``), or the
        largest init container if more: a plain init container runs alone beside the sidecars started before
        it (its own requests + theirs), a sidecar's own entry is the sidecars so far. Per resource separately.
        ``default_*`` stand for a missing request (the scorers' non-zero defaults, 100m / 200 MiB, applied
        per container as ``NonMissingContainerRequests`` does); 0 keeps requests as they are (the Fit filter).
        """
        cpu = sum(c.requests.cpu_milli or default_cpu for c in self.containers)
        mem = sum(c.requests.memory_bytes or default_memory for c in self.containers)
        side_cpu = side_mem = init_cpu = init_mem = 0
        for ic in self.init_containers:
            c, m = ic.requests.cpu_milli or default_cpu, ic.requests.memory_bytes or default_memory
            if ic.sidecar:
                cpu, mem = cpu + c, mem + m
                side_cpu, side_mem = side_cpu + c, side_mem + m
                c, m = side_cpu, side_mem
            else:
                c, m = c + side_cpu, m + side_mem
            init_cpu, init_mem = max(init_cpu, c), max(init_mem, m)
        return max(cpu, init_cpu), max(mem, init_mem)

    def total_requests(self) -> Resources:
        cpu, mem = self.pod_requests()
        return Resources(cpu, mem, 1)


@dataclass
class WorkloadSpec:
    """A controller that keeps replicas of a template: Deployment, ReplicaSet or StatefulSet."""

    kind: str  # "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
    namespace: str
    name: str
    replicas: int
    selector: dict[str, str]  # matchLabels
    template: PodTemplate
    service_name: str = ""  # StatefulSet spec.serviceName: the headless Service that names its pods

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.kind, self.namespace, self.name)


@dataclass
class BarePodSpec:
    """A v1 Pod written in the scenario (not owned by a controller)."""

    namespace: str
    name: str
    template: PodTemplate  # template.node_name pins it
    pod_ip: str | None = None  # status.podIP from an exported manifest

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef("Pod", self.namespace, self.name)


# --------------------------------------------------------------------------------------------
# services

ServiceType = Literal["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]


@dataclass(frozen=True)
class ServicePort:
    port: int
    protocol: str = "TCP"
    name: str = ""
    target_port: int | str | None = None  # None -> same as port
    node_port: int | None = None  # None -> allocated when the type needs one

    @property
    def effective_target_port(self) -> int | str:
        return self.port if self.target_port is None else self.target_port


@dataclass
class ServiceSpec:
    namespace: str
    name: str
    type: ServiceType = "ClusterIP"
    cluster_ip: str | None = None  # None -> allocated; "None" -> headless
    ports: tuple[ServicePort, ...] = ()
    selector: dict[str, str] | None = None  # None -> no selector (manual endpoints)
    session_affinity: Literal["None", "ClientIP"] = "None"
    affinity_timeout: int = 10800
    external_traffic_policy: Literal["Cluster", "Local"] = "Cluster"
    internal_traffic_policy: Literal["Cluster", "Local"] = "Cluster"
    allocate_load_balancer_node_ports: bool = True
    external_name: str | None = None
    load_balancer_ip: str | None = None  # spec.loadBalancerIP or status.loadBalancer.ingress[0].ip
    external_ips: tuple[str, ...] = ()
    publish_not_ready_addresses: bool = False
    health_check_node_port: int | None = None
    load_balancer_source_ranges: tuple[str, ...] = ()  # spec.loadBalancerSourceRanges, normalised CIDRs
    # added by core.scenario: True for the default/kubernetes Service that build adds (never saved/exported)
    implicit: bool = False
    # endpoints of a selector-less Service that build knows, e.g. the control-plane node IPs of kubernetes
    static_endpoints: tuple[str, ...] = ()

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef("Service", self.namespace, self.name)

    @property
    def headless(self) -> bool:
        return self.cluster_ip == "None"


# --------------------------------------------------------------------------------------------
# ingress


@dataclass(frozen=True)
class IngressBackend:
    service_name: str
    port: int | str  # number or name


@dataclass(frozen=True)
class IngressPath:
    path: str
    path_type: Literal["Exact", "Prefix", "ImplementationSpecific"]
    backend: IngressBackend


@dataclass(frozen=True)
class IngressRule:
    host: str | None  # None matches any host
    paths: tuple[IngressPath, ...]


@dataclass
class IngressSpec:
    namespace: str
    name: str
    class_name: str | None = None
    rules: tuple[IngressRule, ...] = ()
    default_backend: IngressBackend | None = None

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef("Ingress", self.namespace, self.name)


@dataclass
class IngressClassSpec:
    name: str
    controller: str  # e.g. k8s.io/ingress-nginx
    is_default: bool = False


# --------------------------------------------------------------------------------------------
# cluster-wide configuration


@dataclass
class ClusterConfig:
    """kubeadm ClusterConfiguration, the parts PodPath uses."""

    service_subnet: str = "10.96.0.0/12"
    pod_subnet: str = "10.244.0.0/16"
    node_port_range: tuple[int, int] = (30000, 32767)
    node_subnet: str = "192.168.0.0/24"  # where node InternalIPs are allocated when absent
    node_cidr_mask_size: int = 24


ProxyMode = Literal["iptables", "ipvs", "nftables", "userspace"]
IPVS_SCHEDULERS = ("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "sh", "dh", "sed", "nq", "mh")


@dataclass
class ProxyConfig:
    """KubeProxyConfiguration, the parts PodPath uses."""

    mode: ProxyMode = "iptables"
    ipvs_scheduler: str = "rr"
    cluster_cidr: str | None = None  # None -> ClusterConfig.pod_subnet
    masquerade_all: bool = False
    min_sync_period: float = 1.0
    sync_period: float = 30.0
    localhost_node_ports: bool = True  # iptables.localhostNodePorts


ScoringStrategy = Literal["LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"]


@dataclass
class SchedulerConfig:
    """KubeSchedulerConfiguration, the parts PodPath uses.

    ``strategy`` "kube-scheduler" is the real plugin pipeline; "RoundRobin" and "Random" are PodPath
    teaching strategies that kube-scheduler does not have (labelled as such in the UI).
    """

    strategy: Literal["kube-scheduler", "RoundRobin", "Random"] = "kube-scheduler"
    scoring_strategy: ScoringStrategy = "LeastAllocated"
    resource_weights: tuple[tuple[str, int], ...] = (("cpu", 1), ("memory", 1))
    # RequestedToCapacityRatio shape: (utilization %, score 0..10) points
    shape: tuple[tuple[int, int], ...] = ((0, 0), (100, 10))
    percentage_of_nodes_to_score: int = 0


# --------------------------------------------------------------------------------------------
# PodPath kinds


@dataclass
class ClientSpec:
    name: str
    location: Literal["external", "internal"] = "external"
    ip: str | None = None  # external: required-ish (defaulted); internal: a pod IP is allocated
    node: str | None = None  # internal clients run as a pod on this node


@dataclass
class TrafficSpec:
    name: str
    client: str
    target: str  # URL, svc DNS name, ClusterIP:port, nodeIP:port, LB IP:port, pod IP:port
    rate: float = 10.0  # requests per second
    connection: Literal["new", "keepalive"] = "new"
    requests_per_connection: int = 1  # keepalive: requests carried by one connection
    start: float = 0.0
    stop: float | None = None
    http_path: str = "/"


TimelineAction = Literal[
    "failNode",
    "recoverNode",
    "deletePod",
    "scale",
    "cordon",
    "uncordon",
    "drain",
    "setProxyMode",
    "setIPVSScheduler",
    "setScheduler",
]


@dataclass(frozen=True)
class TimelineEvent:
    at: float
    action: TimelineAction
    target: str = ""  # node name, pod ns/name, deployment ns/name; "" for cluster-wide
    value: str | int | None = None  # replicas for scale, mode / scheduler name for set*


@dataclass
class Timing:
    """Control-plane delays in seconds; defaults are upstream's (domain.md section e)."""

    node_monitor_period: float = 5.0
    node_monitor_grace_period: float = 50.0
    heartbeat_interval: float = 10.0
    toleration_seconds: float = 300.0
    proxy_sync_delay: float = 1.0  # kube-proxy minSyncPeriod
    endpoint_slice_delay: float = 0.0
    pod_startup: float = 2.0  # scheduling -> Running (container start)
    termination_grace: float = 30.0

    @classmethod
    def preset(cls, name: str) -> Timing:
        if name == "realistic":
            return cls()
        if name == "classroom":
            return cls(node_monitor_grace_period=5.0, toleration_seconds=10.0, node_monitor_period=1.0,
                       heartbeat_interval=1.0, termination_grace=3.0)
        raise ValueError(f"unknown timing preset {name!r}; allowed: realistic, classroom")


@dataclass
class SimulationSettings:
    seed: int = 0
    tick: float = 0.1
    preset: str = "realistic"
    timing: Timing = field(default_factory=Timing)


# --------------------------------------------------------------------------------------------
# the whole scenario


@dataclass
class ClusterModel:
    """Everything a scenario says about a cluster, typed. Built by ``core.scenario.build``."""

    nodes: list[NodeSpec] = field(default_factory=list)
    workloads: list[WorkloadSpec] = field(default_factory=list)
    pods: list[BarePodSpec] = field(default_factory=list)
    services: list[ServiceSpec] = field(default_factory=list)
    ingresses: list[IngressSpec] = field(default_factory=list)
    ingress_classes: list[IngressClassSpec] = field(default_factory=list)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    proxy: ProxyConfig = field(default_factory=ProxyConfig)
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)
    clients: list[ClientSpec] = field(default_factory=list)
    traffic: list[TrafficSpec] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    simulation: SimulationSettings = field(default_factory=SimulationSettings)
    # the core.scenario Document it was built from (Timeline applyObject/deleteObject edit a copy of it)
    source: object | None = field(default=None, repr=False, compare=False)

    def node(self, name: str) -> NodeSpec:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)

    def service(self, namespace: str, name: str) -> ServiceSpec:
        for s in self.services:
            if s.namespace == namespace and s.name == name:
                return s
        raise KeyError(f"{namespace}/{name}")
