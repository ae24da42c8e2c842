"""kube-scheduler over numpy node arrays: filter plugins, score plugins, percentageOfNodesToScore, selectHost.

Follows domain.md section f. Every node is a row in ``NodeTable``; one scheduling cycle evaluates the
filters for all nodes at once (boolean arrays), scans feasible nodes from the rotating
``next_start_node_index`` up to ``numFeasibleNodesToFind``, scores them with the default plugins and their
upstream weights in integer arithmetic, and picks among the top scores by reservoir sampling.

Plugins modelled: filters NodeUnschedulable, NodeName, TaintToleration, NodeAffinity (nodeSelector and
required terms), NodePorts, NodeResourcesFit; scores NodeResourcesFit (LeastAllocated, MostAllocated,
RequestedToCapacityRatio), NodeResourcesBalancedAllocation, PodTopologySpread (system defaults),
TaintToleration, NodeAffinity (preferred terms); InterPodAffinity filters required podAffinity /
podAntiAffinity terms (``core.control.interpod``). InterPodAffinity's preferred terms and ImageLocality score
0 (no image sizes in the model). Scheduling is one pod at a time, in queue order (``core.control.schedqueue``).

A pod no node fits gets the FitError message: the filter reasons' histogram, then the DefaultPreemption
PostFilter's own FitError -- every pod has priority 0, so there is never a lower-priority victim: nodes that
failed an Unschedulable filter say "No preemption victims found for incoming pod", nodes that failed an
UnschedulableAndUnresolvable one "Preemption is not helpful for scheduling".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from core.control import interpod
from core.model import PodTemplate, SchedulerConfig, Taint, Toleration

MAX_NODE_SCORE = 100
DEFAULT_MILLI_CPU_REQUEST = 100  # non-zero defaults used when scoring (schedutil.DefaultMilliCPURequest)
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024
MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5
HOSTNAME_LABEL = "kubernetes.io/hostname"
ZONE_LABEL = "topology.kubernetes.io/zone"
UNSCHEDULABLE_TAINT_KEY = "node.kubernetes.io/unschedulable"
NOT_READY_TAINT_KEY = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT_KEY = "node.kubernetes.io/unreachable"

# upstream score weights (default_plugins.go)
WEIGHTS: dict[str, int] = {
    "NodeResourcesFit": 1,
    "NodeResourcesBalancedAllocation": 1,
    "PodTopologySpread": 2,
    "TaintToleration": 3,
    "NodeAffinity": 2,
}
SCORE_PLUGINS = tuple(WEIGHTS)

# filter failure codes, in plugin order (the first failing plugin wins)
OK, UNSCHEDULABLE, NODE_NAME, TAINT, AFFINITY, PORTS, RESOURCES = range(7)
POD_AFFINITY, POD_ANTI_AFFINITY, EXISTING_ANTI_AFFINITY = 7, 8, 9  # InterPodAffinity (after NodeResourcesFit)
REASONS = {
    UNSCHEDULABLE: "node(s) were unschedulable",
    NODE_NAME: "node(s) didn't match the requested node name",
    AFFINITY: "node(s) didn't match Pod's node affinity/selector",
    PORTS: "node(s) didn't have free ports for the requested pod ports",
    POD_AFFINITY: interpod.REASONS[interpod.POD_AFFINITY],
    POD_ANTI_AFFINITY: interpod.REASONS[interpod.POD_ANTI_AFFINITY],
    EXISTING_ANTI_AFFINITY: interpod.REASONS[interpod.EXISTING_ANTI_AFFINITY],
}
# filters whose failure is UnschedulableAndUnresolvable (preemption cannot help on such a node)
UNRESOLVABLE = (UNSCHEDULABLE, NODE_NAME, TAINT, AFFINITY, POD_AFFINITY)
PREEMPTION_NO_VICTIMS = "No preemption victims found for incoming pod"
PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling"
MAX_FILTERED_KEPT = 200  # filter reasons kept per placement (all of them when the pod stays Pending)
_EMPTY = np.zeros(0, dtype=np.int64)
STRATEGIES = ("kube-scheduler", "RoundRobin", "Random")
SCORING_STRATEGIES = ("LeastAllocated", "MostAllocated", "RequestedToCapacityRatio")


def default_tolerations(tolerations: tuple[Toleration, ...], toleration_seconds: float) -> tuple[Toleration, ...]:
    """The DefaultTolerationSeconds admission plugin: add not-ready / unreachable NoExecute tolerations."""
    out = list(tolerations)
    for key in (NOT_READY_TAINT_KEY, UNREACHABLE_TAINT_KEY):
        probe = Taint(key, "", "NoExecute")
        if not any(t.tolerates(probe) for t in tolerations):
            out.append(Toleration(key, "Exists", "", "NoExecute", toleration_seconds))
    return tuple(out)


def daemonset_tolerations(tolerations: tuple[Toleration, ...]) -> tuple[Toleration, ...]:
    """Tolerations the DaemonSet controller adds to its pods (no tolerationSeconds: never evicted)."""
    extra = [Toleration(NOT_READY_TAINT_KEY, "Exists", "", "NoExecute"),
             Toleration(UNREACHABLE_TAINT_KEY, "Exists", "", "NoExecute"),
             Toleration("node.kubernetes.io/disk-pressure", "Exists", "", "NoSchedule"),
             Toleration("node.kubernetes.io/memory-pressure", "Exists", "", "NoSchedule"),
             Toleration("node.kubernetes.io/pid-pressure", "Exists", "", "NoSchedule"),
             Toleration(UNSCHEDULABLE_TAINT_KEY, "Exists", "", "NoSchedule")]
    return tuple(tolerations) + tuple(extra)


def match_expression(labels: dict[str, str], key: str, op: str, values: tuple[str, ...]) -> bool:
    """One NodeSelectorRequirement (In, NotIn, Exists, DoesNotExist, Gt, Lt)."""
    has = key in labels
    val = labels.get(key)
    if op == "In":
        return has and val in values
    if op == "NotIn":
        return not has or val not in values
    if op == "Exists":
        return has
    if op == "DoesNotExist":
        return not has
    if op in ("Gt", "Lt"):
        try:
            left, right = int(val), int(values[0])  # type: ignore[arg-type]
        except (TypeError, ValueError, IndexError):
            return False
        return left > right if op == "Gt" else left < right
    return False


def num_feasible_nodes_to_find(percentage: int, num_all_nodes: int) -> int:
    """schedule_one.go numFeasibleNodesToFind."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND or percentage >= 100:
        return num_all_nodes
    adaptive = percentage
    if adaptive <= 0:
        adaptive = 50 - num_all_nodes // 125
        if adaptive < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND:
            adaptive = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND
    num = num_all_nodes * adaptive // 100
    return max(num, MIN_FEASIBLE_NODES_TO_FIND)


def broken_linear(shape: tuple[tuple[int, int], ...], p: np.ndarray) -> np.ndarray:
    """helper.BuildBrokenLinearFunction over utilisation ``p`` (shape scores already 0..100), int64."""
    p = np.asarray(p, dtype=np.int64)
    out = np.full(p.shape, shape[-1][1], dtype=np.int64)
    done = np.zeros(p.shape, dtype=bool)
    for i, (u, s) in enumerate(shape):
        sel = (~done) & (p <= u)  # upstream: the first point with p <= utilization
        if i == 0:
            out[sel] = s
        else:
            u0, s0 = shape[i - 1]
            num = (s - s0) * (p[sel] - u0)
            # Go int64 division truncates toward zero (numpy's // floors): matters for decreasing shapes
            out[sel] = s0 + np.sign(num) * (np.abs(num) // (u - u0))
        done |= sel
    return out


def normalize(scores: np.ndarray, reverse: bool) -> np.ndarray:
    """helper.DefaultNormalizeScore(MaxNodeScore, reverse, scores)."""
    max_count = int(scores.max()) if scores.size else 0
    if max_count == 0:
        return np.full(scores.shape, MAX_NODE_SCORE if reverse else 0, dtype=np.int64)
    out = MAX_NODE_SCORE * scores.astype(np.int64) // max_count
    return MAX_NODE_SCORE - out if reverse else out


@dataclass
class PodClass:
    """Scheduling-relevant facts shared by every pod of one template (cached)."""

    namespace: str
    template: PodTemplate
    owner: tuple[str, str, str] | None
    tolerations: tuple[Toleration, ...]
    req: np.ndarray  # (cpu, mem) actual requests
    nz: np.ndarray  # (cpu, mem) non-zero requests for scoring
    affinity_mask: np.ndarray  # nodeSelector + required affinity (+ DaemonSet pin), per node
    affinity_score: np.ndarray  # raw preferred-term weight sum per node
    pin_node: int | None  # DaemonSet target node
    spread: bool  # system default topology spread applies
    spread_selector: dict[str, str] = field(default_factory=dict)  # for pods without owner
    affinity_all: bool = False  # every node passes nodeSelector / required affinity
    tol_cache: tuple[int, np.ndarray, np.ndarray] | None = None  # (n_taints, hard_untolerated, soft)


@dataclass(frozen=True)
class Placement:
    """One scheduling cycle of one pod: what was filtered, how every scored node scored, what won."""

    pod: tuple[str, str]
    time: float
    strategy: str
    node: str | None  # None -> no feasible node (Pending)
    node_index: np.ndarray  # indices (into ``all_nodes``) of the scored nodes, in scan order
    scores: dict[str, np.ndarray]  # plugin -> normalised score (int64) per scored node
    weights: dict[str, int]
    totals: np.ndarray  # weighted sum per scored node
    filtered: dict[str, str]  # node -> first failing filter's reason (nodes that were evaluated)
    message: str = ""  # FailedScheduling message when node is None
    all_nodes: tuple[str, ...] | list[str] = ()
    rejected: frozenset[int] = frozenset()  # failure codes of the filters that rejected a node (Pending only)

    @property
    def nodes(self) -> tuple[str, ...]:
        """Names of the scored (feasible) nodes in scan order."""
        return tuple(self.all_nodes[int(i)] for i in self.node_index)

    def _pos(self, node: str) -> int | None:
        hits = [k for k, i in enumerate(self.node_index) if self.all_nodes[int(i)] == node]
        return hits[0] if hits else None

    def node_scores(self, node: str) -> dict[str, int]:
        """Normalised score of each plugin for ``node`` (empty if it was not scored)."""
        k = self._pos(node)
        return {} if k is None else {p: int(s[k]) for p, s in self.scores.items()}

    def total(self, node: str) -> int | None:
        k = self._pos(node)
        return None if k is None or not len(self.totals) else int(self.totals[k])


class NodeTable:
    """Per-node arrays the scheduler reads: allocatable, requested, taints, zones, owner pod counts."""

    def __init__(self, names: list[str], labels: list[dict[str, str]], alloc: list[tuple[int, int, int]]):
        n = len(names)
        self.names = list(names)
        self.index = {name: i for i, name in enumerate(names)}
        self.labels = [dict(lab) for lab in labels]
        for name, lab in zip(self.names, self.labels):
            lab.setdefault(HOSTNAME_LABEL, name)  # the kubelet always sets it
        # column-major so that each resource column is a contiguous vector
        self.alloc = np.asfortranarray(np.array(alloc, dtype=np.int64).reshape(n, 3))
        self.req = np.zeros((n, 3), dtype=np.int64, order="F")  # cpu, mem, pods (actual requests)
        self.nz = np.zeros((n, 2), dtype=np.int64, order="F")  # cpu, mem non-zero requests
        self.alloc_positive = bool((self.alloc[:, :2] > 0).all())
        zones: dict[str, int] = {}
        self.zone_ids = np.array([zones.setdefault(lab[ZONE_LABEL], len(zones)) if ZONE_LABEL in lab else -1
                                  for lab in self.labels], dtype=np.int64)
        self.n_zones = len(zones)
        self.unschedulable = np.zeros(n, dtype=bool)
        self.taints: list[Taint] = []
        self.taint_index: dict[Taint, int] = {}
        self.node_taints = np.zeros((n, 0), dtype=bool)
        self.node_taint_order: list[list[Taint]] = [[] for _ in range(n)]
        self.owner_counts: dict[tuple[str, str, str], np.ndarray] = {}
        self.host_ports: list[dict[int, int]] = [dict() for _ in range(n)]
        self.affinity_cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self.owner_zone_counts: dict[tuple[str, str, str], np.ndarray] = {}  # owner -> pods per zone id
        # InterPodAffinity: every bound pod, and those with required anti-affinity terms
        self.bound: dict[tuple[str, str], interpod.BoundPod] = {}
        self.anti_bound: dict[tuple[str, str], interpod.BoundPod] = {}
        self.topology = interpod.TopologyIndex(self.labels)

    def __getstate__(self) -> dict:
        """Snapshots keep each owner's per-node pod counts sparse: at 5,000 nodes and 10,000 Deployments the
        dense arrays are 400 MB, almost all zeros (an owner has its few pods on a few nodes), and every
        checkpoint copied them whole."""
        state = self.__dict__.copy()
        packed = {}
        for owner, arr in state.pop("owner_counts").items():
            nz = np.flatnonzero(arr)
            packed[owner] = (arr.size, nz, arr[nz])
        state["_owner_counts_sparse"] = packed
        return state

    def __setstate__(self, state: dict) -> None:
        packed = state.pop("_owner_counts_sparse", None)
        if packed is not None:
            counts = {}
            for owner, (n, idx, vals) in packed.items():
                arr = np.zeros(n, dtype=np.int64)
                arr[idx] = vals
                counts[owner] = arr
            state["owner_counts"] = counts
        self.__dict__.update(state)

    def __len__(self) -> int:
        return len(self.names)

    def set_taints(self, i: int, taints: list[Taint]) -> None:
        for t in taints:
            if t not in self.taint_index:
                self.taint_index[t] = len(self.taints)
                self.taints.append(t)
                self.node_taints = np.concatenate(
                    [self.node_taints, np.zeros((len(self.names), 1), dtype=bool)], axis=1)
        self.node_taints[i, :] = False
        for t in taints:
            self.node_taints[i, self.taint_index[t]] = True
        self.node_taint_order[i] = list(taints)

    def add_pod(self, i: int, req: np.ndarray, nz: np.ndarray, owner, host_ports: tuple[int, ...], sign: int = 1) -> None:
        """A pod bound to (sign 1) or gone from (sign -1) node ``i``: resources, host ports and, when ``owner``
        is given, the owner's PodTopologySpread counts (pass ``owner=None`` for a pod already uncounted)."""
        self.req[i, 0] += sign * int(req[0])
        self.req[i, 1] += sign * int(req[1])
        self.req[i, 2] += sign
        self.nz[i, 0] += sign * int(nz[0])
        self.nz[i, 1] += sign * int(nz[1])
        if owner is not None:
            self.count_owner(i, owner, sign)
        for p in host_ports:
            self.host_ports[i][p] = self.host_ports[i].get(p, 0) + sign
            if self.host_ports[i][p] <= 0:
                del self.host_ports[i][p]


    def track_pod(self, key: tuple[str, str], i: int, namespace: str, labels: dict[str, str],
                  template: PodTemplate, sign: int = 1) -> None:
        """A pod bound to node ``i`` (sign 1) or gone (sign -1), as InterPodAffinity sees existing pods."""
        if sign > 0:
            bp = interpod.BoundPod(i, namespace, dict(labels), template)
            self.bound[key] = bp
            if template.required_pod_anti_affinity:
                self.anti_bound[key] = bp
        else:
            self.bound.pop(key, None)
            self.anti_bound.pop(key, None)

    def count_owner(self, i: int, owner, sign: int) -> None:
        """PodTopologySpread's matching-pod counts: a pod counts from binding until its deletionTimestamp is
        set (countPodsMatchSelector skips terminating pods), while its resources count until it is gone."""
        arr = self.owner_counts.get(owner)
        if arr is None:
            arr = self.owner_counts[owner] = np.zeros(len(self.names), dtype=np.int64)
            self.owner_zone_counts[owner] = np.zeros(self.n_zones + 1, dtype=np.int64)
        arr[i] += sign
        if self.zone_ids[i] >= 0:
            self.owner_zone_counts[owner][self.zone_ids[i]] += sign


class Scheduler:
    """The scheduling cycle. Stateless apart from the rotating start index and the RoundRobin cursor."""

    def __init__(self, table: NodeTable):
        self.table = table
        self.next_start_node_index = 0
        self.rr_cursor = 0
        self._range = np.arange(len(table))

    def _arange(self, n: int) -> np.ndarray:
        if len(self._range) != n:
            self._range = np.arange(n)
        return self._range

    # -- pod class -------------------------------------------------------------------------------------

    def pod_class(self, namespace: str, template: PodTemplate, owner, tolerations: tuple[Toleration, ...],
                  pin_node: str | None, spread: bool, spread_selector: dict[str, str]) -> PodClass:
        tab = self.table
        cpu, mem = template.pod_requests()
        nz_cpu, nz_mem = template.pod_requests(DEFAULT_MILLI_CPU_REQUEST, DEFAULT_MEMORY_REQUEST)
        nz_cpu, nz_mem = nz_cpu or DEFAULT_MILLI_CPU_REQUEST, nz_mem or DEFAULT_MEMORY_REQUEST
        sig = (tuple(sorted(template.node_selector.items())), template.required_node_affinity,
               template.preferred_node_affinity)
        cached = tab.affinity_cache.get(sig)
        if cached is None:
            cached = tab.affinity_cache[sig] = self._affinity_arrays(template)
        mask, aff = cached[0].copy(), cached[1]
        pin = None
        if pin_node is not None:
            pin = tab.index[pin_node]
            only = np.zeros(len(tab), dtype=bool)
            only[pin] = True
            mask &= only
        return PodClass(namespace, template, owner, tolerations, np.array([cpu, mem], dtype=np.int64),
                        np.array([nz_cpu, nz_mem], dtype=np.int64), mask, aff, pin, spread, dict(spread_selector),
                        affinity_all=bool(mask.all()))

    def _affinity_arrays(self, template: PodTemplate) -> tuple[np.ndarray, np.ndarray]:
        """(nodeSelector + required affinity mask, preferred-term weight sums) over all nodes."""
        tab = self.table
        mask = np.ones(len(tab), dtype=bool)
        aff = np.zeros(len(tab), dtype=np.int64)
        if not (template.node_selector or template.required_node_affinity or template.preferred_node_affinity):
            return mask, aff
        for i, lab in enumerate(tab.labels):
            if any(lab.get(k) != v for k, v in template.node_selector.items()):
                mask[i] = False
            elif template.required_node_affinity and not any(
                    all(match_expression(lab, k, op, vals) for k, op, vals in term)
                    for term in template.required_node_affinity):
                mask[i] = False
            for term in template.preferred_node_affinity:
                if term.weight and all(match_expression(lab, k, op, vals) for k, op, vals in term.match_expressions):
                    aff[i] += term.weight
        return mask, aff

    def _tolerated(self, pc: PodClass) -> tuple[np.ndarray, np.ndarray]:
        """(hard, soft) boolean vectors over the taint registry: untolerated NoSchedule/NoExecute, and
        untolerated PreferNoSchedule taints."""
        tab = self.table
        if pc.tol_cache is None or pc.tol_cache[0] != len(tab.taints):
            hard = np.array([t.effect in ("NoSchedule", "NoExecute") and not any(x.tolerates(t) for x in pc.tolerations)
                             for t in tab.taints], dtype=bool)
            soft = np.array([t.effect == "PreferNoSchedule" and not any(
                (x.effect in ("", "PreferNoSchedule")) and x.tolerates(t) for x in pc.tolerations)
                for t in tab.taints], dtype=bool)
            pc.tol_cache = (len(tab.taints), hard, soft)
        return pc.tol_cache[1], pc.tol_cache[2]

    # -- filters -----------------------------------------------------------------------------------------

    def filter_codes(self, pc: PodClass, node_name: str | None = None,
                     pod_labels: dict[str, str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per node: code of the first failing filter (OK = feasible), and a (n, 3) boolean array of the
        NodeResourcesFit shortfalls (pods, cpu, memory). ``pod_labels``: the pod's own labels (InterPodAffinity
        matches them; default the template's)."""
        tab = self.table
        n = len(tab)
        codes = np.zeros(n, dtype=np.int8)
        ipa = interpod.interpod_codes(tab.topology, pc.namespace,
                                      pc.template.labels if pod_labels is None else pod_labels, pc.template,
                                      tab.bound, tab.anti_bound)
        if ipa is not None:
            codes[ipa == interpod.POD_AFFINITY] = POD_AFFINITY
            codes[ipa == interpod.POD_ANTI_AFFINITY] = POD_ANTI_AFFINITY
            codes[ipa == interpod.EXISTING_ANTI_AFFINITY] = EXISTING_ANTI_AFFINITY
        short = np.zeros((n, 3), dtype=bool, order="F")
        np.less(tab.alloc[:, 2] - tab.req[:, 2], 1, out=short[:, 0])
        # zero requests never fail a resource (fitsRequest skips them), except the pod count
        if pc.req[0] > 0:
            np.less(tab.alloc[:, 0] - tab.req[:, 0], pc.req[0], out=short[:, 1])
        if pc.req[1] > 0:
            np.less(tab.alloc[:, 1] - tab.req[:, 1], pc.req[1], out=short[:, 2])
        codes[short[:, 0] | short[:, 1] | short[:, 2]] = RESOURCES
        ports = pc.template.host_ports
        if ports:
            for i in range(n):
                if any(p in tab.host_ports[i] for p in ports):
                    codes[i] = PORTS
        codes[~pc.affinity_mask] = AFFINITY
        hard, _ = self._tolerated(pc)
        if hard.any():
            codes[(tab.node_taints[:, hard]).any(axis=1)] = TAINT
        if node_name is not None:
            codes[np.array([name != node_name for name in tab.names])] = NODE_NAME
        if tab.unschedulable.any():
            probe = Taint(UNSCHEDULABLE_TAINT_KEY, "", "NoSchedule")
            if not any(t.tolerates(probe) for t in pc.tolerations):
                codes[tab.unschedulable] = UNSCHEDULABLE
        return codes, short

    def failure_reasons(self, pc: PodClass, i: int, code: int, short: np.ndarray) -> list[str]:
        if code == TAINT:
            for t in self.table.node_taint_order[i]:
                if t.effect in ("NoSchedule", "NoExecute") and not any(x.tolerates(t) for x in pc.tolerations):
                    return [f"node(s) had untolerated taint {{{t.key}: {t.value}}}"]
        if code == RESOURCES:
            names = ("Too many pods", "Insufficient cpu", "Insufficient memory")
            return [names[k] for k in range(3) if short[i, k]]
        return [REASONS[code]]

    def failure_message(self, pc: PodClass, codes: np.ndarray, short: np.ndarray) -> str:
        """FitError.Error() with DefaultPreemption's PostFilter message, e.g. ``0/3 nodes are available: 1
        node(s) had untolerated taint {...}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1
        Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..`` (the
        doubled final dot is upstream's: the inner FitError's "." plus the outer separator's)."""
        hist: dict[str, int] = {}
        failed = np.flatnonzero(codes != OK)
        for i in failed:
            for r in self.failure_reasons(pc, int(i), int(codes[i]), short):
                hist[r] = hist.get(r, 0) + 1
        n = len(self.table)
        parts = sorted(f"{v} {k}" for k, v in hist.items())
        unresolvable = int(np.isin(codes[failed], UNRESOLVABLE).sum())
        pre = {PREEMPTION_NOT_HELPFUL: unresolvable, PREEMPTION_NO_VICTIMS: len(failed) - unresolvable}
        pre_parts = sorted(f"{v} {k}" for k, v in pre.items() if v)
        return (f"0/{n} nodes are available: {', '.join(parts)}. "
                f"preemption: 0/{n} nodes are available: {', '.join(pre_parts)}..")

    # -- scores ------------------------------------------------------------------------------------------

    def score(self, pc: PodClass, feasible: np.ndarray, config: SchedulerConfig,
              pod_labels: dict[str, str] | None = None, selector_counts: np.ndarray | None = None
              ) -> dict[str, np.ndarray]:
        """Normalised score per plugin (int64 arrays aligned with ``feasible`` node indices)."""
        tab = self.table
        out: dict[str, np.ndarray] = {}
        weights = dict(config.resource_weights)
        w = np.array([weights.get("cpu", 0), weights.get("memory", 0)], dtype=np.int64)
        if (tab.alloc_positive and w[0] > 0 and w[1] > 0
                and config.scoring_strategy in ("LeastAllocated", "MostAllocated")):
            self._fast_resource_scores(pc, feasible, config.scoring_strategy, int(w[0]), int(w[1]), out)
        else:
            self._general_resource_scores(pc, feasible, config, w, out)
        out["PodTopologySpread"] = self._spread(pc, feasible, selector_counts)
        _, soft = self._tolerated(pc)
        counts = tab.node_taints[np.ix_(feasible, soft)].sum(axis=1) if soft.any() else np.zeros(len(feasible), np.int64)
        out["TaintToleration"] = normalize(counts.astype(np.int64), reverse=True)
        out["NodeAffinity"] = normalize(pc.affinity_score[feasible], reverse=False)
        return out

    def _fast_resource_scores(self, pc: PodClass, feasible: np.ndarray, strategy: str, w_cpu: int, w_mem: int,
                              out: dict[str, np.ndarray]) -> None:
        """NodeResourcesFit (Least/MostAllocated) and BalancedAllocation for the common case: cpu and memory
        both weighted, every node with allocatable cpu and memory. Same integer arithmetic as the general
        path, on contiguous columns."""
        tab = self.table
        full = len(feasible) == len(tab) and feasible[0] == 0  # all nodes, in index order
        col = (lambda a: a) if full else (lambda a: a[feasible])  # noqa: E731
        a_c, a_m = col(tab.alloc[:, 0]), col(tab.alloc[:, 1])
        r_c, r_m = col(tab.nz[:, 0]) + pc.nz[0], col(tab.nz[:, 1]) + pc.nz[1]
        if strategy == "LeastAllocated":
            s_c = (a_c - r_c) * MAX_NODE_SCORE // a_c
            s_m = (a_m - r_m) * MAX_NODE_SCORE // a_m
            s_c[r_c > a_c] = 0
            s_m[r_m > a_m] = 0
        else:
            s_c = np.minimum(r_c, a_c) * MAX_NODE_SCORE // a_c
            s_m = np.minimum(r_m, a_m) * MAX_NODE_SCORE // a_m
        out["NodeResourcesFit"] = (s_c * w_cpu + s_m * w_mem) // (w_cpu + w_mem)
        q_c, q_m = col(tab.req[:, 0]) + pc.req[0], col(tab.req[:, 1]) + pc.req[1]
        f_c = np.minimum(q_c / a_c, 1.0)
        f_m = np.minimum(q_m / a_m, 1.0)
        out["NodeResourcesBalancedAllocation"] = ((1.0 - np.abs(f_c - f_m) / 2) * MAX_NODE_SCORE).astype(np.int64)

    def _general_resource_scores(self, pc: PodClass, feasible: np.ndarray, config: SchedulerConfig,
                                 w: np.ndarray, out: dict[str, np.ndarray]) -> None:
        tab = self.table
        alloc = tab.alloc[feasible, :2]
        # NodeResourcesFit: non-zero requests, pod included
        requested = tab.nz[feasible] + pc.nz
        out["NodeResourcesFit"] = self._fit_score(config, requested, alloc, w)
        # BalancedAllocation: actual requests, pod included
        req_actual = tab.req[feasible, :2] + pc.req
        # BalancedAllocation has its own resource list (default cpu and memory, weight 1 each)
        out["NodeResourcesBalancedAllocation"] = self._balanced(req_actual, alloc, np.ones(2, dtype=np.int64))

    @staticmethod
    def _fit_score(config: SchedulerConfig, requested: np.ndarray, alloc: np.ndarray, w: np.ndarray) -> np.ndarray:
        valid = (alloc > 0) & (w > 0)
        safe = np.where(alloc > 0, alloc, 1)
        strategy = config.scoring_strategy
        if strategy == "LeastAllocated":
            s = np.where(requested > alloc, 0, (alloc - requested) * MAX_NODE_SCORE // safe)
        elif strategy == "MostAllocated":
            s = np.minimum(requested, alloc) * MAX_NODE_SCORE // safe
        else:  # RequestedToCapacityRatio
            shape = tuple((u, sc * (MAX_NODE_SCORE // 10)) for u, sc in config.shape)
            util = np.where(requested > alloc, 100, requested * 100 // safe)
            s = broken_linear(shape, util)
            valid = valid & (s > 0)
            num = (s * w * valid).sum(axis=1)
            den = (w * valid).sum(axis=1)
            return np.where(den > 0, np.floor(num / np.where(den > 0, den, 1) + 0.5), 0).astype(np.int64)
        num = (s * w * valid).sum(axis=1)
        den = (w * valid).sum(axis=1)
        return np.where(den > 0, num // np.where(den > 0, den, 1), 0)

    @staticmethod
    def _balanced(requested: np.ndarray, alloc: np.ndarray, w: np.ndarray) -> np.ndarray:
        valid = (alloc > 0) & (w > 0)
        frac = np.minimum(requested / np.where(alloc > 0, alloc, 1), 1.0)
        k = valid.sum(axis=1)
        # two resources: |f1 - f2| / 2; otherwise the population standard deviation
        mean = np.where(k > 0, (frac * valid).sum(axis=1) / np.maximum(k, 1), 0.0)
        var = np.where(k > 0, (((frac - mean[:, None]) ** 2) * valid).sum(axis=1) / np.maximum(k, 1), 0.0)
        std = np.where(k == 2, np.abs(frac[:, 0] - frac[:, 1]) / 2, np.sqrt(var))
        std = np.where(k >= 2, std, 0.0)
        return ((1.0 - std) * MAX_NODE_SCORE).astype(np.int64)

    def _spread(self, pc: PodClass, feasible: np.ndarray, selector_counts: np.ndarray | None) -> np.ndarray:
        """PodTopologySpread system defaults: hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway."""
        tab = self.table
        if not pc.spread:
            return np.zeros(len(feasible), dtype=np.int64)  # PreScore Skip: the plugin adds nothing
        if pc.owner is not None:
            counts = tab.owner_counts.get(pc.owner)
            if counts is None:
                counts = np.zeros(len(tab), dtype=np.int64)
        else:
            counts = selector_counts if selector_counts is not None else np.zeros(len(tab), dtype=np.int64)
        host_w = math.log(len(feasible) + 2)
        zones_f = tab.zone_ids[feasible]
        zone_size = int(np.count_nonzero(np.bincount(zones_f + 1, minlength=1)))  # no label: the "" domain
        zone_w = math.log(zone_size + 2)
        if pc.owner is not None and pc.affinity_all and pc.owner in tab.owner_zone_counts:
            zone_counts = tab.owner_zone_counts[pc.owner]  # kept incrementally by add_pod
        else:
            eligible = pc.affinity_mask & (tab.zone_ids >= 0)
            zone_counts = np.bincount(tab.zone_ids[eligible], weights=counts[eligible], minlength=tab.n_zones + 1)
        raw = counts[feasible] * host_w + (3 - 1)
        if tab.n_zones:
            has_zone = zones_f >= 0
            raw = raw + np.where(has_zone, zone_counts[np.where(has_zone, zones_f, 0)] * zone_w + (5 - 1), 0.0)
        raw_i = np.floor(raw + 0.5).astype(np.int64)  # math.Round (half away from zero, raw >= 0)
        lo, hi = int(raw_i.min()), int(raw_i.max())
        if hi == 0:
            return np.full(len(feasible), MAX_NODE_SCORE, dtype=np.int64)
        return MAX_NODE_SCORE * (hi + lo - raw_i) // hi

    # -- the cycle -----------------------------------------------------------------------------------------

    def schedule(self, pod_key: tuple[str, str], pc: PodClass, config: SchedulerConfig, rng: np.random.Generator,
                 now: float, selector_counts: np.ndarray | None = None,
                 pod_labels: dict[str, str] | None = None) -> Placement:
        tab = self.table
        n = len(tab)
        codes, short = self.filter_codes(pc, pod_labels=pod_labels)
        ok = codes == OK
        if n == 0 or not ok.any():
            message = self.failure_message(pc, codes, short) if n else "0/0 nodes are available."
            filtered = {tab.names[i]: "; ".join(self.failure_reasons(pc, int(i), int(codes[i]), short))
                        for i in np.flatnonzero(~ok)}
            return Placement(pod_key, now, config.strategy, None, _EMPTY, {}, dict(WEIGHTS), _EMPTY, filtered,
                             message, tab.names, frozenset(int(c) for c in np.unique(codes[~ok])))
        # percentageOfNodesToScore: scan from the rotating start, stop after enough feasible nodes
        start = self.next_start_node_index
        order = self._arange(n) if start == 0 else np.concatenate([self._arange(n)[start:], self._arange(n)[:start]])
        ok_ordered = ok[order]
        want = num_feasible_nodes_to_find(config.percentage_of_nodes_to_score, n)
        csum = np.cumsum(ok_ordered)
        if csum[-1] > want:
            processed = int(np.searchsorted(csum, want)) + 1
        else:
            processed = n
        scanned = order[:processed]
        feasible = scanned[ok_ordered[:processed]]
        self.next_start_node_index = (self.next_start_node_index + processed) % n
        failed = scanned[~ok_ordered[:processed]][:MAX_FILTERED_KEPT]
        filtered = {tab.names[i]: "; ".join(self.failure_reasons(pc, int(i), int(codes[i]), short)) for i in failed}
        if config.strategy == "RoundRobin":  # PodPath teaching strategy, not in kube-scheduler
            after = feasible[feasible >= self.rr_cursor]
            pick = int(after.min()) if after.size else int(feasible.min())
            self.rr_cursor = pick + 1
            return Placement(pod_key, now, config.strategy, tab.names[pick], feasible, {}, {}, _EMPTY, filtered,
                             "", tab.names)
        if config.strategy == "Random":  # PodPath teaching strategy, not in kube-scheduler
            pick = int(feasible[int(rng.integers(len(feasible)))])
            return Placement(pod_key, now, config.strategy, tab.names[pick], feasible, {}, {}, _EMPTY, filtered,
                             "", tab.names)
        scores = self.score(pc, feasible, config, selector_counts=selector_counts)
        totals = sum(WEIGHTS[p] * scores[p] for p in SCORE_PLUGINS)
        if len(feasible) == 1:
            pick = int(feasible[0])  # a single feasible node is taken without scoring upstream
        else:
            top = np.flatnonzero(totals == totals.max())
            if len(top) == 1:
                pick = int(feasible[top[0]])
            else:
                # selectHost reservoir sampling: the k-th tie replaces the pick with probability 1/k
                u = rng.random(len(top))
                k = np.arange(1, len(top) + 1)
                last = int(np.flatnonzero(u * k < 1.0)[-1])
                pick = int(feasible[top[last]])
        return Placement(pod_key, now, config.strategy, tab.names[pick], feasible, scores, dict(WEIGHTS), totals,
                         filtered, "", tab.names)
