"""The control plane over simulated time: a timer queue driving pods, workloads, the scheduler and EndpointSlices.

``ControlPlane.advance(t1)`` pops every timer due at or before ``t1`` in (time, insertion) order, sets
``state.time`` to the timer's time, runs its handler and then lets the controllers settle at that instant:
workload controllers create/delete pods, the scheduler places pending pods, the EndpointSlice controller
republishes dirty Services and kube-proxies get a sync ``proxy_sync_delay`` later.

Conventions (so hand-worked timelines hold):

* The scenario starts as a running cluster: at t=0 every pod is created, scheduled, Running and Ready and
  every kube-proxy is in sync. Later pods take ``Timing.pod_startup`` to Running (they get their IP then)
  and ``template.readiness_delay`` more to Ready.
* A node failed at T sent its last heartbeat at T. The node lifecycle controller runs at multiples of
  ``node_monitor_period`` and marks the node Ready=Unknown (taints ``node.kubernetes.io/unreachable``
  NoSchedule + NoExecute) at the first run where ``now - last_heartbeat >= node_monitor_grace_period``.
* Pods on it turn Ready=False at that instant; each pod is evicted (deleted, Terminating) when its
  toleration of the NoExecute taint runs out (``tolerationSeconds``, default ``Timing.toleration_seconds``).
* kube-proxy syncs ``proxy_delay()`` after the EndpointSlice change it sees first (its ``minSyncPeriod``,
  unless ``Timing.proxy_sync_delay`` overrides it); later changes up to then ride along in that sync. A
  failed node's kube-proxy does not sync.
* A pod whose sandbox cannot get an IP (node podCIDR exhausted) stays ContainerCreating; the kubelet retries
  every ``SANDBOX_RETRY`` seconds and starts it at the first retry after an IP was freed.
* A recovered node posts Ready at once (event NodeReady); the lifecycle controller removes its unreachable
  taints at its next run. Stale Terminating pods on it are killed and removed, and their IPs freed.
"""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from core.control import events as ev
from core.control.endpoints import EndpointController, ProxyViews
from core.control.lifecycle import EPS, NodeLifecycleMixin, round_time
from core.control.schedqueue import POD_BOUND, POD_DELETED, SchedulingQueue
from core.control.scheduler import NODE_NAME, NodeTable, Placement, Scheduler
from core.control.workloads import WorkloadMixin
from core.ipam import AllocationError, PodCIDRAllocator, PodIPAllocator, SequentialIPAllocator, identity_hash
from core.model import ClusterModel, ObjectRef, Timing
from core.state import Change, ClusterEvent, ClusterState, NodeState, PodState

DEFAULT_PROXY_SYNC_DELAY = Timing().proxy_sync_delay
TIMING_PRESETS = ("realistic", "classroom")
MAX_PODS = 150_000  # Kubernetes' documented limit (core.scenario.limits bounds files the same way)
SANDBOX_RETRY = 10.0  # kubelet pod worker backOffPeriod after a failed sync (upstream adds 0-50 % jitter)
PLACEMENT_HISTORY = 4096  # placements kept for "why node-2?" (the most recent ones)


def assign_node_addresses(model: ClusterModel) -> list[tuple[str, str]]:
    """(internal IP, podCIDR) per node: the model's values, else derived from the node's name (core.ipam)."""
    cidrs = PodCIDRAllocator(model.cluster.pod_subnet, model.cluster.node_cidr_mask_size)
    ips = SequentialIPAllocator(model.cluster.node_subnet, start=10)
    for n in model.nodes:
        if n.pod_cidr:
            cidrs.occupy(n.pod_cidr)
        if n.internal_ip:
            ips.occupy(n.internal_ip)
    out = []
    for n in model.nodes:
        ip = n.internal_ip or ips.allocate_for(n.name)
        cidr = n.pod_cidr or cidrs.allocate_for(n.name)
        out.append((ip, cidr))
    return out


class _PodDraws:
    """The scheduler's random draws for one pod (selectHost's tie break, the Random strategy): a generator keyed
    by the run's seed and the pod's ``namespace/name``, built only when a draw is made. Upstream draws from a
    process-wide source; keying by pod keeps other pods' placements the same when one workload is added,
    removed or scaled elsewhere (scores that really depend on the other pods still change, as upstream)."""

    __slots__ = ("_gen", "_key")

    def __init__(self, seed: int, key: str):
        self._key = (int(seed), identity_hash(key))
        self._gen: np.random.Generator | None = None

    def _g(self) -> np.random.Generator:
        if self._gen is None:
            self._gen = np.random.default_rng(list(self._key))
        return self._gen

    def integers(self, *args, **kwargs):
        return self._g().integers(*args, **kwargs)

    def random(self, *args, **kwargs):
        return self._g().random(*args, **kwargs)


class ControlPlane(NodeLifecycleMixin, WorkloadMixin):
    """Owns the live ``ClusterState`` and every controller that writes it."""

    _initial = True  # until __init__ has built the t=0 cluster (no typed changes before that)

    def __init__(self, model: ClusterModel, rng: np.random.Generator, timing: Timing):
        self.model = model
        self.rng = rng
        self.timing = timing
        self.state = ClusterState(model=model, proxy_config=replace(model.proxy),
                                  scheduler_config=replace(model.scheduler))
        names = [n.name for n in model.nodes]
        if len(set(names)) != len(names):
            raise ValueError("node names must be unique")
        self.ip_alloc: dict[str, PodIPAllocator] = {}
        for spec, (ip, cidr) in zip(model.nodes, assign_node_addresses(model)):
            self.state.nodes[spec.name] = NodeState(spec=spec, ip=ip, pod_cidr=cidr,
                                                    unschedulable=spec.unschedulable, taints=list(spec.taints))
            self.ip_alloc[spec.name] = PodIPAllocator(cidr)
        self.table = NodeTable(names, [n.labels for n in model.nodes],
                               [(n.allocatable.cpu_milli, n.allocatable.memory_bytes, n.allocatable.pods)
                                for n in model.nodes])
        for i, ns in enumerate(self.state.nodes.values()):
            if ns.unschedulable:
                self.table.unschedulable[i] = True
            self.table.set_taints(i, ns.taints)
        self.scheduler = Scheduler(self.table)
        self.endpoints = EndpointController(self.state)
        self.proxies = ProxyViews(self.state, self.endpoints)
        self.placements: OrderedDict[tuple[str, str], Placement] = OrderedDict()
        self._queue: list[tuple[float, int, str, tuple]] = []
        self._seq = 0
        self._uid = 0
        # kube-scheduler's queue: activeQ, podBackoffQ, unschedulablePods (core.control.schedqueue)
        self.sched_queue = SchedulingQueue(self.at, self.RELEVANT_EVENTS)
        self._fail_cache: dict[tuple, tuple[int, Placement]] = {}
        self._last_failure: dict[tuple[str, str], str] = {}
        self._proxy_due: dict[str, float] = {}
        self._slice_timer = False
        self._heartbeat_slot = 0
        self._sandbox_due: dict[tuple[str, str], float] = {}
        self._evictions: dict[tuple[str, str], tuple[int, str]] = {}  # pod -> (uid, node): taint manager queue
        self._kubelet_unschedulable: dict[str, bool] = {}  # what each kubelet last reported (its events)
        self._episode: dict[str, int] = {}
        self.pods_on_node: dict[str, dict[tuple[str, str], None]] = {n: {} for n in names}
        self.dirty_pods: set[tuple[str, str]] = set()  # IP or phase changed: the data plane drains it
        self._initial = True  # before _init_workloads: creating the file's Pods records changes (none at t=0)
        self._init_workloads()
        self._reserved_ip = self._reserve_pinned_pod_ips()
        self._settle()
        self._publish()
        self.proxies.initial_sync(0.0)
        self.state.proxy_views_version += 1
        self._proxy_due.clear()
        self._initial = False

    def _reserve_pinned_pod_ips(self) -> dict[tuple[str, str], tuple[str, str]]:
        """Hold every pinned ``status.podIP`` of a Pod with ``spec.nodeName`` before any pod starts, so that no
        automatic address takes it (``.1`` included; core.scenario warned about the ones that cannot be kept),
        then an identity-derived address for each such Pod without one (``PodIPAllocator.allocate_for``)."""
        held: dict[tuple[str, str], tuple[str, str]] = {}
        for bp in self.model.pods:
            node = bp.template.node_name
            alloc = self.ip_alloc.get(node or "")
            if bp.pod_ip and alloc is not None and alloc.claimable(bp.pod_ip):
                held[(bp.namespace, bp.name)] = (node, alloc.claim(bp.pod_ip))
        # then the Pods of the file pinned to a node but without an address: one derived from their identity
        for bp in self.model.pods:
            node = bp.template.node_name
            alloc = self.ip_alloc.get(node or "")
            if not bp.pod_ip and alloc is not None and alloc.capacity > len(alloc.in_use):
                held[(bp.namespace, bp.name)] = (node, alloc.allocate_for(f"{bp.namespace}/{bp.name}"))
        return held

    # -- timers ----------------------------------------------------------------------------------------------

    def at(self, time: float, kind: str, *args) -> None:
        """Queue handler ``_on_<kind>(*args)`` at simulated ``time``."""
        self._seq += 1
        heapq.heappush(self._queue, (round_time(max(time, self.state.time)), self._seq, kind, args))

    def next_time(self) -> float | None:
        return self._queue[0][0] if self._queue else None

    def advance(self, t1: float) -> None:
        """Process every timer due at or before ``t1`` in order, then stand at ``t1``."""
        t1 = round_time(t1)
        while self._queue and self._queue[0][0] <= t1 + EPS:
            t, _, kind, args = heapq.heappop(self._queue)
            self.state.time = max(self.state.time, t)
            getattr(self, f"_on_{kind}")(*args)
            self._settle()
            pause = getattr(self.owner_sim, "pause_point", None)
            if pause is not None:  # (Simulation.pause_point: another thread may run between two timers)
                pause()
        self.state.time = max(self.state.time, t1)
        self._heartbeats()

    def _heartbeats(self) -> None:
        """Live kubelets renew their lease every ``heartbeat_interval``: keep ``last_heartbeat`` current."""
        hb = self.timing.heartbeat_interval
        if hb <= 0:
            return
        slot = int(math.floor(self.state.time / hb + EPS))
        if slot != self._heartbeat_slot:
            self._heartbeat_slot = slot
            for ns in self.state.nodes.values():
                if ns.up:
                    ns.last_heartbeat = max(ns.last_heartbeat, round_time(slot * hb))

    owner_sim = None  # the Simulation, for timeline edits (applyObject / deleteObject) that rebuild the model

    def check_timeline_event(self, event) -> None:
        """The node lifecycle's checks, plus the live session's kinds: setTimingPreset, applyObject and
        deleteObject (docs/scenario-format.md)."""
        a = event.action
        if a == "setTimingPreset":
            if event.value not in TIMING_PRESETS:
                raise ValueError(f"setTimingPreset: unknown preset {event.value!r}; allowed: "
                                 + ", ".join(TIMING_PRESETS))
        elif a == "applyObject":
            v = event.value
            if not (isinstance(v, dict) and v.get("kind") and isinstance(v.get("metadata"), dict)
                    and v["metadata"].get("name")):
                raise ValueError("applyObject: value must be a manifest with kind and metadata.name")
        elif a == "scale" and isinstance(event.value, int) and event.value > MAX_PODS:
            raise ValueError(f"scale: {event.value} replicas is more than the {MAX_PODS:,} pods a cluster "
                             "can hold (Kubernetes' documented limit)")
        elif a == "deleteObject":
            if str(event.target or "").count("/") not in (1, 2):
                raise ValueError(f"deleteObject: target must be Kind/namespace/name or Kind/name, got {event.target!r}")
        else:
            super().check_timeline_event(event)

    def _on_timeline(self, event) -> None:
        """A timeline action (scenario or runtime): the node actions also report typed changes."""
        if event.action == "setTimingPreset":
            self.timing = Timing.preset(str(event.value))
            return
        if event.action in ("applyObject", "deleteObject"):
            if self.owner_sim is None:
                raise ValueError(f"{event.action}: needs the simulation's scenario document")
            self.owner_sim.apply_timeline_object(event)
            return
        ns = self.state.nodes.get(event.target) if event.target else None
        before = (ns.up, ns.unschedulable) if ns is not None else None
        super()._on_timeline(event)
        if ns is not None and before is not None:
            if before[0] != ns.up:
                self.changed("NodeRecovered" if ns.up else "NodeFailed", ObjectRef("Node", "", ns.name))
            if before[1] != ns.unschedulable:
                self.changed("NodeCordoned" if ns.unschedulable else "NodeUncordoned", ObjectRef("Node", "", ns.name))

    # -- events ------------------------------------------------------------------------------------------------

    def record(self, type_: str, reason: str, obj: str, message: str) -> None:
        self.state.events.append(ClusterEvent(self.state.time, type_, reason, obj, message))  # type: ignore[arg-type]
        if reason in ("NodeNotReady", "NodeReady") and not self._initial:  # a condition moved: typed change too
            kind, _, name = obj.partition("/")
            if kind == "node" and name in self.state.nodes:
                self.changed("NodeConditionChanged", ObjectRef("Node", "", name), ready=self.state.nodes[name].ready)
            elif kind == "pod":
                ns_, _, pod_name = name.partition("/")
                self.changed("PodNotReady", ObjectRef("Pod", ns_, pod_name), reason=message)

    def changed(self, kind: str, ref: ObjectRef, **detail) -> None:
        """Record a typed change for the live view (none while the cluster is being built at t=0)."""
        if not self._initial:
            self.state.changes.append(Change(self.state.time, kind, ref, tuple(detail.items())))  # type: ignore[arg-type]

    def _pod_change(self, kind: str, pod: PodState, **detail) -> None:
        if not self._initial:
            self.state.changes.append(Change(self.state.time, kind, ObjectRef("Pod", pod.namespace, pod.name),  # type: ignore[arg-type]
                                             tuple(detail.items())))

    def _endpoint_change(self, key: tuple[str, str], old) -> None:
        """EndpointsChanged for one republished Service: pods added, removed, and whose conditions moved."""
        new = self.state.slices.get(key)
        before = {e.pod: e for e in (old.endpoints if old is not None else ())}
        after = {e.pod: e for e in (new.endpoints if new is not None else ())}
        pod = lambda k: ObjectRef("Pod", k[0], k[1])  # noqa: E731
        self.changed("EndpointsChanged", ObjectRef("Service", key[0], key[1]),
                     added=tuple(pod(k) for k in after if k not in before),
                     removed=tuple(pod(k) for k in before if k not in after),
                     changed=tuple(pod(k) for k in after if k in before and after[k] != before[k]),
                     ready=sum(e.ready for e in after.values()), total=len(after))

    def touch(self) -> None:
        self.state.version += 1

    # -- settling ----------------------------------------------------------------------------------------------

    def _settle(self) -> None:
        while True:
            self._reconcile_workloads()
            if self.sched_queue.active:
                self._schedule_pending()
            if not self.dirty_workloads:  # binding at t=0 makes pods Ready at once (OrderedReady moves on)
                break
        if self.endpoints.dirty:
            delay = self.timing.endpoint_slice_delay
            if delay <= 0:
                self._publish()
            elif not self._slice_timer:
                self._slice_timer = True
                self.at(self.state.time + delay, "slices")

    def _on_slices(self) -> None:
        self._slice_timer = False
        self._publish()

    def _publish(self) -> None:
        before = None if self._initial else {k: self.state.slices.get(k) for k in self.endpoints.dirty}
        changed = self.endpoints.flush()
        for key in changed if before is not None else ():
            self._endpoint_change(key, before.get(key))
        if changed and not self._initial:
            self.request_proxy_sync()

    def proxy_delay(self) -> float:
        """How long after an EndpointSlice change a kube-proxy syncs: ``Timing.proxy_sync_delay`` when it was
        set away from its default (a preset or the Simulation kind's ``proxySyncDelay``), else kube-proxy's
        own ``minSyncPeriod`` (KubeProxyConfiguration ``iptables|ipvs|nftables.minSyncPeriod``)."""
        if self.timing.proxy_sync_delay != DEFAULT_PROXY_SYNC_DELAY:
            return self.timing.proxy_sync_delay
        return max(0.0, float(self.state.proxy_config.min_sync_period))

    def request_proxy_sync(self) -> None:
        """Every live kube-proxy syncs ``proxy_sync_delay`` from now (unless one is already due earlier)."""
        due = round_time(self.state.time + self.proxy_delay())
        queued = False
        for name, ns in self.state.nodes.items():
            if ns.up and name not in self._proxy_due:
                self._proxy_due[name] = due
                queued = True
        if queued:
            self.at(due, "proxy_sync")

    def _on_proxy_sync(self) -> None:
        now = self.state.time
        due_now = [name for name, due in self._proxy_due.items() if due <= now + EPS]
        for name in due_now:
            del self._proxy_due[name]
        synced = self.proxies.sync_many([n for n in due_now if self.state.nodes[n].up], now)
        if synced:
            self.state.proxy_views_version += 1
            self.changed("ProxySynced", ObjectRef("Cluster", "", ""), nodes=tuple(synced))
        self.proxies.compact()

    # -- pods ------------------------------------------------------------------------------------------------

    def create_pod(self, namespace: str, name: str, template, owner, labels: dict[str, str],
                   pin_node: str | None = None) -> PodState:
        self._uid += 1
        pod = PodState(namespace=namespace, name=name, labels=dict(labels), template=template, owner=owner,
                       created=self.state.time, uid=self._uid, reason="Pending")
        self.state.pods[pod.key] = pod
        self._pin[pod.key] = pin_node
        if owner is not None:
            self.owned.setdefault(owner, {})[pod.key] = None
        self.endpoints.pod_added(pod)
        self._pod_change("PodCreated", pod, owner=owner)
        self.sched_queue.add(pod.key, self.state.time, pod.uid)
        self.touch()
        return pod

    def _schedule_pending(self) -> None:
        """A scheduling cycle for every pod in activeQ, in queue order. A pod of the same class (template,
        owner, labels) as one that just failed on an unchanged cluster fails the same way: its cycle reuses
        that filter result instead of recomputing it (the outcome, attempt count and queue moves are the same)."""
        self._fail_cache.clear()
        for key in self.sched_queue.pop_active():
            pod = self.state.pods.get(key)
            if pod is None or pod.node is not None or pod.terminating:
                continue
            self._schedule_one(pod)

    def _schedule_one(self, pod: PodState) -> None:
        target = pod.template.node_name
        if target is not None:  # spec.nodeName: the kubelet takes it, no scheduler involved
            if target in self.state.nodes:
                self.bind(pod, target)
            else:
                pod.reason = f"node {target!r} does not exist"
                self.sched_queue.failed(pod.key, self.state.time, frozenset({NODE_NAME}))
            return
        pc = self.pod_class(pod)
        sig = (id(pc), tuple(sorted(pod.labels.items())))
        hit = self._fail_cache.get(sig)
        if hit is not None and hit[0] == self.state.version:
            self._pod_unschedulable(pod, replace(hit[1], pod=pod.key, time=self.state.time))
            return
        sel_counts = None
        if pc.owner is None and pc.spread:
            sel_counts = self._selector_counts(pod.namespace, pc.spread_selector)
        draws = _PodDraws(self.name_seed, f"{pod.namespace}/{pod.name}")
        placement = self.scheduler.schedule(pod.key, pc, self.state.scheduler_config, draws, self.state.time,
                                            selector_counts=sel_counts, pod_labels=pod.labels)
        if placement.node is None:
            self._fail_cache[sig] = (self.state.version, placement)
            self._pod_unschedulable(pod, placement)
            return
        self._keep_placement(placement)
        self._last_failure.pop(pod.key, None)
        self.bind(pod, placement.node)

    def _keep_placement(self, placement: Placement) -> None:
        self.placements[placement.pod] = placement
        self.placements.move_to_end(placement.pod)
        while len(self.placements) > PLACEMENT_HISTORY:
            self.placements.popitem(last=False)

    def _pod_unschedulable(self, pod: PodState, placement: Placement) -> None:
        """No node fits: FailedScheduling (once per distinct message); the pod waits in unschedulablePods."""
        self._keep_placement(placement)
        pod.reason = placement.message
        self.sched_queue.failed(pod.key, self.state.time, placement.rejected)
        if self._last_failure.get(pod.key) != placement.message:
            self._last_failure[pod.key] = placement.message
            self.record("Warning", "FailedScheduling", ev.pod_object(*pod.key), placement.message)

    def _selector_counts(self, namespace: str, selector: dict[str, str]) -> np.ndarray:
        """Per node: non-terminating pods of ``namespace`` whose labels match ``selector``."""
        counts = np.zeros(len(self.table), dtype=np.int64)
        for p in self.state.pods.values():
            if (p.node is not None and p.namespace == namespace and not p.terminating
                    and all(p.labels.get(k) == v for k, v in selector.items())):
                counts[self.table.index[p.node]] += 1
        return counts

    def bind(self, pod: PodState, node: str) -> None:
        pc = self.pod_class(pod)
        pod.node = node
        pod.scheduled_at = self.state.time
        pod.reason = "ContainerCreating"
        self._pod_change("PodScheduled", pod, node=node)
        self.pods_on_node[node][pod.key] = None
        self.table.add_pod(self.table.index[node], pc.req, pc.nz, pod.owner, pod.template.host_ports)
        self.table.track_pod(pod.key, self.table.index[node], pod.namespace, pod.labels, pod.template)
        self.cluster_event(POD_BOUND)
        if pod.template.node_name is None:  # spec.nodeName pods bypass the scheduler: no Scheduled event
            self.record("Normal", "Scheduled", ev.pod_object(*pod.key), ev.scheduled(pod.namespace, pod.name, node))
        self.touch()
        if self._initial:
            self._on_pod_running(pod.key, pod.uid)
            self._on_pod_ready(pod.key, pod.uid)
        elif self.state.nodes[node].up:
            self.at(self.state.time + self.timing.pod_startup, "pod_running", pod.key, pod.uid)

    def _live(self, key, uid) -> PodState | None:
        pod = self.state.pods.get(key)
        return pod if pod is not None and pod.uid == uid else None

    def _on_pod_running(self, key, uid) -> None:
        pod = self._live(key, uid)
        if pod is None or pod.phase == "Running" or pod.terminating or pod.node is None:
            return
        if not self.state.nodes[pod.node].up:
            return  # the kubelet is down; started again when the node recovers
        alloc = self.ip_alloc[pod.node]
        try:
            wanted = self._bare_ip.get(pod.key)
            reserved = self._reserved_ip.pop(pod.key, None)
            if pod.template.host_network:  # it shares its node's network namespace: the node's IP, no IPAM
                pod.ip = self.state.nodes[pod.node].ip
            elif reserved is not None and reserved[0] == pod.node:
                pod.ip = reserved[1]  # pinned status.podIP, held for this pod since t=0
            elif wanted and self._initial and alloc.claimable(wanted):
                pod.ip = alloc.claim(wanted)  # a pinned address in the podCIDR of the node it was scheduled to
            else:  # by identity (docs/kubernetes-model.md §2): other pods coming and going never move it
                pod.ip = alloc.allocate_for(f"{pod.namespace}/{pod.name}")
        except AllocationError as exc:
            if pod.reason != "FailedCreatePodSandBox":  # repeats are one aggregated event (count++) upstream
                self.record("Warning", "FailedCreatePodSandBox", ev.pod_object(*pod.key), str(exc))
            pod.reason = "FailedCreatePodSandBox"
            if self._sandbox_due.get(pod.key, -1.0) <= self.state.time + EPS:  # one retry chain per pod
                self._sandbox_due[pod.key] = round_time(self.state.time + SANDBOX_RETRY)
                self.at(self.state.time + SANDBOX_RETRY, "pod_running", pod.key, pod.uid)
            return
        pod.phase = "Running"
        pod.running_at = self.state.time
        pod.reason = "ContainersNotReady"
        self.dirty_pods.add(pod.key)
        self._pod_change("PodRunning", pod, node=pod.node, ip=pod.ip)
        self.endpoints.pod_changed(pod)
        self.touch()
        if not self._initial:
            self.at(self.state.time + pod.template.readiness_delay, "pod_ready", pod.key, pod.uid)

    def _on_pod_ready(self, key, uid) -> None:
        pod = self._live(key, uid)
        if pod is None or pod.ready or pod.terminating or pod.phase != "Running" or pod.node is None:
            return
        ns = self.state.nodes[pod.node]
        if not ns.up or ns.ready != "True":
            return
        pod.ready = True
        pod.ready_at = self.state.time
        self._pod_change("PodReady", pod, node=pod.node)
        pod.reason = ""
        self.endpoints.pod_changed(pod)
        if pod.owner is not None and pod.owner[0] == "StatefulSet":
            self.dirty_workloads.add(pod.owner)  # OrderedReady: the next ordinal waits for this one
        self.touch()

    def delete_pod(self, pod: PodState) -> None:
        """Graceful deletion: Terminating for ``termination_grace`` (once the kubelet can act), then gone."""
        if pod.terminating:
            return
        if pod.node is None:
            self.remove_pod(pod)
            return
        pod.deletion_timestamp = self.state.time
        pod.reason = "Terminating"
        self._pod_change("PodTerminating", pod, node=pod.node)
        if pod.owner is not None:  # PodTopologySpread stops counting it now, its resources count until gone
            self.table.count_owner(self.table.index[pod.node], pod.owner, -1)
        self.endpoints.pod_changed(pod)
        if pod.owner is not None:
            self.dirty_workloads.add(pod.owner)
        self.touch()
        if self.state.nodes[pod.node].up:
            self._kill(pod, self.state.time + self.timing.termination_grace)

    def _kill(self, pod: PodState, gone_at: float) -> None:
        for c in pod.template.containers if pod.phase == "Running" else ():  # nothing to stop otherwise
            self.record("Normal", "Killing", ev.pod_object(*pod.key), f"Stopping container {c.name}")
        self.at(gone_at, "pod_gone", pod.key, pod.uid)

    def _on_pod_gone(self, key, uid) -> None:
        pod = self._live(key, uid)
        if pod is None or pod.node is None or not self.state.nodes[pod.node].up:
            return
        self.remove_pod(pod)

    def remove_pod(self, pod: PodState) -> None:
        """The pod object is gone: free its IP and node resources, drop it from Services."""
        if pod.node is not None:
            if pod.ip is not None and not pod.template.host_network:
                self.ip_alloc[pod.node].release(pod.ip)
            pc = self.pod_class(pod)
            counted = None if pod.terminating else pod.owner  # a Terminating pod was uncounted at delete_pod
            self.table.add_pod(self.table.index[pod.node], pc.req, pc.nz, counted, pod.template.host_ports, sign=-1)
            self.table.track_pod(pod.key, self.table.index[pod.node], pod.namespace, pod.labels, pod.template, -1)
            self.pods_on_node[pod.node].pop(pod.key, None)
        self.endpoints.pod_removed(pod)
        del self.state.pods[pod.key]
        self.dirty_pods.add(pod.key)
        self._pod_change("PodDeleted", pod, node=pod.node, ip=pod.ip)
        self._sandbox_due.pop(pod.key, None)
        self._evictions.pop(pod.key, None)
        self._pin.pop(pod.key, None)
        self.sched_queue.remove(pod.key)
        self._last_failure.pop(pod.key, None)
        if pod.owner is not None:
            self.owned.get(pod.owner, {}).pop(pod.key, None)
            self.dirty_workloads.add(pod.owner)
        self.cluster_event(POD_DELETED)
        self.touch()
