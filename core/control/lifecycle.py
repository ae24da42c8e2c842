"""Node lifecycle (domain.md e) and node/pod actions: fail, recover, cordon, uncordon, drain, delete pod.

Timeline actions land here through ``apply_timeline``. The node lifecycle controller is modelled by
timers at the exact multiples of ``node_monitor_period`` where something can happen (detection of a failed
node; taint removal after recovery), which is equivalent to running it every period.
"""

from __future__ import annotations

import math
from dataclasses import replace

from core.control import events as ev
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
        self._set_taints(ns, [t for t in ns.taints if t.key != UNREACHABLE_TAINT_KEY]
                         + [UNREACHABLE_NO_SCHEDULE, UNREACHABLE_NO_EXECUTE])
        self.endpoints.control_plane_changed()
        no_execute = [t for t in ns.taints if t.effect == "NoExecute"]
        for pod in self._pods_on(name):
            was_ready = pod.ready
            if pod.ready:
                pod.ready = False
                self.endpoints.pod_changed(pod)
            if not pod.terminating:
                pod.reason = "NodeNotReady"
                if was_ready:  # MarkPodsNotReady records only when the Ready condition actually flips
                    self.record("Warning", "NodeNotReady", ev.pod_object(*pod.key), "Node is not ready")
                secs = self.toleration_seconds(pod, no_execute)
                if secs is not None:
                    self._evictions[pod.key] = (pod.uid, name)
                    self.at(now + secs, "evict", pod.key, pod.uid, name, self._episode[name])

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
            self._retry = True
            for key in sorted(k for k, (_, node) in self._evictions.items() if node == name):
                uid, _ = self._evictions.pop(key)
                pod = self._live(key, uid)
                if pod is not None and not pod.terminating:
                    self.record("Normal", "TaintManagerEviction", ev.pod_object(*key),
                                f"Cancelling deletion of Pod {key[0]}/{key[1]}")

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
        self._retry = True

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
