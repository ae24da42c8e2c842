"""Workload controllers: Deployment (through its ReplicaSet), ReplicaSet, StatefulSet, DaemonSet, bare pods.

A ReplicaSet counts only pods without a deletionTimestamp as active, so it creates replacements the moment
pods are deleted or evicted; scaling down deletes pods in ReplicaSet order (unscheduled, then pending,
then not ready, then the newest first). A StatefulSet replaces ``web-2`` only after the old ``web-2`` object
is gone. A DaemonSet keeps one pod per node whose taints it tolerates (its pods get the DaemonSet
tolerations and are never evicted by the taint manager).
"""

from __future__ import annotations

from core.control import events as ev
from core.control.scheduler import PodClass, daemonset_tolerations, default_tolerations, match_expression
from core.model import Taint, WorkloadSpec
from core.state import BigMap, PodState

SPREAD_OWNER_KINDS = ("Deployment", "ReplicaSet", "StatefulSet")
STATEFULSET_POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"


def replicaset_name(w: WorkloadSpec) -> str:
    """The ReplicaSet a Deployment creates: ``<name>-<pod-template-hash>``."""
    return f"{w.name}-{ev.template_hash(w.template.hash_text())}"


def pod_labels(w: WorkloadSpec, ordinal: int | None = None) -> dict[str, str]:
    """The labels the controller gives a pod of ``w``: the template's, plus ``pod-template-hash`` for a
    Deployment's pods and ``statefulset.kubernetes.io/pod-name`` for StatefulSet ordinal ``ordinal``."""
    labels = dict(w.template.labels)
    if w.kind == "Deployment":
        labels["pod-template-hash"] = replicaset_name(w).rsplit("-", 1)[1]
    elif w.kind == "StatefulSet" and ordinal is not None:
        labels[STATEFULSET_POD_NAME_LABEL] = f"{w.name}-{ordinal}"
    return labels


def pod_label_sets(w: WorkloadSpec) -> list[dict[str, str]]:
    """Every label set ``w``'s pods carry at its written replica count (one per ordinal for a StatefulSet)."""
    if w.kind == "StatefulSet":
        return [pod_labels(w, i) for i in range(w.replicas)]
    return [pod_labels(w)]


class WorkloadMixin:
    """Mixed into ``ControlPlane``: the controllers that own pods."""

    @property
    def desired(self) -> dict[tuple[str, str, str], int]:
        """Each workload's desired replicas (kept in the state: what the canvas shows as 'n/m ready')."""
        return self.state.replicas

    def _init_workloads(self) -> None:
        self.workloads: dict[tuple[str, str, str], WorkloadSpec] = {}
        self.rs_names: dict[tuple[str, str, str], str] = {}
        self.owned: dict[tuple[str, str, str], dict[tuple[str, str], None]] = {}
        self.dirty_workloads: set[tuple[str, str, str]] = set()
        self._pin: dict[tuple[str, str], str | None] = BigMap()  # one entry per pod
        self._bare_ip: dict[tuple[str, str], str] = {}
        self._classes: dict[tuple, PodClass] = {}
        self._name_seq: dict[tuple[str, str, str], int] = {}  # generated names so far, per owner
        seed_seq = getattr(self.rng.bit_generator, "seed_seq", None)
        entropy = getattr(seed_seq, "entropy", None)
        self.name_seed = entropy if isinstance(entropy, int) else 0  # the run's seed (default_rng(seed))
        for w in self.model.workloads:
            ref = (w.kind, w.namespace, w.name)
            if ref in self.workloads:
                raise ValueError(f"duplicate {w.kind} {w.namespace}/{w.name}")
            self.workloads[ref] = w
            self.desired[ref] = int(w.replicas)
            if w.kind == "Deployment":
                self.rs_names[ref] = replicaset_name(w)
                if w.replicas > 0:  # the deployment controller creates the ReplicaSet scaled from 0
                    self.record("Normal", "ScalingReplicaSet", ev.workload_object(*ref),
                                ev.scaled(self.rs_names[ref], 0, int(w.replicas)))
            self.dirty_workloads.add(ref)
        for bp in self.model.pods:
            if bp.pod_ip:
                self._bare_ip[(bp.namespace, bp.name)] = bp.pod_ip
            self.create_pod(bp.namespace, bp.name, bp.template, None, bp.template.labels)

    # -- scheduling facts per template ------------------------------------------------------------------------

    def pod_class(self, pod: PodState) -> PodClass:
        pin = self._pin.get(pod.key)
        key = (pod.namespace, id(pod.template), pod.owner, pin)
        pc = self._classes.get(key)
        if pc is None:
            kind = pod.owner[0] if pod.owner else None
            tol = pod.template.tolerations
            if kind == "DaemonSet":
                tol = daemonset_tolerations(tol)
            tol = default_tolerations(tol, self.timing.toleration_seconds)
            selector: dict[str, str] = {}
            for skey in self.endpoints.services_of(pod):  # GetPodServices: Services selecting the pod
                selector.update(self.endpoints.services[skey].selector or {})
            spread = kind in SPREAD_OWNER_KINDS or bool(selector)
            owner = pod.owner if kind is not None else None
            pc = self.scheduler.pod_class(pod.namespace, pod.template, owner, tol, pin, spread, selector)
            self._classes[key] = pc
        return pc

    def toleration_seconds(self, pod: PodState, taints: list[Taint] | tuple[Taint, ...]) -> float | None:
        """How long the pod tolerates a node's NoExecute ``taints``: 0 if one is not tolerated at all, None
        for ever. The taint manager's GetMatchingTolerations takes, per taint, the *first* toleration that
        tolerates it; getMinTolerationTime is the minimum tolerationSeconds over those (<= 0 means now)."""
        pc = self.pod_class(pod)
        used = []
        for taint in taints:
            first = next((t for t in pc.tolerations if t.tolerates(taint)), None)
            if first is None:
                return 0.0
            used.append(first)
        secs = [t.toleration_seconds for t in used if t.toleration_seconds is not None]
        return max(0.0, min(secs)) if secs else None

    # -- reconcile ----------------------------------------------------------------------------------------------

    def _reconcile_workloads(self) -> None:
        while self.dirty_workloads:
            for ref in sorted(self.dirty_workloads):
                self.dirty_workloads.discard(ref)
                w = self.workloads.get(ref)
                if w is None:
                    continue
                if w.kind == "StatefulSet":
                    self._reconcile_statefulset(w, ref)
                elif w.kind == "DaemonSet":
                    self._reconcile_daemonset(w, ref)
                else:
                    self._reconcile_replicaset(w, ref)

    def _owner_object(self, ref) -> str:
        kind, ns, name = ref
        if kind == "Deployment":
            return ev.workload_object("ReplicaSet", ns, self.rs_names[ref])
        return ev.workload_object(kind, ns, name)

    def _generate_name(self, ns: str, base: str, ref) -> str:
        """``generateName``: ``base`` plus the next suffix of owner ``ref``'s own stream (``ev.owner_suffix``),
        so adding, removing or scaling another workload never renames this one's pods; a name in use (or a
        collision with another owner's) moves on to the owner's next suffix."""
        owner = "/".join(ref)
        while True:
            n = self._name_seq.get(ref, 0)
            self._name_seq[ref] = n + 1
            name = f"{base}-{ev.owner_suffix(self.name_seed, owner, n)}"
            if (ns, name) not in self.state.pods:
                return name

    def _reconcile_replicaset(self, w: WorkloadSpec, ref) -> None:
        pods = [self.state.pods[k] for k in self.owned.get(ref, {}) if k in self.state.pods]
        active = [p for p in pods if not p.terminating]
        diff = self.desired[ref] - len(active)
        base = self.rs_names.get(ref, w.name)
        obj = self._owner_object(ref)
        for _ in range(max(0, diff)):
            name = self._generate_name(w.namespace, base, ref)
            self.create_pod(w.namespace, name, w.template, ref, pod_labels(w))
            self.record("Normal", "SuccessfulCreate", obj, f"Created pod: {name}")
        if diff < 0:
            victims = self._ranked_for_deletion(active, pods)[:-diff]
            for p in victims:
                self.record("Normal", "SuccessfulDelete", obj, f"Deleted pod: {p.name}")
                self.delete_pod(p)

    @staticmethod
    def _ranked_for_deletion(active: list[PodState], related: list[PodState]) -> list[PodState]:
        """controller.ActivePodsWithRanks order, the first deleted first: unassigned before assigned;
        Pending < Unknown < Running; not ready before ready; then pods "doubled up" -- on a node with more
        related (active) pods -- first; then the more recently Ready; then the newer. (Without
        pod-deletion-cost and restart counts. LogarithmicScaleDown's log2 time buckets with a random-UID
        tie break are approximated by the exact times, newest first.)"""
        on_node: dict[str, int] = {}
        for p in related:
            if p.node is not None and not p.terminating:
                on_node[p.node] = on_node.get(p.node, 0) + 1
        phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}
        return sorted(active, key=lambda p: (
            p.node is not None, phase_rank.get(p.phase, 2), p.ready,
            -on_node.get(p.node, 0) if p.node is not None else 0,
            -(p.ready_at or 0.0) if p.ready else 0.0, -p.created, -p.uid))

    def _reconcile_statefulset(self, w: WorkloadSpec, ref) -> None:
        """podManagementPolicy OrderedReady (the default): ordinals are created one at a time, each after the
        previous one is Running and Ready; a Terminating or unhealthy ordinal blocks; scale-down deletes the
        highest ordinal first and waits until it is gone before the next."""
        obj = self._owner_object(ref)
        want = self.desired[ref]
        by_ordinal: dict[int, PodState] = {}
        for k in self.owned.get(ref, {}):
            p = self.state.pods.get(k)
            ordinal = k[1].rsplit("-", 1)[-1]
            if p is not None and ordinal.isdigit():
                by_ordinal[int(ordinal)] = p

        def healthy(p: PodState) -> bool:
            return p.phase == "Running" and p.ready and not p.terminating

        for i in range(want):
            p = by_ordinal.get(i)
            if p is None:
                name = f"{w.name}-{i}"
                self.create_pod(w.namespace, name, w.template, ref, pod_labels(w, i))
                self.record("Normal", "SuccessfulCreate", obj,
                            f"create Pod {name} in StatefulSet {w.name} successful")
                return
            if not healthy(p):
                return
        condemned = sorted((o for o in by_ordinal if o >= want), reverse=True)
        unhealthy = [o for o in condemned if not healthy(by_ordinal[o])]
        first_unhealthy = min(unhealthy) if unhealthy else None
        for o in condemned:
            p = by_ordinal[o]
            if p.terminating or (not healthy(p) and o != first_unhealthy):
                return
            self.record("Normal", "SuccessfulDelete", obj, f"delete Pod {p.name} in StatefulSet {w.name} successful")
            self.delete_pod(p)
            return

    def _daemonset_fits(self, w: WorkloadSpec, ref, node: str) -> bool:
        ns = self.state.nodes[node]
        tol = daemonset_tolerations(w.template.tolerations)
        for t in ns.taints:
            if t.effect in ("NoSchedule", "NoExecute") and not any(x.tolerates(t) for x in tol):
                return False
        labels = self.table.labels[self.table.index[node]]
        if any(labels.get(k) != v for k, v in w.template.node_selector.items()):
            return False
        if w.template.required_node_affinity and not any(
                all(match_expression(labels, k, op, vals) for k, op, vals in term)
                for term in w.template.required_node_affinity):
            return False
        return True

    def _reconcile_daemonset(self, w: WorkloadSpec, ref) -> None:
        have: set[str] = set()
        for k in self.owned.get(ref, {}):
            p = self.state.pods.get(k)
            if p is not None and not p.terminating:
                pin = self._pin.get(k)
                if pin is not None:
                    have.add(pin)
        obj = self._owner_object(ref)
        for node in self.state.nodes:
            if node not in have and self._daemonset_fits(w, ref, node):
                name = self._generate_name(w.namespace, w.name, ref)
                self.create_pod(w.namespace, name, w.template, ref, dict(w.template.labels), pin_node=node)
                self.record("Normal", "SuccessfulCreate", obj, f"Created pod: {name}")

    def mark_daemonsets_dirty(self) -> None:
        for ref in self.workloads:
            if ref[0] == "DaemonSet":
                self.dirty_workloads.add(ref)

    # -- actions ---------------------------------------------------------------------------------------------------

    def find_workload(self, target: str) -> tuple[str, str, str] | None:
        ns, _, name = target.rpartition("/")
        ns = ns or "default"
        for kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"):
            if (kind, ns, name) in self.workloads:
                return (kind, ns, name)
        return None

    def scale(self, target: str, replicas: int) -> None:
        ref = self.find_workload(target)
        if ref is None or ref[0] == "DaemonSet":
            raise ValueError(f"scale: no Deployment, ReplicaSet or StatefulSet named {target!r}")
        old = self.desired[ref]
        if old == replicas:
            return
        self.desired[ref] = replicas
        if ref[0] == "Deployment":
            self.record("Normal", "ScalingReplicaSet", ev.workload_object(*ref),
                        ev.scaled(self.rs_names[ref], old, replicas))
        self.dirty_workloads.add(ref)
        self.touch()
