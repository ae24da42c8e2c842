"""Live cluster state at one simulated instant: what the control plane writes and the data plane reads.

The control plane (``core.control``) owns and mutates a ``ClusterState``; the data plane
(``core.dataplane``) reads it -- chiefly ``proxy_views``, the endpoints each node's kube-proxy has
programmed -- and never writes it. ``version`` counters let readers recompile only when something changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from core.model import ClusterModel, NodeSpec, PodTemplate, ProxyConfig, SchedulerConfig, Taint

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


@dataclass(frozen=True)
class ClusterEvent:
    """One line of ``kubectl get events``."""

    time: float
    type: Literal["Normal", "Warning"]
    reason: str
    object: str  # e.g. "node/node-2", "pod/default/web-7d4b9-x2k1", "deployment/default/web"
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"time": round(self.time, 6), "type": self.type, "reason": self.reason,
                "object": self.object, "message": self.message}


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
    version: int = 0  # bumped on every change of nodes, pods or slices
