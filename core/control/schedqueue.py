"""kube-scheduler's scheduling queue: activeQ, podBackoffQ and unschedulablePods (k/k
``pkg/scheduler/internal/queue/scheduling_queue.go``, default ``KubeSchedulerConfiguration``).

* A new pod enters activeQ. Pods leave activeQ in PrioritySort order: priority (every PodPath pod has 0),
  then the time the pod was queued (``Timestamp``), then creation order.
* A pod that no node fits goes to unschedulablePods with ``Timestamp`` = now and the set of filters that
  rejected it (its "unschedulable plugins"). Nothing retries it until a *cluster event* one of those plugins
  registered for happens (``MoveAllToActiveOrBackoffQueue``): then it moves to podBackoffQ if its backoff is
  still running, else to activeQ.
* Backoff: ``podInitialBackoffSeconds`` (1 s) doubled per scheduling attempt, at most ``podMaxBackoffSeconds``
  (10 s), counted from the pod's ``Timestamp``. podBackoffQ is flushed when backoffs end (upstream polls it
  every second; PodPath moves a pod exactly when its backoff ends).
* ``flushUnschedulablePodsLeftover`` runs every 30 s and moves pods that have sat in unschedulablePods longer
  than ``podMaxInUnschedulablePodsDuration`` (5 min), event or not.

Which events wake which rejected pods (the plugins' EventsToRegister, without QueueingHints): a pod deleted
(resources and host ports freed, anti-affinity lifted) -> NodeResourcesFit, NodePorts, InterPodAffinity;
a pod bound to a node -> InterPodAffinity (pod affinity may now be satisfied); a node's taints changed ->
TaintToleration; a node's ``spec.unschedulable`` changed -> NodeUnschedulable. NodeName and NodeAffinity
failures wait for node additions or label changes, which PodPath does not have, so only the 5-minute flush
retries them.
"""

from __future__ import annotations

import math

from core.state import BigMap

INITIAL_BACKOFF = 1.0  # podInitialBackoffSeconds
MAX_BACKOFF = 10.0  # podMaxBackoffSeconds
MAX_IN_UNSCHEDULABLE = 300.0  # podMaxInUnschedulablePodsDuration
LEFTOVER_FLUSH_PERIOD = 30.0  # flushUnschedulablePodsLeftover period

# cluster events and the rejecting filters (scheduler.py failure codes) each one may resolve
POD_DELETED, POD_BOUND, NODE_TAINTS_CHANGED, NODE_SCHEDULABLE_CHANGED = (
    "PodDelete", "AssignedPodAdd", "NodeTaintChange", "NodeSpecUnschedulableChange")


def backoff_duration(attempts: int) -> float:
    """calculateBackoffDuration: 1 s, 2 s, 4 s, 8 s, then 10 s (``attempts`` >= 1)."""
    duration = INITIAL_BACKOFF
    for _ in range(1, attempts):
        if duration > MAX_BACKOFF - duration:
            return MAX_BACKOFF
        duration += duration
    return duration


class SchedulingQueue:
    """The three queues, keyed by pod key. ``timer(time, kind)`` asks the owner to call back
    ``flush_backoff`` (kind "sched_backoff") or ``flush_leftover`` (kind "sched_leftover") at ``time``."""

    def __init__(self, timer, relevant: dict[str, frozenset[int]]):
        self.timer = timer
        self.relevant = relevant  # event -> failure codes it may resolve
        self.active: dict[tuple[str, str], tuple[float, int]] = {}  # key -> (timestamp, uid)
        self.backoff: dict[tuple[str, str], float] = {}  # key -> when its backoff ends
        self.unschedulable: dict[tuple[str, str], tuple[float, frozenset[int]]] = {}  # key -> (since, codes)
        self.attempts: dict[tuple[str, str], int] = BigMap()  # one entry per pod ever queued
        self.timestamp: dict[tuple[str, str], tuple[float, int]] = BigMap()
        self._backoff_timers: set[float] = set()
        self._leftover_due: float | None = None

    def __len__(self) -> int:
        return len(self.active) + len(self.backoff) + len(self.unschedulable)

    # -- entering -------------------------------------------------------------------------------------------

    def add(self, key: tuple[str, str], now: float, uid: int) -> None:
        """A new pod (or one whose spec.nodeName the kubelet handles): straight to activeQ."""
        self.timestamp[key] = (now, uid)
        self.active[key] = (now, uid)

    def pop_active(self) -> list[tuple[str, str]]:
        """Every pod in activeQ, in PrioritySort order; each pop counts as a scheduling attempt."""
        keys = sorted(self.active, key=self.active.__getitem__)
        self.active.clear()
        for k in keys:
            self.attempts[k] = self.attempts.get(k, 0) + 1
        return keys

    def failed(self, key: tuple[str, str], now: float, codes: frozenset[int]) -> None:
        """AddUnschedulableIfNotPresent: the pod waits for an event (its Timestamp refreshed)."""
        uid = self.timestamp.get(key, (now, 0))[1]
        self.timestamp[key] = (now, uid)
        self.unschedulable[key] = (now, codes)
        self._arm_leftover(now)

    def remove(self, key: tuple[str, str]) -> None:
        for q in (self.active, self.backoff, self.unschedulable, self.attempts, self.timestamp):
            q.pop(key, None)

    # -- moving -----------------------------------------------------------------------------------------------

    def backoff_end(self, key: tuple[str, str]) -> float:
        return self.timestamp[key][0] + backoff_duration(max(1, self.attempts.get(key, 1)))

    def _activate_or_backoff(self, key: tuple[str, str], now: float) -> None:
        end = self.backoff_end(key)
        if end > now + 1e-9:
            self.backoff[key] = end
            if end not in self._backoff_timers:
                self._backoff_timers.add(end)
                self.timer(end, "sched_backoff")
        else:
            self.active[key] = self.timestamp[key]

    def event(self, kind: str, now: float) -> int:
        """MoveAllToActiveOrBackoffQueue for one cluster event; returns how many pods moved."""
        codes = self.relevant.get(kind, frozenset())
        moved = [k for k, (_, rejected) in self.unschedulable.items() if rejected & codes]
        for k in moved:
            del self.unschedulable[k]
            self._activate_or_backoff(k, now)
        return len(moved)

    def flush_backoff(self, now: float) -> None:
        """flushBackoffQCompleted: pods whose backoff has ended go to activeQ."""
        self._backoff_timers = {t for t in self._backoff_timers if t > now + 1e-9}
        for k in [k for k, end in self.backoff.items() if end <= now + 1e-9]:
            del self.backoff[k]
            self.active[k] = self.timestamp[k]

    def _arm_leftover(self, now: float) -> None:
        if self._leftover_due is None:
            # the periodic flush runs at multiples of 30 s from the scheduler's start; the first one that can
            # find this pod too old comes more than 5 min after it was parked (later pods: a later flush)
            self._leftover_due = math.floor((now + MAX_IN_UNSCHEDULABLE) / LEFTOVER_FLUSH_PERIOD + 1) \
                * LEFTOVER_FLUSH_PERIOD
            self.timer(self._leftover_due, "sched_leftover")

    def flush_leftover(self, now: float) -> None:
        """flushUnschedulablePodsLeftover: pods parked longer than 5 min are retried, event or not."""
        self._leftover_due = None
        old = [k for k, (since, _) in self.unschedulable.items() if now - since > MAX_IN_UNSCHEDULABLE]
        for k in old:
            del self.unschedulable[k]
            self._activate_or_backoff(k, now)
        if self.unschedulable:
            oldest = min(since for since, _ in self.unschedulable.values())
            due = math.floor((oldest + MAX_IN_UNSCHEDULABLE) / LEFTOVER_FLUSH_PERIOD + 1) * LEFTOVER_FLUSH_PERIOD
            self._leftover_due = due
            self.timer(due, "sched_leftover")
