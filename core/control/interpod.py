"""kube-scheduler's InterPodAffinity filter for required terms (podAffinity / podAntiAffinity).

Follows k/k ``pkg/scheduler/framework/plugins/interpodaffinity/filtering.go``. PreFilter counts, per
topology pair ``(topologyKey, value)``:

* ``existing_anti``: existing pods whose *required anti-affinity* terms match the incoming pod, counted at
  their node's value of each such term's key;
* ``affinity``: existing pods matching *all* the incoming pod's affinity terms, counted at their node's
  value of each term's key (``podMatchesAllAffinityTerms``);
* ``anti``: existing pods matching each incoming anti-affinity term, counted at their node's value.

Filter, per node, in this order (the first failure is the node's reason):

1. ``satisfyPodAffinity``: every term's key must be a label of the node (else fail), and each pair must
   have a count > 0 -- unless no pod matches any term anywhere (``len(affinityCounts) == 0``) and the pod
   matches all its own terms (the first pod of a self-affine group); reason "node(s) didn't match pod
   affinity rules" (UnschedulableAndUnresolvable);
2. ``satisfyPodAntiAffinity``: no term's pair on this node has a count > 0; "node(s) didn't match pod
   anti-affinity rules" (Unschedulable);
3. ``satisfyExistingPodsAntiAffinity``: no label pair of the node has an existing-anti count > 0;
   "node(s) didn't satisfy existing pods anti-affinity rules" (Unschedulable).

Existing pods are every pod bound to a node (the scheduler cache keeps Terminating pods until they are gone).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.model import LabelSelector, PodAffinityTerm, PodTemplate

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
OK, POD_AFFINITY, POD_ANTI_AFFINITY, EXISTING_ANTI_AFFINITY = 0, 1, 2, 3
REASONS = {
    POD_AFFINITY: "node(s) didn't match pod affinity rules",
    POD_ANTI_AFFINITY: "node(s) didn't match pod anti-affinity rules",
    EXISTING_ANTI_AFFINITY: "node(s) didn't satisfy existing pods anti-affinity rules",
}


def _expression(labels: dict[str, str], key: str, op: str, values: tuple[str, ...]) -> bool:
    has = key in labels
    if op == "In":
        return has and labels[key] in values
    if op == "NotIn":
        return not has or labels[key] not in values
    if op == "Exists":
        return has
    if op == "DoesNotExist":
        return not has
    return False


def selector_matches(selector: LabelSelector | None, labels: dict[str, str]) -> bool:
    """metav1.LabelSelectorAsSelector(selector).Matches(labels): nil matches nothing, {} everything."""
    if selector is None:
        return False
    return (all(labels.get(k) == v for k, v in selector.match_labels)
            and all(_expression(labels, k, op, vals) for k, op, vals in selector.match_expressions))


def term_matches(term: PodAffinityTerm, owner_namespace: str, namespace: str, labels: dict[str, str]) -> bool:
    """AffinityTerm.Matches: the pod's namespace is one of the term's (default: the term owner's) or the
    namespace selector matches it, and the label selector matches the pod's labels."""
    namespaces = term.namespaces
    if not namespaces and term.namespace_selector is None:
        namespaces = (owner_namespace,)
    if namespace not in namespaces and not selector_matches(term.namespace_selector,
                                                            {NAMESPACE_NAME_LABEL: namespace}):
        return False
    return selector_matches(term.label_selector, labels)


@dataclass(frozen=True)
class BoundPod:
    """What the filter needs of a pod bound to node ``node`` (an index into the node table)."""

    node: int
    namespace: str
    labels: dict[str, str]
    template: PodTemplate


class TopologyIndex:
    """Per topology key, each node's value as a small integer (-1 where the node lacks the label)."""

    def __init__(self, node_labels: list[dict[str, str]]):
        self.node_labels = node_labels
        self._ids: dict[str, tuple[np.ndarray, dict[str, int]]] = {}

    def ids(self, key: str) -> tuple[np.ndarray, dict[str, int]]:
        hit = self._ids.get(key)
        if hit is None:
            values: dict[str, int] = {}
            arr = np.array([values.setdefault(lab[key], len(values)) if key in lab else -1
                            for lab in self.node_labels], dtype=np.int64)
            hit = self._ids[key] = (arr, values)
        return hit


def _count(counts: dict[tuple[str, int], int], topo: TopologyIndex, term: PodAffinityTerm, node: int) -> None:
    ids, _ = topo.ids(term.topology_key)
    value = int(ids[node])
    if value >= 0:
        pair = (term.topology_key, value)
        counts[pair] = counts.get(pair, 0) + 1


def interpod_codes(topo: TopologyIndex, namespace: str, labels: dict[str, str], template: PodTemplate,
                   bound: dict, anti_bound: dict) -> np.ndarray | None:
    """Per node, the InterPodAffinity filter's outcome for the incoming pod (``OK`` or a failure code), or
    None when the plugin is skipped (no terms on the pod and no existing anti-affinity matches it).

    ``bound``: every bound pod (key -> ``BoundPod``); ``anti_bound``: those with required anti-affinity."""
    n = len(topo.node_labels)
    existing: dict[tuple[str, int], int] = {}
    for pod in anti_bound.values():
        for term in pod.template.required_pod_anti_affinity:
            if term_matches(term, pod.namespace, namespace, labels):
                _count(existing, topo, term, pod.node)
    aff_terms = template.required_pod_affinity
    anti_terms = template.required_pod_anti_affinity
    if not existing and not aff_terms and not anti_terms:
        return None
    affinity: dict[tuple[str, int], int] = {}
    anti: dict[tuple[str, int], int] = {}
    if aff_terms or anti_terms:
        for pod in bound.values():
            if aff_terms and all(term_matches(t, namespace, pod.namespace, pod.labels) for t in aff_terms):
                for t in aff_terms:
                    _count(affinity, topo, t, pod.node)
            for t in anti_terms:
                if term_matches(t, namespace, pod.namespace, pod.labels):
                    _count(anti, topo, t, pod.node)
    codes = np.zeros(n, dtype=np.int8)
    # 3. existing pods' anti-affinity (lowest precedence: written first, overwritten by 2 and 1)
    fail = np.zeros(n, dtype=bool)
    for (key, value), c in existing.items():
        if c > 0:
            fail |= topo.ids(key)[0] == value
    codes[fail] = EXISTING_ANTI_AFFINITY
    # 2. the incoming pod's anti-affinity
    if anti:
        fail = np.zeros(n, dtype=bool)
        for t in anti_terms:
            ids, values = topo.ids(t.topology_key)
            counts = np.zeros(len(values) + 1, dtype=np.int64)
            for (key, value), c in anti.items():
                if key == t.topology_key:
                    counts[value + 1] = c
            fail |= (ids >= 0) & (counts[ids + 1] > 0)
        codes[fail] = POD_ANTI_AFFINITY
    # 1. the incoming pod's affinity
    if aff_terms:
        missing_key = np.zeros(n, dtype=bool)
        pods_exist = np.ones(n, dtype=bool)
        for t in aff_terms:
            ids, values = topo.ids(t.topology_key)
            counts = np.zeros(len(values) + 1, dtype=np.int64)
            for (key, value), c in affinity.items():
                if key == t.topology_key:
                    counts[value + 1] = c
            missing_key |= ids < 0
            pods_exist &= counts[ids + 1] > 0
        self_ok = not affinity and all(term_matches(t, namespace, namespace, labels) for t in aff_terms)
        fail = missing_key | (~pods_exist & (not self_ok))
        codes[fail] = POD_AFFINITY
    return codes
