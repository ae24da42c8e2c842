"""Scheduler review regressions: PodTopologySpread ignores Terminating pods; Go-truncating broken-linear shapes."""

import numpy as np

from core.control.scheduler import broken_linear
from core.engine import Simulation
from core.model import (
    ClusterModel,
    Container,
    NodeSpec,
    PodTemplate,
    Resources,
    TimelineEvent,
    Timing,
    WorkloadSpec,
)

MI = 1024**2


def zoned_model(zones, replicas, cpu=500, mem=256 * MI):
    nodes = [NodeSpec(f"node-{i}", labels={"topology.kubernetes.io/zone": z}) for i, z in enumerate(zones, 1)]
    tpl = PodTemplate(labels={"app": "web"}, containers=(Container("web", requests=Resources(cpu, mem)),))
    m = ClusterModel(nodes=nodes)
    m.workloads = [WorkloadSpec("Deployment", "default", "web", replicas, {"app": "web"}, tpl)]
    return m


def test_broken_linear_truncates_toward_zero_like_go():
    # shape (0,100) (30,0) (100,0); Go: s0 + (s1 - s0) * (p - u0) / (u1 - u0) with int64 truncation
    # p=10: 100 + (-100 * 10) / 30 = 100 + trunc(-33.3) = 100 - 33 = 67   (floor would give 66)
    # p=20: 100 + trunc(-2000 / 30 = -66.7) = 100 - 66 = 34                 (floor: 33)
    # p=29: 100 + trunc(-2900 / 30 = -96.7) = 100 - 96 = 4                  (floor: 3)
    # p=50: second segment (30,0)-(100,0): 0 + 0 = 0
    got = broken_linear(((0, 100), (30, 0), (100, 0)), np.array([10, 20, 29, 50]))
    assert got.tolist() == [67, 34, 4, 0]
    # increasing shapes are unaffected: (0,0)-(100,100) at 37 -> 37; at the points themselves the point's score
    assert broken_linear(((0, 0), (100, 100)), np.array([0, 37, 100])).tolist() == [0, 37, 100]


def test_replacement_of_a_deleted_pod_goes_back_to_its_node():
    # node-1 (zone-a) and node-2 (zone-b), default 4000m / 8Gi; web has 2 replicas of 500m / 256Mi, one per node.
    # Deleting node-1's pod leaves it Terminating there (still requesting its resources) and the ReplicaSet
    # creates a replacement at once. Both nodes then hold 500m + 500m (new) = 1000m and 512Mi:
    #   LeastAllocated: cpu (4000-1000)*100//4000 = 75, mem (8192-512)*100//8192 = 93 -> (75+93)//2 = 84
    #   BalancedAllocation: |1000/4000 - 512/8192| / 2 = |0.25 - 0.0625| / 2 = 0.09375 -> int(90.625) = 90
    #   TaintToleration 100 (x3 = 300), NodeAffinity 0 on both.
    # PodTopologySpread ignores the Terminating pod: node-1 0 pods / zone-a 0, node-2 1 pod / zone-b 1.
    #   weights ln(2 nodes + 2) = ln(2 zones + 2) = 1.386; raw = count*1.386 + (3-1) + zone*1.386 + (5-1)
    #   node-1: 0 + 2 + 0 + 4 = 6; node-2: 1.386 + 2 + 1.386 + 4 = 8.77 -> 9
    #   normalised 100*(9+6-raw)//9: node-1 100, node-2 600//9 = 66; weight 2 -> 200 and 132
    # totals: node-1 84 + 90 + 200 + 300 = 674; node-2 84 + 90 + 132 + 300 = 606 -> always node-1.
    # (Counting the Terminating pod would tie both at 100 and pick at random.)
    for seed in range(6):
        sim = Simulation(zoned_model(["zone-a", "zone-b"], 2), seed=seed, dataplane=False)
        victim = next(p for p in sim.state.pods.values() if p.node == "node-1")
        sim.schedule(TimelineEvent(5.0, "deletePod", f"default/{victim.name}"))
        sim.run(5.0)
        new = [p for p in sim.state.pods.values() if p.created == 5.0]
        assert len(new) == 1 and new[0].node == "node-1", seed
        pl = sim.placement(new[0].key)
        assert (pl.total("node-1"), pl.total("node-2")) == (674, 606)
        assert pl.node_scores("node-1")["PodTopologySpread"] == 100
        assert pl.node_scores("node-2")["PodTopologySpread"] == 66


def test_evicted_pods_on_a_failed_node_do_not_skew_the_zone_spread():
    # the demo's layout: node-1 and node-2 in zone-a, node-3 in zone-b; web 3 replicas of 100m / 64Mi, one
    # per node. Classroom timing: node-1 fails at 10 -> NotReady at 15 -> its pod is evicted at 25 and stays
    # Terminating on the dead node. The replacement's feasible nodes are node-2 and node-3 (node-1 tainted).
    # Ignoring the Terminating pod: node-2 1 / zone-a 1, node-3 1 / zone-b 1; weights ln(2+2) for both:
    #   raw 1.386 + 2 + 1.386 + 4 = 8.77 -> 9 on both -> 100*(9+9-9)//9 = 100 on both: a true tie, and the
    #   resource scores tie as well, so selectHost picks either.
    # (Counting it would make zone-a 2: node-2 raw 1.386+2+2.773+4 = 10.16 -> 10 -> 100*(19-10)//10 = 90.)
    picked = set()
    for seed in range(8):
        m = zoned_model(["zone-a", "zone-a", "zone-b"], 3, cpu=100, mem=64 * MI)
        m.timeline = [TimelineEvent(10.0, "failNode", "node-1")]
        sim = Simulation(m, seed=seed, timing=Timing.preset("classroom"), dataplane=False)
        sim.run(25.0)
        new = [p for p in sim.state.pods.values() if p.created == 25.0]
        assert len(new) == 1 and new[0].node in ("node-2", "node-3")
        pl = sim.placement(new[0].key)
        assert pl.node_scores("node-2")["PodTopologySpread"] == 100
        assert pl.node_scores("node-3")["PodTopologySpread"] == 100
        picked.add(new[0].node)
    assert picked == {"node-2", "node-3"}
