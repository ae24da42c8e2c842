"""Live cluster state at one simulated instant: what the control plane writes and the data plane reads.

The control plane (``core.control``) owns and mutates a ``ClusterState``; the data plane
(``core.dataplane``) reads it -- chiefly ``proxy_views``, the endpoints each node's kube-proxy has
programmed -- and never writes it. ``version`` counters let readers recompile only when something changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from core.model import ClusterModel, NodeSpec, ObjectRef, PodTemplate, ProxyConfig, SchedulerConfig, Taint


class BigMap(dict):
    """A plain dict for the per-pod (or per-address) maps of a large cluster, which the garbage collector
    must not keep re-scanning.

    CPython untracks an exact ``dict`` whose keys and values are all atomic (a full collection does it),
    and tracks it again -- into the *youngest* generation -- the moment a fresh tuple key (a new pod's
    ``(namespace, name)``) goes in. Each young collection after that walks every entry of the map: with
    150,000 pods, three or four such maps made young collections of 65-75 ms, several times in the
    seconds after a node failure. A dict subclass is never untracked, so it stays in the oldest generation
    and only full collections (rare) walk it. Behaves exactly like a dict otherwise."""

    __slots__ = ()


class ViewSlices(dict):
    """A kube-proxy view's slices (Service key -> endpoints) that knows which keys it changed from the view it
    was copied from (``base``): the data plane then recompiles those Services without comparing all 10,000
    keys of the two views. Only one step of history is kept (a newer copy drops its base's own base, so old
    views are not kept alive), and none in snapshots (a restored view is compared key by key once)."""

    __slots__ = ("base", "changed")

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.base: dict | None = None
        self.changed: set = set()

    def __reduce__(self):
        return ViewSlices, (), None, None, iter(self.items())


NodeCondition = Literal["True", "False", "Unknown"]
PodPhase = Literal["Pending", "Running", "Succeeded", "Failed", "Unknown"]


@dataclass
class NodeState:
    spec: NodeSpec
    ip: str  # InternalIP
    pod_cidr: str
    ready: NodeCondition = "True"  # the Ready condition as the API server shows it
    up: bool = True  # whether the machine is actually running (failNode sets False)
    unschedulable: bool = False
    taints: list[Taint] = field(default_factory=list)
    not_ready_since: float | None = None  # when Ready left "True"
    last_heartbeat: float = 0.0

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class PodState:
    namespace: str
    name: str
    labels: dict[str, str]
    template: PodTemplate
    owner: tuple[str, str, str] | None = None  # (kind, namespace, name) of the controlling workload
    node: str | None = None  # None while Pending
    ip: str | None = None
    phase: PodPhase = "Pending"
    ready: bool = False  # the Ready condition
    deletion_timestamp: float | None = None  # set -> Terminating
    created: float = 0.0
    scheduled_at: float | None = None
    running_at: float | None = None
    ready_at: float | None = None
    reason: str = ""  # why Pending / why not ready, in kubectl's words
    uid: int = 0  # creation counter; increases monotonically, never reused

    @property
    def key(self) -> tuple[str, str]:
        return (self.namespace, self.name)

    @property
    def terminating(self) -> bool:
        return self.deletion_timestamp is not None

    @property
    def serving(self) -> bool:
        """EndpointSlice ``serving``: readiness regardless of termination."""
        return self.ready


@dataclass(frozen=True)
class Endpoint:
    """One address in an EndpointSlice (one pod), with its readiness conditions (domain.md d.2)."""

    ip: str
    node: str
    pod: tuple[str, str]  # (namespace, name)
    ready: bool
    serving: bool
    terminating: bool
    ports: tuple[tuple[str, int, str], ...] = ()  # (port name, port number, protocol) resolved targetPorts


@dataclass
class EndpointSlice:
    """All endpoints of one Service (PodPath keeps one logical slice per Service; the controller splits
    it at 100 endpoints per slice only for display)."""

    service: tuple[str, str]  # (namespace, name)
    endpoints: tuple[Endpoint, ...] = ()
    generation: int = 0


@dataclass
class ProxyView:
    """What one node's kube-proxy currently programs: the slices as of its last sync."""

    node: str
    synced_at: float = 0.0
    slices: dict[tuple[str, str], tuple[Endpoint, ...]] = field(default_factory=dict)
    config: ProxyConfig = field(default_factory=ProxyConfig)
    version: int = 0  # bumped on every sync that changed something


_OBJECT_KINDS = {"node": "Node", "pod": "Pod", "deployment": "Deployment", "replicaset": "ReplicaSet",
                 "statefulset": "StatefulSet", "daemonset": "DaemonSet", "service": "Service",
                 "ingress": "Ingress", "client": "Client", "traffic": "Traffic"}


def parse_object(text: str) -> ObjectRef:
    """``pod/default/web-x`` -> ObjectRef("Pod", "default", "web-x"); ``node/node-2`` -> ("Node", "", "node-2")."""
    kind, _, rest = text.partition("/")
    ns, _, name = rest.rpartition("/")
    return ObjectRef(_OBJECT_KINDS.get(kind, kind[:1].upper() + kind[1:]), ns, name)


@dataclass(frozen=True)
class ClusterEvent:
    """One line of ``kubectl get events``."""

    time: float
    type: Literal["Normal", "Warning"]
    reason: str
    object: str  # e.g. "node/node-2", "pod/default/web-7d4b9-x2k1", "deployment/default/web"
    message: str

    @property
    def ref(self) -> ObjectRef:
        """The involved object as an ``ObjectRef`` (kind, namespace, name)."""
        return parse_object(self.object)

    def as_dict(self) -> dict[str, object]:
        return {"time": round(self.time, 6), "type": self.type, "reason": self.reason,
                "object": self.object, "message": self.message}


ChangeKind = Literal[
    "PodCreated",  # a pod object was created (Pending); detail: owner
    "PodScheduled",  # bound to a node; detail: node
    "PodRunning",  # sandbox up, containers started; detail: node, ip
    "PodReady",  # Ready condition True
    "PodNotReady",  # Ready condition left True (node unreachable, ...)
    "PodTerminating",  # deletionTimestamp set; detail: node
    "PodDeleted",  # the pod object is gone, its IP freed; detail: node, ip
    "NodeFailed",  # the machine stopped (failNode)
    "NodeRecovered",  # the machine is back (recoverNode)
    "NodeConditionChanged",  # Ready condition moved; detail: ready ("True" | "False" | "Unknown")
    "NodeCordoned",  # spec.unschedulable set
    "NodeUncordoned",  # spec.unschedulable cleared
    "NodeAdded",  # a Node object was added by an edit
    "NodeRemoved",  # a Node object was removed by an edit
    "EndpointsChanged",  # a Service's EndpointSlice was republished; detail: added, removed, changed (pod refs)
    "ObjectAdded",  # an edit added a Service, Ingress, workload, Client or Traffic
    "ObjectRemoved",  # an edit removed one
    "ObjectChanged",  # an edit changed one (detail: fields)
    "ActionApplied",  # a runtime action was applied; detail: action, target, value
]


@dataclass(frozen=True)
class Change:
    """One typed, past-tense change of the cluster (what a live view animates), with an object reference.

    ``detail`` is a tuple of (key, value) pairs so that the record stays hashable and immutable; ``get``
    reads one. The kinds are listed in ``ChangeKind`` and documented in docs/live-api.md.
    """

    time: float
    kind: ChangeKind
    ref: ObjectRef
    detail: tuple[tuple[str, object], ...] = ()

    def get(self, key: str, default: object = None) -> object:
        for k, v in self.detail:
            if k == key:
                return v
        return default

    def as_dict(self) -> dict[str, object]:
        return {"time": round(self.time, 6), "kind": self.kind,
                "ref": {"kind": self.ref.kind, "namespace": self.ref.namespace, "name": self.ref.name},
                "detail": {k: _plain(v) for k, v in self.detail}}


def _plain(v: object) -> object:
    """A JSON-ready copy: ObjectRefs as {kind, namespace, name}, tuples as lists."""
    if isinstance(v, ObjectRef):
        return {"kind": v.kind, "namespace": v.namespace, "name": v.name}
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    return v


@dataclass
class ClusterState:
    """Everything that changes over simulated time."""

    model: ClusterModel
    time: float = 0.0
    nodes: dict[str, NodeState] = field(default_factory=dict)
    pods: dict[tuple[str, str], PodState] = field(default_factory=dict)
    slices: dict[tuple[str, str], EndpointSlice] = field(default_factory=dict)
    proxy_views: dict[str, ProxyView] = field(default_factory=dict)
    proxy_config: ProxyConfig = field(default_factory=ProxyConfig)  # desired; views adopt it on sync
    scheduler_config: SchedulerConfig = field(default_factory=SchedulerConfig)
    events: list[ClusterEvent] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # since the last tick (the engine hands them out)
    version: int = 0  # bumped on every change of nodes, pods or slices
    proxy_views_version: int = 0  # bumped whenever any node's ProxyView changed (one counter for 5,000 views)
    # each workload's desired replicas now: its spec's, or what a live scale set (kind, namespace, name) -> n
    replicas: dict[tuple[str, str, str], int] = field(default_factory=dict)
