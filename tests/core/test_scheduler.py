"""kube-scheduler scores and filters, every expected number worked out by hand from domain.md section f."""

import numpy as np
import pytest

from core.control.scheduler import NodeTable, Scheduler, num_feasible_nodes_to_find
from core.engine import Simulation
from core.model import (
    BarePodSpec,
    ClusterModel,
    Container,
    NodeSpec,
    PodTemplate,
    PreferredTerm,
    Resources,
    SchedulerConfig,
    Taint,
    TimelineEvent,
    WorkloadSpec,
)

GI = 1024**3
MI = 1024**2


def node(name, cpu=4000, mem=8 * GI, pods=110, labels=None, taints=()):
    return NodeSpec(name, labels=dict(labels or {}), taints=tuple(taints),
                    capacity=Resources(cpu, mem, pods), allocatable=Resources(cpu, mem, pods))


def template(cpu=0, mem=0, labels=None, **kw):
    return PodTemplate(labels=dict(labels or {}), containers=(Container("c", requests=Resources(cpu, mem)),), **kw)


def pinned(name, node_name, cpu, mem):
    return BarePodSpec("default", name, template(cpu, mem, node_name=node_name))


def three_node_model(strategy="LeastAllocated", probe=None):
    """node-a 4000m/8Gi holding 1000m/2Gi; node-b 4000m/8Gi holding 3000m/1Gi; node-c 2000m/4Gi empty.
    The probe pod requests 1000m/1Gi and has no owner and no Service (so PodTopologySpread skips)."""
    m = ClusterModel(nodes=[node("node-a"), node("node-b"), node("node-c", 2000, 4 * GI)])
    m.pods = [pinned("fill-a", "node-a", 1000, 2 * GI), pinned("fill-b", "node-b", 3000, 1 * GI),
              BarePodSpec("default", "probe", probe or template(1000, 1 * GI))]
    m.scheduler = SchedulerConfig(scoring_strategy=strategy)
    return m


def test_least_allocated_and_balanced_allocation_by_hand():
    p = Simulation(three_node_model(), seed=1, dataplane=False).placement(("default", "probe"))
    s = {n: p.node_scores(n) for n in ("node-a", "node-b", "node-c")}
    # LeastAllocated: (alloc - req) * 100 // alloc per resource, then (cpu + mem) // 2
    # a: cpu (4000-2000)*100//4000 = 50; mem (8-3)*100//8 = 62 -> (50+62)//2 = 56
    # b: cpu (4000-4000)*100//4000 = 0;  mem (8-2)*100//8 = 75 -> 75//2 = 37
    # c: cpu (2000-1000)*100//2000 = 50; mem (4-1)*100//4 = 75 -> 125//2 = 62
    assert [s[n]["NodeResourcesFit"] for n in s] == [56, 37, 62]
    # BalancedAllocation: int((1 - |f_cpu - f_mem| / 2) * 100)
    # a: |0.5 - 0.375|/2 = 0.0625 -> 93; b: |1.0 - 0.25|/2 = 0.375 -> 62; c: |0.5 - 0.25|/2 = 0.125 -> 87
    assert [s[n]["NodeResourcesBalancedAllocation"] for n in s] == [93, 62, 87]
    # no taints anywhere: TaintToleration normalises (reverse) to 100; no preferred terms: NodeAffinity 0;
    # no owner and no Service: PodTopologySpread contributes nothing
    assert all(s[n]["TaintToleration"] == 100 and s[n]["NodeAffinity"] == 0 for n in s)
    assert all(s[n]["PodTopologySpread"] == 0 for n in s)
    # totals: a 56+93+3*100 = 449, b 37+62+300 = 399, c 62+87+300 = 449 -> a tie between a and c
    assert [p.total(n) for n in s] == [449, 399, 449]
    assert p.node in ("node-a", "node-c")


def test_tie_between_top_nodes_is_broken_by_the_rng_both_ways():
    picks = {Simulation(three_node_model(), seed=seed, dataplane=False).state.pods[("default", "probe")].node
             for seed in range(30)}
    assert picks == {"node-a", "node-c"}


def test_most_allocated_by_hand():
    p = Simulation(three_node_model("MostAllocated"), seed=1, dataplane=False).placement(("default", "probe"))
    # MostAllocated: req * 100 // alloc, then (cpu + mem) // 2
    # a: 2000*100//4000 = 50; 3*100//8 = 37 -> 87//2 = 43
    # b: 4000*100//4000 = 100; 2*100//8 = 25 -> 125//2 = 62
    # c: 1000*100//2000 = 50; 1*100//4 = 25 -> 75//2 = 37
    assert [p.node_scores(n)["NodeResourcesFit"] for n in ("node-a", "node-b", "node-c")] == [43, 62, 37]
    # totals: a 43+93+300 = 436, b 62+62+300 = 424, c 37+87+300 = 424 -> node-a
    assert p.node == "node-a"


def test_requested_to_capacity_ratio_rounds_half_away_from_zero():
    p = Simulation(three_node_model("RequestedToCapacityRatio"), seed=1, dataplane=False).placement(
        ("default", "probe"))
    # shape (0,0),(100,10) scaled x10 -> utilisation% itself; node score = round((cpu + mem) / 2)
    # a: 50, 37 -> round(43.5) = 44; b: 100, 25 -> round(62.5) = 63; c: 50, 25 -> round(37.5) = 38
    assert [p.node_scores(n)["NodeResourcesFit"] for n in ("node-a", "node-b", "node-c")] == [44, 63, 38]


def test_non_zero_request_defaults_are_used_for_scoring():
    m = three_node_model(probe=template(0, 0))
    p = Simulation(m, seed=1, dataplane=False).placement(("default", "probe"))
    # a pod without requests counts as 100m / 200Mi when scoring
    # c: cpu (2000-100)*100//2000 = 95; mem (4096-200)Mi*100//4096Mi = 389600//4096 = 95 -> 95
    # a: cpu (4000-1100)*100//4000 = 72; mem (8192-2048-200)*100//8192 = 594400//8192 = 72 -> 72
    assert p.node_scores("node-c")["NodeResourcesFit"] == 95
    assert p.node_scores("node-a")["NodeResourcesFit"] == 72
    # BalancedAllocation uses the actual requests (0 for this pod): c has 0/0 -> 100
    assert p.node_scores("node-c")["NodeResourcesBalancedAllocation"] == 100


def test_topology_spread_system_defaults_across_two_zones():
    zones = {"node-1": "a", "node-2": "a", "node-3": "b"}
    m = ClusterModel(nodes=[node(n, labels={"topology.kubernetes.io/zone": z}) for n, z in zones.items()])
    m.workloads = [WorkloadSpec("Deployment", "default", "web", 3, {"app": "web"},
                                template(500, 256 * MI, labels={"app": "web"}))]
    m.timeline = [TimelineEvent(1.0, "scale", "web", 4)]
    sim = Simulation(m, seed=3, dataplane=False)
    # the first three replicas go one per node (an empty node always scores highest on LeastAllocated)
    assert sorted(p.node for p in sim.state.pods.values()) == ["node-1", "node-2", "node-3"]
    sim.run(1.0)
    new = [p for p in sim.state.pods.values() if p.created == 1.0]
    assert len(new) == 1
    pl = sim.placement(new[0].key)
    spread = {n: pl.node_scores(n)["PodTopologySpread"] for n in zones}
    # hostname weight ln(3 feasible + 2) = 1.6094, zone weight ln(2 zones + 2) = 1.3863
    # node-1: 1*1.6094 + (3-1) + 2*1.3863 + (5-1) = 10.38 -> 10; node-2 the same; node-3: 1.6094+2+1.3863+4 = 9.00 -> 9
    # normalise: 100 * (max + min - s) // max -> node-1/2: 100*9//10 = 90, node-3: 100*10//10 = 100
    assert spread == {"node-1": 90, "node-2": 90, "node-3": 100}
    # fit 84 ((75+93)//2) and balanced 90 everywhere: totals 84+90+2*90+300 = 654 vs 84+90+200+300 = 674
    assert pl.total("node-1") == 654 and pl.total("node-3") == 674
    assert new[0].node == "node-3"


def test_taint_toleration_and_node_affinity_normalisation():
    pns = lambda k: Taint(k, "", "PreferNoSchedule")  # noqa: E731
    m = ClusterModel(nodes=[node("n1", labels={"zone": "a", "disk": "ssd"}, taints=[pns("x"), pns("y")]),
                            node("n2", labels={"zone": "a"}, taints=[pns("x")]),
                            node("n3", labels={"zone": "b"})])
    terms = (PreferredTerm(10, (("zone", "In", ("a",)),)), PreferredTerm(30, (("disk", "Exists", ()),)))
    m.pods = [BarePodSpec("default", "p", template(100, MI, preferred_node_affinity=terms))]
    pl = Simulation(m, seed=0, dataplane=False).placement(("default", "p"))
    # TaintToleration counts intolerable PreferNoSchedule taints (2, 1, 0), max 2, reversed:
    # 100 - 100*2//2 = 0, 100 - 100*1//2 = 50, 100
    assert [pl.node_scores(n)["TaintToleration"] for n in ("n1", "n2", "n3")] == [0, 50, 100]
    # NodeAffinity: matched weights 40, 10, 0 -> 100*40//40 = 100, 100*10//40 = 25, 0
    assert [pl.node_scores(n)["NodeAffinity"] for n in ("n1", "n2", "n3")] == [100, 25, 0]


def test_pending_message_for_mixed_taint_and_insufficient_cpu():
    m = ClusterModel(nodes=[node(f"node-{i}", cpu=1000) for i in (1, 2, 3)])
    m.workloads = [WorkloadSpec("Deployment", "default", "web", 3, {"app": "web"},
                                template(800, 64 * MI, labels={"app": "web"}))]
    m.timeline = [TimelineEvent(0.0, "failNode", "node-1"), TimelineEvent(400.0, "recoverNode", "node-1")]
    sim = Simulation(m, seed=0, dataplane=False)
    victim = next(p for p in sim.state.pods.values() if p.node == "node-1")
    # 800m pods on 1000m nodes: one per node. node-1 fails at 0 -> NotReady at 50 -> evicted at 50+300 = 350
    sim.run(350.0)
    assert sim.state.pods[victim.key].terminating
    pending = [p for p in sim.state.pods.values() if p.node is None]
    assert len(pending) == 1
    # the taint is UnschedulableAndUnresolvable (preemption cannot help there); the two cpu failures are
    # Unschedulable but every pod has priority 0, so there is no lower-priority victim on them
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, "
           "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
           "scheduling, 2 No preemption victims found for incoming pod..")
    assert pending[0].reason == msg
    failed = [e for e in sim.state.events if e.reason == "FailedScheduling"]
    assert [(e.time, e.type, e.message) for e in failed] == [(350.0, "Warning", msg)]
    # node-1 comes back at 400 (a multiple of 5): Ready, taints removed -- that event retries the pending pod
    # (its 2nd attempt) while the stale pod (deleted at 350, grace 30 s long over) still holds node-1's cpu:
    # "3 Insufficient cpu". The stale pod is then removed (its IP freed); that deletion moves the pod to
    # podBackoffQ for 2 s (podInitialBackoffSeconds doubled once) from its failure at 400: it lands at 402.
    sim.run(400.0)
    assert victim.key not in sim.state.pods
    assert not sim.state.nodes["node-1"].taints
    assert sim.state.pods[pending[0].key].node is None
    sim.run(401.9)
    assert sim.state.pods[pending[0].key].node is None
    sim.run(402.0)
    assert sim.state.pods[pending[0].key].node == "node-1"


def test_num_feasible_nodes_to_find_formula():
    # fewer than 100 nodes: all; else pct = 50 - n/125 floored at 5; n*pct/100 with a minimum of 100
    assert num_feasible_nodes_to_find(0, 50) == 50
    assert num_feasible_nodes_to_find(0, 500) == 230  # 46 % (domain.md example)
    assert num_feasible_nodes_to_find(0, 150) == 100  # 49 % of 150 = 73 -> raised to 100
    assert num_feasible_nodes_to_find(0, 5000) == 500  # 10 %
    assert num_feasible_nodes_to_find(0, 7000) == 350  # 50 - 56 < 5 -> 5 %
    assert num_feasible_nodes_to_find(20, 1000) == 200
    assert num_feasible_nodes_to_find(100, 1000) == 1000


def test_rotating_start_index_scans_a_window_of_nodes():
    n = 200
    tab = NodeTable([f"n{i:03d}" for i in range(n)], [{} for _ in range(n)], [(4000, 8 * GI, 110)] * n)
    sched = Scheduler(tab)
    pc = sched.pod_class("default", template(100, MI), None, (), None, False, {})
    rng = np.random.default_rng(0)
    # 200 nodes: 50 - 200//125 = 49 % -> 98 -> at least 100 feasible nodes to find
    first = sched.schedule(("default", "a"), pc, SchedulerConfig(), rng, 0.0)
    assert first.nodes == tuple(f"n{i:03d}" for i in range(100)) and sched.next_start_node_index == 100
    second = sched.schedule(("default", "b"), pc, SchedulerConfig(), rng, 0.0)
    assert second.nodes == tuple(f"n{i:03d}" for i in range(100, 200)) and sched.next_start_node_index == 0


def test_reservoir_tie_break_is_uniform():
    tab = NodeTable(["a", "b", "c", "d"], [{}] * 4, [(4000, 8 * GI, 110)] * 4)
    sched = Scheduler(tab)
    pc = sched.pod_class("default", template(100, MI), None, (), None, False, {})
    rng = np.random.default_rng(7)
    picks = [sched.schedule(("d", "p"), pc, SchedulerConfig(), rng, 0.0).node for _ in range(4000)]
    counts = [picks.count(x) for x in "abcd"]
    assert all(900 < c < 1100 for c in counts), counts  # 1000 each expected, ~3 sigma = 82


def test_filters_unschedulable_node_name_affinity_and_pods_limit():
    m = ClusterModel(nodes=[node("n1", labels={"disk": "ssd"}), node("n2", pods=1, labels={"disk": "hdd"}),
                            node("n3", labels={"disk": "hdd"})])
    m.nodes[2].unschedulable = True
    m.pods = [pinned("fill", "n2", 10, MI),
              BarePodSpec("default", "p", template(100, MI, node_selector={"disk": "hdd"}))]
    sim = Simulation(m, seed=0, dataplane=False)
    p = sim.state.pods[("default", "p")]
    assert p.node is None and p.phase == "Pending"
    # n1: selector mismatch; n2: pods limit 1 already used; n3: cordoned (first failing filter wins);
    # reasons sorted as strings: "1 Too many pods" < "1 node(s) didn't..." < "1 node(s) were..."
    # preemption: only the "Too many pods" node is resolvable (NodeAffinity and NodeUnschedulable are not)
    assert p.reason == ("0/3 nodes are available: 1 Too many pods, 1 node(s) didn't match Pod's node "
                        "affinity/selector, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: "
                        "1 No preemption victims found for incoming pod, 2 Preemption is not helpful for "
                        "scheduling..")


@pytest.mark.parametrize("strategy", ["RoundRobin", "Random"])
def test_teaching_strategies_are_labelled_and_switchable(strategy):
    m = ClusterModel(nodes=[node("n1"), node("n2"), node("n3")])
    m.workloads = [WorkloadSpec("Deployment", "default", "web", 3, {"app": "web"},
                                template(100, MI, labels={"app": "web"}))]
    m.timeline = [TimelineEvent(1.0, "setScheduler", "", strategy), TimelineEvent(2.0, "scale", "web", 9)]
    sim = Simulation(m, seed=0, dataplane=False)
    before = {k: p.node for k, p in sim.state.pods.items()}
    sim.run(3.0)
    assert sim.state.scheduler_config.strategy == strategy
    assert {k: sim.state.pods[k].node for k in before} == before  # earlier placements untouched
    new = [p for p in sim.state.pods.values() if p.key not in before]
    assert len(new) == 6 and all(sim.placement(p.key).strategy == strategy for p in new)
    if strategy == "RoundRobin":  # cycles through the nodes in order: 2 more each
        assert sorted(p.node for p in new) == ["n1", "n1", "n2", "n2", "n3", "n3"]
