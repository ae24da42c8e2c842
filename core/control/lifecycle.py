"""Node lifecycle (domain.md e) and node/pod actions: fail, recover, cordon, uncordon, drain, delete pod.

Timeline actions land here through ``apply_timeline``. The node lifecycle controller is modelled by
timers at the exact multiples of ``node_monitor_period`` where something can happen (detection of a failed
node; taint removal after recovery), which is equivalent to running it every period.
"""

from __future__ import annotations

import math
from dataclasses import replace

from core.control import events as ev
from core.control import scheduler as sch
from core.control.schedqueue import (
    NODE_SCHEDULABLE_CHANGED,
    NODE_TAINTS_CHANGED,
    POD_BOUND,
    POD_DELETED,
)
from core.control.scheduler import (
    SCORING_STRATEGIES,
    STRATEGIES,
    UNREACHABLE_TAINT_KEY,
    UNSCHEDULABLE_TAINT_KEY,
)
from core.model import IPVS_SCHEDULERS, Taint, TimelineEvent
from core.state import NodeState

UNREACHABLE_NO_SCHEDULE = Taint(UNREACHABLE_TAINT_KEY, "", "NoSchedule")
UNREACHABLE_NO_EXECUTE = Taint(UNREACHABLE_TAINT_KEY, "", "NoExecute")
UNSCHEDULABLE_TAINT = Taint(UNSCHEDULABLE_TAINT_KEY, "", "NoSchedule")
PROXY_MODES = ("iptables", "ipvs", "nftables", "userspace")
NODE_ACTIONS = ("failNode", "recoverNode", "cordon", "uncordon", "drain")
EPS = 1e-9
# node lifecycle controller zone states and flags (kube-controller-manager defaults)
NORMAL, PARTIAL_DISRUPTION, FULL_DISRUPTION = "Normal", "PartialDisruption", "FullDisruption"
UNHEALTHY_ZONE_THRESHOLD = 0.55  # --unhealthy-zone-threshold
LARGE_CLUSTER_SIZE_THRESHOLD = 50  # --large-cluster-size-threshold
SECONDARY_NODE_EVICTION_RATE = 0.01  # --secondary-node-eviction-rate, nodes per second
NODE_EVICTION_RATE = 0.1  # --node-eviction-rate, nodes per second (token bucket, burst 1, per zone)


def round_time(t: float) -> float:
    """Simulated instants are kept to 1 ns so that 0.1-second ticks land exactly on whole seconds."""
    return round(t, 9)


def next_multiple(t: float, period: float) -> float:
    """The first multiple of ``period`` at or after ``t``."""
    if period <= 0:
        return round_time(t)
    return round_time(math.ceil(t / period - EPS) * period)


class NodeLifecycleMixin:
    """Mixed into ``ControlPlane``."""

    # cluster event -> the filters (scheduler failure codes) whose rejections it may undo (EventsToRegister)
    RELEVANT_EVENTS = {
        POD_DELETED: frozenset({sch.RESOURCES, sch.PORTS, sch.POD_ANTI_AFFINITY, sch.EXISTING_ANTI_AFFINITY}),
        POD_BOUND: frozenset({sch.POD_AFFINITY}),
        NODE_TAINTS_CHANGED: frozenset({sch.TAINT}),
        NODE_SCHEDULABLE_CHANGED: frozenset({sch.UNSCHEDULABLE}),
    }

    def cluster_event(self, kind: str) -> None:
        """An event the scheduling queue listens to: move the pods it may help out of unschedulablePods."""
        self.sched_queue.event(kind, self.state.time)

    def _on_sched_backoff(self) -> None:
        self.sched_queue.flush_backoff(self.state.time)

    def _on_sched_leftover(self) -> None:
        self.sched_queue.flush_leftover(self.state.time)

    # -- timeline ----------------------------------------------------------------------------------------------

    def check_timeline_event(self, event: TimelineEvent) -> None:
        """Raise ValueError naming what is wrong with a timeline event (unknown node, bad value...)."""
        a = event.action
        if a in NODE_ACTIONS:
            if event.target not in self.state.nodes:
                raise ValueError(f"{a}: unknown node {event.target!r}; nodes: {', '.join(self.state.nodes)}")
        elif a == "scale":
            ref = self.find_workload(str(event.target))
            if ref is None or ref[0] == "DaemonSet":
                raise ValueError(f"scale: no Deployment, ReplicaSet or StatefulSet named {event.target!r}")
            if not isinstance(event.value, int) or isinstance(event.value, bool) or event.value < 0:
                raise ValueError(f"scale: replicas must be an integer >= 0, got {event.value!r}")
        elif a == "setProxyMode":
            if event.value not in PROXY_MODES:
                raise ValueError(f"setProxyMode: unknown mode {event.value!r}; allowed: {', '.join(PROXY_MODES)}")
        elif a == "setIPVSScheduler":
            if event.value not in IPVS_SCHEDULERS:
                raise ValueError(f"setIPVSScheduler: unknown scheduler {event.value!r}; "
                                 f"allowed: {', '.join(IPVS_SCHEDULERS)}")
        elif a == "setScheduler":
            if event.value not in STRATEGIES + SCORING_STRATEGIES:
                raise ValueError(f"setScheduler: unknown scheduler {event.value!r}; "
                                 f"allowed: {', '.join(STRATEGIES + SCORING_STRATEGIES)}")
        elif a == "deletePod":
            if not event.target:
                raise ValueError("deletePod: target must name a pod (namespace/name)")
        else:
            raise ValueError(f"unknown timeline action {a!r}")

    def _on_timeline(self, event: TimelineEvent) -> None:
        a = event.action
        if a == "failNode":
            self.fail_node(event.target)
        elif a == "recoverNode":
            self.recover_node(event.target)
        elif a == "cordon":
            self.cordon(event.target)
        elif a == "uncordon":
            self.uncordon(event.target)
        elif a == "drain":
            self.drain(event.target)
        elif a == "scale":
            self.scale(str(event.target), int(event.value))  # type: ignore[arg-type]
        elif a == "deletePod":
            self.delete_pod_named(event.target)
        elif a == "setProxyMode":
            self.state.proxy_config = replace(self.state.proxy_config, mode=event.value)
            self.request_proxy_sync()
        elif a == "setIPVSScheduler":
            self.state.proxy_config = replace(self.state.proxy_config, ipvs_scheduler=event.value)
            self.request_proxy_sync()
        elif a == "setScheduler":
            if event.value in STRATEGIES:
                self.state.scheduler_config = replace(self.state.scheduler_config, strategy=event.value)
            else:
                self.state.scheduler_config = replace(self.state.scheduler_config, strategy="kube-scheduler",
                                                      scoring_strategy=event.value)
            self.touch()

    # -- helpers -------------------------------------------------------------------------------------------------

    def _set_taints(self, ns: NodeState, taints: list[Taint]) -> None:
        if any(t not in taints for t in ns.taints):  # a taint went away: pods it kept out may fit now
            self.cluster_event(NODE_TAINTS_CHANGED)
        ns.taints = list(taints)
        self.table.set_taints(self.table.index[ns.name], ns.taints)
        self.mark_daemonsets_dirty()
        self.touch()

    def _pods_on(self, node: str):
        return [self.state.pods[k] for k in sorted(self.pods_on_node[node], key=lambda k: k[1])
                if k in self.state.pods]

    # -- failure and recovery -------------------------------------------------------------------------------------

    def fail_node(self, name: str) -> None:
        ns = self.state.nodes[name]
        if not ns.up:
            return
        ns.up = False
        ns.last_heartbeat = self.state.time
        self._proxy_due.pop(name, None)
        self.touch()
        self.at(next_multiple(self.state.time + self.timing.node_monitor_grace_period,
                              self.timing.node_monitor_period), "monitor", name)

    def _on_monitor(self, name: str) -> None:
        ns = self.state.nodes[name]
        if ns.up or ns.ready != "True":
            return
        if self.state.time - ns.last_heartbeat < self.timing.node_monitor_grace_period - 1e-9:
            return
        now = self.state.time
        ns.ready = "Unknown"
        ns.not_ready_since = now
        self._episode[name] = self._episode.get(name, 0) + 1
        self.record("Normal", "NodeNotReady", ev.node_object(name), ev.node_status(name, "NodeNotReady"))
        # doNoScheduleTaintingPass is not rate limited; the NoExecute taint goes through the zone's queue
        self._set_taints(ns, [t for t in ns.taints if t.key != UNREACHABLE_TAINT_KEY] + [UNREACHABLE_NO_SCHEDULE])
        self.endpoints.control_plane_changed()
        for pod in self._pods_on(name):
            was_ready = pod.ready
            if pod.ready:
                pod.ready = False
                self.endpoints.pod_changed(pod)
            if not pod.terminating:
                pod.reason = "NodeNotReady"
                if was_ready:  # MarkPodsNotReady records only when the Ready condition actually flips
                    self.record("Warning", "NodeNotReady", ev.pod_object(*pod.key), "Node is not ready")
        self._taint_queue()[name] = None
        # handleDisruption runs once the whole monitor pass has updated every node: after the other nodes
        # detected at this instant (their timers are already queued ahead of this one)
        if not getattr(self, "_disruption_due", False):
            self._disruption_due = True
            self.at(now, "disruption")

    # -- zone disruption (node_lifecycle_controller.go handleDisruption / ComputeZoneState) ----------------------

    def _taint_queue(self) -> dict[str, None]:
        """Nodes waiting for the unreachable:NoExecute taint (zoneNoExecuteTainter), in arrival order."""
        if not hasattr(self, "_no_execute_queue"):
            self._no_execute_queue: dict[str, None] = {}
            self._zone_next_taint: dict[str, float] = {}
            self._zone_timer_at: set[float] = set()
            self._master_disruption = False
        return self._no_execute_queue

    def zone_states(self) -> dict[str, str]:
        """ComputeZoneState per zone (``topology.kubernetes.io/zone``; nodes without it share zone ""):
        ``FullDisruption`` when no node of the zone is Ready, ``PartialDisruption`` when more than 2 are not
        Ready and they are at least ``unhealthyZoneThreshold`` (0.55) of it, else ``Normal``."""
        ready: dict[str, int] = {}
        not_ready: dict[str, int] = {}
        for ns in self.state.nodes.values():
            zone = ns.spec.zone or ""
            ready.setdefault(zone, 0)
            not_ready.setdefault(zone, 0)
            if ns.ready == "True":
                ready[zone] += 1
            else:
                not_ready[zone] += 1
        out = {}
        for zone in ready:
            r, n = ready[zone], not_ready[zone]
            if r == 0 and n > 0:
                out[zone] = FULL_DISRUPTION
            elif n > 2 and n / (n + r) >= UNHEALTHY_ZONE_THRESHOLD:
                out[zone] = PARTIAL_DISRUPTION
            else:
                out[zone] = NORMAL
        return out

    def _disruption_pass(self) -> None:
        """handleDisruption, then the NoExecute tainting pass over the queue.

        * Every zone fully disrupted: "master disruption mode" -- the controller assumes the problem is its own
          (or the network's), not the nodes': it removes every unreachable/not-ready NoExecute taint
          (markNodeAsReachable), so the taint manager cancels the pending evictions, and taints nothing more.
        * Leaving it (some node Ready again): still-NotReady nodes are tainted again from the next monitor pass.
        * Otherwise each zone taints through its own token bucket (burst 1): Normal (and a single fully
          disrupted zone) at ``--node-eviction-rate`` (0.1 nodes/s: one node at once, the next 10 s later);
          PartialDisruption at ``--secondary-node-eviction-rate`` (0.01/s) when the zone has more than
          ``--large-cluster-size-threshold`` (50) nodes, else not at all.
        """
        queue = self._taint_queue()
        states = self.zone_states()
        all_full = bool(states) and all(v == FULL_DISRUPTION for v in states.values())
        now = self.state.time
        if all_full:
            if not self._master_disruption:
                self._master_disruption = True
                for name, ns in self.state.nodes.items():
                    if UNREACHABLE_NO_EXECUTE in ns.taints:
                        self._set_taints(ns, [t for t in ns.taints if t != UNREACHABLE_NO_EXECUTE])
                        self._cancel_evictions(name)
                    if ns.ready != "True":
                        queue[name] = None  # tainted again once the cluster leaves this mode
            return
        if self._master_disruption:
            self._master_disruption = False
            self.at(next_multiple(now, self.timing.node_monitor_period), "disruption")
            return
        sizes: dict[str, int] = {}
        for ns in self.state.nodes.values():
            sizes[ns.spec.zone or ""] = sizes.get(ns.spec.zone or "", 0) + 1
        for name in list(queue):
            ns = self.state.nodes[name]
            if ns.ready == "True":
                del queue[name]
                continue
            zone = ns.spec.zone or ""
            rate = NODE_EVICTION_RATE  # Normal, and FullDisruption of one zone among others (HealthyQPSFunc)
            if states.get(zone) == PARTIAL_DISRUPTION:
                if sizes[zone] <= LARGE_CLUSTER_SIZE_THRESHOLD:
                    continue  # ReducedQPSFunc: 0 for small zones -- wait until the zone is healthier
                rate = SECONDARY_NODE_EVICTION_RATE
            # the zone's token bucket (burst 1): one node now, the next 1/rate seconds later
            due = self._zone_next_taint.get(zone, now)
            if due > now + EPS:
                if due not in self._zone_timer_at:
                    self._zone_timer_at.add(due)
                    self.at(due, "disruption")
                continue
            self._zone_next_taint[zone] = round_time(now + 1.0 / rate)
            del queue[name]
            self._taint_no_execute(name)

    def _on_disruption(self) -> None:
        self._disruption_due = False
        self._disruption_pass()

    def _taint_no_execute(self, name: str) -> None:
        """unreachable:NoExecute on ``name``; the taint manager queues each pod's eviction for when its
        toleration runs out."""
        ns = self.state.nodes[name]
        if UNREACHABLE_NO_EXECUTE in ns.taints:
            return
        now = self.state.time
        self._episode[name] = self._episode.get(name, 0) + 1  # evictions queued before belong to an older taint
        self._set_taints(ns, ns.taints + [UNREACHABLE_NO_EXECUTE])
        no_execute = [t for t in ns.taints if t.effect == "NoExecute"]
        for pod in self._pods_on(name):
            if pod.terminating:
                continue
            secs = self.toleration_seconds(pod, no_execute)
            if secs is not None:
                self._evictions[pod.key] = (pod.uid, name)
                self.at(now + secs, "evict", pod.key, pod.uid, name, self._episode[name])

    def _cancel_evictions(self, name: str) -> None:
        """The taint manager's reaction to a NoExecute taint going away: cancel the evictions it queued."""
        for key in sorted(k for k, (_, node) in self._evictions.items() if node == name):
            uid, _ = self._evictions.pop(key)
            pod = self._live(key, uid)
            if pod is not None and not pod.terminating:
                self.record("Normal", "TaintManagerEviction", ev.pod_object(*key),
                            f"Cancelling deletion of Pod {key[0]}/{key[1]}")

    def _on_evict(self, key, uid, node: str, episode: int) -> None:
        pod = self._live(key, uid)
        ns = self.state.nodes[node]
        if (pod is None or pod.terminating or pod.node != node or self._episode.get(node) != episode
                or UNREACHABLE_NO_EXECUTE not in ns.taints):
            return
        self._evictions.pop(key, None)
        self.record("Normal", "TaintManagerEviction", ev.pod_object(*pod.key),
                    f"Marking for deletion Pod {pod.namespace}/{pod.name}")
        self.delete_pod(pod)

    def recover_node(self, name: str) -> None:
        ns = self.state.nodes[name]
        if ns.up:
            return
        now = self.state.time
        ns.up = True
        ns.last_heartbeat = now
        if ns.ready != "True":
            ns.ready = "True"
            ns.not_ready_since = None
            self.record("Normal", "NodeReady", ev.node_object(name), ev.node_status(name, "NodeReady"))
            self.endpoints.control_plane_changed()
            self.at(next_multiple(now, self.timing.node_monitor_period), "untaint", name)
            self._taint_queue().pop(name, None)
            self._disruption_pass()  # a zone (or the whole cluster) may leave its disruption state
        for pod in self._pods_on(name):
            if pod.terminating:
                self._kill(pod, max(now, (pod.deletion_timestamp or now) + self.timing.termination_grace))
            elif pod.phase != "Running":
                self.at(now + self.timing.pod_startup, "pod_running", pod.key, pod.uid)
            elif not pod.ready:
                self.at(now + pod.template.readiness_delay, "pod_ready", pod.key, pod.uid)
        self._kubelet_schedulable_event(ns)
        delay = self.proxy_delay()
        self._proxy_due[name] = now + delay
        self.at(now + delay, "proxy_sync")
        self.touch()

    def _on_untaint(self, name: str) -> None:
        """The lifecycle controller's run after a recovery: the node posted Ready, so its unreachable taints
        go -- even if it failed again meanwhile, as long as its last heartbeat is within the grace period (the
        next detection then taints it anew). The taint manager cancels the evictions it had queued."""
        ns = self.state.nodes[name]
        if ns.ready != "True":
            return
        if not ns.up and self.state.time - ns.last_heartbeat >= self.timing.node_monitor_grace_period - EPS:
            return
        if any(t.key == UNREACHABLE_TAINT_KEY for t in ns.taints):
            self._set_taints(ns, [t for t in ns.taints if t.key != UNREACHABLE_TAINT_KEY])
            self._cancel_evictions(name)

    # -- cordon / drain / delete ------------------------------------------------------------------------------------

    def cordon(self, name: str) -> None:
        ns = self.state.nodes[name]
        if ns.unschedulable:
            return
        ns.unschedulable = True
        self.table.unschedulable[self.table.index[name]] = True
        self._set_taints(ns, ns.taints + [UNSCHEDULABLE_TAINT])
        self._kubelet_schedulable_event(ns)

    def uncordon(self, name: str) -> None:
        ns = self.state.nodes[name]
        if not ns.unschedulable:
            return
        ns.unschedulable = False
        self.table.unschedulable[self.table.index[name]] = False
        self._set_taints(ns, [t for t in ns.taints if t != UNSCHEDULABLE_TAINT])
        self._kubelet_schedulable_event(ns)
        self.cluster_event(NODE_SCHEDULABLE_CHANGED)

    def _kubelet_schedulable_event(self, ns: NodeState) -> None:
        """The kubelet (not the API server) records NodeNotSchedulable / NodeSchedulable when it sees
        spec.unschedulable change: nothing while the node is down, the catch-up event when it is back."""
        if not ns.up:
            return
        last = self._kubelet_unschedulable.get(ns.name, ns.spec.unschedulable)
        if last != ns.unschedulable:
            status = "NodeNotSchedulable" if ns.unschedulable else "NodeSchedulable"
            self.record("Normal", status, ev.node_object(ns.name), ev.node_status(ns.name, status))
        self._kubelet_unschedulable[ns.name] = ns.unschedulable

    def drain(self, name: str) -> None:
        """kubectl drain (with --force --ignore-daemonsets): cordon, then evict every non-DaemonSet pod."""
        self.cordon(name)
        for pod in self._pods_on(name):
            if pod.owner is not None and pod.owner[0] == "DaemonSet":
                continue
            self.delete_pod(pod)

    def delete_pod_named(self, target: str) -> None:
        """``namespace/name`` (namespace defaults to ``default``); a workload's name deletes its first pod."""
        ns, _, name = target.rpartition("/")
        key = (ns or "default", name)
        pod = self.state.pods.get(key)
        if pod is None:
            ref = self.find_workload(target)
            if ref is not None:
                mine = sorted((k for k in self.owned.get(ref, {}) if not self.state.pods[k].terminating),
                              key=lambda k: k[1])
                pod = self.state.pods[mine[0]] if mine else None
        if pod is not None:
            self.delete_pod(pod)
