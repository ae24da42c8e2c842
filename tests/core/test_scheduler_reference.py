"""The vectorised score plugins against a plain-Python, node-by-node transcription of the upstream plugins."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.control.scheduler import NodeTable, Scheduler
from core.model import Container, PodTemplate, PreferredTerm, Resources, SchedulerConfig, Taint

GI = 1 << 30


def ref_fit(strategy, shape, req, alloc, weights):
    """noderesources least/most/requested_to_capacity_ratio scorers, one node."""
    num = den = 0
    for r, a, w in zip(req, alloc, weights):
        if a == 0 or w == 0:
            continue
        if strategy == "LeastAllocated":
            s = 0 if r > a else (a - r) * 100 // a
        elif strategy == "MostAllocated":
            s = min(r, a) * 100 // a
        else:
            util = 100 if r > a else r * 100 // a
            pts = [(u, sc * 10) for u, sc in shape]
            if util <= pts[0][0]:
                s = pts[0][1]
            else:
                s = pts[-1][1]
                for (u0, s0), (u1, s1) in zip(pts, pts[1:]):
                    if util <= u1:
                        # Go int64 division truncates toward zero: int(x / y), not x // y
                        s = s0 + int((s1 - s0) * (util - u0) / (u1 - u0))
                        break
            if s <= 0:
                continue
        num += s * w
        den += w
    if den == 0:
        return 0
    if strategy == "RequestedToCapacityRatio":
        return int(math.floor(num / den + 0.5))
    return num // den


def ref_balanced(req, alloc):
    fr = [min(r / a, 1.0) for r, a in zip(req, alloc) if a > 0]
    std = abs(fr[0] - fr[1]) / 2 if len(fr) == 2 else 0.0
    return int((1 - std) * 100)


def ref_normalize(xs, reverse):
    m = max(xs)
    if m == 0:
        return [100 if reverse else 0 for _ in xs]
    out = [100 * x // m for x in xs]
    return [100 - x for x in out] if reverse else out


def ref_spread(counts_all, zones_all, feasible):
    host_w = math.log(len(feasible) + 2)
    zone_size = len({zones_all[i] for i in feasible})
    zone_w = math.log(zone_size + 2)
    zc = {}
    for i, z in enumerate(zones_all):
        if z is not None:
            zc[z] = zc.get(z, 0) + counts_all[i]
    raw = []
    for i in feasible:
        s = counts_all[i] * host_w + 2
        if zones_all[i] is not None:
            s += zc[zones_all[i]] * zone_w + 4
        raw.append(int(math.floor(s + 0.5)))
    lo, hi = min(raw), max(raw)
    return [100 if hi == 0 else 100 * (hi + lo - s) // hi for s in raw]


@st.composite
def clusters(draw):
    n = draw(st.integers(1, 12))
    nodes = []
    for i in range(n):
        cpu = draw(st.sampled_from([0, 1000, 2000, 4000, 8000]))
        mem = draw(st.sampled_from([0, 2 * GI, 8 * GI]))
        used_cpu = draw(st.integers(0, 9000))
        used_mem = draw(st.integers(0, 9 * GI))
        zone = draw(st.sampled_from([None, "a", "b", "c"]))
        soft = draw(st.integers(0, 2))
        count = draw(st.integers(0, 5))
        disk = draw(st.booleans())
        nodes.append((f"n{i}", cpu, mem, used_cpu, used_mem, zone, soft, count, disk))
    pod = (draw(st.sampled_from([0, 100, 500, 3000])), draw(st.sampled_from([0, 256 << 20, GI])))
    strategy = draw(st.sampled_from(["LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"]))
    weights = draw(st.sampled_from([(1, 1), (2, 1), (1, 0), (0, 3)]))
    shape = draw(st.sampled_from([((0, 0), (100, 10)), ((0, 10), (50, 2), (100, 0))]))
    return nodes, pod, strategy, weights, shape


@settings(max_examples=50, deadline=None)
@given(clusters())
def test_vectorised_scores_equal_the_plain_python_reference(case):
    nodes, (pcpu, pmem), strategy, (wc, wm), shape = case
    labels = [({"topology.kubernetes.io/zone": z} if z else {}) | ({"disk": "ssd"} if d else {})
              for (_, _, _, _, _, z, _, _, d) in nodes]
    tab = NodeTable([x[0] for x in nodes], labels, [(x[1], x[2], 110) for x in nodes])
    owner = ("Deployment", "default", "web")
    for i, (_, _, _, uc, um, _, soft, count, _) in enumerate(nodes):
        tab.add_pod(i, np.array([uc, um]), np.array([uc, um]), None, ())
        for _ in range(count):
            tab.add_pod(i, np.array([0, 0]), np.array([0, 0]), owner, ())
        tab.set_taints(i, [Taint(f"t{k}", "", "PreferNoSchedule") for k in range(soft)])
    sched = Scheduler(tab)
    tpl = PodTemplate(containers=(Container("c", requests=Resources(pcpu, pmem)),),
                      preferred_node_affinity=(PreferredTerm(7, (("disk", "Exists", ()),)),))
    pc = sched.pod_class("default", tpl, owner, (), None, True, {})
    cfg = SchedulerConfig(scoring_strategy=strategy, resource_weights=(("cpu", wc), ("memory", wm)), shape=shape)
    feasible = np.arange(len(nodes))[::-1].copy()  # any scan order
    got = sched.score(pc, feasible, cfg)

    nz = (pcpu or 100, pmem or 200 << 20)
    fit, bal, taint, aff = [], [], [], []
    for i in feasible:
        _, cpu, mem, uc, um, _, soft, count, disk = nodes[i]
        fit.append(ref_fit(strategy, shape, (int(tab.nz[i, 0]) + nz[0], int(tab.nz[i, 1]) + nz[1]), (cpu, mem),
                           (wc, wm)))
        bal.append(ref_balanced((uc + pcpu, um + pmem), (cpu, mem)))
        taint.append(soft)
        aff.append(7 if disk else 0)
    assert list(got["NodeResourcesFit"]) == fit
    assert list(got["NodeResourcesBalancedAllocation"]) == bal
    assert list(got["TaintToleration"]) == ref_normalize(taint, reverse=True)
    assert list(got["NodeAffinity"]) == ref_normalize(aff, reverse=False)
    counts = [x[7] for x in nodes]
    zones = [x[5] for x in nodes]
    assert list(got["PodTopologySpread"]) == ref_spread(counts, zones, list(feasible))
